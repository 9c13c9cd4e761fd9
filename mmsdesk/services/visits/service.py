"""Visits: start, autosave, resume, validate and complete (one transaction), follow-up history.

The wizard (ui/visit/) owns a :class:`~mmsdesk.services.visits.draft.VisitDraft`; this
service turns it into rows. ``save_draft`` is the autosave (one short transaction per
change); ``complete`` applies everything at once (see services/visits/complete.py) or nothing.

For the wizard: ``complete`` raises :class:`VisitNotReady` (``.problems``: step -> messages,
the same as ``validate_all``) when something blocks, :class:`VisitStateError` when the visit
is no longer a draft, and ``ValidationError``/``LookupError`` when the chart changed under
the draft (e.g. a medicine to stop was stopped meanwhile); in every case nothing is written.
``visit_checks.step_weight(service, step)`` says which steps a service treats lightly.
Times may be naive (taken as local time) or aware; they are stored aware.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from mmsdesk.models import (
    DrugTherapyProblem,
    FollowUp,
    Goal,
    MedicationEntry,
    Patient,
    ProblemEvent,
    Recommendation,
    Visit,
)
from mmsdesk.models.enums import PayerType, ProblemStatus, VisitStatus
from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.problem_alerts import problem_from_alert
from mmsdesk.services.versions import expect
from mmsdesk.services.visits import checks as visit_checks
from mmsdesk.services.visits import reads as visit_reads
from mmsdesk.services.visits import replies
from mmsdesk.services.visits.draft import (
    STEPS,
    GoalReview,
    PlanItem,
    ProblemFollowUp,
    VisitDraft,
)
from mmsdesk.services.visits.rows import (
    UNANSWERED,
    BurdenSummary,
    DraftSummary,
    MedicationPdc,
    OpenGoal,
    OpenProblem,
    ProblemEventRow,
    RecommendationRow,
)
from mmsdesk.store import Store


class VisitNotReady(ValueError):
    """Completing was refused: ``problems`` maps each step to its blocking messages."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        self.problems = {k: v for k, v in problems.items() if v}
        super().__init__("; ".join(m for msgs in self.problems.values() for m in msgs))


class VisitStateError(ValueError):
    """The visit is not a draft any more (completed or cancelled), or does not exist."""


def aware(dt: datetime | None) -> datetime | None:
    """A time the store can hold: a naive time is taken as the computer's local time."""
    return dt if dt is None or dt.tzinfo is not None else dt.astimezone()


IDLE_TIMER = timedelta(minutes=15)  # a draft untouched this long was put away, not worked on
_SURROGATE = re.compile("[\ud800-\udfff]")


def _storable(text: str) -> str:
    """The draft's JSON with any lone surrogate (a broken paste) replaced by U+FFFD: the
    autosave never fails on text the store cannot hold (NULs are already JSON-escaped)."""
    return _SURROGATE.sub("\ufffd", text)


def timer_minutes(started_at: datetime | None, ended_at: datetime | None) -> int | None:
    """Whole minutes between the timer's start and stop, rounded half up; None if not both."""
    if started_at is None or ended_at is None:
        return None
    seconds = (aware(ended_at) - aware(started_at)).total_seconds()  # type: ignore[operator]
    return max(0, math.floor(seconds / 60 + 0.5))


