"""The practice dashboard: what needs the pharmacist today.

Every row says what to open: the patient, and where there is one, the visit and its step.
Queries select plain columns (no ORM objects), so the dashboard of a large practice loads fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select

from mmsdesk.interop.ics import CalendarFollowUp, initials
from mmsdesk.models import DrugTherapyProblem, FollowUp, Patient, Recommendation, Visit
from mmsdesk.models.enums import SERVICE_LABELS, ServiceType
from mmsdesk.services.eligibility import reviews_due
from mmsdesk.store import Store

REVIEW_HORIZON_DAYS = 30  # show CMR/TMR due within this many days (or overdue)
ROW_LIMIT = 300  # rows per list: the most urgent; the counts always cover everything
FOLLOW_UP_STEP = "follow_up"  # the visit step where problems are followed up


@dataclass(frozen=True)
class FollowUpRow:
    follow_up_id: int
    patient_id: int
    patient_name: str
    due_on: date
    days_overdue: int  # 0 = due today
    reason: str
    service: str
    modality: str
    visit_id: int | None  # the visit that planned it
    step: str = FOLLOW_UP_STEP


@dataclass(frozen=True)
class PatientProblemsRow:
    """A patient's open drug therapy problems: how many, how urgent, how old."""

    patient_id: int
    patient_name: str
    open_count: int
    high_priority: int
    oldest_identified_on: date
    oldest_age_days: int
    oldest_problem_id: int | None = None  # the row the chart's Problems page opens at


@dataclass(frozen=True)
class PendingRecommendationRow:
    recommendation_id: int
    patient_id: int
    patient_name: str
    intervention: str
    sent_on: date
    days_waiting: int
    prescriber_id: int | None
    visit_id: int | None
    step: str = "implement"
    medicine: str = ""  # the chart medicine it concerns (or the one to start, or the problem's)
    recommendation: str = ""  # in one sentence: "Stop sildenafil while on a nitrate."
    prescriber: str = ""  # display name, "" when none on file
    problem_id: int | None = None


@dataclass(frozen=True)
class ReviewDueRow:
    patient_id: int
    patient_name: str
    kind: str  # "cmr" or "tmr"
    due_on: date
    days_until: int  # negative when overdue
    new_enrollee: bool


@dataclass(frozen=True)
class DraftRow:
    visit_id: int
    patient_id: int
    patient_name: str
    service: str
    visit_date: date
    step: str


@dataclass(frozen=True)
class DashboardTotals:
    """Complete counts, whatever number of rows each list shows."""

    follow_ups: int
    overdue_follow_ups: int
    due_today: int
    open_problems: int
    patients_with_open_problems: int
    pending_recommendations: int
    reviews_due: int
    drafts: int


@dataclass(frozen=True)
class Dashboard:
    """Each list holds its most urgent rows, at most ``limit`` of them; ``totals`` counts all."""

    today: date
    follow_ups: tuple[FollowUpRow, ...]  # most overdue first
    open_problems: tuple[PatientProblemsRow, ...]  # one row per patient, oldest problem first
    pending_recommendations: tuple[PendingRecommendationRow, ...]  # longest waiting first
    reviews_due: tuple[ReviewDueRow, ...]  # earliest due first
    drafts: tuple[DraftRow, ...]  # newest first
    totals: DashboardTotals
    limit: int

    @property
    def overdue_follow_ups(self) -> int:
        return self.totals.overdue_follow_ups

    @property
    def due_today(self) -> int:
        return self.totals.due_today

    @property
    def open_problem_count(self) -> int:
        return self.totals.open_problems

    def problems_by_patient(self) -> dict[int, int]:
        return {r.patient_id: r.open_count for r in self.open_problems}


def _name(last: str, first: str) -> str:
    return f"{last}, {first}"


