"""The demo practice's visit history, dated relative to the day the demo is loaded.

Four patients had a CMR months ago (drug therapy problems, recommendations sent to their
prescribers, goals, Medication Action Plan items) and three of them a follow-up visit since,
where some recommendations were accepted and problems resolved, others declined or still
waiting; their next follow-ups are overdue or due soon. The recommendations still waiting for
an answer name the change they propose to the list (stop ibuprofen, stop aspirin, start
empagliflozin), so an accepted reply can be applied. With ``unfinished_visit`` one
patient also has a targeted review started today and not finished (the window offers to
resume it when the store opens).

Each record is written once, in its final state (a problem resolved at the follow-up visit is
created resolved), inside the demo loader's one transaction, so loading the demo writes only
"create" audit entries. The visits' drafts pass the wizard's checks (services/visits/checks.py).
Robert Johnson has no visit history (the wizard's end-to-end test runs his first CMR).
The CMRs were offered first (mail or telephone; O'Brien twice), except Kowalski's, whose offer
was not recorded; Washington was offered a CMR a month ago and has not had one yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from mmsdesk.models import (
    DrugTherapyProblem,
    FollowUp,
    Goal,
    MedicationEntry,
    MtmOffer,
    PatientPrescriber,
    ProblemEvent,
    Recommendation,
    Visit,
)
from mmsdesk.services.billing import cpt_string, suggest_cpt
from mmsdesk.services.visits.draft import (
    ActionItem,
    GoalDraft,
    PlanItem,
    ProblemDraft,
    ProblemFollowUp,
    SentRecommendation,
    VisitDraft,
)
from mmsdesk.services.visits.reconciliation import chart_source_in

VISIT_MINUTES = 45
FOLLOW_UP_MINUTES = 20


@dataclass(frozen=True)
class _P:
    """One problem of a demo CMR, its plan, and how the follow-up visit judged it."""

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
    # the change it proposes to the list: the chart medicine's ingredient, the medicine to
    # start, the strength and directions (services/visits/replies.py); () = none named
    change: tuple[str, str, str, str] = ()


Review = tuple[str, str, str]  # outcome, prescriber's response, note


def _prescriber_for(s: Any, pid: int, drug: str) -> int | None:
    """The prescriber of the patient's entry for ``drug``, else the primary care prescriber."""
    for m in s.execute(select(MedicationEntry).where(MedicationEntry.patient_id == pid)).scalars():
        if drug in m.ingredient_list and m.prescriber_id:
            return m.prescriber_id  # type: ignore[no-any-return]
    return s.execute(select(PatientPrescriber.prescriber_id).where(
        PatientPrescriber.patient_id == pid,
        PatientPrescriber.is_primary_care.is_(True))).scalar()  # type: ignore[attr-defined]


def _chart_entry(s: Any, pid: int, drug: str) -> int | None:
    """The patient's active chart entry for ``drug`` (an ingredient)."""
    for m in s.execute(select(MedicationEntry).where(MedicationEntry.patient_id == pid,
                                                     MedicationEntry.status == "active")
                       ).scalars():
        if drug in m.ingredient_list:
            return m.id  # type: ignore[no-any-return]
    return None


def _change(s: Any, pid: int, p: _P) -> dict[str, Any]:
    """A plan's (and its recommendation's) proposed change to the list, as fields."""
    if not p.change:
        return {}
    drug, new, strength, directions = p.change
    return {"medication_id": _chart_entry(s, pid, drug) if drug else None,
            "proposed_medicine": new, "proposed_strength": strength,
            "proposed_directions": directions}


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _checked(draft: VisitDraft, awaiting: frozenset[int] = frozenset()) -> None:
    from mmsdesk.services.visits.checks import check_all

    problems = {k: v for k, v in check_all(draft, None, awaiting).items() if v}
    assert not problems, problems  # the demo's visits are complete visits


