"""What blocks completing a visit, step by step, as plain sentences (no database, no Qt).

``check_step(draft, step, problem_names)`` returns the messages for one step; an empty list
means the step is fine. The wizard's ``isComplete()``/``validatePage()`` and
``VisitService.validate`` use these.

Steps a service does not need are *light* (``step_weight``): the wizard may show them
collapsed; their checks still run on whatever was entered. Service-specific rules:
a targeted review (TMR) needs its reason and at least one problem; a medication
reconciliation needs a list besides the chart's; at a follow-up visit and at a CMR every
open problem brought forward needs an outcome, and the prescriber's response when a
recommendation for it was sent and is still unanswered ("no answer" is one); at other
visits an unjudged problem is skipped.
"""

from __future__ import annotations

from datetime import date

from mmsdesk.models.enums import (
    DeliveryMethod,
    DocumentRecipient,
    GoalStatus,
    Intervention,
    Modality,
    Outcome,
    Priority,
    ProblemCategory,
    Recipient,
    Response,
    SendMethod,
    ServiceType,
)
from mmsdesk.services.visits.draft import (
    STEPS,
    Discrepancy,
    DiscrepancyKind,
    ReconDecision,
    VisitDraft,
)

FULL, LIGHT = "full", "light"
# The steps a service treats lightly; every other step is full.
LIGHT_STEPS: dict[str, frozenset[str]] = {
    ServiceType.CMR: frozenset(),
    ServiceType.TMR: frozenset({"collect", "implement"}),
    ServiceType.MED_REC: frozenset({"assess", "plan"}),
    ServiceType.PGX: frozenset({"collect"}),
    ServiceType.CHRONIC_CARE: frozenset(),
    ServiceType.DISEASE_STATE: frozenset(),
    ServiceType.ADHERENCE: frozenset({"assess"}),
    ServiceType.POLYPHARMACY: frozenset(),
    ServiceType.DUR: frozenset({"collect", "follow_up"}),
    ServiceType.FOLLOW_UP: frozenset({"collect", "assess"}),
}
REVIEWS_REQUIRED = frozenset({ServiceType.FOLLOW_UP.value, ServiceType.CMR.value})

def step_weight(service: str, step: str) -> str:
    return LIGHT if step in LIGHT_STEPS.get(service, frozenset()) else FULL


def _values(enum: type) -> set[str]:
    return {e.value for e in enum}  # type: ignore[attr-defined]


def discrepancy_label(d: Discrepancy) -> str:
    from mmsdesk.services.visits.reconciliation import kind_label

    return f"{kind_label(d)}: {', '.join(d.ingredients) or d.detail}"


def check_decision(d: Discrepancy) -> list[str]:
    """What keeps one reconciliation decision from being applied (the step waits for it)."""
    from mmsdesk.services.visits.reconciliation import decision_choices, strength_reads

    label = discrepancy_label(d)
    allowed = dict(decision_choices(d))
    if d.decision not in allowed:
        return [f"{label}: choose one of: {'; '.join(allowed.values()).lower()}."]
    if d.decision == ReconDecision.CHANGE:
        if not (d.new_strength.strip() or d.new_directions.strip()):
            return [f"{label}: give the new strength or the new directions."]
        if d.medication_id is None:
            return [f"{label}: it is not on the chart's list, so it cannot be changed there."]
    if d.decision == ReconDecision.STOP and d.medication_id is None \
            and d.kind != DiscrepancyKind.DUPLICATION:
        return [f"{label}: it is not on the chart's list, so it cannot be stopped there."]
    if d.decision in (ReconDecision.ADD, ReconDecision.CHANGE) and not strength_reads(d):
        return [f"{label}: the strength “{d.new_strength.strip()}” does not read for "
                f"{' and '.join(d.ingredients)}; write each amount with its unit."]
    if d.decision == ReconDecision.ADD:
        if d.source_item is None:
            return [f"{label}: the medicine to add is missing; compare the lists again."]
        if not d.details_unknown and not d.indication.strip():
            return [f"{label}: say why the patient uses it, or tick “unknown, ask”."]
        if not d.details_unknown and d.prescriber_id is None:
            return [f"{label}: choose the prescriber, or tick “unknown, ask”."]
    return []


