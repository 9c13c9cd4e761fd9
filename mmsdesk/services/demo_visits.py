"""The demo practice's visit history, dated relative to the day the demo is loaded.

Four patients had a CMR months ago (drug therapy problems, recommendations sent to their
prescribers, goals, Medication Action Plan items) and three of them a follow-up visit since,
where some recommendations were accepted and problems resolved, others declined or still
waiting; their next follow-ups are overdue or due soon. With ``unfinished_visit`` one
patient also has a targeted review started today and not finished (the window offers to
resume it when the store opens).

Visits are completed by the same code as the wizard's (services/visit_complete.py), inside
the demo loader's one transaction. Robert Johnson has no visit history (the wizard's
end-to-end test runs his first CMR).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from mmsdesk.models import MedicationEntry, PatientPrescriber, Visit
from mmsdesk.services import visit_complete
from mmsdesk.services.billing import cpt_string, suggest_cpt
from mmsdesk.services.reconciliation import chart_source_in
from mmsdesk.services.visit_draft import (
    ActionItem,
    GoalDraft,
    PlanItem,
    ProblemDraft,
    ProblemFollowUp,
    SentRecommendation,
    VisitDraft,
)

VISIT_MINUTES = 45
FOLLOW_UP_MINUTES = 20


@dataclass(frozen=True)
class _P:
    """One problem of a demo CMR and its plan."""

    key: str
    category: str
    description: str
    cause: str
    drugs: tuple[str, ...]
    priority: str
    intervention: str
    recipient: str
    text: str
    method: str = "fax"  # how the recommendation was sent ("" = not sent)


def _prescriber_for(s: Any, pid: int, drug: str) -> int | None:
    """The prescriber of the patient's entry for ``drug``, else the primary care prescriber."""
    for m in s.execute(select(MedicationEntry).where(MedicationEntry.patient_id == pid)).scalars():
        if drug in m.ingredient_list and m.prescriber_id:
            return m.prescriber_id  # type: ignore[no-any-return]
    return s.execute(select(PatientPrescriber.prescriber_id).where(
        PatientPrescriber.patient_id == pid,
        PatientPrescriber.is_primary_care.is_(True))).scalar()  # type: ignore[attr-defined]


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _new_visit(s: Any, draft: VisitDraft) -> Visit:
    visit = Visit(patient_id=draft.patient_id, service=draft.service, modality=draft.modality,
                  payer_type=draft.payer_type, visit_date=draft.visit_date,
                  started_at=draft.started_at, is_new_patient=draft.is_new_patient,
                  current_step=draft.step)
    s.add(visit)
    s.flush()
    draft.visit_id = visit.id
    return visit


def _complete(s: Any, draft: VisitDraft, minutes: int) -> visit_complete.Completion:
    from mmsdesk.models import Recommendation
    from mmsdesk.services.visit_checks import check_all
    from mmsdesk.services.visits import UNANSWERED

    recs = [r.recommendation_id for r in draft.follow_up.reviews if r.recommendation_id]
    awaiting = frozenset(s.execute(select(Recommendation.id).where(
        Recommendation.id.in_(recs), Recommendation.recipient == "prescriber",  # type: ignore[union-attr]
        Recommendation.response.in_(UNANSWERED),  # type: ignore[attr-defined]
        Recommendation.sent_on.is_not(None))).scalars().all())  # type: ignore[union-attr]
    problems = {k: v for k, v in check_all(draft, None, awaiting).items() if v}
    assert not problems, problems  # the demo's visits are complete visits
    assert draft.started_at is not None
    draft.ended_at = draft.started_at + timedelta(minutes=minutes)
    draft.step = "follow_up"
    visit = _new_visit(s, draft)
    cpt = cpt_string(suggest_cpt(minutes, draft.is_new_patient))
    c = visit_complete.Completion(s, draft, visit, draft.ended_at, None, cpt, minutes)
    visit_complete.apply(c)
    return c


