"""Good Faith Estimates for planned follow-ups, and the rule's deadline.

A self-pay patient is given a Good Faith Estimate when a service is scheduled (45 CFR
149.610(b)(1)(vi)): scheduled at least 3 business days ahead, within 1 business day of the
scheduling; at least 10 business days ahead, within 3 business days of it. A visit's own
estimate is ``bills.issue_estimate``; a follow-up planned at a visit (``FollowUp``) gets its
estimate here, before any visit exists for it, issued once and reprinted as issued.

It is kept on the follow-up's own row (``estimate_issued_on``, ``estimate_json``: the day, the
service and the lines as issued), so a follow-up planned without a visit can have one too. The
day scheduled is the follow-up row's creation day.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from mmsdesk.models import FollowUp, Patient, Visit
from mmsdesk.models.enums import SERVICE_LABELS, VisitStatus
from mmsdesk.reports import data as d
from mmsdesk.services import billing
from mmsdesk.services.bills import MODALITY_PLACES, catalogue_lines, diagnosis_codes
from mmsdesk.services.validation import ValidationError
from mmsdesk.store import Store

RULE = "45 CFR 149.610(b)(1)(vi)"


# -- business days (Monday to Friday, federal holidays excepted)
def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = (date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    """A holiday on a Saturday is observed the Friday before, on a Sunday the Monday after."""
    return day - timedelta(days=1) if day.weekday() == 5 else (
        day + timedelta(days=1) if day.weekday() == 6 else day)


def federal_holidays(year: int) -> frozenset[date]:
    """The eleven federal holidays (5 U.S.C. 6103), as observed."""
    mon, thu = 0, 3
    fixed = (date(year, 1, 1), date(year, 6, 19), date(year, 7, 4), date(year, 11, 11),
             date(year, 12, 25))
    moving = (_nth_weekday(year, 1, mon, 3), _nth_weekday(year, 2, mon, 3),
              _last_weekday(year, 5, mon), _nth_weekday(year, 9, mon, 1),
              _nth_weekday(year, 10, mon, 2), _nth_weekday(year, 11, thu, 4))
    observed = {_observed(x) for x in fixed} | set(moving)
    if _observed(date(year + 1, 1, 1)).year == year:  # New Year's Day on a Saturday
        observed.add(_observed(date(year + 1, 1, 1)))
    return frozenset(observed)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def add_business_days(day: date, n: int) -> date:
    while n > 0:
        day += timedelta(days=1)
        n -= is_business_day(day)
    return day


def business_days_after(start: date, end: date) -> int:
    """Business days after ``start`` up to and including ``end``."""
    return sum(is_business_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))


def estimate_deadline(scheduled_on: date, service_on: date) -> date | None:
    """The last day the estimate may be given under the rule, or None when the service was
    scheduled fewer than 3 business days ahead (the rule sets no time then)."""
    ahead = business_days_after(scheduled_on, service_on)
    if ahead >= 10:
        return add_business_days(scheduled_on, 3)
    if ahead >= 3:
        return add_business_days(scheduled_on, 1)
    return None


# -- follow-ups
@dataclass(frozen=True)
class IssuedEstimate:
    follow_up_id: int
    issued_on: date
    scheduled_on: date  # the day the follow-up was planned
    service_on: date
    deadline: date | None
    newly_issued: bool  # False: issued before, reprinted as issued

    @property
    def late(self) -> bool:
        return self.deadline is not None and self.issued_on > self.deadline

    def warning(self) -> str:
        if not self.late or self.deadline is None:
            return ""
        return (f"This Good Faith Estimate was issued on {self.issued_on:%m/%d/%Y}, after the "
                f"{self.deadline:%m/%d/%Y} deadline ({RULE}: the follow-up was scheduled on "
                f"{self.scheduled_on:%m/%d/%Y} for {self.service_on:%m/%d/%Y}).")


@dataclass(frozen=True)
class PlannedFollowUp:
    id: int
    label: str  # "12/08/2026 · Telephone follow-up: INR result"
    estimate_issued_on: date | None


def _stored(fu: FollowUp) -> dict[str, Any] | None:
    raw = json.loads(fu.estimate_json) if fu.estimate_json else None
    return raw if isinstance(raw, dict) else None


def _store(s: Session, fu: FollowUp, estimate: dict[str, Any]) -> None:
    fu.estimate_json = json.dumps(estimate, ensure_ascii=False, sort_keys=True)
    fu.estimate_issued_on = date.fromisoformat(estimate["issued_on"])
    s.add(fu)


def _follow_up(s: Session, patient_id: int, follow_up_id: int) -> FollowUp:
    fu = s.get(FollowUp, follow_up_id)
    if fu is None or fu.patient_id != patient_id:
        raise LookupError(f"no follow-up {follow_up_id} for patient {patient_id}")
    return fu


def _issued(fu: FollowUp, raw: dict[str, Any], newly: bool) -> IssuedEstimate:
    scheduled = date.fromisoformat(raw["scheduled_on"])
    service_on = date.fromisoformat(raw["service_on"])
    return IssuedEstimate(fu.id or 0, date.fromisoformat(raw["issued_on"]), scheduled,
                          service_on, estimate_deadline(scheduled, service_on), newly)


def planned_follow_ups(store: Store, patient_id: int) -> list[PlannedFollowUp]:
    """The patient's follow-ups not yet done, soonest first."""
    with store.session() as s:
        rows = s.execute(select(FollowUp).where(
            FollowUp.patient_id == patient_id, FollowUp.done.is_(False))  # type: ignore[attr-defined]
            .order_by(FollowUp.due_on, FollowUp.id)).scalars().all()
        out = []
        for fu in rows:
            raw = _stored(fu)
            label = (f"{fu.due_on:%m/%d/%Y} · {SERVICE_LABELS.get(fu.service, fu.service)}"
                     + (f": {fu.reason.strip()}" if fu.reason.strip() else ""))
            out.append(PlannedFollowUp(fu.id or 0, label,
                                       date.fromisoformat(raw["issued_on"]) if raw else None))
        return out