def check_collect(draft: VisitDraft) -> list[str]:
    from mmsdesk.services.record import ObservationInput, validate_observation

    out: list[str] = []
    if draft.service == ServiceType.TMR and not draft.collect.reason.strip():
        out.append("A targeted review needs its reason: write the problem it focuses on.")
    if draft.service == ServiceType.MED_REC and not any(
            s.items for s in draft.collect.sources if s.source != "chart"):
        out.append("Medication reconciliation needs at least one list besides the chart's "
                   "(what the patient says, the bottles, a pharmacy record, a discharge list).")
    for d in draft.collect.discrepancies:
        out += check_decision(d)
    chosen: dict[int, set[str]] = {}
    for d in draft.collect.discrepancies:
        if d.medication_id is not None and d.decision in (ReconDecision.STOP,
                                                          ReconDecision.CHANGE):
            chosen.setdefault(d.medication_id, set()).add(d.decision)
    for mid, decisions in chosen.items():
        if len(decisions) > 1:
            item = next((i.text for s in draft.collect.sources for i in s.items
                         if i.medication_id == mid), f"medicine {mid}")
            out.append(f"{item}: one discrepancy stops it and another changes it; choose one.")
    for vital in draft.collect.vitals:
        errors = validate_observation(ObservationInput(vital.measure, vital.value, vital.unit,
                                                       draft.visit_date), draft.visit_date)
        out += [f"{vital.measure}: {msg}" for msg in errors.values()]
    return out


def check_assess(draft: VisitDraft) -> list[str]:
    out: list[str] = []
    if draft.service == ServiceType.TMR and not draft.assess.problems:
        out.append("A targeted review focuses on one problem: record it.")
    for i, p in enumerate(draft.assess.problems, start=1):
        name = f"Problem {i}" + (f" “{p.description.strip()[:60]}”" if p.description.strip()
                                 else "")
        if not p.description.strip():
            out.append(f"{name}: describe the problem.")
        if p.category not in _values(ProblemCategory):
            out.append(f"{name}: choose one of the seven categories.")
        if p.priority not in _values(Priority):
            out.append(f"{name}: choose the priority (high, medium or low).")
        if len(p.cause) > 400:
            out.append(f"{name}: the cause is too long (at most 400 characters).")
    keys = [p.key for p in draft.assess.problems]
    if len(set(keys)) != len(keys):
        out.append("Two problems share one key; remove the duplicate.")
    return out


def check_plan(draft: VisitDraft) -> list[str]:
    out: list[str] = []
    problems = {p.key: p for p in draft.assess.problems}
    planned = {pl.problem_key for pl in draft.plan.plans}
    for p in draft.assess.problems:
        if p.key not in planned:
            out.append(f"Problem “{p.description.strip()[:60] or p.category}” has no plan: "
                       "choose an intervention.")
    for pl in draft.plan.plans:
        if pl.problem_key not in problems:
            out.append("A plan belongs to a problem that was removed; delete the plan.")
            continue
        name = problems[pl.problem_key].description.strip()[:60] or pl.problem_key
        if pl.intervention not in _values(Intervention):
            out.append(f"Plan for “{name}”: choose an intervention (start, stop, change dose, "
                       "change drug, monitor, educate, refer).")
        if pl.recipient not in _values(Recipient):
            out.append(f"Plan for “{name}”: choose who acts (patient, prescriber, pharmacist).")
        if pl.priority not in _values(Priority):
            out.append(f"Plan for “{name}”: choose the priority (high, medium or low).")
    for g in draft.plan.goals:
        name = g.measure.strip() or "A goal"
        if not g.measure.strip():
            out.append("A goal needs what is measured (for example A1c).")
        if len(g.measure.strip()) > 64:
            out.append(f"Goal {name[:30]}…: name the measure in at most 64 characters.")
        if len(g.target.strip()) > 200:
            out.append(f"Goal {name[:30]}: the target is too long (at most 200 characters).")
        if not g.target.strip() and g.target_value is None:
            out.append(f"Goal {name}: give the target (for example “below 7%”).")
        if g.comparator not in ("<", "<=", ">", ">=", "="):
            out.append(f"Goal {name}: the comparison is one of <, <=, >, >=, =.")
        if g.due_on is not None and g.due_on < draft.visit_date:
            out.append(f"Goal {name}: the target date is before the visit.")
        if g.problem_key and g.problem_key not in problems:
            out.append(f"Goal {name}: it belongs to a problem that was removed.")
    return out


def check_implement(draft: VisitDraft) -> list[str]:
    out: list[str] = []
    plans = {pl.key for pl in draft.plan.plans}
    asks = {d.key for d in draft.collect.discrepancies if d.decision == ReconDecision.ASK_PRESCRIBER}
    for s in draft.implement.sent:
        if s.plan_key not in plans | asks:
            out.append("A recommendation marked as sent is no longer in the plan; remove it.")
        if s.method not in _values(SendMethod):
            out.append("Choose how the recommendation was sent (fax, phone, letter, portal, "
                       "in person).")
        if s.sent_on < draft.visit_date:
            out.append(f"A recommendation is marked as sent on {s.sent_on:%Y-%m-%d}, before the "
                       "visit.")
    from mmsdesk.services.billing import diagnosis_codes_problem

    codes = diagnosis_codes_problem(draft.diagnosis_codes)
    return out + check_delivery(draft) + ([codes] if codes else [])


