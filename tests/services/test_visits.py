"""Visits: start, autosave and resume, validation, one-transaction completion, follow-up loop."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from mmsdesk.models import (
    AuditEvent,
    DrugTherapyProblem,
    FollowUp,
    Goal,
    MedicationEntry,
    MedicationEvent,
    Observation,
    ProblemEvent,
    Recommendation,
    ServiceOffering,
    Visit,
)
from mmsdesk.services.medications import MedicationService
from mmsdesk.services.visits import complete as visit_complete
from mmsdesk.services.visits.draft import (
    ActionItem,
    GoalDraft,
    PlanItem,
    ProblemDraft,
    SentRecommendation,
    VisitDraft,
    VitalEntry,
)
from mmsdesk.services.visits.reconciliation import (
    decision_choices,
    find_discrepancies,
    source_from_lines,
)
from mmsdesk.services.visits.service import VisitNotReady, VisitService, VisitStateError
from tests.conftest import TODAY
from tests.services.visit_helpers import NOW, make_chart

TABLES = (Visit, MedicationEntry, MedicationEvent, Observation, DrugTherapyProblem,
          Recommendation, Goal, FollowUp, ProblemEvent, AuditEvent)


def counts(store) -> dict[str, int]:
    with store.session() as s:
        return {t.__name__: s.execute(select(func.count()).select_from(t)).scalar_one()
                for t in TABLES}


def test_start_fills_the_chart_list_payer_and_new_patient(store, chart):
    svc = VisitService(store)
    draft = svc.start(chart.patient_id, "cmr", "home", today=TODAY, now=NOW)
    assert draft.visit_id is not None and draft.payer_type == "medicare_part_d"
    assert draft.is_new_patient is True and draft.started_at == NOW
    (src,) = draft.collect.sources
    assert src.source == "chart" and src.label == "Medication list in the chart"
    assert [i.medication_id for i in src.items] == [chart.metoprolol, chart.lisinopril,
                                                    chart.simvastatin]
    assert src.items[0].ingredients == ["metoprolol"] and src.items[0].frequency == "bid"
    assert draft.follow_up.reviews == []
    assert svc.load_draft(draft.visit_id) == draft
    with store.session() as s:
        v = s.get(Visit, draft.visit_id)
        assert (v.status, v.current_step, v.service) == ("draft", "collect", "cmr")
    other = svc.start(chart.patient_id, "tmr", "video", "self_pay", today=TODAY, now=NOW,
                      is_new_patient=False)
    assert other.payer_type == "self_pay" and other.is_new_patient is False


def test_start_refuses_unknown_choices(store, chart):
    from mmsdesk.services.validation import ValidationError

    with pytest.raises(ValidationError) as err:
        VisitService(store).start(chart.patient_id, "massage", "pigeon", "lottery", today=TODAY,
                                  now=NOW)
    assert set(err.value.errors) == {"service", "modality", "payer_type"}
    with pytest.raises(LookupError):
        VisitService(store).start(chart.patient_id + 99, "cmr", "home", today=TODAY, now=NOW)
    assert counts(store)["Visit"] == 0


def test_save_load_resume_and_cancel(store, chart):
    svc = VisitService(store)
    draft = svc.start(chart.patient_id, "cmr", "home", today=TODAY, now=NOW)
    draft.collect.reason = "Dizzy when standing — Ärger"
    draft.collect.vitals.append(VitalEntry("bp_systolic", 102, "mmHg"))
    draft.assess.problems.append(ProblemDraft("p1", "adverse_drug_reaction", "Orthostasis"))
    draft.step = "assess"
    draft.ended_at = NOW + timedelta(minutes=40)
    svc.save_draft(draft)
    again = svc.load_draft(draft.visit_id)
    assert again == draft
    summaries = svc.open_drafts()
    assert [(d.visit_id, d.patient_name, d.step, d.service) for d in summaries] == [
        (draft.visit_id, "Müller, José", "assess", "cmr")]
    assert svc.open_drafts(patient_id=chart.patient_id + 1) == []
    change = svc.cancel(draft.visit_id)
    assert chart.patient_id in change.patient_ids
    assert svc.open_drafts() == []
    with pytest.raises(VisitStateError, match="cancelled"):
        svc.save_draft(draft)


def _full_draft(store, chart) -> VisitDraft:
    svc = VisitService(store)
    draft = svc.start(chart.patient_id, "cmr", "home", today=TODAY, now=NOW)
    bottles = source_from_lines(["Toprol 50 mg 1 tab twice daily", "aspirin 81 mg daily",
                                 "lisinopril 10 mg 1 tab every morning"], "bottle", "Bottles")
    draft.collect.sources.append(bottles)
    draft.collect.discrepancies = find_discrepancies(draft.collect.sources[0], [bottles])
    by_kind = {d.kind: d for d in draft.collect.discrepancies}
    assert set(by_kind) == {"omission", "commission", "dose"}
    by_kind["omission"].decision = "add"  # aspirin: add to the chart
    by_kind["omission"].indication = "to protect the heart"
    by_kind["omission"].details_unknown = True  # prescriber not known: ask
    by_kind["commission"].decision = "stop"  # simvastatin: not taken any more
    by_kind["commission"].note = "stopped by the patient in June"
    by_kind["dose"].decision = "change"  # metoprolol 25 -> 50 mg
    draft.collect.vitals = [VitalEntry("bp_systolic", 150, "mmHg"),
                            VitalEntry("weight", 154, "lb")]
    draft.assess.problems = [
        ProblemDraft("p1", "dosage_too_low", "Blood pressure above goal", cause="dose too low",
                     medications=["lisinopril"], priority="high"),
        ProblemDraft("p2", "adherence", "Forgets evening doses", priority="low")]
    draft.plan.plans = [
        PlanItem("r1", "p1", "change_dose", "prescriber", chart.prescriber_id,
                 "Increase lisinopril to 20 mg daily", "high"),
        PlanItem("r2", "p2", "educate", "patient", None, "Use a weekly pill box")]
    draft.plan.goals = [GoalDraft("bp_systolic", "below 130 mm Hg", "<", 130.0,
                                  TODAY + timedelta(days=90), "p1")]
    draft.plan.action_items = [ActionItem("Blood pressure", "Check it every morning")]
    draft.implement.sent = [SentRecommendation("r1", TODAY, "fax")]
    draft.implement.education = "Pill box shown"
    draft.follow_up.next_due = TODAY + timedelta(days=30)
    draft.follow_up.next_reason = "Blood pressure check"
    draft.step = "follow_up"
    draft.ended_at = NOW + timedelta(minutes=38)
    svc.save_draft(draft)
    return draft


def test_complete_writes_exactly_what_was_entered(store, chart):
    with store.session() as s:
        s.add(ServiceOffering(service="cmr", name="CMR", price=150.0))
    svc = VisitService(store)
    draft = _full_draft(store, chart)
    change = svc.complete(draft, now=NOW + timedelta(minutes=45))
    assert change.touches("medications", "problems", "follow_ups", "visits")
    meds = {m.ingredients: m for m in MedicationService(store).list_for_patient(chart.patient_id)}
    assert meds[("simvastatin",)].status == "stopped"
    # the list says why in plain words; the history keeps the pharmacist's record
    assert meds[("simvastatin",)].stop_reason == "No longer taken, 11/24"
    stop = MedicationService(store).history(chart.simvastatin)[-1]
    assert stop.reason.startswith("Reconciliation: stopped") and stop.decided_by == "reconciliation"
    assert "stopped by the patient in June" in stop.reason
    assert meds[("metoprolol",)].strength == "50 mg"
    # only the strength differed: the chart's plain directions stay (never "1 tab twice daily")
    assert meds[("metoprolol",)].directions == "1 tablet twice a day"
    assert meds[("aspirin",)].status == "active" and meds[("aspirin",)].source == "bottle"
    assert meds[("lisinopril",)].strength == "10 mg"  # matched: unchanged
    history = MedicationService(store).history(chart.metoprolol)
    assert [h.action for h in history] == ["started", "changed"]
    assert "strength: 25 mg → 50 mg" in history[-1].changes
    assert history[-1].decided_by == "reconciliation"
    with store.session() as s:
        v = s.get(Visit, draft.visit_id)
        assert (v.status, v.minutes, v.cpt_codes) == ("complete", 38, "99605;99607x2")
        assert v.price is None  # Part D: no self-pay price
        assert VisitDraft.from_json(v.draft_json).plan.action_items == draft.plan.action_items
        obs = sorted((o.measure, round(o.value, 2), o.unit, o.taken_on)
                     for o in s.execute(select(Observation)).scalars())
        assert obs == [("bp_systolic", 150.0, "mm[Hg]", TODAY), ("weight", 69.85, "kg", TODAY)]
        problems = {p.description: p for p in s.execute(select(DrugTherapyProblem)).scalars()}
        p1 = problems["Blood pressure above goal"]
        assert (p1.category, p1.cause, p1.medications, p1.priority, p1.status, p1.visit_id,
                p1.identified_on) == ("dosage_too_low", "dose too low", "lisinopril", "high",
                                      "open", draft.visit_id, TODAY)
        recs = {r.text: r for r in s.execute(select(Recommendation)).scalars()}
        r1 = recs["Increase lisinopril to 20 mg daily"]
        assert (r1.problem_id, r1.intervention, r1.prescriber_id, r1.sent_on, r1.sent_method,
                r1.response) == (p1.id, "change_dose", chart.prescriber_id, TODAY, "fax",
                                 "pending")
        r2 = recs["Use a weekly pill box"]
        assert (r2.recipient, r2.sent_on, r2.problem_id) == (
            "patient", None, problems["Forgets evening doses"].id)
        (goal,) = s.execute(select(Goal)).scalars()
        assert (goal.measure, goal.target, goal.target_value, goal.due_on, goal.problem_id) == (
            "bp_systolic", "below 130 mm Hg", 130.0, TODAY + timedelta(days=90), p1.id)
        (fu,) = s.execute(select(FollowUp)).scalars()
        assert (fu.due_on, fu.reason, fu.done, fu.visit_id) == (
            TODAY + timedelta(days=30), "Blood pressure check", False, draft.visit_id)
    with pytest.raises(VisitStateError, match="complete"):
        svc.complete(draft, now=NOW)
    assert svc.open_drafts() == []


def test_self_pay_visit_takes_the_service_price(store):
    chart = make_chart(store, payer="self_pay")
    with store.session() as s:
        s.add(ServiceOffering(service="tmr", name="TMR", price=75.0))
    svc = VisitService(store)
    draft = svc.start(chart.patient_id, "tmr", "telephone", today=TODAY, now=NOW)
    draft.collect.reason = "New interaction"
    draft.assess.problems = [ProblemDraft("p", "adverse_drug_reaction", "Interaction")]
    draft.plan.plans = [PlanItem("r", "p", "monitor", "pharmacist")]
    draft.follow_up.next_due = TODAY + timedelta(days=7)
    draft.minutes = 12  # typed by hand: overrides the timer
    svc.complete(draft, now=NOW + timedelta(hours=2))
    with store.session() as s:
        v = s.get(Visit, draft.visit_id)
        assert (v.price, v.minutes, v.cpt_codes) == (75.0, 12, "99605")


def test_validation_messages_block_completion(store, chart):
    svc = VisitService(store)
    draft = _full_draft(store, chart)
    draft.collect.discrepancies[0].decision = ""
    draft.plan.plans = draft.plan.plans[:1]  # p2 has no plan now
    draft.plan.goals.append(GoalDraft("a1c", ""))
    draft.plan.goals.append(GoalDraft("x" * 65, "y" * 201))
    draft.collect.vitals.append(VitalEntry("bp_systolic", 400, "mmHg"))
    problems = svc.validate_all(draft)
    assert any("choose one of: add to the list: aspirin 81 mg; leave off the list; ask the "
               "prescriber." in m for m in problems["collect"])
    assert any("400 mmHg is outside the plausible range" in m for m in problems["collect"])
    assert problems["plan"] == ["Problem “Forgets evening doses” has no plan: choose an "
                                "intervention.",
                                "Goal a1c: give the target (for example “below 7%”).",
                                f"Goal {'x' * 30}…: name the measure in at most 64 characters.",
                                f"Goal {'x' * 30}: the target is too long (at most 200 "
                                "characters)."]
    assert problems["assess"] == [] and problems["implement"] == []
    assert svc.validate(draft, "plan") == problems["plan"]
    before = counts(store)
    with pytest.raises(VisitNotReady) as err:
        svc.complete(draft, now=NOW)
    assert set(err.value.problems) == {"collect", "plan"}
    assert counts(store) == before
    draft.follow_up.next_due = None
    assert svc.validate(draft, "follow_up") == ["Schedule the next follow-up: 2 problems stay "
                                                "open."]


def test_tmr_and_med_rec_rules(store, chart):
    svc = VisitService(store)
    tmr = svc.start(chart.patient_id, "tmr", "telephone", today=TODAY, now=NOW)
    assert svc.validate(tmr, "collect") == [
        "A targeted review needs its reason: write the problem it focuses on."]
    assert svc.validate(tmr, "assess") == ["A targeted review focuses on one problem: record it."]
    rec = svc.start(chart.patient_id, "med_rec", "home", today=TODAY, now=NOW)
    assert "at least one list besides the chart's" in svc.validate(rec, "collect")[0]
    rec.collect.sources.append(source_from_lines(["lisinopril 10 mg daily"], "patient", "P"))
    assert svc.validate(rec, "collect") == []
    with pytest.raises(ValueError, match="unknown visit step"):
        svc.validate(rec, "billing")


@pytest.mark.parametrize("failing", ["add_vitals", "add_goals", "record_reviews",
                                     "finish_visit"])
def test_completion_is_all_or_nothing(store, chart, monkeypatch, failing):
    svc = VisitService(store)
    draft = _full_draft(store, chart)
    before = counts(store)
    meds_before = MedicationService(store).list_for_patient(chart.patient_id)

    def boom(c):
        raise RuntimeError("disk full")

    parts = tuple(boom if p.__name__ == failing else p for p in visit_complete.PARTS)
    monkeypatch.setattr(visit_complete, "PARTS", parts)
    with pytest.raises(RuntimeError, match="disk full"):
        svc.complete(draft, now=NOW)
    assert counts(store) == before
    assert MedicationService(store).list_for_patient(chart.patient_id) == meds_before
    assert [d.visit_id for d in svc.open_drafts()] == [draft.visit_id]
    monkeypatch.undo()
    svc.complete(svc.load_draft(draft.visit_id), now=NOW + timedelta(minutes=40))
    assert counts(store)["DrugTherapyProblem"] == 2


def test_a_chart_change_since_the_draft_refuses_the_whole_visit(store, chart):
    svc = VisitService(store)
    draft = _full_draft(store, chart)
    MedicationService(store).stop(chart.simvastatin, TODAY, "stopped on the chart", TODAY)
    before = counts(store)
    with pytest.raises(ValueError, match="already stopped"):
        svc.complete(draft, now=NOW)
    assert counts(store) == before
    with store.session() as s:
        assert s.get(MedicationEntry, chart.metoprolol).strength == "25 mg"
        assert s.get(Visit, draft.visit_id).status == "draft"


def test_every_reconciliation_decision_reaches_the_chart(store, chart):
    svc = VisitService(store)
    draft = svc.start(chart.patient_id, "med_rec", "home", today=TODAY, now=NOW)
    discharge = source_from_lines([
        "metoprolol tartrate 25 mg 1 tab twice a day",
        "lisinopril 10 mg 1 tab every morning",
        "simvastatin 40 mg 1 tab at bedtime",
        "aspirin 81 mg daily", "omeprazole 20 mg daily", "warfarin 5 mg daily",
        "furosemide 40 mg every morning"], "discharge_list", "Hospital discharge list")
    patient = source_from_lines(["metoprolol 25 mg 1 tab twice a day",
                                 "lisinopril 20 mg 1 tab every morning"], "patient", "Patient says")
    draft.collect.sources += [discharge, patient]
    found = find_discrepancies(draft.collect.sources[0], [discharge, patient])
    by_key = {d.key: d for d in found}
    # the discharge list says what she should take; her own list at another strength is a
    # bottle of the old strength still at home
    assert set(by_key) == {"omission:aspirin", "omission:omeprazole", "omission:warfarin",
                           "omission:furosemide", "still_at_home:lisinopril:patient:strength"}
    by_key["omission:aspirin"].decision = "add"
    by_key["omission:aspirin"].details_unknown = True
    by_key["omission:omeprazole"].decision = "leave_off"  # the hospital's, not hers
    by_key["omission:warfarin"].decision = "add"
    by_key["omission:warfarin"].new_directions = "1 tablet every evening"
    by_key["omission:warfarin"].indication = "to prevent blood clots"
    by_key["omission:warfarin"].prescriber_id = chart.prescriber_id
    by_key["omission:furosemide"].decision = "ask_prescriber"
    dose = by_key["still_at_home:lisinopril:patient:strength"]
    dose.decision, dose.note = "ask_prescriber", "Patient says 20 mg since March"
    draft.collect.discrepancies = found
    draft.implement.sent = [SentRecommendation(dose.key, TODAY, "phone")]
    assert svc.validate_all(draft) == {s: [] for s in svc.validate_all(draft)}
    svc.complete(draft, now=NOW + timedelta(minutes=25))
    meds = {m.ingredients: m for m in MedicationService(store).list_for_patient(chart.patient_id)}
    assert (meds[("aspirin",)].status, meds[("aspirin",)].source) == ("active", "discharge_list")
    assert ("omeprazole",) not in meds  # left off the list
    warfarin = meds[("warfarin",)]
    assert (warfarin.directions, warfarin.strength, warfarin.indication, warfarin.prescriber_id) \
        == ("1 tablet every evening", "5 mg", "to prevent blood clots", chart.prescriber_id)
    assert ("furosemide",) not in meds  # waiting for the prescriber
    assert meds[("lisinopril",)].strength == "10 mg"
    history = MedicationService(store).history(warfarin.id)
    assert [(h.action, h.decided_by) for h in history] == [("started", "reconciliation")]
    with store.session() as s:
        recs = s.execute(select(Recommendation).order_by(Recommendation.id)).scalars().all()
    assert [(r.intervention, r.prescriber_id, r.sent_on, r.sent_method) for r in recs] == [
        ("start", None, None, ""),  # furosemide: not on the chart, no prescriber known
        ("change_dose", chart.prescriber_id, TODAY, "phone")]
    assert "Patient says 20 mg since March" in recs[1].text


def test_an_earlier_problem_is_updated_not_duplicated(store, chart):
    svc = VisitService(store)
    first = svc.start(chart.patient_id, "tmr", "telephone", today=TODAY, now=NOW)
    first.collect.reason = "Cough"
    first.assess.problems = [ProblemDraft("c", "adverse_drug_reaction", "Cough")]
    first.plan.plans = [PlanItem("x", "c", "monitor", "pharmacist")]
    first.follow_up.next_due = TODAY + timedelta(days=10)
    svc.complete(first, now=NOW + timedelta(minutes=10))
    (old,) = svc.open_problems(chart.patient_id)
    later = TODAY + timedelta(days=10)
    second = svc.start(chart.patient_id, "cmr", "home", today=later, now=NOW + timedelta(days=10))
    second.assess.problems = [ProblemDraft("c2", "adverse_drug_reaction", "ACE-inhibitor cough",
                                           cause="lisinopril", medications=["lisinopril"],
                                           priority="high", existing_problem_id=old.problem_id)]
    second.plan.plans = [PlanItem("y", "c2", "change_drug", "prescriber", chart.prescriber_id,
                                  "Switch lisinopril to losartan")]
    second.follow_up.reviews[0].outcome = "worse"
    second.follow_up.next_due = later + timedelta(days=14)
    assert svc.validate(second, "follow_up") == []
    svc.complete(second, now=NOW + timedelta(days=10, minutes=30))
    (p,) = svc.open_problems(chart.patient_id)
    assert (p.problem_id, p.description, p.priority, p.identified_on, p.outcome) == (
        old.problem_id, "ACE-inhibitor cough", "high", TODAY, "worse")
    assert [r.text for r in p.recommendations] == ["", "Switch lisinopril to losartan"]


def test_implement_and_follow_up_checks(store, chart):
    svc = VisitService(store)
    draft = _full_draft(store, chart)
    draft.implement.sent = [SentRecommendation("gone", TODAY - timedelta(days=1), "pigeon")]
    draft.follow_up.next_due = TODAY - timedelta(days=1)
    draft.follow_up.next_modality = "carrier pigeon"
    assert svc.validate(draft, "implement") == [
        "A recommendation marked as sent is no longer in the plan; remove it.",
        "Choose how the recommendation was sent (fax, phone, letter, portal, in person).",
        "A recommendation is marked as sent on 2026-11-23, before the visit."]
    assert svc.validate(draft, "follow_up") == [
        "The next follow-up is dated before this visit.",
        "Choose how the next follow-up happens: home, video, telephone or clinic."]


def test_timer_minutes_round_half_up_and_mix_naive_with_aware():
    from datetime import datetime

    from mmsdesk.services.visits.service import timer_minutes

    assert timer_minutes(NOW, NOW + timedelta(minutes=22, seconds=29)) == 22
    assert timer_minutes(NOW, NOW + timedelta(minutes=22, seconds=30)) == 23
    assert timer_minutes(NOW, NOW - timedelta(minutes=5)) == 0
    assert timer_minutes(None, NOW) is None and timer_minutes(NOW, None) is None
    local = datetime(2026, 11, 24, 9, 0)
    assert timer_minutes(local, local.astimezone() + timedelta(minutes=15)) == 15


def test_open_drafts_most_recently_saved_first(store, chart):
    svc = VisitService(store)
    a = svc.start(chart.patient_id, "cmr", "home", today=TODAY, now=NOW)
    b = svc.start(chart.patient_id, "tmr", "video", today=TODAY, now=NOW)
    assert [d.visit_id for d in svc.open_drafts()] == [b.visit_id, a.visit_id]
    a.collect.concerns = "Cost of inhalers"
    svc.save_draft(a)
    drafts = svc.open_drafts(chart.patient_id)
    assert [d.visit_id for d in drafts] == [a.visit_id, b.visit_id]
    assert drafts[0].updated_at >= drafts[1].updated_at


def test_autosave_survives_text_the_store_cannot_hold(store, chart):
    svc = VisitService(store)
    draft = svc.start(chart.patient_id, "cmr", "home", today=TODAY, now=NOW)
    draft.collect.concerns = "pasted \ud83d half an emoji and a NUL \x00 here"
    svc.save_draft(draft)
    assert svc.load_draft(draft.visit_id).collect.concerns == (
        "pasted \ufffd half an emoji and a NUL \x00 here")


def test_one_chart_entry_in_two_discrepancies(store, chart):
    svc = VisitService(store)
    draft = svc.start(chart.patient_id, "med_rec", "home", today=TODAY, now=NOW)
    chart_list = draft.collect.sources[0]
    dup = chart_list.items[0].__class__(**{**chart_list.items[0].__dict__, "medication_id": 99})
    chart_list.items.append(dup)  # metoprolol twice on the chart
    bottles = source_from_lines(["metoprolol tartrate 50 mg 1 tab twice a day",
                                 "lisinopril 10 mg 1 tab every morning",
                                 "simvastatin 40 mg at bedtime"], "bottle", "Bottles")
    draft.collect.sources.append(bottles)
    draft.collect.discrepancies = find_discrepancies(chart_list, [bottles])
    mine = [d for d in draft.collect.discrepancies if d.medication_id == chart.metoprolol]
    assert sorted(d.kind for d in mine) == ["dose", "duplication"]
    for d in draft.collect.discrepancies:
        d.decision = next(v for v, _ in decision_choices(d)
                          if v in ("keep", "leave_off", "ask_prescriber"))
    dose, duplication = mine  # dose first
    dose.decision, duplication.decision = "keep", "stop"
    assert svc.validate(draft, "collect") == []
    draft.collect.sources[0].items.pop()  # the made-up second entry is not in the store
    draft.collect.discrepancies = [d for d in draft.collect.discrepancies
                                   if d.medication_id != 99]
    svc.complete(draft, now=NOW + timedelta(minutes=20))  # stopped once, not refused twice
    history = MedicationService(store).history(chart.metoprolol)
    assert [h.action for h in history] == ["started", "stopped"]
    draft2 = svc.start(chart.patient_id, "med_rec", "home", today=TODAY, now=NOW)
    draft2.collect.discrepancies = [d for d in mine]
    mine[0].decision, mine[1].decision = "change", "stop"
    mine[0].new_strength = "50 mg"
    assert any("one discrepancy stops it and another changes it" in m
               for m in svc.validate(draft2, "collect"))


def test_the_benchmark_cmr_draft_is_one_the_wizard_would_complete(demo_store):
    """`mmsdesk bench` completes the draft it builds: its decisions must be valid ones."""
    from mmsdesk.bench.visits import _cmr_draft
    from mmsdesk.services.patients import PatientService

    pid = next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Johnson")
    svc = VisitService(demo_store)
    draft = _cmr_draft(svc, demo_store, pid)
    assert svc.validate(draft, "collect") == []
    svc.complete(draft, now=NOW + timedelta(minutes=40))
