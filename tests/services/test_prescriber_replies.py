"""A prescriber's reply changes the list only when accepted and confirmed: the Plan step's
proposed change reaches the recommendation, a reply applies it once through the medication
service (history: on the prescriber's reply, decided by the prescriber; the PML's reason in
plain words), and a Follow-up visit applies it at completion."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from mmsdesk.models import MedicationEvent, Prescriber, ProblemEvent, Recommendation
from mmsdesk.services.medications import MedicationService
from mmsdesk.services.validation import ValidationError
from mmsdesk.services.visits.draft import PlanItem, ProblemDraft, SentRecommendation
from mmsdesk.services.visits.replies import Proposal, describe, plain_prescriber
from mmsdesk.services.visits.service import VisitNotReady, VisitService
from mmsdesk.store.conflicts import RecordChanged
from tests.conftest import TODAY
from tests.services.visit_helpers import NOW, REPLY, Bob, make_bob, sent_recommendation


@pytest.fixture
def bob(store) -> Bob:
    return make_bob(store)


def _row(store, med_id: int):
    return MedicationService(store).get(med_id)


def _events(store, med_id: int) -> list[MedicationEvent]:
    with store.session() as s:
        return list(s.execute(select(MedicationEvent).where(
            MedicationEvent.medication_id == med_id).order_by(MedicationEvent.id)).scalars())


# -- words
@pytest.mark.parametrize(("intervention", "medicine", "new", "strength", "directions", "said"), [
    ("stop", "Doxazosin 4 mg tablet", "", "", "", "Stop Doxazosin 4 mg tablet"),
    ("change_dose", "Apixaban 5 mg tablet", "", "2.5 mg", "Take 1 tablet twice a day",
     "Change Apixaban 5 mg tablet to 2.5 mg, take 1 tablet twice a day"),
    ("change_dose", "Apixaban 5 mg tablet", "", "2.5 mg", "", "Change Apixaban 5 mg tablet "
     "to 2.5 mg"),
    ("change_dose", "Metoprolol 25 mg tablet", "", "", "1 tablet twice a day",
     "Change Metoprolol 25 mg tablet to take 1 tablet twice a day"),
    ("start", "", "Empagliflozin 10 mg tablet", "10 mg", "1 tablet every morning",
     "Start Empagliflozin 10 mg tablet, take 1 tablet every morning"),
    ("change_drug", "Doxazosin 4 mg tablet", "Tamsulosin 0.4 mg capsule", "", "",
     "Stop Doxazosin 4 mg tablet and start Tamsulosin 0.4 mg capsule"),
])
def test_a_change_in_plain_words(intervention, medicine, new, strength, directions, said):
    assert describe(intervention, medicine, new, strength, directions) == said


@pytest.mark.parametrize(("first", "last", "credentials", "said"), [
    ("Chidi", "Okafor", "MD", "Dr Okafor"), ("Ana", "Ruiz", "M.D., FACP", "Dr Ruiz"),
    ("Lee", "Park", "DO", "Dr Park"), ("Jo", "Bell", "NP", "Jo Bell"),
    ("Sam", "Ode", "", "Sam Ode")])
def test_the_prescriber_as_the_patient_names_them(first, last, credentials, said):
    assert plain_prescriber(Prescriber(first_name=first, last_name=last,
                                       credentials=credentials)) == said


def test_a_proposal_keeps_only_what_its_intervention_uses():
    assert Proposal.of("stop", 4, "x", "5 mg", "daily") == Proposal("stop", 4)
    assert Proposal.of("start", 4, " empagliflozin  10 mg ", "10 mg", "") == Proposal(
        "start", None, "empagliflozin 10 mg", "10 mg")
    assert Proposal.of("monitor", 4, "x", "5 mg", "daily") == Proposal("monitor")
    assert not Proposal.of("change_dose", 4, "", "", "").is_change
    assert not Proposal.of("stop", None, "", "", "").is_change  # free text only, as before


# -- the dashboard's reply
def test_an_accepted_stop_applied_stops_the_medicine_in_the_replys_transaction(store, bob):
    rec_id = sent_recommendation(store, bob, "stop", medication_id=bob.doxazosin)
    svc = VisitService(store)
    shown = svc.proposed_change(rec_id, TODAY)
    assert shown is not None and shown.description == "Stop Doxazosin 4 mg tablet"
    assert shown.prescriber == "Dr Okafor" and shown.applied_on is None

    result = svc.record_reply(rec_id, "accepted", REPLY, "Signed reply filed", apply=True)

    assert result.applied is not None and result.applied.stopped == (bob.doxazosin,)
    assert result.changes.touches("medications")
    row = _row(store, bob.doxazosin)
    assert (row.status, row.stopped, row.stop_reason) == ("stopped", REPLY,
                                                          "Stopped by Dr Okafor")
    last = MedicationService(store).history(bob.doxazosin)[-1]
    assert (last.action, last.decided_by) == ("stopped", "prescriber")
    assert last.reason == (f"On the prescriber's reply of {REPLY:%m/%d/%Y}: stopped by "
                           "Dr Okafor")
    with store.session() as s:
        rec = s.get(Recommendation, rec_id)
        assert (rec.response, rec.response_on, rec.applied_on) == ("accepted", REPLY, REPLY)


def test_a_change_is_never_applied_twice(store, bob):
    rec_id = sent_recommendation(store, bob, "change_dose", medication_id=bob.apixaban,
                                 proposed_strength="2.5 mg")
    svc = VisitService(store)
    svc.record_reply(rec_id, "accepted", REPLY, apply=True)
    before = len(_events(store, bob.apixaban))
    with pytest.raises(ValidationError) as exc:
        svc.record_reply(rec_id, "modified", TODAY, "again", apply=True, strength="5 mg")
    assert "already made on the list" in exc.value.errors["apply"]
    assert _row(store, bob.apixaban).strength == "2.5 mg"
    assert len(_events(store, bob.apixaban)) == before
    with store.session() as s:  # the second answer was not recorded either
        assert s.get(Recommendation, rec_id).response_on == REPLY
    assert svc.check_reply(rec_id, TODAY)["apply"].startswith("This change was already made")


@pytest.mark.parametrize("answer", ["declined", "no_answer"])
def test_declined_or_no_answer_changes_nothing(store, bob, answer):
    rec_id = sent_recommendation(store, bob, "stop", medication_id=bob.doxazosin)
    svc = VisitService(store)
    with pytest.raises(ValidationError):
        svc.record_reply(rec_id, answer, REPLY, apply=True)
    result = svc.record_reply(rec_id, answer, REPLY)
    assert result.applied is None and not result.changes.touches("medications")
    assert _row(store, bob.doxazosin).status == "active"
    assert len(_events(store, bob.doxazosin)) == 1  # "started" only


def test_accepted_without_confirmation_records_the_answer_only(store, bob):
    rec_id = sent_recommendation(store, bob, "stop", medication_id=bob.doxazosin)
    VisitService(store).record_reply(rec_id, "accepted", REPLY)
    assert _row(store, bob.doxazosin).status == "active"
    with store.session() as s:
        rec = s.get(Recommendation, rec_id)
        assert (rec.response, rec.applied_on) == ("accepted", None)


def test_a_dose_changed_by_the_prescriber_reads_its_strength_or_nothing_is_recorded(store, bob):
    rec_id = sent_recommendation(store, bob, "change_dose", medication_id=bob.apixaban,
                                 proposed_strength="2.5 mg",
                                 proposed_directions="1 tablet twice a day")
    svc = VisitService(store)
    assert svc.check_reply(rec_id, REPLY, "25 mg / 100 mg", None)["strength"].startswith(
        "Could not read “25 mg / 100 mg” as the strength of apixaban")
    with pytest.raises(ValidationError) as exc:
        svc.record_reply(rec_id, "modified", REPLY, apply=True, strength="25 mg / 100 mg")
    assert "strength" in exc.value.errors
    with store.session() as s:  # one transaction: the answer was not kept without its change
        assert s.get(Recommendation, rec_id).response == "pending"
        assert s.execute(select(ProblemEvent)).first() is None

    result = svc.record_reply(rec_id, "modified", REPLY, "2.5 mg, with food", apply=True,
                              strength="2.5 mg", directions="1 tablet twice a day with food")
    assert result.applied is not None and result.applied.description == (
        "Change Apixaban 5 mg tablet (Eliquis) to 2.5 mg, take 1 tablet twice a day with food")
    row = _row(store, bob.apixaban)
    assert (row.name, row.directions) == ("Apixaban 2.5 mg tablet (Eliquis)",
                                          "1 tablet twice a day with food")
    last = MedicationService(store).history(bob.apixaban)[-1]
    assert last.decided_by == "prescriber"
    assert last.reason == (f"On the prescriber's reply of {REPLY:%m/%d/%Y}: dose changed by "
                           "Dr Okafor to 2.5 mg, take 1 tablet twice a day with food")
    assert "strength: 5 mg → 2.5 mg" in last.changes


def test_a_start_and_a_change_of_drug_go_on_the_list(store, bob):
    svc = VisitService(store)
    start = sent_recommendation(store, bob, "start", proposed_medicine="empagliflozin",
                                proposed_strength="10 mg",
                                proposed_directions="1 tablet every morning")
    switch = sent_recommendation(store, bob, "change_drug", medication_id=bob.doxazosin,
                                 proposed_medicine="tamsulosin 0.4 mg capsule",
                                 proposed_directions="1 capsule at bedtime")
    started = svc.record_reply(start, "accepted", REPLY, apply=True).applied
    switched = svc.record_reply(switch, "accepted", REPLY, apply=True).applied
    assert started is not None and switched is not None
    new = _row(store, started.started[0])
    assert (new.name, new.directions, new.prescriber_id, new.started) == (
        "Empagliflozin 10 mg", "1 tablet every morning", bob.okafor, REPLY)
    assert MedicationService(store).history(new.id)[-1].decided_by == "prescriber"
    dox = _row(store, bob.doxazosin)
    assert dox.status == "stopped" and dox.stop_reason.startswith("Changed to Tamsulosin 0.4 mg")
    assert dox.stop_reason.endswith("by Dr Okafor")
    assert _row(store, switched.started[0]).name.startswith("Tamsulosin 0.4 mg")


def test_a_change_that_no_longer_fits_the_list_is_refused(store, bob):
    rec_id = sent_recommendation(store, bob, "stop", medication_id=bob.doxazosin)
    MedicationService(store).stop(bob.doxazosin, TODAY - timedelta(days=5), "Dizzy", TODAY)
    svc = VisitService(store)
    assert "was stopped" in svc.check_reply(rec_id, REPLY)["medication"]
    with pytest.raises(ValidationError):
        svc.record_reply(rec_id, "accepted", REPLY, apply=True)


# -- the Plan step and completion
def _visit_with_plan(svc, bob, **change):
    d = svc.start(bob.patient_id, "cmr", "home", today=TODAY, now=NOW)
    d.assess.problems = [ProblemDraft("p1", "dosage_too_high", "Apixaban dose too high for "
                                      "age and kidneys", medications=["apixaban"])]
    d.plan.plans = [PlanItem("r1", "p1", "change_dose", "prescriber", bob.okafor,
                             "Reduce apixaban", **change)]
    d.implement.sent = [SentRecommendation("r1", TODAY, "fax")]
    d.follow_up.next_due = TODAY + timedelta(days=28)
    return d


def test_the_plan_refuses_a_strength_that_does_not_read(store, bob):
    svc = VisitService(store)
    d = _visit_with_plan(svc, bob, medication_id=bob.apixaban, proposed_strength="5 ml")
    (msg,) = svc.validate(d, "plan")
    assert msg.startswith("Plan for “Apixaban dose too high for age and kidneys”: Could not "
                          "read “5 ml” as the strength of apixaban")
    with pytest.raises(VisitNotReady):
        svc.complete(d, now=NOW + timedelta(minutes=30))
    d.plan.plans[0].proposed_strength = "2,5 mg"  # a decimal comma: once read as 5 mg
    assert "Could not read “2,5 mg”" in svc.validate(d, "plan")[0]
    d.plan.plans[0].medication_id = None
    assert "choose the medicine" in svc.validate(d, "plan")[0].lower()
    d.plan.plans[0].medication_id, d.plan.plans[0].proposed_strength = bob.apixaban, "2.5 mg"
    assert svc.validate(d, "plan") == []


def test_completion_copies_the_proposed_change_onto_the_recommendation(store, bob):
    svc = VisitService(store)
    d = _visit_with_plan(svc, bob, medication_id=bob.apixaban, proposed_strength="2.5 mg",
                         proposed_directions="1 tablet twice a day",
                         proposed_medicine="ignored for a dose change")
    svc.complete(d, now=NOW + timedelta(minutes=30))
    with store.session() as s:
        rec = s.execute(select(Recommendation)).scalar_one()
        assert (rec.medication_id, rec.proposed_medicine, rec.proposed_strength,
                rec.proposed_directions, rec.applied_on) == (
            bob.apixaban, "", "2.5 mg", "1 tablet twice a day", None)
    assert _row(store, bob.apixaban).strength == "5 mg"  # nothing changes before the reply


# -- the Follow-up step
def _follow_up(svc, store, bob, response: str, apply: bool, **edits):
    svc.complete(_visit_with_plan(svc, bob, medication_id=bob.apixaban,
                                  proposed_strength="2.5 mg"), now=NOW + timedelta(minutes=30))
    later = TODAY + timedelta(days=30)
    two = svc.start(bob.patient_id, "follow_up", "telephone", today=later,
                    now=NOW + timedelta(days=30))
    (review,) = two.follow_up.reviews
    assert review.recommendation_id is not None
    review.outcome, review.prescriber_response = "improved", response
    review.apply_change = apply
    for k, v in edits.items():
        setattr(review, k, v)
    two.follow_up.next_due = later + timedelta(days=30)
    return two, review, later


def test_an_accepted_dose_change_at_the_follow_up_applies_at_completion(store, bob):
    svc = VisitService(store)
    two, review, later = _follow_up(svc, store, bob, "accepted", True)
    shown = svc.proposed_change(review.recommendation_id, later)
    assert shown.description == "Change Apixaban 5 mg tablet (Eliquis) to 2.5 mg"
    assert _row(store, bob.apixaban).strength == "5 mg"  # not before completion
    svc.save_draft(two)
    svc.complete(svc.load_draft(two.visit_id), now=NOW + timedelta(days=30, minutes=20))
    assert _row(store, bob.apixaban).name == "Apixaban 2.5 mg tablet (Eliquis)"
    last = MedicationService(store).history(bob.apixaban)[-1]
    assert (last.event_date, last.decided_by) == (later, "prescriber")
    assert last.reason.startswith(f"On the prescriber's reply of {later:%m/%d/%Y}")
    with store.session() as s:
        rec = s.get(Recommendation, review.recommendation_id)
        assert (rec.response, rec.applied_on) == ("accepted", later)


def test_at_the_follow_up_nothing_changes_without_the_tick_or_the_acceptance(store, bob):
    svc = VisitService(store)
    two, review, _ = _follow_up(svc, store, bob, "accepted", False)
    svc.complete(two, now=NOW + timedelta(days=30, minutes=20))
    assert _row(store, bob.apixaban).strength == "5 mg"

    bob2 = make_bob(store)
    two, review, _ = _follow_up(svc, store, bob2, "declined", True)
    svc.complete(two, now=NOW + timedelta(days=30, minutes=20))
    assert _row(store, bob2.apixaban).strength == "5 mg"


def test_at_the_follow_up_the_prescribers_own_strength_is_read_first(store, bob):
    svc = VisitService(store)
    two, review, later = _follow_up(svc, store, bob, "modified", True,
                                    new_strength="5 ml", new_directions="")
    msgs = svc.validate(two, "follow_up")
    assert any("Could not read “5 ml” as the strength of apixaban" in m for m in msgs)
    with pytest.raises(VisitNotReady):
        svc.complete(two, now=NOW + timedelta(days=30, minutes=20))
    review.new_strength = "2.5 mg"
    assert svc.validate(two, "follow_up") == []
    svc.complete(two, now=NOW + timedelta(days=30, minutes=20))
    assert _row(store, bob.apixaban).strength == "2.5 mg"


def test_a_change_applied_from_the_dashboard_is_not_applied_again_at_the_follow_up(store, bob):
    svc = VisitService(store)
    two, review, later = _follow_up(svc, store, bob, "accepted", True)
    svc.record_reply(review.recommendation_id, "accepted", TODAY + timedelta(days=10),
                     apply=True)
    msgs = svc.validate(two, "follow_up")
    assert any("already made on the list" in m and "Untick" in m for m in msgs)
    review.apply_change = False
    with pytest.raises(RecordChanged) as refused:  # the answer was recorded after she judged
        svc.complete(two, now=NOW + timedelta(days=30, minutes=20))
    assert refused.value.entity == "recommendation"
    svc.after_refusal(two, refused.value.entity, refused.value.entity_id, keep_mine=True)
    svc.complete(two, now=NOW + timedelta(days=30, minutes=20))  # knowingly, over it
    assert len([e for e in _events(store, bob.apixaban) if e.action == "changed"]) == 1