def _visit(s: Any, d: VisitDraft, minutes: int) -> Visit:
    """The completed visit row, written once (its JSON without the id: load_draft sets it)."""
    assert d.started_at is not None
    d.ended_at, d.minutes, d.step = d.started_at + timedelta(minutes=minutes), minutes, "follow_up"
    v = Visit(patient_id=d.patient_id, service=d.service, modality=d.modality,
              payer_type=d.payer_type, visit_date=d.visit_date, started_at=d.started_at,
              ended_at=d.ended_at, minutes=minutes, status="complete", current_step=d.step,
              reason=d.collect.reason, draft_json=d.to_json(), is_new_patient=d.is_new_patient,
              cpt_codes=cpt_string(suggest_cpt(minutes, d.is_new_patient)),
              completed_at=d.ended_at)
    s.add(v)
    s.flush()
    return v


def _story(s: Any, pid: int, payer: str, on: date, reason: str, problems: list[_P],
           goals: list[GoalDraft], actions: list[ActionItem], next_due: date, next_reason: str,
           follow_up: tuple[date, dict[str, Review], date, str] | None = None) -> None:
    """A CMR and, optionally, the follow-up visit that judged its problems."""
    d = VisitDraft(patient_id=pid, service="cmr", visit_date=on, modality="home",
                   payer_type=payer, started_at=_at(on, 15), is_new_patient=True)
    d.collect.reason = reason
    d.collect.sources = [chart_source_in(s, pid)]
    d.assess.problems = [ProblemDraft(p.key, p.category, p.description, p.cause, list(p.drugs),
                                      p.priority) for p in problems]
    doctor = {p.key: _prescriber_for(s, pid, p.drugs[0]) if p.recipient == "prescriber"
              else None for p in problems}
    d.plan.plans = [PlanItem("plan-" + p.key, p.key, p.intervention, p.recipient, doctor[p.key],
                             p.text, p.priority, **_change(s, pid, p)) for p in problems]
    d.plan.goals, d.plan.action_items = goals, actions
    sent_on = on + timedelta(days=1)
    d.implement.sent = [SentRecommendation("plan-" + p.key, sent_on, p.method)
                        for p in problems if p.recipient == "prescriber" and p.method]
    d.implement.education = "Reviewed every medicine, what it is for and how to take it."
    d.implement.documents = ["cover_letter", "map", "pml", "prescriber_letter"]
    d.follow_up.next_due, d.follow_up.next_reason = next_due, next_reason
    _checked(d)
    cmr = _visit(s, d, VISIT_MINUTES)
    reviews = follow_up[1] if follow_up else {}
    judged_on = follow_up[0] if follow_up else None
    rows: dict[str, DrugTherapyProblem] = {}
    for p in problems:
        outcome = reviews.get(p.key, ("", "", ""))[0]
        rows[p.key] = DrugTherapyProblem(
            patient_id=pid, visit_id=cmr.id, category=p.category, cause=p.cause,
            medications=";".join(p.drugs), description=p.description, priority=p.priority,
            identified_on=on, outcome=outcome,
            status="resolved" if outcome == "resolved" else "open",
            resolved_on=judged_on if outcome == "resolved" else None)
        s.add(rows[p.key])
    s.flush()
    recs: dict[str, Recommendation] = {}
    for p in problems:
        _, response, note = reviews.get(p.key, ("", "", ""))
        sent = p.recipient == "prescriber" and bool(p.method)
        recs[p.key] = Recommendation(
            patient_id=pid, visit_id=cmr.id, problem_id=rows[p.key].id,
            intervention=p.intervention, recipient=p.recipient, prescriber_id=doctor[p.key],
            text=p.text, priority=p.priority, sent_on=sent_on if sent else None,
            sent_method=p.method if sent else "", response=response or "pending",
            response_on=judged_on if response else None, response_note=note if response else "",
            **_change(s, pid, p))
        s.add(recs[p.key])
    for g in goals:
        met = reviews.get(g.problem_key, ("",))[0] == "resolved"
        s.add(Goal(patient_id=pid, visit_id=cmr.id, problem_id=rows[g.problem_key].id,
                   measure=g.measure, comparator=g.comparator, target_value=g.target_value,
                   target=g.target, due_on=g.due_on, status="met" if met else "open"))
    s.flush()
    if follow_up is None:
        s.add(FollowUp(patient_id=pid, visit_id=cmr.id, due_on=next_due, reason=next_reason,
                       service="follow_up", modality="telephone"))
        return
    day, _, fu_due, fu_reason = follow_up
    f = VisitDraft(patient_id=pid, service="follow_up", visit_date=day, modality="telephone",
                   payer_type=payer, started_at=_at(day, 16), is_new_patient=False)
    f.collect.reason = "Follow-up of the medication review"
    f.follow_up.reviews = [ProblemFollowUp(rows[k].id, o, recs[k].id, r, n)  # type: ignore[arg-type]
                           for k, (o, r, n) in reviews.items()]
    f.follow_up.next_due, f.follow_up.next_reason = fu_due, fu_reason
    _checked(f, frozenset(r.id for r in recs.values()  # type: ignore[misc]
                          if r.sent_on is not None and r.recipient == "prescriber"))
    visit = _visit(s, f, FOLLOW_UP_MINUTES)
    s.add(FollowUp(patient_id=pid, visit_id=cmr.id, due_on=next_due, reason=next_reason,
                   service="follow_up", modality="telephone", done=True, done_on=day,
                   done_visit_id=visit.id))
    s.add(FollowUp(patient_id=pid, visit_id=visit.id, due_on=fu_due, reason=fu_reason,
                   service="follow_up", modality="telephone"))
    for k, (outcome, response, note) in reviews.items():
        s.add(ProblemEvent(problem_id=rows[k].id, visit_id=visit.id, event_date=day,  # type: ignore[arg-type]
                           outcome=outcome, prescriber_response=response, note=note))


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
    s.add(Visit(patient_id=pid, service=d.service, modality=d.modality, payer_type=payer,
                visit_date=today, started_at=d.started_at, current_step=d.step,
                reason=d.collect.reason, draft_json=d.to_json()))


