"""Completing a visit inside one transaction: the draft becomes rows.

:func:`apply` runs every part (``PARTS``, in order) on one session; the caller
(``VisitService.complete``) commits once at the end, so any failure leaves the store as it
was. No part commits, and the services reused here (medications, record) are called through
their ``*_in_session`` methods.

Reconciliation decisions: *stop* stops the chart entry ("Reconciliation: ..."); *change*
updates its strength/directions with a "changed" history event; an omission kept (or
changed) is added to the chart from the source's item, with that list's source; an omission
stopped is added as stopped, so the history shows it was taken and stopped; *ask the
prescriber* creates a Recommendation to the chart entry's prescriber (sent when
``implement.sent`` has an entry whose ``plan_key`` is the discrepancy's key).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from mmsdesk.clinical.sig import Directions
from mmsdesk.models import (
    DrugTherapyProblem,
    FollowUp,
    Goal,
    MedicationEntry,
    ProblemEvent,
    Recommendation,
    Visit,
)
from mmsdesk.models.enums import InfoSource, Intervention, Outcome, ProblemStatus, VisitStatus
from mmsdesk.services.versions import expect
from mmsdesk.services.visits.draft import (
    Discrepancy,
    DiscrepancyKind,
    ReconDecision,
    ReconItem,
    VisitDraft,
)
from mmsdesk.services.visits.reconciliation import strength_of
from mmsdesk.services.visits.working_list import (
    ADDED,
    CHANGED,
    STOPPED,
    WorkingMedicine,
    working_list,
)

FOLLOW_UP_WINDOW_DAYS = 14  # a scheduled follow-up due up to this many days after is done
ASK_INTERVENTION = {DiscrepancyKind.OMISSION: Intervention.START,
                    DiscrepancyKind.COMMISSION: Intervention.STOP,
                    DiscrepancyKind.NOT_ON_LIST: Intervention.STOP,
                    DiscrepancyKind.STILL_AT_HOME: Intervention.STOP,
                    DiscrepancyKind.DOSE: Intervention.CHANGE_DOSE,
                    DiscrepancyKind.FREQUENCY: Intervention.CHANGE_DOSE,
                    DiscrepancyKind.DUPLICATION: Intervention.STOP}


@dataclass
class Completion:
    """What the parts share while the transaction is open."""

    session: Session
    draft: VisitDraft
    visit: Visit
    now: datetime
    price: float | None
    cpt_codes: str
    minutes: int | None
    problem_ids: dict[str, int] = field(default_factory=dict)  # ProblemDraft.key -> id

    @property
    def pid(self) -> int:
        return self.draft.patient_id

    @property
    def on(self) -> date:
        return self.draft.visit_date

    @property
    def vid(self) -> int:
        assert self.visit.id is not None
        return self.visit.id


def _medications():  # noqa: ANN202 - the service, without a store (in-session use only)
    from mmsdesk.services.medications import MedicationService

    return MedicationService(None)  # type: ignore[arg-type]


def _entry(c: Completion, med_id: int | None) -> MedicationEntry:
    entry = c.session.get(MedicationEntry, med_id) if med_id is not None else None
    if entry is None or entry.patient_id != c.pid:
        raise LookupError(f"The chart has no medication {med_id} for this patient.")
    return entry


def _source_of(draft: VisitDraft, item: ReconItem) -> str:
    for src in draft.collect.sources:
        if any(i == item for i in src.items) and src.source in {s.value for s in InfoSource}:
            return src.source
    return InfoSource.PATIENT.value


def _reason(d: Discrepancy, what: str) -> str:
    text = f"Reconciliation: {what} ({d.detail.rstrip('.')})"
    if d.note.strip():
        text += f"; {d.note.strip()}"
    return text[:400]


def _change_entry(c: Completion, d: Discrepancy, w: WorkingMedicine) -> None:
    from mmsdesk.services.medications import input_of

    entry = _entry(c, w.medication_id)
    data = input_of(entry)
    strength = strength_of(w.components)
    if strength and strength != entry.strength:
        data.strength = strength
    if w.directions.strip() and w.directions.strip() != entry.directions_text():
        # the plain text now rules; stale structured codes would render the old directions
        data.directions = Directions()
        data.directions_text = w.directions.strip()
    service = _medications()
    service.update_in_session(c.session, entry, service.checked(data, c.on, entry), c.on,
                              reason=_reason(d, "changed"), decided_by="reconciliation")


def _add(c: Completion, d: Discrepancy, w: WorkingMedicine) -> None:
    from mmsdesk.services.medications import MedicationInput

    item = w.item
    assert item is not None
    data = MedicationInput(text_given=item.text, strength=strength_of(w.components),
                           directions_text=w.directions, indication=d.indication.strip(),
                           prescriber_id=d.prescriber_id,
                           source=d.source if d.source in {s.value for s in InfoSource}
                           else _source_of(c.draft, item))
    _medications().add_in_session(c.session, c.pid, data, c.on,
                                  reason=_reason(d, "added"), decided_by="reconciliation")


def _ask_prescriber(c: Completion, d: Discrepancy) -> None:
    entry = c.session.get(MedicationEntry, d.medication_id) if d.medication_id else None
    sent = next((s for s in c.draft.implement.sent if s.plan_key == d.key), None)
    text = f"Medication reconciliation: {d.detail}" + (f" {d.note.strip()}" if d.note.strip()
                                                       else "")
    c.session.add(Recommendation(
        patient_id=c.pid, visit_id=c.vid,
        intervention=Intervention.CHANGE_DOSE if d.key.endswith(":strength")
        else ASK_INTERVENTION[DiscrepancyKind(d.kind)],
        recipient="prescriber", prescriber_id=entry.prescriber_id if entry else None, text=text,
        sent_on=sent.sent_on if sent else None, sent_method=sent.method if sent else ""))


def apply_reconciliation(c: Completion) -> None:
    """The working list becomes the chart's list: exactly the changes it shows."""
    decisions = {d.key: d for d in c.draft.collect.discrepancies}
    for d in c.draft.collect.discrepancies:
        if d.decision == ReconDecision.ASK_PRESCRIBER:
            _ask_prescriber(c, d)
    for w in working_list(c.draft):
        d = decisions.get(w.discrepancy_key)
        if d is None or not w.change:
            continue
        if w.change == STOPPED:
            assert w.medication_id is not None
            _medications().stop_in_session(c.session, w.medication_id, c.on, w.stop_reason,
                                           c.on, history_reason=_reason(d, "stopped"),
                                           decided_by="reconciliation")
        elif w.change == CHANGED:
            _change_entry(c, d, w)
        elif w.change == ADDED:
            _add(c, d, w)


