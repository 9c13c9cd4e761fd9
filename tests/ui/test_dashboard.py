"""The dashboard is the first page; activating a row opens the right patient (and visit)."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from mmsdesk.models import DrugTherapyProblem, FollowUp, Patient, Visit
from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from tests.conftest import TODAY


def _practice(store) -> dict[str, int]:
    with store.session() as s:
        ana = Patient(first_name="Ana", last_name="Ruiz", date_of_birth=TODAY.replace(year=1950))
        bob = Patient(first_name="Bob", last_name="Stone", date_of_birth=TODAY.replace(year=1945))
        s.add_all([ana, bob])
        s.flush()
        v = Visit(patient_id=bob.id, service="cmr", visit_date=TODAY - timedelta(days=40),
                  status="complete")
        draft = Visit(patient_id=ana.id, service="tmr", visit_date=TODAY, status="draft",
                      current_step="plan")
        s.add_all([v, draft])
        s.flush()
        s.add(FollowUp(patient_id=bob.id, visit_id=v.id, due_on=TODAY - timedelta(days=9),
                       reason="Check BP"))
        s.add(FollowUp(patient_id=ana.id, due_on=TODAY + timedelta(days=3), reason="later"))
        s.add(DrugTherapyProblem(patient_id=bob.id, visit_id=v.id, category="adherence",
                                 identified_on=TODAY - timedelta(days=40)))
        return {"ana": ana.id, "bob": bob.id, "visit": v.id, "draft": draft.id}


def _activate_row(qtbot, view, row: int) -> None:
    index = view.model().index(row, 0)
    view.scrollTo(index)
    rect = view.visualRect(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_dashboard_is_first_page_and_overdue_follow_up_opens_patient(qtbot, store, main_window):
    ids = _practice(store)
    main_window.ctx.events.publish(ChangeSet.of(changes.VISITS))
    page = main_window.dashboard
    assert main_window.stack.currentWidget() is page
    assert page.tabs.tabText(0) == "Follow-ups due (1)"
    assert "1 follow-ups overdue" in page.summary.text()
    view = page.views["follow_ups"]
    assert view.model().index(0, 2).data() == "9 days overdue"
    opened = []
    page.follow_up_requested.connect(lambda pid, fid: opened.append((pid, fid)))
    _activate_row(qtbot, view, 0)
    assert opened and opened[0][0] == ids["bob"]
    assert main_window.stack.currentWidget() is main_window.chart
    assert main_window.chart.patient_id == ids["bob"]
    # back to the dashboard from the toolbar/menu
    main_window.dashboard_action.trigger()
    assert main_window.stack.currentWidget() is page


def test_draft_row_requests_its_visit_step(qtbot, store, main_window):
    ids = _practice(store)
    page = main_window.dashboard
    page.refresh()
    page.tabs.setCurrentIndex(4)
    asked = []
    page.visit_requested.connect(lambda *a: asked.append(a))
    view = page.views["drafts"]
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert asked == [(ids["ana"], ids["draft"], "plan")]
    assert main_window.chart.patient_id == ids["ana"]


def test_dashboard_refreshes_when_data_changes(qtbot, store, main_window):
    page = main_window.dashboard
    assert page.tabs.tabText(1) == "Open problems (0)"
    ids = _practice(store)
    main_window.ctx.events.publish(ChangeSet.of(changes.PROBLEMS, patient_id=ids["bob"]))
    assert page.tabs.tabText(1) == "Open problems (1)"


def test_dashboard_models(qtmodeltester, store, main_window):
    _practice(store)
    main_window.dashboard.refresh()
    for view in main_window.dashboard.views.values():
        qtmodeltester.check(view.model())


def test_calendar_export_from_dashboard(qtbot, store, main_window, tmp_path):
    _practice(store)
    out = tmp_path / "f.ics"
    assert main_window.dashboard.export_calendar(out, "initials") == 1  # the one due in 3 days
    text = out.read_text(encoding="utf-8")
    assert "SUMMARY:Follow-up (Follow-up): A.R." in text and "Ruiz" not in text


def test_follow_up_row_starts_the_visit_when_the_chart_offers_it(qtbot, store, main_window,
                                                                  monkeypatch):
    """The contract with the visit wizard: ChartPage.start_follow_up(follow_up_id) and
    ChartPage.open_visit(visit_id, step) are called when the chart has them."""
    from mmsdesk.ui.chart.chart_page import ChartPage

    ids = _practice(store)
    calls = []
    monkeypatch.setattr(ChartPage, "start_follow_up",
                        lambda self, fid: calls.append(("follow_up", self.patient_id, fid)),
                        raising=False)
    monkeypatch.setattr(ChartPage, "open_visit",
                        lambda self, vid, step: calls.append(("visit", self.patient_id, vid, step)),
                        raising=False)
    page = main_window.dashboard
    page.refresh()
    fid = page.follow_ups.rows[0].follow_up_id
    _activate_row(qtbot, page.views["follow_ups"], 0)
    main_window.show_dashboard()
    page.tabs.setCurrentIndex(4)
    _activate_row(qtbot, page.views["drafts"], 0)
    assert calls == [("follow_up", ids["bob"], fid), ("visit", ids["ana"], ids["draft"], "plan")]


def test_review_due_row_starts_the_review_in_front_of_the_mtm_tab(qtbot, store, main_window):
    """A CMR due: the start dialog opens with CMR chosen, the chart's MTM tab behind it; a
    review already begun is resumed instead of a second one started."""
    from mmsdesk.models import Patient
    from mmsdesk.ui.visit.start_dialog import StartVisitDialog
    from mmsdesk.ui.visit.wizard import open_wizards

    with store.session() as s:
        p = Patient(first_name="Eve", last_name="Moss", date_of_birth=TODAY.replace(year=1950),
                    mtm_enrolled_on=TODAY - timedelta(days=50))
        s.add(p)
        s.flush()
        pid = p.id
    page = main_window.dashboard
    page.refresh()
    assert page.tabs.tabText(3) == "CMR/TMR due (1)"
    page.tabs.setCurrentIndex(3)
    _activate_row(qtbot, page.views["reviews"], 0)
    assert main_window.chart.patient_id == pid
    assert main_window.chart.tabs.currentWidget() is main_window.chart.pages["MTM"]
    dialogs = [w for w in main_window.chart.findChildren(StartVisitDialog) if w.isVisible()]
    assert len(dialogs) == 1 and dialogs[0].service() == "cmr"
    dialogs[0].accept()  # the pharmacist starts it
    wizard = next(w for w in open_wizards().values() if w.draft.patient_id == pid)
    assert wizard.draft.service == "cmr"
    wizard.save_timer.stop()
    wizard.close()
    main_window.show_dashboard()
    page.refresh()
    page.tabs.setCurrentIndex(3)
    _activate_row(qtbot, page.views["reviews"], 0)  # again: the draft, not a second visit
    again = next(w for w in open_wizards().values() if w.draft.patient_id == pid)
    assert again.draft.visit_id == wizard.draft.visit_id
    assert not [w for w in main_window.chart.findChildren(StartVisitDialog) if w.isVisible()]
    again.save_timer.stop()
    again.close()


def _sent_recommendation(store, ids) -> int:
    from mmsdesk.models import Recommendation

    with store.session() as s:
        rec = Recommendation(patient_id=ids["bob"], visit_id=ids["visit"], intervention="stop",
                             text="Stop ibuprofen; acetaminophen for the knee",
                             sent_on=TODAY - timedelta(days=12), sent_method="fax")
        s.add(rec)
        s.flush()
        return rec.id


def test_waiting_recommendation_records_the_faxed_answer(qtbot, store, main_window):
    """A reply faxed back between visits: activate the row, give the answer, and the
    recommendation leaves the list with the answer, its date and the note kept."""
    from PySide6.QtWidgets import QApplication

    from mmsdesk.models import Recommendation
    from mmsdesk.ui.dialogs.prescriber_reply_dialog import PrescriberReplyDialog
    from tests.ui.typing import type_text

    ids = _practice(store)
    rec_id = _sent_recommendation(store, ids)
    main_window.ctx.events.publish(ChangeSet.of(changes.VISITS))
    page = main_window.dashboard
    view = page.views["recommendations"]
    page.tabs.setCurrentWidget(view)
    assert page.tabs.tabText(2) == "Waiting for prescriber (1)"
    _activate_row(qtbot, view, 0)
    dlg = QApplication.activeModalWidget()
    assert isinstance(dlg, PrescriberReplyDialog)
    save = dlg.buttons.button(dlg.buttons.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)  # no answer chosen: refused at the field
    assert dlg.isVisible() and dlg.form.error_text("response")
    dlg.answer.setFocus()
    qtbot.keyClick(dlg.answer, Qt.Key.Key_Down)  # Accepted
    assert dlg.answer.currentData() == "accepted"
    dlg.received.selectAll()
    type_text(qtbot, dlg.received, (TODAY - timedelta(days=20)).strftime("%m/%d/%Y"))
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)  # before it was sent: refused
    assert dlg.isVisible() and "sent on" in dlg.form.error_text("on")
    dlg.received.selectAll()
    type_text(qtbot, dlg.received, TODAY.strftime("%m/%d/%Y"))
    type_text(qtbot, dlg.note, "Signed reply scanned")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible())
    with store.session() as s:
        rec = s.get(Recommendation, rec_id)
        assert (rec.response, rec.response_on, rec.response_note) == (
            "accepted", TODAY, "Signed reply scanned")
    assert page.tabs.tabText(2) == "Waiting for prescriber (0)"