def issue_follow_up_estimate(store: Store, patient_id: int, follow_up_id: int,
                             today: date) -> IssuedEstimate:
    """Issue the estimate for a planned follow-up, once: its day, service, date and lines as
    given (a later price or plan change does not alter it). Reprinting returns it as issued."""
    with store.session() as s:
        fu = _follow_up(s, patient_id, follow_up_id)
        raw = _stored(fu)
        if raw is not None:
            return _issued(fu, raw, newly=False)
        if fu.done:
            raise ValidationError({"estimate": "A Good Faith Estimate is given before the "
                                               "service; this follow-up is done."})
        v = s.get(Visit, fu.visit_id) if fu.visit_id is not None else None
        p = s.get(Patient, patient_id)
        assert p is not None
        if billing.plan_pays(p.payer_type):
            raise ValidationError({"payer": "A Good Faith Estimate is for a self-pay patient; "
                                            "this patient's plan pays for the service."})
        done = s.execute(select(Visit.id).where(
            Visit.patient_id == patient_id, Visit.status == VisitStatus.COMPLETE.value)
            .limit(1)).first()
        raw = {"issued_on": today.isoformat(), "scheduled_on": fu.created_at.date().isoformat(),
               "service_on": fu.due_on.isoformat(), "service": fu.service,
               "modality": fu.modality,
               "lines": catalogue_lines(s, fu.service, is_new_patient=done is None),
               "codes": ";".join(code for code, _ in billing.diagnoses(
                   s, patient_id, diagnosis_codes(v) if v is not None else ""))}
        _store(s, fu, raw)
        return _issued(fu, raw, newly=True)


def follow_up_estimate_info(s: Session, patient_id: int, follow_up_id: int,
                            practice: d.PracticeInfo) -> d.EstimateInfo:
    """The follow-up's estimate as issued (see :func:`issue_follow_up_estimate`)."""
    fu = _follow_up(s, patient_id, follow_up_id)
    raw = _stored(fu)
    if raw is None:
        raise ValidationError({"estimate": "No Good Faith Estimate was issued for this "
                                           "follow-up."})
    lines = tuple(d.InvoiceLine(str(x["description"]), float(x["amount"]), int(x["units"]),
                                str(x["code"])) for x in raw.get("lines", []))
    modality = str(raw.get("modality", ""))
    place = MODALITY_PLACES.get(modality, modality)
    if modality == "clinic" and practice.address:
        place += f": {practice.address}"
    service = str(raw.get("service", ""))
    service_on = date.fromisoformat(raw["service_on"])
    return d.EstimateInfo(
        number=f"{service_on:%Y%m%d}-F{fu.id or 0:05d}",
        issued_on=date.fromisoformat(raw["issued_on"]),
        service=SERVICE_LABELS.get(service, service), scheduled_on=service_on, lines=lines,
        diagnoses=tuple(billing.diagnoses(s, patient_id, raw.get("codes", ""))), location=place)