class VisitService:
    def __init__(self, store: Store) -> None:
        self.store = store

    # -- starting and autosave
    def start(self, patient_id: int, service: str, modality: str, payer_type: str | None = None,
              *, today: date, now: datetime, is_new_patient: bool | None = None,
              follow_up_id: int | None = None) -> VisitDraft:
        from mmsdesk.services.visits.reconciliation import chart_source

        now = aware(now)  # type: ignore[assignment]
        _check_choices(service, modality, payer_type)
        with self.store.session() as s:
            patient = s.get(Patient, patient_id)
            if patient is None:
                raise LookupError(f"No patient with id {patient_id}.")
            payer = payer_type or patient.payer_type or PayerType.SELF_PAY.value
            if is_new_patient is None:
                done = s.execute(select(func.count()).select_from(Visit).where(
                    Visit.patient_id == patient_id,
                    Visit.status == VisitStatus.COMPLETE.value)).scalar_one()
                is_new_patient = done == 0
            if follow_up_id is not None:
                planned = s.get(FollowUp, follow_up_id)
                if planned is None or planned.patient_id != patient_id:
                    raise LookupError(f"No follow-up {follow_up_id} for this patient.")
        draft = VisitDraft(patient_id=patient_id, service=service, visit_date=today,
                           modality=modality, payer_type=payer, started_at=now,
                           is_new_patient=is_new_patient, planned_follow_up_id=follow_up_id)
        draft.collect.sources = [chart_source(self.store, patient_id)]
        draft.follow_up.goals = [GoalReview(g.goal_id, version=g.version)
                                 for g in self.open_goals(patient_id)]
        draft.follow_up.reviews = [review_of(p) for p in self.open_problems(patient_id)]
        with self.store.session() as s:
            visit = Visit(patient_id=patient_id, service=service, modality=modality,
                          payer_type=payer, visit_date=today, started_at=now,
                          is_new_patient=is_new_patient, status=VisitStatus.DRAFT.value,
                          current_step=draft.step)
            s.add(visit)
            s.flush()
            draft.visit_id = visit.id
            visit.draft_json = draft.to_json()
            s.add(visit)
            s.flush()
            draft.version = visit.version
        return draft

    def save_draft(self, draft: VisitDraft) -> None:
        """Autosave: one short transaction writing the draft JSON, the step and the timer.
        Saved against ``draft.version`` (the version this draft was read or last saved at): a
        colleague's save of the same visit meanwhile is refused (RecordChanged), not
        overwritten; on success ``draft.version`` is the new one."""
        if draft.visit_id is None:
            raise VisitStateError("This visit was never started (it has no id).")
        with self.store.session() as s:
            visit = self._draft_row(s, draft.visit_id)
            expect(visit, draft.version)
            visit.draft_json = _storable(draft.to_json())
            visit.current_step = draft.step
            visit.started_at, visit.ended_at = aware(draft.started_at), aware(draft.ended_at)
            visit.minutes, visit.reason = draft.minutes, draft.collect.reason.strip()
            visit.modality, visit.payer_type = draft.modality, draft.payer_type
            s.add(visit)
            s.flush()
            saved = visit.version
        draft.version = saved

    def load_draft(self, visit_id: int) -> VisitDraft:
        with self.store.session() as s:
            visit = s.get(Visit, visit_id)
            if visit is None:
                raise VisitStateError(f"No visit with id {visit_id}.")
            if not visit.draft_json:
                return VisitDraft(patient_id=visit.patient_id, service=visit.service,
                                  visit_date=visit.visit_date, modality=visit.modality,
                                  payer_type=visit.payer_type, visit_id=visit.id,
                                  step=visit.current_step, started_at=visit.started_at,
                                  ended_at=visit.ended_at, minutes=visit.minutes,
                                  is_new_patient=visit.is_new_patient, version=visit.version)
            draft = VisitDraft.from_json(visit.draft_json)
            draft.version = visit.version
        draft.visit_id = visit_id
        return draft

    def resume(self, visit_id: int, *, now: datetime) -> VisitDraft:
        """Load a draft to carry on with it. A timer left running when the draft was put away
        (window closed, laptop shut) is stopped at the last save when that save is more than
        ``IDLE_TIMER`` ago: the minutes spent away are not the patient's time. Restarting the
        timer continues from the minutes already counted."""
        draft = self.load_draft(visit_id)
        if draft.started_at is None or draft.ended_at is not None:
            return draft
        with self.store.session() as s:
            visit = s.get(Visit, visit_id)
            saved = visit.updated_at if visit is not None else None
        # the store keeps its own stamps in UTC; a naive one read back is UTC, not local time
        last_saved = saved.replace(tzinfo=UTC) if saved and saved.tzinfo is None else saved
        if last_saved is not None and aware(now) - last_saved > IDLE_TIMER:  # type: ignore[operator]
            draft.ended_at = max(last_saved, aware(draft.started_at))  # type: ignore[type-var]
        return draft

    def open_drafts(self, patient_id: int | None = None) -> list[DraftSummary]:
        """Unfinished visits, the most recently saved first (offered for resuming)."""
        with self.store.session() as s:
            stmt = (select(Visit.id, Visit.patient_id, Patient.last_name, Patient.first_name,
                           Visit.service, Visit.visit_date, Visit.current_step, Visit.updated_at)
                    .join(Patient, Patient.id == Visit.patient_id)
                    .where(Visit.status == VisitStatus.DRAFT.value))
            if patient_id is not None:
                stmt = stmt.where(Visit.patient_id == patient_id)
            rows = s.connection().execute(
                stmt.order_by(Visit.updated_at.desc(), Visit.id.desc())).all()  # type: ignore[attr-defined]
        return [DraftSummary(i, pid, f"{ln}, {fn}", svc, vd, step, up)
                for i, pid, ln, fn, svc, vd, step, up in rows]

    def cancel(self, visit_id: int) -> ChangeSet:
        """Cancel an unfinished visit (kept, with its draft, as cancelled)."""
        with self.store.session() as s:
            visit = self._draft_row(s, visit_id)
            visit.status = VisitStatus.CANCELLED.value
            s.add(visit)
            pid = visit.patient_id
        return ChangeSet.of(changes.VISITS, patient_id=pid)

    def after_refusal(self, draft: VisitDraft, entity: str, entity_id: str, *,
                      keep_mine: bool) -> None:
        """After a save or completion refused because a colleague changed a record this draft
        judged (RecordChanged's ``entity``/``entity_id``): with ``keep_mine``, the draft takes
        the stored versions, so the next save or completion, made knowingly, goes over them;
        else the judgement of that problem, recommendation or goal is cleared (to be made
        again on what is stored now) and only its versions are taken. The visit row itself is
        not settled here: a draft a colleague saved is reloaded (:meth:`resume`)."""
        with self.store.session() as s:
            conn = s.connection()
            problems = dict(conn.execute(select(DrugTherapyProblem.id, DrugTherapyProblem.version)
                                         .where(DrugTherapyProblem.patient_id == draft.patient_id)
                                         ).all())
            recs = dict(conn.execute(select(Recommendation.id, Recommendation.version)
                                     .where(Recommendation.patient_id == draft.patient_id)).all())
            goals = dict(conn.execute(select(Goal.id, Goal.version)
                                      .where(Goal.patient_id == draft.patient_id)).all())
            visit = (conn.execute(select(Visit.version).where(Visit.id == draft.visit_id))
                     .scalar_one_or_none() if draft.visit_id is not None else None)
        hit = (entity, entity_id)
        if keep_mine and visit is not None:
            draft.version = visit
        for r in draft.follow_up.reviews:
            mine = {("drug_therapy_problem", str(r.problem_id)),
                    ("recommendation", str(r.recommendation_id))}
            if keep_mine or hit in mine:
                r.problem_version = problems.get(r.problem_id)
                r.recommendation_version = recs.get(r.recommendation_id or -1)
            if not keep_mine and hit in mine:
                r.outcome = r.prescriber_response = r.note = ""
                r.apply_change, r.new_strength, r.new_directions = False, None, None
        for g in draft.follow_up.goals:
            if keep_mine or hit == ("goal", str(g.goal_id)):
                g.version = goals.get(g.goal_id)
            if not keep_mine and hit == ("goal", str(g.goal_id)):
                g.status, g.note = "", ""

    # -- validation
    def validate(self, draft: VisitDraft, step: str) -> list[str]:
        if step == "plan":
            return visit_checks.check_step(draft, step) + replies.plan_messages(self.store,
                                                                                draft)
        if step != "follow_up":
            return visit_checks.check_step(draft, step)
        context = self._review_context(draft)
        return (visit_checks.check_step(draft, step, *context)
                + replies.follow_up_messages(self.store, draft, context[0]))

    def validate_all(self, draft: VisitDraft) -> dict[str, list[str]]:
        context = self._review_context(draft)
        out = visit_checks.check_all(draft, *context)
        out["plan"] += replies.plan_messages(self.store, draft)
        out["follow_up"] += replies.follow_up_messages(self.store, draft, context[0])
        return out

    def check_plan_item(self, patient_id: int, item: PlanItem, on: date) -> dict[str, str]:
        """The Plan step's proposed change to the list for one intervention, checked by field
        (``medication``, ``new_medicine``, ``strength``, ``directions``): the strength is read
        for the medicine's ingredients as the list will read it."""
        with self.store.session() as s:
            return replies.check_plan_item(s, patient_id, item, on)

    def _review_context(self, draft: VisitDraft) -> tuple[dict[int, str], frozenset[int]]:
        """Names of the problems under review; their recommendations awaiting a prescriber."""
        ids = [r.problem_id for r in draft.follow_up.reviews]
        recs = [r.recommendation_id for r in draft.follow_up.reviews if r.recommendation_id]
        if not ids:
            return {}, frozenset()
        with self.store.session() as s:
            conn = s.connection()
            rows = conn.execute(
                select(DrugTherapyProblem.id, DrugTherapyProblem.description,
                       DrugTherapyProblem.category)
                .where(DrugTherapyProblem.id.in_(ids))).all()  # type: ignore[union-attr]
            awaiting = conn.execute(select(Recommendation.id).where(
                Recommendation.id.in_(recs), Recommendation.recipient == "prescriber",  # type: ignore[union-attr]
                Recommendation.response.in_(UNANSWERED),  # type: ignore[attr-defined]
                Recommendation.sent_on.is_not(None))).scalars().all()  # type: ignore[union-attr]
        return ({i: (d or category_label(c))[:60] for i, d, c in rows},
                frozenset(awaiting))

    # -- completing
    def complete(self, draft: VisitDraft, *, now: datetime) -> ChangeSet:
        """Validate, then apply the whole visit in one transaction (all or nothing)."""
        from mmsdesk.services.billing import cpt_string, service_price, suggest_cpt
        from mmsdesk.services.visits import complete as visit_complete
        from mmsdesk.store.who import require_pharmacist

        require_pharmacist(self.store.who, "complete a visit (it records the problems, "
                           "recommendations and decisions)")
        if draft.visit_id is None:
            raise VisitStateError("This visit was never started (it has no id).")
        now = aware(now)  # type: ignore[assignment]
        draft.started_at, draft.ended_at = aware(draft.started_at), aware(draft.ended_at)
        problems = self.validate_all(draft)
        if any(problems.values()):
            raise VisitNotReady(problems)
        ended = draft.ended_at or now
        minutes = draft.minutes if draft.minutes is not None else timer_minutes(
            draft.started_at, ended)
        cpt = cpt_string(suggest_cpt(minutes or 0, draft.is_new_patient))
        price = (service_price(self.store, draft.service)
                 if draft.payer_type == PayerType.SELF_PAY else None)
        with self.store.session() as s:
            visit = self._draft_row(s, draft.visit_id)
            expect(visit, draft.version)
            if visit.patient_id != draft.patient_id:
                raise VisitStateError("The draft belongs to another patient's visit.")
            visit_complete.apply(visit_complete.Completion(s, draft, visit, now, price, cpt,
                                                           minutes))
        return ChangeSet.of(changes.VISITS, changes.MEDICATIONS, changes.OBSERVATIONS,
                            changes.PROBLEMS, changes.FOLLOW_UPS, changes.PATIENTS,
                            patient_id=draft.patient_id)

    def record_response(self, recommendation_id: int, response: str, on: date,
                        note: str = "") -> ChangeSet:
        """A prescriber's answer that came between visits (a faxed reply): recorded on the
        recommendation and, for a problem's recommendation, in the problem's history. The
        list is not changed (see :meth:`record_reply`)."""
        return replies.record_reply(self.store, recommendation_id, response, on, note).changes

    def record_reply(self, recommendation_id: int, response: str, on: date, note: str = "",
                     *, apply: bool = False, strength: str | None = None,
                     directions: str | None = None,
                     expected_version: int | None = None) -> replies.ReplyResult:
        """As :meth:`record_response`; with ``apply`` (the pharmacist confirmed it), an
        accepted recommendation's change is made on the list in the same transaction, with
        the prescriber's own ``strength``/``directions`` for an answer with changes."""
        return replies.record_reply(self.store, recommendation_id, response, on, note,
                                    apply=apply, strength=strength, directions=directions,
                                    expected_version=expected_version)

    def check_reply(self, recommendation_id: int, on: date, strength: str | None = None,
                    directions: str | None = None) -> dict[str, str]:
        """What stops the recommendation's change from being made on the list on a reply
        dated ``on`` (by field: strength, directions, medication, new_medicine, apply)."""
        return replies.check_reply(self.store, recommendation_id, on, strength, directions)

    def proposed_change(self, recommendation_id: int, on: date, strength: str | None = None,
                        directions: str | None = None) -> replies.ProposedChange | None:
        """The change a recommendation proposes to the list, in plain words (None: none)."""
        return replies.proposed_change(self.store, recommendation_id, on, strength, directions)

    # -- reading
    def open_problems(self, patient_id: int) -> list[OpenProblem]:
        """The patient's open problems with their outcomes and recommendations, oldest first."""
        from mmsdesk.models import Prescriber

        with self.store.session() as s:
            problems = s.execute(select(DrugTherapyProblem).where(
                DrugTherapyProblem.patient_id == patient_id,
                DrugTherapyProblem.status == ProblemStatus.OPEN.value)
                .order_by(DrugTherapyProblem.identified_on, DrugTherapyProblem.id)).scalars().all()
            ids = [p.id for p in problems]
            events: dict[int, list[ProblemEventRow]] = {}
            recs: dict[int, list[RecommendationRow]] = {}
            if ids:
                for e in s.execute(select(ProblemEvent).where(ProblemEvent.problem_id.in_(ids))  # type: ignore[attr-defined]
                                   .order_by(ProblemEvent.event_date, ProblemEvent.id)).scalars():
                    events.setdefault(e.problem_id, []).append(ProblemEventRow(
                        e.event_date, e.outcome, e.prescriber_response, e.note, e.visit_id))
                for r, pr in s.execute(
                        select(Recommendation, Prescriber)
                        .outerjoin(Prescriber, Prescriber.id == Recommendation.prescriber_id)
                        .where(Recommendation.problem_id.in_(ids))  # type: ignore[union-attr]
                        .order_by(Recommendation.id)).all():
                    assert r.id is not None and r.problem_id is not None
                    recs.setdefault(r.problem_id, []).append(RecommendationRow(
                        r.id, r.intervention, r.text, r.recipient, r.prescriber_id,
                        pr.display_name if pr else "", r.sent_on, r.sent_method, r.response,
                        r.response_on, r.response_note, r.visit_id, r.version))
            return [OpenProblem(p.id, p.category, p.description, p.cause,  # type: ignore[arg-type]
                                tuple(m for m in p.medications.split(";") if m), p.priority,
                                p.identified_on, p.outcome, p.visit_id,
                                tuple(events.get(p.id, [])), tuple(recs.get(p.id, [])),  # type: ignore[arg-type]
                                p.version)
                    for p in problems]

    def open_goals(self, patient_id: int) -> list[OpenGoal]:
        """The patient's open goals, soonest due first, each with its measure's latest value."""
        return visit_reads.open_goals(self.store, patient_id)

    def recommendation(self, recommendation_id: int) -> RecommendationRow:
        """One recommendation as shown to the pharmacist (with the prescriber's name)."""
        return visit_reads.recommendation(self.store, recommendation_id)

    def burden(self, patient_id: int, today: date | None = None) -> BurdenSummary:
        """Medication burden of the chart's list: count, scheduled doses a day, ACB total."""
        from mmsdesk.services.visits.burden import chart_burden

        return chart_burden(self.store, patient_id, today or date.today())

    def refill_adherence(self, patient_id: int, today: date) -> dict[int, MedicationPdc]:
        """PDC per active chart medicine from the refill history (last 180 days), matched by
        ingredients as services/refills does; a medicine without fills has pdc None."""
        from mmsdesk.services.refills import drug_key, patient_adherence

        by_key = {r.key: r for r in patient_adherence(self.store, patient_id, today).by_drug}
        with self.store.session() as s:
            meds = [(m.id, ";".join(m.ingredient_list), m.text_given) for m in s.execute(
                select(MedicationEntry).where(MedicationEntry.patient_id == patient_id,
                                              MedicationEntry.status == "active")).scalars()]
        out: dict[int, MedicationPdc] = {}
        for mid, ingredients, text in meds:
            assert mid is not None
            r = by_key.get(drug_key(ingredients, text))
            out[mid] = (MedicationPdc(mid, r.pdc, r.measurable, r.fills) if r is not None
                        else MedicationPdc(mid, None, False, 0))
        return out

    @staticmethod
    def _draft_row(s, visit_id: int) -> Visit:  # type: ignore[no-untyped-def]
        visit = s.get(Visit, visit_id)
        if visit is None:
            raise VisitStateError(f"No visit with id {visit_id}.")
        if visit.status != VisitStatus.DRAFT:
            raise VisitStateError(f"This visit is {visit.status}; it can no longer be changed.")
        return visit  # type: ignore[no-any-return]