def add_visit_history(s: Any, patients: dict[str, tuple[int, str]], today: date, *,
                      unfinished_visit: bool = True) -> None:
    """``patients``: last name -> (patient id, payer type) of the demo patients just added."""
    days = lambda n: today + timedelta(days=n)  # noqa: E731
    if "Müller" in patients:
        pid, payer = patients["Müller"]
        _story(s, pid, payer, days(-150), "Annual comprehensive medication review", [
            _P("w", "adverse_drug_reaction", "Warfarin with amiodarone: bleeding risk",
               "Amiodarone slows warfarin clearance; INR 3.8 last month",
               ("warfarin", "amiodarone"), "high", "change_dose", "prescriber",
               "Reduce the weekly warfarin dose by 25% and check INR weekly for 4 weeks."),
            _P("n", "adverse_drug_reaction", "Ibuprofen with heart failure",
               "NSAID: fluid retention, worse heart failure and kidney function",
               ("ibuprofen",), "high", "stop", "prescriber",
               "Stop ibuprofen; acetaminophen up to 3 g a day for knee pain.",
               change=("ibuprofen", "", "", "")),
            _P("a", "adherence", "Forgets the evening warfarin dose", "Forgets",
               ("warfarin",), "low", "educate", "patient",
               "Weekly pill box, filled on Sundays with his daughter; phone alarm at 6 pm."),
        ], [GoalDraft("inr", "INR 2 to 3", "<=", 3.0, days(-60), "w")],
            [ActionItem("Bleeding risk with warfarin and amiodarone",
                        "Have my INR checked every week this month."),
             ActionItem("Ibuprofen and my heart", "Stop taking Advil; use Tylenol for knee pain.")],
            days(-120), "INR and knee pain",
            (days(-118), {"w": ("resolved", "accepted", "Dose reduced; INR 2.6"),
                          "n": ("unchanged", "no_answer", "Still taking ibuprofen; no answer yet"),
                          "a": ("improved", "", "Uses the pill box most days")},
             days(-10), "Ibuprofen: call the prescriber's office again"))
    if "Nguyễn" in patients:
        pid, payer = patients["Nguyễn"]
        _story(s, pid, payer, days(-40), "New to the MTM program: first CMR", [
            _P("g", "needs_additional_therapy", "A1c 8.4% above goal on metformin and glipizide",
               "No SGLT2 inhibitor or GLP-1 agonist despite heart disease", ("metformin",),
               "high", "start", "prescriber",
               "Consider adding empagliflozin 10 mg daily (heart and kidney benefit).",
               change=("", "empagliflozin 10 mg tablet", "10 mg", "1 tablet every morning")),
            _P("b", "unnecessary_drug_therapy", "Aspirin with clopidogrel 2 years after the stent",
               "Dual antiplatelet therapy beyond the planned 12 months",
               ("aspirin", "clopidogrel"), "medium", "stop", "prescriber",
               "Is aspirin still needed with clopidogrel? Stopping it lowers bleeding risk.",
               "portal", change=("aspirin", "", "", "")),
        ], [GoalDraft("a1c", "A1c below 7%", "<", 7.0, days(140), "g")],
            [ActionItem("Blood sugar", "Check my sugar before breakfast and write it down."),
             ActionItem("Bleeding", "Tell my doctor about black stools or easy bruising.")],
            days(5), "Did the prescribers answer?")
    if "O'Brien" in patients:
        pid, payer = patients["O'Brien"]
        _story(s, pid, payer, days(-200), "Annual comprehensive medication review", [
            _P("t", "adverse_drug_reaction", "Tramadol with cyclobenzaprine: sedation and falls",
               "Two CNS depressants; serotonergic", ("tramadol", "cyclobenzaprine"), "high",
               "stop", "prescriber", "Stop cyclobenzaprine; heat and stretching for back pain."),
            _P("s", "adverse_drug_reaction", "Simvastatin 40 mg with diltiazem: myopathy risk",
               "Diltiazem raises simvastatin levels (limit 10 mg)", ("simvastatin", "diltiazem"),
               "medium", "change_drug", "prescriber",
               "Switch simvastatin 40 mg to atorvastatin 20 mg."),
        ], [GoalDraft("ldl", "LDL below 100 mg/dL", "<", 100.0, days(-20), "s")],
            [ActionItem("Falls", "Stop the muscle relaxer; stand up slowly.")],
            days(-170), "Back pain and muscle aches",
            (days(-140), {"t": ("resolved", "accepted", "Cyclobenzaprine stopped; no falls"),
                          "s": ("improved", "modified", "Switched to pravastatin 40 mg instead")},
             days(20), "Statin switch: muscle aches? LDL result"))
    if "Kowalski" in patients:
        pid, payer = patients["Kowalski"]
        _story(s, pid, payer, days(-75), "Falls and nausea", [
            _P("m", "adverse_drug_reaction", "Metoclopramide in Parkinson's disease",
               "Dopamine blocker: worsens rigidity and tremor", ("metoclopramide",), "high",
               "change_drug", "prescriber",
               "Stop metoclopramide; for nausea consider ondansetron 4 mg as needed."),
            _P("d", "unnecessary_drug_therapy", "Doxazosin with tamsulosin",
               "Two alpha-blockers: low blood pressure on standing, falls",
               ("doxazosin", "tamsulosin"), "high", "stop", "prescriber", "Stop doxazosin."),
        ], [], [ActionItem("Dizziness", "Sit on the bed edge a minute before standing.")],
            days(-45), "Falls since the changes?",
            (days(-35), {"m": ("unchanged", "declined", "Neurologist prefers to keep it for now"),
                         "d": ("resolved", "accepted", "Doxazosin stopped; no dizziness")},
             days(-3), "Metoclopramide declined: ask the neurologist"))
    for name, ago, method in (("Müller", 165, "telephone"), ("Nguyễn", 47, "mail"),
                              ("O'Brien", 230, "mail"), ("O'Brien", 212, "telephone"),
                              ("Washington", 30, "telephone")):
        if name in patients:
            s.add(MtmOffer(patient_id=patients[name][0], offered_on=days(-ago), method=method,
                           notes="Demo offer"))
    if unfinished_visit and "Washington" in patients:
        pid, payer = patients["Washington"]
        _draft_tmr(s, pid, payer, today)
