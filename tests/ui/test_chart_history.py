"""History and problems in the chart (#20 item 1): the Visits and Problems pages, reached
from each dashboard tab at the exact row; a visit opened read-only reprints its documents."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mmsdesk.models import (
    DrugTherapyProblem,
    FollowUp,
    Patient,
    Prescriber,
    ProblemEvent,
    Recommendation,
    Visit,
)
from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from tests.conftest import TODAY
from tests.ui.test_dashboard import _activate_row


@pytest.fixture
def practice(store) -> dict[str, int]:
    with store.session() as s:
        bob = Patient(first_name="Bob", last_name="Stone", date_of_birth=TODAY.replace(year=1945))
        ana = Patient(first_name="Ana", last_name="Ruiz", date_of_birth=TODAY.replace(year=1950))
        doc = Prescriber(first_name="Lena", last_name="Ortiz", credentials="MD")
        s.add_all([bob, ana, doc])
        s.flush()
        old = Visit(patient_id=bob.id, service="cmr", modality="clinic", minutes=45,
                    visit_date=TODAY - timedelta(days=200), status="complete",
                    reason="Annual review", cpt_codes="99605;99607x2")
        recent = Visit(patient_id=bob.id, service="tmr", modality="telephone", minutes=20,
                       visit_date=TODAY - timedelta(days=40), status="complete")
        draft = Visit(patient_id=bob.id, service="follow_up", visit_date=TODAY,
                      status="draft", current_step="assess")
        s.add_all([old, recent, draft])
        s.flush()
        s.add(FollowUp(patient_id=bob.id, visit_id=recent.id, due_on=TODAY - timedelta(days=5),
                       reason="Check BP"))
        p_old = DrugTherapyProblem(patient_id=bob.id, visit_id=old.id,
                                   category="dosage_too_high", medications="apixaban",
                                   description="Apixaban 5 mg with the criteria for 2.5 mg",
                                   priority="high", identified_on=TODAY - timedelta(days=200))
        p_new = DrugTherapyProblem(patient_id=bob.id, visit_id=recent.id, category="adherence",
                                   medications="atorvastatin", description="Misses doses",
                                   identified_on=TODAY - timedelta(days=40))
        p_done = DrugTherapyProblem(patient_id=bob.id, visit_id=old.id, category="unnecessary_drug_therapy",
                                    medications="omeprazole", description="PPI with no indication",
                                    status="resolved", outcome="resolved",
                                    identified_on=TODAY - timedelta(days=200),
                                    resolved_on=TODAY - timedelta(days=150))
        s.add_all([p_old, p_new, p_done])
        s.flush()
        s.add(Recommendation(patient_id=bob.id, visit_id=old.id, problem_id=p_old.id,
                             intervention="change_dose", prescriber_id=doc.id,
                             text="Lower apixaban to 2.5 mg twice a day",
                             sent_on=TODAY - timedelta(days=199), sent_method="fax"))
        s.add(Recommendation(patient_id=bob.id, visit_id=old.id, problem_id=p_done.id,
                             intervention="stop", prescriber_id=doc.id, text="Stop omeprazole",
                             sent_on=TODAY - timedelta(days=199), response="accepted",
                             response_on=TODAY - timedelta(days=150)))
        s.add(ProblemEvent(problem_id=p_done.id, visit_id=recent.id, outcome="resolved",
                           prescriber_response="accepted", event_date=TODAY - timedelta(days=150)))
        return {"bob": bob.id, "ana": ana.id, "old": old.id, "recent": recent.id,
                "draft": draft.id, "p_old": p_old.id, "p_new": p_new.id, "p_done": p_done.id}


def _selected_id(page, attr: str) -> int:
    row = page.selected()
    assert row is not None
    return getattr(row, attr)


def test_visits_page_lists_every_visit_and_opens_one_read_only(qtbot, store, main_window,
                                                                practice, monkeypatch):
    from mmsdesk.ui.chart.chart_page import ChartPage

    chart = main_window.open_patient(practice["bob"])
    chart.show_page("Visits")
    page = chart.pages["Visits"]
    m = page.model
    cells = [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]
    d = lambda n: (TODAY - timedelta(days=n)).strftime("%m/%d/%Y")  # noqa: E731
    assert cells == [
        [d(0), "Follow-up", "Home", "", "Unfinished (at assess)"],
        [d(40), "Targeted medication review (TMR)", "Telephone", "20", "Complete"],
        [d(200), "Comprehensive medication review (CMR)", "Clinic", "45", "Complete"]]
    assert page.select_visit(practice["old"])
    assert not page.resume_button.isEnabled() and page.reprint_button.isEnabled()
    dlg = page.open_read_only(practice["old"])
    text = dlg.text.toPlainText()
    assert "Annual review" in text and "45 minutes" in text
    assert "Dosage too high: Apixaban 5 mg with the criteria for 2.5 mg" in text
    assert "Change the dose: lower apixaban to 2.5 mg twice a day. To Lena Ortiz, MD" in text
    assert "CPT 99605, 99607x2" in text
    opened = []
    monkeypatch.setattr(ChartPage, "open_documents",
                        lambda self, kind=None, visit_id=None: opened.append(visit_id))
    qtbot.mouseClick(dlg.reprint_button, Qt.MouseButton.LeftButton)
    assert opened == [practice["old"]]


def test_problems_page_shows_answers_outcome_and_history(qtbot, store, main_window, practice):
    chart = main_window.open_patient(practice["bob"])
    chart.show_page("Problems")
    page = chart.pages["Problems"]
    assert [r.problem_id for r in page.model.rows] == [
        practice["p_new"], practice["p_old"], practice["p_done"]]  # open first, newest first
    assert page.select_problem(practice["p_done"])
    detail = page.detail.toPlainText()
    assert "Unnecessary drug therapy: PPI with no indication" in detail
    assert "Stop omeprazole. To Lena Ortiz, MD" in detail and ": accepted on" in detail
    assert "outcome resolved" in detail and "outcome: Resolved" in detail
    # the header's count opens the page
    chart.show_page("Medications")
    chart.header.problems_label.linkActivated.emit("problems")
    assert chart.tabs.currentWidget() is page


def test_each_dashboard_tab_opens_the_exact_row(qtbot, store, main_window, practice,
                                                monkeypatch):
    from mmsdesk.ui.chart.chart_page import ChartPage
    from mmsdesk.ui.dialogs.prescriber_reply_dialog import PrescriberReplyDialog

    monkeypatch.setattr(ChartPage, "start_follow_up", lambda self, fid: None)
    monkeypatch.setattr(ChartPage, "open_visit", lambda self, vid, step=None: None)
    main_window.ctx.events.publish(ChangeSet.of(changes.VISITS))
    page = main_window.dashboard
    # Open problems -> Problems page at the patient's oldest open problem
    page.tabs.setCurrentWidget(page.views["problems"])
    _activate_row(qtbot, page.views["problems"], 0)
    chart = main_window.chart
    assert main_window.stack.currentWidget() is chart
    assert chart.tabs.currentWidget() is chart.pages["Problems"]
    assert _selected_id(chart.pages["Problems"], "problem_id") == practice["p_old"]
    # Waiting for prescriber -> the answer dialog -> "chart" -> the problem it answers
    main_window.show_dashboard()
    page.tabs.setCurrentWidget(page.views["recommendations"])
    chart.show_page("Visits")
    _activate_row(qtbot, page.views["recommendations"], 0)
    dlg = QApplication.activeModalWidget()
    assert isinstance(dlg, PrescriberReplyDialog)
    dlg._on_chart_button_clicked()
    chart = main_window.chart
    assert chart.tabs.currentWidget() is chart.pages["Problems"]
    assert _selected_id(chart.pages["Problems"], "problem_id") == practice["p_old"]
    # Follow-ups due -> the visit that planned it
    main_window.show_dashboard()
    page.tabs.setCurrentWidget(page.views["follow_ups"])
    _activate_row(qtbot, page.views["follow_ups"], 0)
    chart = main_window.chart
    assert chart.tabs.currentWidget() is chart.pages["Visits"]
    assert _selected_id(chart.pages["Visits"], "visit_id") == practice["recent"]
    # Unfinished visits -> the draft's row
    main_window.show_dashboard()
    page.tabs.setCurrentWidget(page.views["drafts"])
    _activate_row(qtbot, page.views["drafts"], 0)
    chart = main_window.chart
    assert chart.tabs.currentWidget() is chart.pages["Visits"]
    assert _selected_id(chart.pages["Visits"], "visit_id") == practice["draft"]


def test_history_models(qtmodeltester, store, main_window, practice):
    chart = main_window.open_patient(practice["bob"])
    for title in ("Visits", "Problems"):
        chart.show_page(title)
        qtmodeltester.check(chart.pages[title].model)