def _cmr(s: Any, pid: int, payer: str, on: date, reason: str, problems: list[_P],
         goals: list[GoalDraft], actions: list[ActionItem], next_due: date,
         next_reason: str) -> dict[str, int]:
    """A completed CMR; returns the problem ids by key."""
    d = VisitDraft(patient_id=pid, service="cmr", visit_date=on, modality="home",
                   payer_type=payer, started_at=_at(on, 15), is_new_patient=True)
    d.collect.reason = reason
    d.collect.sources = [chart_source_in(s, pid)]
    d.assess.problems = [ProblemDraft(p.key, p.category, p.description, p.cause, list(p.drugs),
                                      p.priority) for p in problems]
    d.plan.plans = [PlanItem("plan-" + p.key, p.key, p.intervention, p.recipient,
                             _prescriber_for(s, pid, p.drugs[0])
                             if p.recipient == "prescriber" else None, p.text, p.priority)
                    for p in problems]
    d.plan.goals, d.plan.action_items = goals, actions
    d.implement.sent = [SentRecommendation("plan-" + p.key, on + timedelta(days=1), p.method)
                        for p in problems if p.recipient == "prescriber" and p.method]
    d.implement.education = "Reviewed every medicine, what it is for and how to take it."
    d.implement.documents = ["cover_letter", "map", "pml", "prescriber_letter"]
    d.follow_up.next_due, d.follow_up.next_reason = next_due, next_reason
    return _complete(s, d, VISIT_MINUTES).problem_ids


def _follow_up(s: Any, pid: int, payer: str, on: date,
               reviews: dict[int, tuple[str, str, str]], next_due: date,
               next_reason: str) -> None:
    """A completed follow-up visit judging problems: id -> (outcome, response, note)."""
    from mmsdesk.models import Recommendation

    d = VisitDraft(patient_id=pid, service="follow_up", visit_date=on, modality="telephone",
                   payer_type=payer, started_at=_at(on, 16), is_new_patient=False)
    d.collect.reason = "Follow-up of the medication review"
    for problem_id, (outcome, response, note) in reviews.items():
        rec = s.execute(select(Recommendation.id).where(Recommendation.problem_id == problem_id)
                        .order_by(Recommendation.id.desc())).scalars().first()  # type: ignore[union-attr]
        d.follow_up.reviews.append(ProblemFollowUp(problem_id, outcome, rec, response, note))
    d.follow_up.next_due, d.follow_up.next_reason = next_due, next_reason
    _complete(s, d, FOLLOW_UP_MINUTES)
    from mmsdesk.models import Goal

    solved = [i for i, (outcome, _, _) in reviews.items() if outcome == "resolved"]
    for goal in s.execute(select(Goal).where(Goal.problem_id.in_(solved))).scalars():  # type: ignore[union-attr]
        goal.status = "met"  # the demo's resolved problems reached their goals
        s.add(goal)


def _draft_tmr(s: Any, pid: int, payer: str, today: date) -> None:
    d = VisitDraft(patient_id=pid, service="tmr", visit_date=today, modality="telephone",
                   payer_type=payer, started_at=_at(today, 14), is_new_patient=False,
                   step="assess")
    d.collect.reason = "New interaction: verapamil with rivaroxaban (bleeding risk)"
    d.collect.concerns = "Nosebleeds twice this week"
    d.collect.sources = [chart_source_in(s, pid)]
    d.assess.problems = [ProblemDraft("tmr-1", "adverse_drug_reaction",
                                      "Verapamil raises rivaroxaban levels: nosebleeds",
                                      "Interaction (P-gp and CYP3A4 inhibition)",
                                      ["rivaroxaban", "verapamil"], "high")]
    visit = _new_visit(s, d)
    visit.reason, visit.draft_json = d.collect.reason, d.to_json()
    s.add(visit)


