"""The chart's history: every visit (service, date, modality, minutes, status) and every drug
therapy problem (category, medicines, status, the recommendations and the prescriber's answers,
outcome, its history), as plain rows for the chart's Visits and Problems pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from mmsdesk.models import (
    DrugTherapyProblem,
    FollowUp,
    Goal,
    Prescriber,
    ProblemEvent,
    Recommendation,
    Visit,
)
from mmsdesk.models.enums import INTERVENTION_LABELS, PROBLEM_CATEGORY_LABELS, SERVICE_LABELS
from mmsdesk.reports.wording import sentence
from mmsdesk.store import Store

MODALITY_WORDS = {"home": "Home", "clinic": "Clinic", "video": "Video",
                  "telephone": "Telephone"}
VISIT_STATUS = {"draft": "Unfinished", "complete": "Complete", "discarded": "Discarded"}
PROBLEM_STATUS = {"open": "Open", "resolved": "Resolved", "closed": "Closed"}
OUTCOME_WORDS = {"resolved": "Resolved", "improved": "Improved", "unchanged": "Unchanged",
                 "worse": "Worse", "unable_to_assess": "Unable to assess"}
RESPONSE_WORDS = {"accepted": "accepted", "modified": "accepted with changes",
                  "declined": "declined", "pending": "waiting for an answer",
                  "no_answer": "no answer"}


def _d(day: date | None) -> str:
    return day.strftime("%m/%d/%Y") if day else ""


@dataclass(frozen=True)
class VisitHistoryRow:
    visit_id: int
    visit_date: date
    service: str  # label
    modality: str
    minutes: int | None
    status: str  # label
    is_draft: bool
    step: str  # where a draft was left


@dataclass(frozen=True)
class ProblemHistoryRow:
    problem_id: int
    identified_on: date
    category: str  # label
    description: str
    medicines: str  # "warfarin, ibuprofen"
    status: str  # label
    is_open: bool
    priority: str
    outcome: str  # label, "" when not judged yet
    recommendations: tuple[str, ...]  # "Stop ibuprofen — to Dr Ortiz, sent 10/02: accepted"
    history: tuple[str, ...]  # dated lines: identified, answers, outcomes, resolved
    visit_id: int | None


@dataclass(frozen=True)
class VisitDetail:
    """A visit as it was recorded (read-only): what it found and did."""

    row: VisitHistoryRow
    reason: str
    notes: str
    billing: str
    problems: tuple[str, ...]
    recommendations: tuple[str, ...]
    goals: tuple[str, ...]
    follow_ups: tuple[str, ...]
    documents: str


def _visit_row(v: Visit) -> VisitHistoryRow:
    return VisitHistoryRow(v.id, v.visit_date, SERVICE_LABELS.get(v.service, v.service),  # type: ignore[arg-type]
                           MODALITY_WORDS.get(v.modality, v.modality), v.minutes,
                           VISIT_STATUS.get(v.status, v.status), v.status == "draft",
                           v.current_step)


def _recommendation_line(r: Recommendation, prescribers: dict[int, str]) -> str:
    label = INTERVENTION_LABELS.get(r.intervention, r.intervention)
    line = sentence(label, r.text or "")
    if r.recipient == "prescriber":
        who = prescribers.get(r.prescriber_id or -1, "")
        line += f" To {who}" if who else " To the prescriber"
        line += f", sent {_d(r.sent_on)}" if r.sent_on else " (not sent yet)"
        answer = RESPONSE_WORDS.get(r.response, r.response)
        line += f": {answer}" + (f" on {_d(r.response_on)}" if r.response_on else "")
        if r.response_note:
            line += f" ({r.response_note})"
    else:
        line += f" (for the {r.recipient})"
    return line


class ChartHistoryService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def visits(self, patient_id: int) -> list[VisitHistoryRow]:
        """Every visit but the discarded ones, newest first."""
        with self.store.session() as s:
            rows = s.execute(select(Visit).where(Visit.patient_id == patient_id,
                                                 Visit.status != "discarded")
                             .order_by(Visit.visit_date.desc(), Visit.id.desc())  # type: ignore[attr-defined]
                             ).scalars().all()
            return [_visit_row(v) for v in rows]

    def problems(self, patient_id: int) -> list[ProblemHistoryRow]:
        """Every drug therapy problem, open ones first, then newest first."""
        with self.store.session() as s:
            probs = s.execute(select(DrugTherapyProblem)
                              .where(DrugTherapyProblem.patient_id == patient_id)).scalars().all()
            ids = [p.id for p in probs]
            recs = s.execute(select(Recommendation).where(
                Recommendation.problem_id.in_(ids)).order_by(Recommendation.id)  # type: ignore[union-attr]
            ).scalars().all() if ids else []
            events = s.execute(select(ProblemEvent).where(
                ProblemEvent.problem_id.in_(ids)).order_by(ProblemEvent.event_date,  # type: ignore[attr-defined]
                                                           ProblemEvent.id)).scalars().all() \
                if ids else []
            prescribers = {p.id: p.display_name for p in s.execute(select(Prescriber)).scalars()}
            out = []
            for p in probs:
                lines = [_recommendation_line(r, prescribers) for r in recs
                         if r.problem_id == p.id]
                history = [f"{_d(p.identified_on)} identified"]
                for e in events:
                    if e.problem_id != p.id:
                        continue
                    bits = []
                    if e.prescriber_response:
                        bits.append("prescriber "
                                    + RESPONSE_WORDS.get(e.prescriber_response,
                                                         e.prescriber_response))
                    if e.outcome:
                        bits.append("outcome " + OUTCOME_WORDS.get(e.outcome, e.outcome).lower())
                    if e.note:
                        bits.append(e.note)
                    history.append(f"{_d(e.event_date)} " + ("; ".join(bits) or "reviewed"))
                if p.resolved_on:
                    history.append(f"{_d(p.resolved_on)} {p.status}")
                out.append(ProblemHistoryRow(
                    p.id, p.identified_on,  # type: ignore[arg-type]
                    PROBLEM_CATEGORY_LABELS.get(p.category, p.category), p.description,
                    ", ".join(m for m in p.medications.split(";") if m),
                    PROBLEM_STATUS.get(p.status, p.status.capitalize()), p.status == "open",
                    p.priority, OUTCOME_WORDS.get(p.outcome, p.outcome), tuple(lines),
                    tuple(history), p.visit_id))
        out.sort(key=lambda r: (not r.is_open, -r.identified_on.toordinal(), -r.problem_id))
        return out

    def visit_detail(self, visit_id: int) -> VisitDetail:
        with self.store.session() as s:
            v = s.get(Visit, visit_id)
            if v is None:
                raise LookupError(f"no visit with id {visit_id}")
            probs = s.execute(select(DrugTherapyProblem).where(
                DrugTherapyProblem.visit_id == visit_id)).scalars().all()
            recs = s.execute(select(Recommendation).where(
                Recommendation.visit_id == visit_id)).scalars().all()
            goals = s.execute(select(Goal).where(Goal.visit_id == visit_id)).scalars().all()
            fus = s.execute(select(FollowUp).where(FollowUp.visit_id == visit_id)).scalars().all()
            prescribers = {p.id: p.display_name for p in s.execute(select(Prescriber)).scalars()}
            billing = "; ".join(x for x in (
                f"CPT {v.cpt_codes.replace(';', ', ')}" if v.cpt_codes else "",
                f"ICD-10-CM {v.diagnosis_codes.replace(';', ', ')}" if v.diagnosis_codes else "",
                f"price ${v.price:,.2f}" if v.price is not None else "",
                f"paid ${v.amount_paid:,.2f} on {_d(v.paid_on)}" if v.amount_paid else "") if x)
            documents = (f"Given to the {v.recipient_name or v.recipient}"
                         f"{' by ' + v.delivery_method if v.delivery_method else ''}"
                         f"{' on ' + _d(v.delivered_on) if v.delivered_on else ''}"
                         if v.recipient else "Not recorded as delivered")
            return VisitDetail(
                _visit_row(v), v.reason, v.notes, billing,
                tuple(f"{PROBLEM_CATEGORY_LABELS.get(p.category, p.category)}: {p.description}"
                      for p in probs),
                tuple(_recommendation_line(r, prescribers) for r in recs),
                tuple(g.target or f"{g.measure} {g.comparator} {g.target_value:g}"
                      if g.target or g.target_value is not None else g.measure for g in goals),
                tuple(f"{_d(f.due_on)} {f.reason}".strip() + (" (done)" if f.done else "")
                      for f in fus),
                documents)
