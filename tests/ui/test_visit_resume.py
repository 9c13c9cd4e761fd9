"""Autosave and resume: after a (simulated) restart the app offers the unfinished visit and
opens it at the saved step with every field as saved; an overdue follow-up on the dashboard
opens that patient's follow-up visit."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtWidgets import QApplication, QLabel, QWizard
from sqlalchemy import select

from mmsdesk.models import DrugTherapyProblem, FollowUp, Patient, ProblemEvent, Visit
from mmsdesk.services.visits.service import VisitService
from tests.conftest import TODAY
from tests.ui.test_visit_wizard import click, click_row, drive, pick, type_into


def _window(qtbot, store):  # type: ignore[no-untyped-def]
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(AppContext(store=store, events=AppEvents(window), today=lambda: TODAY))
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


def _close_all() -> None:
    from mmsdesk.ui.visit.wizard import open_wizards

    for wizard in open_wizards().values():
        wizard.save_timer.stop()
        wizard.close()


def test_restart_offers_the_draft_and_opens_it_at_the_saved_step(qtbot, demo_store):
    from mmsdesk.services.patients import PatientService
    from mmsdesk.ui.visit.launcher import open_visit

    pid = next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Johnson")
    first = _window(qtbot, demo_store)
    assert first.resume_dialog is None  # nothing unfinished yet
    draft = VisitService(demo_store).start(pid, "tmr", "telephone", today=TODAY,
                                           now=datetime(2026, 11, 24, 9, 30).astimezone())
    wizard = open_visit(first.ctx, draft.visit_id, None, first)
    collect = wizard.pages["collect"]
    type_into(qtbot, collect.reason, "New dizziness")
    click(qtbot, collect.barriers["cost"])
    collect.recon.add_typed(["metoprolol tartrate 50 mg"], "bottle", "Bottles on the table")
    click_row(qtbot, collect.recon.table, 0)
    pick(qtbot, collect.recon.decision, "Ask")
    wizard.go_to("assess")
    panel = wizard.pages["assess"].problems_panel
    click(qtbot, panel.add_button)
    pick(qtbot, panel.category, "Dosage too high")
    type_into(qtbot, panel.description, "Dizzy on metoprolol 50 mg")
    wizard.go_to("plan")  # saved at once on the step change
    assert wizard.draft.step == "plan"
    qtbot.waitUntil(lambda: not wizard.dirty, timeout=2000)  # the last keystrokes too

    saved_json = wizard.draft.to_json()
    # The app is killed: no close, no goodbye. A new window opens over the same store.
    wizard.save_timer.stop()
    wizard.hide()
    wizard.deleteLater()
    first.close()
    second = _window(qtbot, demo_store)
    qtbot.waitUntil(lambda: second.resume_dialog is not None, timeout=2000)
    dlg = second.resume_dialog
    assert dlg.isVisible() and dlg.list.count() == 1
    assert "stopped at Plan" in dlg.list.item(0).text()
    assert "Johnson" in dlg.list.item(0).text()
    click(qtbot, dlg.resume_button)
    from mmsdesk.ui.visit.wizard import open_wizards

    qtbot.waitUntil(lambda: draft.visit_id in open_wizards(), timeout=2000)
    again = open_wizards()[draft.visit_id]
    assert again is not wizard
    assert again.current_step() == "plan" and again.step_bar.buttons["plan"].isChecked()
    assert second.chart is not None and second.chart.patient_id == pid
    d = again.draft
    assert d.collect.reason == "New dizziness" and d.collect.barriers == ["cost"]
    assert d.to_json() == saved_json  # exactly what the first window held
    assert d.collect.discrepancies[0].decision == "ask_prescriber"
    assert [p.description for p in d.assess.problems] == ["Dizzy on metoprolol 50 mg"]
    # every field shows what was saved
    c = again.pages["collect"]
    assert c.reason.text() == "New dizziness" and c.barriers["cost"].isChecked()
    assert c.recon.model.rowCount() == len(d.collect.discrepancies)
    assert c.recon.decision.currentText() == "Ask the prescriber"
    again.go_to("assess")
    problems = again.pages["assess"].problems_panel
    assert problems.description.text() == "Dizzy on metoprolol 50 mg"
    assert problems.category.currentText() == "Dosage too high"
    # Back goes through every step
    again.back()
    assert again.current_step() == "collect"
    _close_all()


def test_closing_keeps_the_draft_and_discarding_cancels_it(qtbot, demo_store):
    from mmsdesk.services.patients import PatientService
    from mmsdesk.ui.visit.launcher import open_visit

    pid = next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Johnson")
    window = _window(qtbot, demo_store)
    draft = VisitService(demo_store).start(pid, "cmr", "home", today=TODAY,
                                           now=datetime(2026, 11, 24, 9, 30).astimezone())
    wizard = open_visit(window.ctx, draft.visit_id, None, window)
    type_into(qtbot, wizard.pages["collect"].reason, "Annual review")
    click(qtbot, wizard.button(QWizard.WizardButton.CancelButton))  # "Close (draft kept)"
    assert VisitService(demo_store).load_draft(draft.visit_id).collect.reason == "Annual review"
    wizard = open_visit(window.ctx, draft.visit_id, None, window)
    assert wizard.pages["collect"].reason.text() == "Annual review"
    assert wizard.discard(ask=False)
    with demo_store.session() as s:
        assert s.get(Visit, draft.visit_id).status == "cancelled"
    assert VisitService(demo_store).open_drafts() == []


def test_overdue_follow_up_on_the_dashboard_opens_the_follow_up_visit(qtbot, store):
    from mmsdesk.ui.visit.start_dialog import StartVisitDialog
    from mmsdesk.ui.visit.wizard import open_wizards
    from tests.ui.test_dashboard import _activate_row

    with store.session() as s:
        bob = Patient(first_name="Bob", last_name="Stone", date_of_birth=TODAY.replace(year=1945))
        s.add(bob)
        s.flush()
        v = Visit(patient_id=bob.id, service="cmr", visit_date=TODAY - timedelta(days=40),
                  status="complete")
        s.add(v)
        s.flush()
        s.add(FollowUp(patient_id=bob.id, visit_id=v.id, due_on=TODAY - timedelta(days=9),
                       reason="Check BP", service="follow_up", modality="video"))
        s.add(DrugTherapyProblem(patient_id=bob.id, visit_id=v.id, category="adherence",
                                 description="Skips lisinopril", identified_on=v.visit_date))
        s.flush()
        bob_id, problem_cnt = bob.id, 1
    window = _window(qtbot, store)
    page = window.dashboard
    page.refresh()
    assert page.views["follow_ups"].model().index(0, 2).data() == "9 days overdue"
    seen = {}

    def accept(dlg: StartVisitDialog) -> None:
        seen["service"], seen["modality"] = dlg.service(), dlg.modality()
        click(qtbot, dlg.buttons.button(dlg.buttons.StandardButton.Ok))

    drive(StartVisitDialog, accept)
    _activate_row(qtbot, page.views["follow_ups"], 0)
    qtbot.waitUntil(lambda: len(open_wizards()) == 1, timeout=3000)
    assert seen == {"service": "follow_up", "modality": "video"}  # as the follow-up planned
    assert window.chart is not None and window.chart.patient_id == bob_id
    (wizard,) = open_wizards().values()
    assert wizard.draft.service == "follow_up" and wizard.draft.patient_id == bob_id
    # Every open problem is listed with its history and gets an outcome
    wizard.go_to("follow_up")
    fu = wizard.pages["follow_up"]
    assert fu.reviews.model.rowCount() == problem_cnt
    assert "Skips lisinopril" in fu.reviews.model.index(0, 0).data()
    click_row(qtbot, fu.reviews.table, 0)
    assert "identified" in fu.history.text()
    widgets = {f.key: f.widget for f in fu.reviews.fields}
    pick(qtbot, widgets["outcome"], "Improved")
    pick(qtbot, widgets["response"], "Accepted")
    assert fu.suggest_button.text() == "In 30 days"  # the practice's interval for a follow-up
    click(qtbot, fu.suggest_button)
    assert wizard.draft.follow_up.next_due == TODAY + timedelta(days=30)
    fu.next_due.clear()
    type_into(qtbot, fu.next_due, "01/05/2027")
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert finish.isEnabled(), fu.messages.text()
    click(qtbot, finish)
    with store.session() as s:
        events = s.execute(select(ProblemEvent)).scalars().all()
        assert [(e.outcome, e.prescriber_response) for e in events] == [("improved", "accepted")]
        done = s.execute(select(FollowUp).where(FollowUp.visit_id == v.id)).scalar_one()
        assert done.done and done.done_visit_id == wizard.draft.visit_id
    assert QApplication.activeModalWidget() is None


def test_quitting_the_main_window_closes_its_visits_saved(qtbot, demo_store):
    from mmsdesk.services.patients import PatientService
    from mmsdesk.ui.visit.launcher import open_visit
    from mmsdesk.ui.visit.wizard import open_wizards

    pid = next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Johnson")
    window = _window(qtbot, demo_store)
    draft = VisitService(demo_store).start(pid, "tmr", "video", today=TODAY,
                                           now=datetime(2026, 11, 24, 9, 30).astimezone())
    wizard = open_visit(window.ctx, draft.visit_id, None, window)
    collect = wizard.pages["collect"]
    # a TMR: Collect is light (not hidden) and says so; its reason is required
    assert collect.step == "collect" and "collect" in wizard.step_bar.light_steps()
    assert any("needs little here" in lab.text() for lab in collect.findChildren(QLabel))
    assert not collect.isComplete()
    type_into(qtbot, collect.reason, "Dizzy since the new metoprolol dose")
    assert collect.isComplete()
    assert wizard.dirty  # not written yet (the autosave waits a moment)
    window.quit_action.trigger()
    assert draft.visit_id not in open_wizards() and not wizard.isVisible()
    saved = VisitService(demo_store).load_draft(draft.visit_id)
    assert saved.collect.reason == "Dizzy since the new metoprolol dose"