def add_visit_history(s: Any, patients: dict[str, tuple[int, str]], today: date, *,
                      unfinished_visit: bool = True) -> None:
    """``patients``: last name -> (patient id, payer type) of the demo patients just added."""
    days = lambda n: today + timedelta(days=n)  # noqa: E731
    if "Müller" in patients:
        pid, payer = patients["Müller"]
        ids = _cmr(s, pid, payer, days(-150), "Annual comprehensive medication review", [
            _P("w", "adverse_drug_reaction", "Warfarin with amiodarone: bleeding risk",
               "Amiodarone slows warfarin clearance; INR 3.8 last month", ("warfarin",
                                                                          "amiodarone"),
               "high", "change_dose", "prescriber",
               "Reduce the weekly warfarin dose by 25% and check INR weekly for 4 weeks."),
            _P("n", "adverse_drug_reaction", "Ibuprofen with heart failure",
               "NSAID: fluid retention, worse heart failure and kidney function",
               ("ibuprofen",), "high", "stop", "prescriber",
               "Stop ibuprofen; acetaminophen up to 3 g a day for knee pain."),
            _P("a", "adherence", "Forgets the evening warfarin dose", "Forgets",
               ("warfarin",), "low", "educate", "patient",
               "Weekly pill box, filled on Sundays with his daughter; phone alarm at 6 pm."),
        ], [GoalDraft("inr", "INR 2 to 3", "<=", 3.0, days(-60), "w")],
            [ActionItem("Bleeding risk with warfarin and amiodarone",
                        "Have my INR checked every week this month."),
             ActionItem("Ibuprofen and my heart", "Stop taking Advil; use Tylenol for knee pain.")],
            days(-120), "INR and knee pain")
        _follow_up(s, pid, payer, days(-118), {
            ids["w"]: ("resolved", "accepted", "Dose reduced; INR 2.6"),
            ids["n"]: ("unchanged", "no_answer", "Still taking ibuprofen; no answer yet"),
            ids["a"]: ("improved", "", "Uses the pill box most days")},
            days(-10), "Ibuprofen: call the prescriber's office again")
    if "Nguyễn" in patients:
        pid, payer = patients["Nguyễn"]
        _cmr(s, pid, payer, days(-40), "New to the MTM program: first CMR", [
            _P("g", "needs_additional_therapy", "A1c 8.4% above goal on metformin and glipizide",
               "No SGLT2 inhibitor or GLP-1 agonist despite heart disease", ("metformin",),
               "high", "start", "prescriber",
               "Consider adding empagliflozin 10 mg daily (heart and kidney benefit)."),
            _P("b", "unnecessary_drug_therapy", "Aspirin with clopidogrel 2 years after the stent",
               "Dual antiplatelet therapy beyond the planned 12 months", ("aspirin",
                                                                         "clopidogrel"),
               "medium", "stop", "prescriber",
               "Is aspirin still needed with clopidogrel? Stopping it lowers bleeding risk.",
               "portal"),
        ], [GoalDraft("a1c", "A1c below 7%", "<", 7.0, days(140), "g")],
            [ActionItem("Blood sugar", "Check my sugar before breakfast and write it down."),
             ActionItem("Bleeding", "Tell my doctor about black stools or easy bruising.")],
            days(5), "Did the prescribers answer?")
    if "O'Brien" in patients:
        pid, payer = patients["O'Brien"]
        ids = _cmr(s, pid, payer, days(-200), "Annual comprehensive medication review", [
            _P("t", "adverse_drug_reaction", "Tramadol with cyclobenzaprine: sedation and falls",
               "Two CNS depressants; serotonergic", ("tramadol", "cyclobenzaprine"), "high",
               "stop", "prescriber", "Stop cyclobenzaprine; heat and stretching for back pain."),
            _P("s", "adverse_drug_reaction", "Simvastatin 40 mg with diltiazem: myopathy risk",
               "Diltiazem raises simvastatin levels (limit 10 mg)", ("simvastatin", "diltiazem"),
               "medium", "change_drug", "prescriber",
               "Switch simvastatin 40 mg to atorvastatin 20 mg."),
        ], [GoalDraft("ldl", "LDL below 100 mg/dL", "<", 100.0, days(-20), "s")],
            [ActionItem("Falls", "Stop the muscle relaxer; stand up slowly.")],
            days(-170), "Back pain and muscle aches")
        _follow_up(s, pid, payer, days(-140), {
            ids["t"]: ("resolved", "accepted", "Cyclobenzaprine stopped; no falls"),
            ids["s"]: ("improved", "modified", "Switched to pravastatin 40 mg instead")},
            days(20), "Statin switch: muscle aches? LDL result")
    if "Kowalski" in patients:
        pid, payer = patients["Kowalski"]
        ids = _cmr(s, pid, payer, days(-75), "Falls and nausea", [
            _P("m", "adverse_drug_reaction", "Metoclopramide in Parkinson's disease",
               "Dopamine blocker: worsens rigidity and tremor", ("metoclopramide",), "high",
               "change_drug", "prescriber",
               "Stop metoclopramide; for nausea consider ondansetron 4 mg as needed."),
            _P("d", "unnecessary_drug_therapy", "Doxazosin with tamsulosin",
               "Two alpha-blockers: low blood pressure on standing, falls",
               ("doxazosin", "tamsulosin"), "high", "stop", "prescriber", "Stop doxazosin."),
        ], [], [ActionItem("Dizziness", "Sit on the bed edge a minute before standing.")],
            days(-45), "Falls since the changes?")
        _follow_up(s, pid, payer, days(-35), {
            ids["m"]: ("unchanged", "declined", "Neurologist prefers to keep it for now"),
            ids["d"]: ("resolved", "accepted", "Doxazosin stopped; no dizziness")},
            days(-3), "Metoclopramide declined: ask the neurologist")
    if unfinished_visit and "Washington" in patients:
        pid, payer = patients["Washington"]
        _draft_tmr(s, pid, payer, today)