def check_delivery(draft: VisitDraft) -> list[str]:
    """Who received the documents and how: a caregiver has a name and a relation; a delivery
    has its way and its day, not before the visit. Recording none of it is allowed."""
    im, out = draft.implement, []
    if im.recipient and im.recipient not in _values(DocumentRecipient):
        out.append("Choose who received the documents: the patient, a caregiver or the "
                   "prescriber.")
    if im.recipient == DocumentRecipient.CAREGIVER and not im.recipient_name.strip():
        out.append("Enter the caregiver's name.")
    if im.recipient == DocumentRecipient.CAREGIVER and not im.recipient_relation.strip():
        out.append("Enter the caregiver's relation to the patient (for example: daughter).")
    if im.delivery_method and im.delivery_method not in _values(DeliveryMethod):
        out.append("Choose how the documents were delivered (in person, mail, portal, fax).")
    if (im.delivery_method or im.delivered_on) and not im.recipient:
        out.append("Choose who received the documents.")
    if im.delivery_method and im.delivered_on is None:
        out.append("Enter the day the documents were delivered (MM/DD/YYYY).")
    if im.delivered_on is not None and im.delivered_on < draft.visit_date:
        out.append(f"The documents are marked as delivered on {im.delivered_on:%m/%d/%Y}, "
                   "before the visit.")
    return out


def check_follow_up(draft: VisitDraft, problem_names: dict[int, str],
                    awaiting: frozenset[int] = frozenset()) -> list[str]:
    """``awaiting``: ids of recommendations sent to a prescriber and not answered yet."""
    out: list[str] = []
    f = draft.follow_up
    required = draft.service in REVIEWS_REQUIRED
    for r in f.reviews:
        name = problem_names.get(r.problem_id, f"problem {r.problem_id}")
        if not r.outcome and required:
            out.append(f"“{name}”: choose an outcome (resolved, improved, unchanged, worse, "
                       "unable to assess).")
        elif r.outcome and r.outcome not in _values(Outcome):
            out.append(f"“{name}”: the outcome is not one of the list.")
        if (required and r.recommendation_id in awaiting
                and r.prescriber_response in ("", Response.PENDING)):
            out.append(f"“{name}”: record the prescriber's response (accepted, modified, "
                       "declined, no answer).")
        if r.prescriber_response and r.prescriber_response not in _values(Response):
            out.append(f"“{name}”: the prescriber's response is not one of the list.")
    for g in f.goals:
        if g.status and (g.status not in _values(GoalStatus) or g.status == GoalStatus.OPEN):
            out.append(f"Goal {g.goal_id}: choose met, not met or cancelled (or leave it open).")
    if f.next_due is not None and f.next_due < draft.visit_date:
        out.append("The next follow-up is dated before this visit.")
    if f.next_due is not None and f.next_service not in _values(ServiceType):
        out.append("Choose the service of the next follow-up from the list.")
    if f.next_due is not None and f.next_modality not in _values(Modality):
        out.append("Choose how the next follow-up happens: home, video, telephone or clinic.")
    staying_open = len(draft.assess.problems) + sum(
        1 for r in f.reviews if r.outcome != Outcome.RESOLVED
        and not any(p.existing_problem_id == r.problem_id for p in draft.assess.problems))
    if f.next_due is None and staying_open:
        out.append(f"Schedule the next follow-up: {staying_open} problem"
                   f"{'s stay' if staying_open > 1 else ' stays'} open.")
    return out


def check_step(draft: VisitDraft, step: str, problem_names: dict[int, str] | None = None,
               awaiting: frozenset[int] = frozenset()) -> list[str]:
    if step == "collect":
        return check_collect(draft)
    if step == "assess":
        return check_assess(draft)
    if step == "plan":
        return check_plan(draft)
    if step == "implement":
        return check_implement(draft)
    if step == "follow_up":
        return check_follow_up(draft, problem_names or {}, awaiting)
    raise ValueError(f"unknown visit step {step!r}; steps are {', '.join(STEPS)}")


def check_all(draft: VisitDraft, problem_names: dict[int, str] | None = None,
              awaiting: frozenset[int] = frozenset()) -> dict[str, list[str]]:
    return {step: check_step(draft, step, problem_names, awaiting) for step in STEPS}


def visit_date_ok(draft: VisitDraft, today: date) -> str | None:
    if draft.visit_date > today:
        return "The visit date is in the future."
    return None