def add_vitals(c: Completion) -> None:
    from mmsdesk.services.record import ObservationInput, RecordService

    record = RecordService(None)  # type: ignore[arg-type]
    for v in c.draft.collect.vitals:
        record.add_in_session(c.session, c.pid, ObservationInput(
            v.measure, v.value, v.unit, c.on, source="visit"), c.on)


def add_problems(c: Completion) -> None:
    for p in c.draft.assess.problems:
        fields = {"category": p.category, "cause": p.cause.strip()[:400],
                  "medications": ";".join(p.medications)[:500],
                  "description": p.description.strip(), "priority": p.priority,
                  "alert_key": p.alert_key[:200]}
        if p.existing_problem_id is not None:
            row = c.session.get(DrugTherapyProblem, p.existing_problem_id)
            if row is None or row.patient_id != c.pid:
                raise LookupError(f"No problem {p.existing_problem_id} for this patient.")
            for k, value in fields.items():
                setattr(row, k, value)
        else:
            row = DrugTherapyProblem(patient_id=c.pid, visit_id=c.vid, identified_on=c.on,
                                     **fields)
        c.session.add(row)
        c.session.flush()
        assert row.id is not None
        c.problem_ids[p.key] = row.id


def add_recommendations(c: Completion) -> None:
    """One recommendation per plan, with the change it proposes to the list (only the parts
    its intervention uses; the medicine must be this patient's)."""
    from mmsdesk.services.visits.replies import Proposal

    sent = {s.plan_key: s for s in c.draft.implement.sent}
    for pl in c.draft.plan.plans:
        s = sent.get(pl.key)
        p = Proposal.of_plan(pl)
        if p.medication_id is not None:
            _entry(c, p.medication_id)
        c.session.add(Recommendation(
            patient_id=c.pid, visit_id=c.vid, problem_id=c.problem_ids.get(pl.problem_key),
            intervention=pl.intervention, recipient=pl.recipient, prescriber_id=pl.prescriber_id,
            text=pl.text.strip(), priority=pl.priority, sent_on=s.sent_on if s else None,
            sent_method=s.method if s else "", medication_id=p.medication_id,
            proposed_medicine=p.new_medicine, proposed_strength=p.strength,
            proposed_directions=p.directions))


def add_goals(c: Completion) -> None:
    for g in c.draft.plan.goals:
        c.session.add(Goal(patient_id=c.pid, visit_id=c.vid,
                           problem_id=c.problem_ids.get(g.problem_key), measure=g.measure.strip(),
                           comparator=g.comparator, target_value=g.target_value,
                           target=g.target.strip()[:200], due_on=g.due_on))


def close_follow_ups(c: Completion) -> None:
    """Mark the patient's scheduled follow-ups done: the one this visit was started from, and
    any due by the visit date + the window."""
    from datetime import timedelta

    from sqlalchemy import or_

    horizon = c.on + timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    planned = c.draft.planned_follow_up_id
    rows = c.session.execute(select(FollowUp).where(
        FollowUp.patient_id == c.pid, FollowUp.done.is_(False),  # type: ignore[attr-defined]
        or_(FollowUp.due_on <= horizon, FollowUp.id == planned))).scalars().all()
    for f in rows:
        f.done, f.done_on, f.done_visit_id = True, c.on, c.vid
        c.session.add(f)


