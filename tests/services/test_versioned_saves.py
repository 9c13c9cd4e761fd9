"""Two people, one chart (issue 22): the saves that a screen makes after showing a record go
against the version it showed, for the records beyond the chart's own forms: caregivers edited
with the patient, the visit draft two people opened, the problems, recommendations and goals
judged at a follow-up, a prescriber's answer recorded from the dashboard. A colleague's save
meanwhile is refused (RecordChanged, naming the record), never silently overwritten.

Runs on SQLite and on PostgreSQL (tests/services/conftest.py); two services over one store
stand for two people: the versions, not the connections, decide."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mmsdesk.models import DrugTherapyProblem, Goal, Recommendation
from mmsdesk.services.care_team import CareTeamService
from mmsdesk.services.patients import CaregiverInput, PatientService
from mmsdesk.services.visits.draft import GoalDraft, PlanItem, ProblemDraft, SentRecommendation
from mmsdesk.services.visits.service import VisitService, shown_reviews
from mmsdesk.store.conflicts import RecordChanged
from tests.conftest import TODAY
from tests.services.visit_helpers import NOW

LATER = TODAY + timedelta(days=30)


def test_a_caregiver_added_meanwhile_is_not_erased_by_a_patient_form_that_did_not_show_it(
        store, chart):
    patients = PatientService(store)
    shown = patients.get(chart.patient_id)  # my patient form is open: no caregivers
    CareTeamService(store).add_caregiver(chart.patient_id, "Lucía Müller", "daughter",
                                         "555-0140")  # a colleague, in the care team
    data = shown.data
    data.phone = "555-0199"
    with pytest.raises(RecordChanged) as refused:  # it would delete her by rewriting the list
        patients.update(chart.patient_id, data, TODAY, expected_version=shown.version)
    assert refused.value.entity == "patient"
    now = patients.get(chart.patient_id)
    assert [c.name for c in now.data.caregivers] == ["Lucía Müller"] and now.data.phone == ""

    data = now.data  # reloaded: mine made again on what is stored
    data.phone = "555-0199"
    patients.update(chart.patient_id, data, TODAY, expected_version=now.version)
    assert [c.name for c in patients.get(chart.patient_id).data.caregivers] == ["Lucía Müller"]


def test_a_caregivers_only_edit_is_a_new_version_of_the_patient(store, chart):
    patients = PatientService(store)
    shown = patients.get(chart.patient_id)
    theirs = patients.get(chart.patient_id).data
    theirs.caregivers = [CaregiverInput("Ana Stone", "niece", "555-0101", True)]
    patients.update(chart.patient_id, theirs, TODAY, expected_version=shown.version)
    mine = shown.data
    mine.caregivers = [CaregiverInput("Tom Stone", "son", "555-0102", False)]
    with pytest.raises(RecordChanged):
        patients.update(chart.patient_id, mine, TODAY, expected_version=shown.version)
    assert [c.name for c in patients.get(chart.patient_id).data.caregivers] == ["Ana Stone"]


def test_removing_a_caregiver_in_the_care_team_refuses_a_form_still_showing_them(store, chart):
    patients, team = PatientService(store), CareTeamService(store)
    team.add_caregiver(chart.patient_id, "Lucía Müller", "daughter")
    shown = patients.get(chart.patient_id)
    (cg,) = team.team(chart.patient_id).caregivers
    team.remove_caregiver(cg.id)
    with pytest.raises(RecordChanged):  # it would bring her back
        patients.update(chart.patient_id, shown.data, TODAY, expected_version=shown.version)
    assert patients.get(chart.patient_id).data.caregivers == []


def test_two_windows_on_one_draft_the_second_autosave_is_refused(store, chart):
    mine, theirs = VisitService(store), VisitService(store)
    draft = mine.start(chart.patient_id, "cmr", "home", today=TODAY, now=NOW)
    other = theirs.resume(draft.visit_id, now=NOW)  # a colleague opens the same draft
    other.collect.reason = "Dizziness since the new dose"
    theirs.save_draft(other)
    draft.collect.reason = "Annual review"
    with pytest.raises(RecordChanged) as refused:
        mine.save_draft(draft)
    assert refused.value.entity == "visit"
    assert ("reason", "Annual review", "Dizziness since the new dose") in \
        refused.value.differences
    assert mine.load_draft(draft.visit_id).collect.reason == "Dizziness since the new dose"

    theirs.save_draft(other)  # their window goes on saving: its version is current
    reloaded = mine.load_draft(draft.visit_id)  # Reload: the stored draft, its version
    reloaded.collect.reason += "; annual review"
    mine.save_draft(reloaded)
    with pytest.raises(RecordChanged):  # and now theirs is the stale one
        theirs.save_draft(other)


def test_keep_editing_saves_the_draft_over_theirs_knowingly(store, chart):
    mine, theirs = VisitService(store), VisitService(store)
    draft = mine.start(chart.patient_id, "cmr", "home", today=TODAY, now=NOW)
    other = theirs.load_draft(draft.visit_id)
    other.collect.reason = "theirs"
    theirs.save_draft(other)
    draft.collect.reason = "mine"
    with pytest.raises(RecordChanged) as refused:
        mine.save_draft(draft)
    mine.after_refusal(draft, refused.value.entity, refused.value.entity_id, keep_mine=True)
    mine.save_draft(draft)
    assert mine.load_draft(draft.visit_id).collect.reason == "mine"


def test_completing_a_draft_a_colleague_saved_meanwhile_is_refused(store, chart):
    mine, theirs = VisitService(store), VisitService(store)
    draft = mine.start(chart.patient_id, "tmr", "telephone", today=TODAY, now=NOW)
    draft.collect.reason = "Cough"
    draft.assess.problems = [ProblemDraft("c", "adverse_drug_reaction", "Cough")]
    draft.plan.plans = [PlanItem("x", "c", "monitor", "pharmacist")]
    draft.follow_up.next_due = TODAY + timedelta(days=14)
    assert mine.validate_all(draft) == {k: [] for k in mine.validate_all(draft)}
    other = theirs.load_draft(draft.visit_id)
    other.collect.reason = "Cough and dizziness"
    theirs.save_draft(other)
    with pytest.raises(RecordChanged):
        mine.complete(draft, now=NOW + timedelta(minutes=20))
    assert mine.open_drafts(chart.patient_id)  # still a draft: nothing of mine was applied


def _first_visit(svc: VisitService, chart) -> None:
    d = svc.start(chart.patient_id, "cmr", "home", today=TODAY, now=NOW)
    d.assess.problems = [ProblemDraft("p1", "unnecessary_drug_therapy", "Simvastatin and "
                                      "myalgia", medications=["simvastatin"])]
    d.plan.plans = [PlanItem("r1", "p1", "stop", "prescriber", chart.prescriber_id,
                             "Stop simvastatin; recheck CK")]
    d.plan.goals = [GoalDraft("g1", "A1c below 7%", "<", 7.0, TODAY + timedelta(days=90))]
    d.implement.sent = [SentRecommendation("r1", TODAY, "fax")]
    d.follow_up.next_due = TODAY + timedelta(days=28)
    svc.complete(d, now=NOW + timedelta(minutes=30))


def _follow_up(svc: VisitService, chart):
    two = svc.start(chart.patient_id, "follow_up", "telephone", today=LATER,
                    now=NOW + timedelta(days=30))
    (review,) = two.follow_up.reviews
    review.outcome, review.prescriber_response = "improved", "accepted"
    review.note = "Dr Ruiz agreed by phone"
    two.follow_up.next_due = LATER + timedelta(days=30)
    return two, review


def test_an_answer_recorded_from_the_dashboard_after_the_judgement_is_not_overwritten(
        store, chart):
    svc = VisitService(store)
    _first_visit(svc, chart)
    two, review = _follow_up(svc, chart)
    # a colleague files the faxed reply from the dashboard, after my judgement
    VisitService(store).record_reply(review.recommendation_id, "declined", LATER - timedelta(days=1),
                                     "Prefers to keep it")
    with pytest.raises(RecordChanged) as refused:
        svc.complete(two, now=NOW + timedelta(days=30, minutes=10))
    assert (refused.value.entity, refused.value.entity_id) == (
        "recommendation", str(review.recommendation_id))
    assert ("response", "accepted", "declined") in refused.value.differences
    with store.session() as s:
        assert s.get(Recommendation, review.recommendation_id).response == "declined"
        assert s.get(DrugTherapyProblem, review.problem_id).outcome == ""  # nothing applied

    # Reload: the judgement of that problem is cleared, to be made again on what is stored
    svc.after_refusal(two, refused.value.entity, refused.value.entity_id, keep_mine=False)
    assert (review.outcome, review.prescriber_response, review.note) == ("", "", "")
    assert svc.validate(two, "follow_up")  # a follow-up asks for the judgement again
    review.outcome, review.prescriber_response = "unchanged", "declined"
    svc.complete(two, now=NOW + timedelta(days=30, minutes=15))
    with store.session() as s:
        rec = s.get(Recommendation, review.recommendation_id)
        assert (rec.response, rec.response_note) == ("declined", "Prefers to keep it")
        assert s.get(DrugTherapyProblem, review.problem_id).outcome == "unchanged"


def test_a_goal_judged_by_a_colleague_meanwhile_is_refused_then_kept_knowingly(store, chart):
    svc = VisitService(store)
    _first_visit(svc, chart)
    two, review = _follow_up(svc, chart)
    (goal,) = two.follow_up.goals
    goal.status, goal.note = "met", "6.8 %"
    with store.session() as s:  # a colleague's follow-up judged it first
        g = s.get(Goal, goal.goal_id)
        g.status = "not_met"
        s.add(g)
    with pytest.raises(RecordChanged) as refused:
        svc.complete(two, now=NOW + timedelta(days=30, minutes=10))
    assert refused.value.entity == "goal"
    svc.after_refusal(two, refused.value.entity, refused.value.entity_id, keep_mine=True)
    assert goal.status == "met"  # Keep editing: mine stays, saved over theirs on purpose
    svc.complete(two, now=NOW + timedelta(days=30, minutes=10))
    with store.session() as s:
        assert s.get(Goal, goal.goal_id).status == "met"


def test_the_follow_up_step_shows_fresh_versions_for_what_is_not_judged_yet(store, chart):
    svc = VisitService(store)
    _first_visit(svc, chart)
    two = svc.start(chart.patient_id, "follow_up", "telephone", today=LATER,
                    now=NOW + timedelta(days=30))
    (review,) = two.follow_up.reviews
    (goal,) = two.follow_up.goals
    before = (review.problem_version, review.recommendation_version, goal.version)
    VisitService(store).record_reply(review.recommendation_id, "accepted", LATER, "")
    with store.session() as s:
        g = s.get(Goal, goal.goal_id)
        g.notes = "asked about the meter"
        s.add(g)
    # the step is shown again: not judged yet, so the judgement will be made on what it shows
    shown_reviews(two, svc.open_problems(chart.patient_id), svc.open_goals(chart.patient_id))
    assert len(two.follow_up.reviews) == 1 and len(two.follow_up.goals) == 1
    assert review.recommendation_version == before[1] + 1 and goal.version == before[2] + 1
    review.outcome, review.prescriber_response = "improved", "accepted"
    goal.status = "met"
    two.follow_up.next_due = LATER + timedelta(days=30)
    judged_on = goal.version
    with store.session() as s:  # a colleague changes the goal after my judgement
        g = s.get(Goal, goal.goal_id)
        g.notes += "; meter replaced"
        s.add(g)
    shown_reviews(two, svc.open_problems(chart.patient_id), svc.open_goals(chart.patient_id))
    assert goal.version == judged_on  # judged: it keeps the version it was judged on
    with pytest.raises(RecordChanged) as refused:
        svc.complete(two, now=NOW + timedelta(days=30, minutes=10))
    assert refused.value.entity == "goal"
    svc.after_refusal(two, "goal", str(goal.goal_id), keep_mine=False)
    assert goal.status == "" and goal.version == judged_on + 1  # to judge again, on theirs
    goal.status = "met"
    svc.complete(two, now=NOW + timedelta(days=30, minutes=10))
    with store.session() as s:
        g = s.get(Goal, goal.goal_id)
        assert (g.status, g.notes) == ("met", "asked about the meter; meter replaced")


def test_the_practice_profile_and_services_save_against_what_the_settings_read(store):
    from dataclasses import replace

    from mmsdesk.services.practice import OfferingData, PracticeService, ProfileData

    practice = PracticeService(store)
    practice.save_profile(ProfileData(name="Ana Ruiz", credentials="PharmD"))
    practice.save_catalogue([OfferingData("cmr", "Comprehensive review", 60, 150.0)])
    read = practice.versions()
    colleague = PracticeService(store)
    colleague.save_profile(ProfileData(name="Ana Ruiz", credentials="PharmD, BCGP"))
    with pytest.raises(RecordChanged) as refused:
        practice.save_profile(ProfileData(name="Ana Ruiz", credentials="PharmD",
                                          phone="555-0100"), expected=read)
    assert refused.value.entity == "pharmacist_profile"
    assert ("phone", "555-0100", "") in refused.value.differences
    assert practice.profile().phone == ""  # nothing of mine

    colleague.save_catalogue([OfferingData("cmr", "Comprehensive review", 60, 150.0),
                              OfferingData("tmr", "Targeted review", 20, 50.0)])
    with pytest.raises(RecordChanged) as added:  # mine would delete the service they added
        practice.save_catalogue([OfferingData("cmr", "Comprehensive review", 60, 175.0)],
                                expected=read)
    assert added.value.entity == "service_offering"
    assert [o.service for o in practice.catalogue()] == ["cmr", "tmr"]

    read = practice.versions()  # reloaded
    colleague.save_catalogue([OfferingData("cmr", "Comprehensive review", 60, 160.0),
                              OfferingData("tmr", "Targeted review", 20, 50.0)])
    with pytest.raises(RecordChanged):  # a price they changed
        practice.save_catalogue([OfferingData("cmr", "Comprehensive review", 60, 175.0),
                                 OfferingData("tmr", "Targeted review", 20, 50.0)],
                                expected=read)
    assert practice.catalogue()[0].price == 160.0

    read = practice.versions()
    practice.save_catalogue([OfferingData("cmr", "Comprehensive review", 60, 175.0)],
                            expected=read)  # as read: mine, removing one, is saved
    assert [(o.service, o.price) for o in practice.catalogue()] == [("cmr", 175.0)]
    read = replace(read, offerings=practice.versions().offerings)  # as the dialog does
    practice.save_profile(ProfileData(name="Ana Ruiz", credentials="PharmD, BCGP",
                                      phone="555-0100"), expected=read)
    assert practice.profile().phone == "555-0100"


def test_two_drafts_of_one_visit_are_compared_step_by_step(store, chart):
    from mmsdesk.services.visits.draft import step_differences

    svc = VisitService(store)
    mine = svc.start(chart.patient_id, "cmr", "home", today=TODAY, now=NOW)
    theirs = svc.load_draft(mine.visit_id)
    assert step_differences(mine, theirs) == []
    mine.collect.reason = "Annual review"  # the visit's reason has its own row
    theirs.assess.problems = [ProblemDraft("p1", "adverse_drug_reaction", "Dizziness")]
    theirs.plan.goals = [GoalDraft("g1", "No falls", "", None, None)]
    theirs.follow_up.next_due = TODAY + timedelta(days=14)
    assert step_differences(mine, theirs) == [
        ("assess step", "0 problems", "1 problem"),
        ("plan step", "0 recommendations, 0 goals, 0 to-do items",
         "0 recommendations, 1 goal, 0 to-do items"),
        ("follow-up step", "0 of 0 problems judged, next contact not set",
         f"0 of 0 problems judged, next contact {(TODAY + timedelta(days=14)).isoformat()}")]
    mine.assess.problems = [ProblemDraft("p1", "adverse_drug_reaction", "Dizzy spells")]
    assert ("assess step", "1 problem", "as many entries, written differently") in \
        step_differences(mine, theirs)