def _check_choices(service: str, modality: str, payer_type: str | None) -> None:
    from mmsdesk.models.enums import Modality, ServiceType
    from mmsdesk.services.validation import ValidationError

    errors = {}
    if service not in {s.value for s in ServiceType}:
        errors["service"] = "Choose the service from the list (CMR, TMR, reconciliation...)."
    if modality not in {m.value for m in Modality}:
        errors["modality"] = "Choose how the visit happens: home, video, telephone or clinic."
    if payer_type is not None and payer_type not in {p.value for p in PayerType}:
        errors["payer_type"] = "Choose who pays: self-pay, Medicare Part D or other."
    if errors:
        raise ValidationError(errors)


def category_label(category: str) -> str:
    from mmsdesk.models.enums import PROBLEM_CATEGORY_LABELS

    return PROBLEM_CATEGORY_LABELS.get(category, category)


__all__ = ["STEPS", "UNANSWERED", "BurdenSummary", "DraftSummary", "MedicationPdc", "OpenProblem",
           "ProblemEventRow", "RecommendationRow", "VisitNotReady", "VisitService", "VisitStateError",
           "problem_from_alert", "timer_minutes"]


def review_of(p: OpenProblem) -> ProblemFollowUp:
    """A review of one open problem, holding the versions it is judged on (its pending
    recommendation, if any)."""
    rec = p.pending_recommendation_id
    version = next((r.version for r in p.recommendations if r.id == rec), None)
    return ProblemFollowUp(p.problem_id, recommendation_id=rec, problem_version=p.version,
                           recommendation_version=version)


def shown_reviews(draft: VisitDraft, problems: list[OpenProblem], goals: list[OpenGoal]) -> None:
    """The follow-up step shows the open problems and goals as stored now: each gets a review
    in the draft; one not judged yet takes the versions shown (the judgement will be made on
    them), one already judged keeps the versions it was judged on (a colleague's change since
    is refused at completion, and shown)."""
    fresh = {p.problem_id: p for p in problems}
    for r in draft.follow_up.reviews:
        now = fresh.pop(r.problem_id, None)
        if now is not None and not (r.outcome or r.prescriber_response):
            r.problem_version = now.version
            r.recommendation_version = next((x.version for x in now.recommendations
                                             if x.id == r.recommendation_id), None)
    draft.follow_up.reviews += [review_of(p) for p in fresh.values()]
    versions = {g.goal_id: g.version for g in goals}
    for g in draft.follow_up.goals:
        if g.goal_id in versions and not g.status:
            g.version = versions.pop(g.goal_id)
        versions.pop(g.goal_id, None)
    draft.follow_up.goals += [GoalReview(gid, version=v) for gid, v in versions.items()]