def add_follow_up(c: Completion) -> None:
    f = c.draft.follow_up
    if f.next_due is not None:
        c.session.add(FollowUp(patient_id=c.pid, visit_id=c.vid, due_on=f.next_due,
                               reason=f.next_reason.strip(), service=f.next_service,
                               modality=f.next_modality))


def record_reviews(c: Completion) -> None:
    """Each problem's outcome and the prescriber's response; an accepted recommendation's
    change to the list is made when the pharmacist ticked "Apply to the list"."""
    from mmsdesk.models.enums import Response
    from mmsdesk.services.visits import replies

    for r in c.draft.follow_up.reviews:
        if not r.outcome and not r.prescriber_response:
            continue  # not judged at this visit (allowed outside follow-up visits and CMRs)
        problem = c.session.get(DrugTherapyProblem, r.problem_id)
        if problem is None or problem.patient_id != c.pid:
            raise LookupError(f"No problem {r.problem_id} for this patient.")
        c.session.add(ProblemEvent(problem_id=r.problem_id, visit_id=c.vid, event_date=c.on,
                                   outcome=r.outcome, prescriber_response=r.prescriber_response,
                                   note=r.note.strip()))
        if r.outcome:
            problem.outcome = r.outcome
            if r.outcome == Outcome.RESOLVED:
                problem.status, problem.resolved_on = ProblemStatus.RESOLVED.value, c.on
        c.session.add(problem)
        if r.recommendation_id is not None and r.prescriber_response:
            rec = c.session.get(Recommendation, r.recommendation_id)
            if rec is None or rec.patient_id != c.pid:
                raise LookupError(f"No recommendation {r.recommendation_id} for this patient.")
            rec.response, rec.response_on = r.prescriber_response, c.on
            if r.note.strip():
                rec.response_note = r.note.strip()
            c.session.add(rec)
            if r.apply_change and r.prescriber_response in replies.APPLIES:
                modified = r.prescriber_response == Response.MODIFIED
                replies.apply_in_session(
                    c.session, rec, c.on, strength=r.new_strength if modified else None,
                    directions=r.new_directions if modified else None)


def record_goal_reviews(c: Completion) -> None:
    """Goals judged at this visit: met, not met or cancelled (an empty status leaves it open)."""
    for g in c.draft.follow_up.goals:
        if not g.status:
            continue
        goal = c.session.get(Goal, g.goal_id)
        if goal is None or goal.patient_id != c.pid:
            raise LookupError(f"The goal {g.goal_id} is not this patient's.")
        goal.status = g.status
        if g.note.strip():
            line = f"{c.on.isoformat()}: {g.note.strip()}"
            goal.notes = f"{goal.notes}\n{line}".strip() if goal.notes else line
        c.session.add(goal)


def finish_visit(c: Completion) -> None:
    v, d = c.visit, c.draft
    d.ended_at = d.ended_at or c.now
    d.minutes = c.minutes
    v.status, v.completed_at = VisitStatus.COMPLETE.value, c.now
    v.started_at, v.ended_at, v.minutes = d.started_at, d.ended_at, c.minutes
    v.cpt_codes, v.price = c.cpt_codes, c.price
    v.reason = d.collect.reason.strip()
    v.service, v.modality, v.payer_type = d.service, d.modality, d.payer_type
    v.is_new_patient, v.current_step = d.is_new_patient, d.step
    im = d.implement
    v.recipient, v.recipient_name = im.recipient, im.recipient_name.strip()
    v.recipient_relation, v.delivery_method = im.recipient_relation.strip(), im.delivery_method
    v.delivered_on = im.delivered_on
    from mmsdesk.services.billing import diagnoses

    # the codes billed: as the pharmacist typed them, else the conditions reviewed, as today
    v.diagnosis_codes = ";".join(code for code, _ in diagnoses(c.session, c.pid,
                                                               d.diagnosis_codes))
    v.draft_json = d.to_json()
    c.session.add(v)


def judged_on_versions(c: Completion) -> None:
    """The problems, recommendations and goals judged at this visit are saved against the
    versions the judgements were made on (before any part of the visit changes them): an
    answer or outcome a colleague recorded meanwhile is refused, never overwritten."""
    for r in c.draft.follow_up.reviews:
        if not r.outcome and not r.prescriber_response:
            continue
        problem = c.session.get(DrugTherapyProblem, r.problem_id)
        if problem is not None:
            expect(problem, r.problem_version)
        rec = (c.session.get(Recommendation, r.recommendation_id)
               if r.recommendation_id is not None and r.prescriber_response else None)
        if rec is not None:
            expect(rec, r.recommendation_version)
    for g in c.draft.follow_up.goals:
        goal = c.session.get(Goal, g.goal_id) if g.status else None
        if goal is not None:
            expect(goal, g.version)


PARTS: tuple[Callable[[Completion], None], ...] = (
    judged_on_versions, apply_reconciliation, add_vitals, add_problems, add_recommendations, add_goals,
    close_follow_ups, add_follow_up, record_reviews, record_goal_reviews, finish_visit)


def apply(c: Completion) -> None:
    for part in PARTS:
        part(c)
    c.session.flush()
