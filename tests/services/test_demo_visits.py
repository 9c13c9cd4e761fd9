"""The demo practice's visit history: dated from the load day, consistent, dashboard-worthy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from mmsdesk.models import DrugTherapyProblem, FollowUp, Recommendation, Visit
from mmsdesk.services.dashboard import DashboardService
from mmsdesk.services.demo import load_demo
from mmsdesk.services.patients import PatientService
from mmsdesk.services.visits.draft import VisitDraft
from mmsdesk.services.visits.service import VisitService
from mmsdesk.store.audit import verify_chain
from tests.conftest import TODAY


def _ids(store) -> dict[str, int]:
    return {r.last_name: r.id for r in PatientService(store).list_rows()}


def test_history_makes_the_dashboard_meaningful(demo_store):
    board = DashboardService(demo_store).load(TODAY)
    ids = _ids(demo_store)
    assert {r.patient_id for r in board.follow_ups} == {ids["Müller"], ids["Kowalski"]}
    assert all(r.days_overdue > 0 for r in board.follow_ups)
    assert {r.patient_id for r in board.pending_recommendations} == {ids["Nguyễn"]}
    assert board.totals.open_problems >= 4 and board.totals.drafts == 0
    assert ids["Johnson"] not in board.problems_by_patient()  # the wizard test's patient
    with demo_store.session() as s:
        responses = {r for (r,) in s.execute(select(Recommendation.response)
                                            .where(Recommendation.recipient == "prescriber"))}
        assert responses == {"accepted", "modified", "declined", "no_answer", "pending"}
        resolved = s.execute(select(DrugTherapyProblem).where(
            DrugTherapyProblem.status == "resolved")).scalars().all()
        assert resolved and all(p.resolved_on and p.resolved_on < TODAY for p in resolved)
        soon = s.execute(select(FollowUp).where(FollowUp.done.is_(False),
                                                FollowUp.due_on > TODAY)).scalars().all()
        assert any(f.due_on <= TODAY + timedelta(days=30) for f in soon)
        visits = s.execute(select(Visit)).scalars().all()
        assert all(v.status == "complete" and v.visit_date < TODAY and v.cpt_codes
                   for v in visits)
        cmrs = [VisitDraft.from_json(v.draft_json) for v in visits if v.service == "cmr"]
        assert len(cmrs) == 4 and all(d.plan.action_items for d in cmrs)
        with demo_store.engine.connect() as conn:
            assert verify_chain(conn).ok


def test_open_problems_carry_their_history(demo_store):
    muller = _ids(demo_store)["Müller"]
    problems = VisitService(demo_store).open_problems(muller)
    by_name = {p.description: p for p in problems}
    nsaid = by_name["Ibuprofen with heart failure"]
    assert [(e.outcome, e.prescriber_response) for e in nsaid.events] == [
        ("unchanged", "no_answer")]
    assert nsaid.pending_recommendation_id == nsaid.recommendations[0].id  # ask again
    assert nsaid.recommendations[0].sent_method == "fax" and nsaid.recommendations[0].prescriber
    assert "Warfarin with amiodarone: bleeding risk" not in by_name  # resolved, accepted


@pytest.mark.parametrize("today", [date(2027, 3, 1), TODAY])
def test_dates_follow_the_load_day_and_the_draft_resumes(store, today):
    load_demo(store, today, unfinished_visit=True)
    svc = VisitService(store)
    (draft_row,) = svc.open_drafts()
    assert (draft_row.patient_name, draft_row.service, draft_row.visit_date, draft_row.step) == (
        "Washington, Harold", "tmr", today, "assess")
    draft = svc.load_draft(draft_row.visit_id)
    assert draft.collect.reason and draft.assess.problems
    assert svc.validate(draft, "collect") == [] and svc.validate(draft, "assess") == []
    board = DashboardService(store).load(today)
    assert board.totals.overdue_follow_ups == 2 and board.totals.drafts == 1
    with store.session() as s:
        first = min(v.visit_date for v in s.execute(select(Visit)).scalars())
    assert first == today - timedelta(days=200)


def test_loading_the_demo_only_creates_records(store):
    load_demo(store, TODAY, unfinished_visit=True)
    with store.engine.connect() as conn:
        actions = {a for (a,) in conn.exec_driver_sql("SELECT DISTINCT action FROM audit_event")}
    assert actions == {"create"}