class DashboardService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def load(self, today: date, limit: int = ROW_LIMIT) -> Dashboard:
        with self.store.session() as session:
            s = session.connection()  # Core rows: no ORM loading cost for thousands of rows
            living = Patient.deceased_date.is_(None)  # type: ignore[union-attr]
            fu_where = (FollowUp.done.is_(False), FollowUp.due_on <= today, living)  # type: ignore[attr-defined]
            fu_total, fu_overdue = s.execute(
                select(func.count(), func.sum(case((FollowUp.due_on < today, 1), else_=0)))
                .select_from(FollowUp).join(Patient, Patient.id == FollowUp.patient_id)
                .where(*fu_where)).one()
            fu = s.execute(
                select(FollowUp.id, FollowUp.patient_id, Patient.last_name, Patient.first_name,
                       FollowUp.due_on, FollowUp.reason, FollowUp.service, FollowUp.modality,
                       FollowUp.visit_id)
                .join(Patient, Patient.id == FollowUp.patient_id)
                .where(*fu_where)
                .order_by(FollowUp.due_on, Patient.last_name, FollowUp.id).limit(limit)).all()
            follow_ups = tuple(
                FollowUpRow(i, pid, _name(ln, fn), due, (today - due).days, reason, svc, mod, vid)
                for i, pid, ln, fn, due, reason, svc, mod, vid in fu)
            is_open = DrugTherapyProblem.status == "open"
            pr_total, pr_patients = s.execute(
                select(func.count(), func.count(DrugTherapyProblem.patient_id.distinct()))
                .where(is_open)).one()
            high = func.sum(case((DrugTherapyProblem.priority == "high", 1), else_=0))
            oldest_on = func.min(DrugTherapyProblem.identified_on)
            pr = s.execute(
                select(DrugTherapyProblem.patient_id, Patient.last_name, Patient.first_name,
                       func.count(), high, oldest_on)
                .join(Patient, Patient.id == DrugTherapyProblem.patient_id)
                .where(is_open)
                .group_by(DrugTherapyProblem.patient_id, Patient.last_name, Patient.first_name)
                .order_by(oldest_on, Patient.last_name, Patient.first_name,
                          DrugTherapyProblem.patient_id).limit(limit)).all()
            first: dict[int, int] = {}
            if pr:  # each listed patient's oldest open problem (the row to open)
                for pid, prob_id in s.execute(
                        select(DrugTherapyProblem.patient_id, DrugTherapyProblem.id)
                        .where(is_open, DrugTherapyProblem.patient_id.in_([r[0] for r in pr]))
                        .order_by(DrugTherapyProblem.identified_on.desc(),  # type: ignore[attr-defined]
                                  DrugTherapyProblem.id.desc())).all():  # type: ignore[union-attr]
                    first[pid] = prob_id  # the last written is the oldest
            problems = tuple(PatientProblemsRow(pid, _name(ln, fn), n, int(hi or 0), oldest,
                                                (today - oldest).days, first.get(pid))
                             for pid, ln, fn, n, hi, oldest in pr)
            waiting = (Recommendation.recipient == "prescriber",
                       Recommendation.response == "pending",
                       Recommendation.sent_on.is_not(None))  # type: ignore[union-attr]
            rc_total = s.execute(select(func.count()).select_from(Recommendation)
                                 .where(*waiting)).scalar_one()
            recs = _waiting_rows(session, s, waiting, today, limit)
            reviews = self._reviews_due(s, today, living)
            dr_total = s.execute(select(func.count()).select_from(Visit)
                                 .where(Visit.status == "draft")).scalar_one()
            dr = s.execute(
                select(Visit.id, Visit.patient_id, Patient.last_name, Patient.first_name,
                       Visit.service, Visit.visit_date, Visit.current_step)
                .join(Patient, Patient.id == Visit.patient_id)
                .where(Visit.status == "draft")
                .order_by(Visit.visit_date.desc(), Visit.id.desc())  # type: ignore[attr-defined]
                .limit(limit)).all()
            drafts = tuple(DraftRow(i, pid, _name(ln, fn), svc, vd, step)
                           for i, pid, ln, fn, svc, vd, step in dr)
        totals = DashboardTotals(fu_total, int(fu_overdue or 0), fu_total - int(fu_overdue or 0),
                                 pr_total, pr_patients, rc_total, len(reviews), dr_total)
        return Dashboard(today, follow_ups, problems, recs, reviews[:limit], drafts, totals,
                         limit)

    @staticmethod
    def _reviews_due(s, today: date, living) -> tuple[ReviewDueRow, ...]:  # type: ignore[no-untyped-def]
        cmr_v = ServiceType.CMR.value
        since = (Visit.status == "complete", Visit.visit_date >= Patient.mtm_enrolled_on)
        last = dict((pid, (cmr, review)) for pid, cmr, review in s.execute(
            select(Visit.patient_id,
                   func.max(case((Visit.service == cmr_v, Visit.visit_date), else_=None)),
                   func.max(Visit.visit_date))
            .join(Patient, Patient.id == Visit.patient_id)
            .where(*since, Visit.service.in_([cmr_v, ServiceType.TMR.value]))  # type: ignore[attr-defined]
            .group_by(Visit.patient_id)).all())
        enrolled_rows = s.execute(
            select(Patient.id, Patient.last_name, Patient.first_name, Patient.mtm_enrolled_on)
            .where(Patient.mtm_enrolled_on.is_not(None), living)  # type: ignore[union-attr]
        ).all()
        rows = [(pid, ln, fn, enrolled, *last.get(pid, (None, None)))
                for pid, ln, fn, enrolled in enrolled_rows]
        horizon = today + timedelta(days=REVIEW_HORIZON_DAYS)
        out: list[ReviewDueRow] = []
        for pid, ln, fn, enrolled, cmr, review in rows:
            due = reviews_due(enrolled, cmr, review, today)
            if due.next_cmr is not None and due.next_cmr <= horizon:
                out.append(ReviewDueRow(pid, _name(ln, fn), "cmr", due.next_cmr,
                                        (due.next_cmr - today).days, due.new_enrollee))
            if due.next_tmr is not None and due.next_tmr <= horizon:
                out.append(ReviewDueRow(pid, _name(ln, fn), "tmr", due.next_tmr,
                                        (due.next_tmr - today).days, False))
        out.sort(key=lambda r: (r.due_on, r.patient_name, r.kind))
        return tuple(out)


