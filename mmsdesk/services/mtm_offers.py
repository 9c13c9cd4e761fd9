"""Offers of a comprehensive medication review (CMR) to Part D MTM enrollees.

CMS asks the plans to report, for each enrollee, whether and when the annual CMR was offered
beside whether and when it was received (CMS-10185, Medicare Part D Reporting Requirements,
contract year 2026, Section II "Medication Therapy Management Programs"; reports/mtm_data.py).
The pharmacist records each offer here (chart's MTM tab, or ``mmsdesk mtm offer``); the MTM
records (services/mtm_records.py) read the offer that goes with each CMR. Each offer is its own
row (stored in ``mtm_offer``): one fact, one place; the audit trail records it like any record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from mmsdesk.models import Patient
from mmsdesk.models.visit import MtmOffer
from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.offer_methods import OFFER_METHODS
from mmsdesk.store import Store


class OfferError(ValueError):
    """The offer cannot be recorded as given (the message says why)."""


@dataclass(frozen=True)
class OfferRow:
    id: int
    patient_id: int
    offered_on: date
    method: str
    plan_name: str
    notes: str

    @property
    def method_label(self) -> str:
        return OFFER_METHODS.get(self.method, self.method)


def _row(o: MtmOffer) -> OfferRow:
    return OfferRow(o.id or 0, o.patient_id, o.offered_on, o.method, o.plan_name, o.notes)


def record_offer(store: Store, patient_id: int, offered_on: date, method: str, *,
                 today: date, plan_name: str | None = None, notes: str = ""
                 ) -> tuple[OfferRow, ChangeSet]:
    """Record that a CMR was offered to the patient on ``offered_on`` by ``method``; the plan
    is the patient's plan unless named. An offer dated after ``today`` is refused."""
    if method not in OFFER_METHODS:
        raise OfferError(f"unknown offer method {method!r} (one of {', '.join(OFFER_METHODS)})")
    if offered_on > today:
        raise OfferError(f"the offer date {offered_on.isoformat()} is in the future")
    with store.session() as s:
        patient = s.get(Patient, patient_id)
        if patient is None:
            raise OfferError(f"no patient {patient_id}")
        plan = " ".join((plan_name if plan_name is not None else patient.plan_name).split())
        offer = MtmOffer(patient_id=patient_id, offered_on=offered_on, method=method,
                         plan_name=plan, notes=notes.strip())
        s.add(offer)
        s.commit()
        row = _row(offer)
    return row, ChangeSet.of(changes.VISITS, patient_id=patient_id)


def patient_offers(store: Store, patient_id: int) -> list[OfferRow]:
    """The patient's CMR offers, newest first."""
    with store.session() as s:
        rows = s.execute(select(MtmOffer).where(MtmOffer.patient_id == patient_id)
                         .order_by(MtmOffer.offered_on.desc(), MtmOffer.id.desc())).scalars()
        return [_row(o) for o in rows]


def same_plan(a: str, b: str) -> bool:
    """Plan names compared as the records compare them (case and spaces ignored)."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def offer_for(offers: list[OfferRow], plan_name: str, on: date) -> OfferRow | None:
    """The offer that goes with a CMR on ``on``: the plan year's initial offer, the first on or
    before that day in the same plan year (CMS asks for the date of the initial offer of the
    annual CMR; an offer named for another plan does not count)."""
    fit = [o for o in offers if o.offered_on <= on and o.offered_on.year == on.year
           and (not o.plan_name or same_plan(o.plan_name, plan_name))]
    return min(fit, key=lambda o: (o.offered_on, o.id), default=None)