def _waiting_rows(session, s, waiting, today: date,  # type: ignore[no-untyped-def]
                  limit: int) -> tuple[PendingRecommendationRow, ...]:
    """Recommendations waiting for the prescriber, longest waiting first: the medicine, the
    recommendation in one sentence, the prescriber, the date sent and the days waiting."""
    from mmsdesk.models import MedicationEntry, Prescriber
    from mmsdesk.models.enums import INTERVENTION_LABELS
    from mmsdesk.reports.wording import sentence

    rc = s.execute(
        select(Recommendation.id, Recommendation.patient_id, Patient.last_name,
               Patient.first_name, Recommendation.intervention, Recommendation.sent_on,
               Recommendation.prescriber_id, Recommendation.visit_id, Recommendation.text,
               Recommendation.medication_id, Recommendation.proposed_medicine,
               Recommendation.problem_id, DrugTherapyProblem.medications,
               Prescriber.first_name, Prescriber.last_name, Prescriber.credentials)
        .join(Patient, Patient.id == Recommendation.patient_id)
        .outerjoin(Prescriber, Prescriber.id == Recommendation.prescriber_id)
        .outerjoin(DrugTherapyProblem, DrugTherapyProblem.id == Recommendation.problem_id)
        .where(*waiting)
        .order_by(Recommendation.sent_on, Recommendation.id).limit(limit)).all()
    med_ids = {r[9] for r in rc if r[9] is not None}
    names = {m.id: m.name() for m in session.execute(
        select(MedicationEntry).where(MedicationEntry.id.in_(med_ids))).scalars()} \
        if med_ids else {}  # type: ignore[union-attr]
    out = []
    for (i, pid, ln, fn, iv, sent, presc, vid, text, mid, proposed, prob, prob_meds,
         pfn, pln, pcred) in rc:
        medicine = names.get(mid, "")
        if proposed and (not medicine or iv == "change_drug"):
            medicine = f"{medicine} → {proposed}" if medicine else proposed
        if not medicine and prob_meds:
            medicine = ", ".join(m for m in prob_meds.split(";") if m)
        who = " ".join(p for p in (pfn, pln) if p)
        who = f"{who}, {pcred}" if who and pcred else who
        label = INTERVENTION_LABELS.get(iv, iv.replace("_", " ").capitalize())
        out.append(PendingRecommendationRow(
            i, pid, _name(ln, fn), iv, sent, (today - sent).days, presc, vid,
            medicine=medicine, recommendation=sentence(label, text or (
                f"{label} {medicine}" if medicine else "")), prescriber=who,
            problem_id=prob))
    return tuple(out)


def upcoming_follow_ups(store: Store, today: date, days: int = 90) -> list[CalendarFollowUp]:
    """Follow-ups not done, due from ``today`` to ``today + days``, for a calendar export."""
    with store.session() as session:
        rows = session.connection().execute(
            select(FollowUp.uuid, FollowUp.due_on, FollowUp.patient_id, Patient.first_name,
                   Patient.last_name, FollowUp.service, FollowUp.modality)
            .join(Patient, Patient.id == FollowUp.patient_id)
            .where(FollowUp.done.is_(False), FollowUp.due_on >= today,  # type: ignore[attr-defined]
                   FollowUp.due_on <= today + timedelta(days=days),
                   Patient.deceased_date.is_(None))  # type: ignore[union-attr]
            .order_by(FollowUp.due_on, FollowUp.id)).all()
    return [CalendarFollowUp(uid, due, pid, initials(fn, ln), SERVICE_LABELS.get(svc, svc), mod)
            for uid, due, pid, fn, ln, svc, mod in rows]


def follow_ups_calendar(store: Store, today: date, identify: str = "initials",
                        days: int = 90) -> tuple[str, int]:
    """The iCalendar text of upcoming follow-ups and how many events it holds."""
    from mmsdesk.interop.ics import follow_ups_to_ics
    from mmsdesk.models.base import utcnow
    from mmsdesk.store.audit import record_event

    items = upcoming_follow_ups(store, today, days)
    text = follow_ups_to_ics(items, utcnow(), identify)
    with store.session() as s:
        record_event(s, "export", "follow_up",
                     detail=f"iCalendar: {len(items)} follow-ups, patients shown by {identify}")
    return text, len(items)
