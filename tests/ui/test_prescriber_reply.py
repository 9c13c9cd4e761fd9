"""Prescriber replies apply, with the pharmacist's confirmation: walked through the real
dashboard dialog, the real Plan and Follow-up steps, then read back from the chart's list,
`mmsdesk meds --json` in another process and the printed PML."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from mmsdesk.models import Recommendation
from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.documents import render_document
from mmsdesk.services.medications import MedicationService
from mmsdesk.services.visits.draft import PlanItem, ProblemDraft, SentRecommendation
from mmsdesk.services.visits.service import VisitService
from mmsdesk.ui.dialogs.prescriber_reply_dialog import PrescriberReplyDialog
from tests.conftest import TODAY, run_cli
from tests.reports.pdfcheck import all_text
from tests.services.visit_helpers import make_bob, sent_recommendation
from tests.ui.test_dashboard import _activate_row
from tests.ui.test_visit_wizard import click, click_row, pick, type_into
from tests.ui.typing import type_text

Yes, No = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


@pytest.fixture
def bob(store, main_window):
    yield make_bob(store)
    from mmsdesk.ui.visit.wizard import open_wizards

    for wizard in open_wizards().values():
        wizard.save_timer.stop()
        wizard.close()


def _open_reply(qtbot, main_window) -> PrescriberReplyDialog:
    main_window.ctx.events.publish(ChangeSet.of(changes.VISITS))
    page = main_window.dashboard
    view = page.views["recommendations"]
    page.tabs.setCurrentWidget(view)
    _activate_row(qtbot, view, 0)
    dlg = QApplication.activeModalWidget()
    assert isinstance(dlg, PrescriberReplyDialog)
    dlg.activateWindow()
    qtbot.waitUntil(dlg.isActiveWindow)
    return dlg


def _save(qtbot, dlg: PrescriberReplyDialog, button=None) -> dict[str, str]:  # noqa: ANN001
    """Press Save; when the confirmation comes up, read it and press ``button``."""
    seen: dict[str, str] = {}

    def answer() -> None:
        box = dlg.confirm_box
        if box is None:
            return
        seen["question"], seen["detail"] = box.text(), box.informativeText()
        qtbot.mouseClick(box.button(button or QMessageBox.StandardButton.Cancel),
                         Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    return seen


def _received(qtbot, dlg: PrescriberReplyDialog, on) -> None:  # noqa: ANN001
    dlg.received.selectAll()
    type_text(qtbot, dlg.received, on.strftime("%m/%d/%Y"))


def test_an_accepted_stop_is_shown_confirmed_and_reaches_the_list_the_cli_and_the_pml(
        qtbot, store, main_window, bob):
    rec_id = sent_recommendation(store, bob, "stop", medication_id=bob.doxazosin)
    replied = TODAY - timedelta(days=2)
    dlg = _open_reply(qtbot, main_window)
    assert dlg.change_box.isVisible()
    assert dlg.change_text.text() == "Stop Doxazosin 4 mg tablet."
    assert "confirm" in dlg.change_hint.text()
    assert not dlg.strength.isVisible()  # a stop has no strength to edit
    pick(qtbot, dlg.answer, "Accepted")
    _received(qtbot, dlg, replied)
    seen = _save(qtbot, dlg, Yes)
    assert "Stop Doxazosin 4 mg tablet" in seen["question"]
    assert f"prescriber's reply of {replied:%m/%d/%Y}, decided by Dr Okafor" in seen["detail"]
    qtbot.waitUntil(lambda: not dlg.isVisible())

    # the chart's list
    row = MedicationService(store).get(bob.doxazosin)
    assert (row.status, row.stopped, row.stop_reason) == ("stopped", replied,
                                                          "Stopped by Dr Okafor")
    last = MedicationService(store).history(bob.doxazosin)[-1]
    assert last.decided_by == "prescriber"
    assert last.reason == f"On the prescriber's reply of {replied:%m/%d/%Y}: stopped by Dr Okafor"
    with store.session() as s:
        assert s.get(Recommendation, rec_id).applied_on == replied

    # the headless list, from another process on the same store
    out = run_cli("--no-encryption", "meds", "--patient", str(bob.patient_id), "--json")
    assert out.returncode == 0, out.stderr
    assert [m["name"] for m in json.loads(out.stdout)["medications"]] == [
        "Apixaban 5 mg tablet (Eliquis)"]
    out = run_cli("--no-encryption", "meds", "--patient", str(bob.patient_id), "--json", "--all")
    dox = next(m for m in json.loads(out.stdout)["medications"] if m["id"] == bob.doxazosin)
    assert (dox["status"], dox["stopped"], dox["stop_reason"]) == (
        "stopped", replied.isoformat(), "Stopped by Dr Okafor")
    assert dox["last_change"]["decided_by"] == "prescriber"

    # the PML: crossed out, with the date and why, in plain words
    # (pypdf keeps a table cell's lines together; the reason wraps in its narrow column)
    text = all_text(render_document(store, "pml", bob.patient_id, today=TODAY))
    assert text
    assert "Doxazosin 4 mg tablet" in text and "Stopped by Dr Okafor" in text
    assert replied.strftime("%m/%d/%Y") in text


def test_the_change_is_readable_when_the_dialog_opens(qtbot, store, main_window, bob):
    """Every wrapped line of the change shows (Qt first sized the dialog for one line each)."""
    sent_recommendation(store, bob, "change_dose", medication_id=bob.apixaban,
                        proposed_strength="2.5 mg", proposed_directions="1 tablet twice a day")
    dlg = _open_reply(qtbot, main_window)

    def fits() -> bool:
        return all(label.height() >= label.heightForWidth(label.width())
                   for label in (dlg.change_text, dlg.change_hint))

    qtbot.waitUntil(fits, timeout=2000)


def test_declining_changes_nothing_and_asks_nothing(qtbot, store, main_window, bob):
    sent_recommendation(store, bob, "stop", medication_id=bob.doxazosin)
    dlg = _open_reply(qtbot, main_window)
    pick(qtbot, dlg.answer, "Declined")
    assert dlg.change_hint.text() == "Declined or no answer: the list stays as it is."
    assert not dlg.change_text.isEnabled()
    seen = _save(qtbot, dlg, Yes)
    assert seen == {}  # no confirmation was asked
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert MedicationService(store).get(bob.doxazosin).status == "active"
    assert len(MedicationService(store).history(bob.doxazosin)) == 1


def test_answering_no_records_the_answer_and_leaves_the_list(qtbot, store, main_window, bob):
    rec_id = sent_recommendation(store, bob, "stop", medication_id=bob.doxazosin)
    dlg = _open_reply(qtbot, main_window)
    pick(qtbot, dlg.answer, "Accepted")
    assert _save(qtbot, dlg, QMessageBox.StandardButton.Cancel)["question"]
    assert dlg.isVisible()  # Cancel: back to the dialog, nothing saved
    with store.session() as s:
        assert s.get(Recommendation, rec_id).response == "pending"
    _save(qtbot, dlg, No)
    qtbot.waitUntil(lambda: not dlg.isVisible())
    assert MedicationService(store).get(bob.doxazosin).status == "active"
    assert len(MedicationService(store).history(bob.doxazosin)) == 1
    with store.session() as s:
        rec = s.get(Recommendation, rec_id)
        assert (rec.response, rec.applied_on) == ("accepted", None)


def test_accepted_with_changes_reads_the_strength_before_asking(qtbot, store, main_window,
                                                                bob):
    sent_recommendation(store, bob, "change_dose", medication_id=bob.apixaban,
                        proposed_strength="2.5 mg", proposed_directions="1 tablet twice a day")
    dlg = _open_reply(qtbot, main_window)
    assert dlg.change_text.text() == (
        "Change Apixaban 5 mg tablet (Eliquis) to 2.5 mg, take 1 tablet twice a day.")
    pick(qtbot, dlg.answer, "Accepted with changes")
    assert dlg.strength.isVisible() and dlg.strength.text() == "2.5 mg"
    dlg.strength.setFocus()
    dlg.strength.selectAll()
    type_text(qtbot, dlg.strength, "25 mg / 100 mg")
    assert "Could not read “25 mg / 100 mg”" in dlg.change_form.error_text("strength")
    assert dlg.strength.hasFocus()  # the message does not take the pharmacist's place
    assert _save(qtbot, dlg, Yes) == {}  # refused at the field: nothing asked, nothing saved
    assert dlg.isVisible()
    dlg.strength.selectAll()
    type_text(qtbot, dlg.strength, "5 mg")
    dlg.directions.selectAll()
    type_text(qtbot, dlg.directions, "1 tablet once a day")
    assert dlg.change_form.error_text("strength") == ""
    assert dlg.change_text.text() == (
        "Change Apixaban 5 mg tablet (Eliquis) to 5 mg, take 1 tablet once a day.")
    seen = _save(qtbot, dlg, Yes)
    assert "to 5 mg, take 1 tablet once a day" in seen["question"]
    qtbot.waitUntil(lambda: not dlg.isVisible())
    row = MedicationService(store).get(bob.apixaban)
    assert (row.strength, row.directions) == ("5 mg", "1 tablet once a day")
    assert MedicationService(store).history(bob.apixaban)[-1].decided_by == "prescriber"


def test_a_change_already_made_is_not_offered_again(qtbot, store, main_window, bob):
    rec_id = sent_recommendation(store, bob, "stop", medication_id=bob.doxazosin)
    VisitService(store).record_reply(rec_id, "accepted", TODAY, apply=True)
    with store.session() as s:  # asked again (a second fax): the dialog opened on it
        s.get(Recommendation, rec_id).response = "pending"
    dlg = _open_reply(qtbot, main_window)
    assert dlg.change_hint.text() == f"Made on the list on {TODAY:%m/%d/%Y}."
    pick(qtbot, dlg.answer, "Accepted")
    assert _save(qtbot, dlg, Yes) == {}  # no confirmation: nothing to apply
    qtbot.waitUntil(lambda: not dlg.isVisible())
    events = MedicationService(store).history(bob.doxazosin)
    assert [e.action for e in events] == ["started", "stopped"]


# -- the visit wizard
def _wizard(qtbot, main_window, visit_id: int, step: str):  # noqa: ANN202
    from mmsdesk.ui.visit.launcher import open_visit

    w = open_visit(main_window.ctx, visit_id, step, main_window)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    return w


def test_the_plan_step_names_the_medicine_and_refuses_a_strength_that_does_not_read(
        qtbot, store, main_window, bob):
    svc = VisitService(store)
    d = svc.start(bob.patient_id, "cmr", "home", today=TODAY,
                  now=datetime(2026, 11, 24, 9).astimezone())
    d.assess.problems = [ProblemDraft("p1", "dosage_too_high", "Apixaban too high for his "
                                      "kidneys", medications=["apixaban"])]
    svc.save_draft(d)
    w = _wizard(qtbot, main_window, d.visit_id, "plan")
    plan = w.pages["plan"]
    ed = plan.interventions
    f = {x.key: x.widget for x in ed.fields}
    click_row(qtbot, ed.table, 0)
    assert not f["medication"].isEnabled()  # no intervention yet: no change to name
    pick(qtbot, f["intervention"], "Change the dose")
    assert f["medication"].isEnabled() and f["strength"].isEnabled()
    assert not f["new_medicine"].isEnabled()
    # the problem's medicine first, then the rest of the list
    assert [f["medication"].itemText(i) for i in range(f["medication"].count())] == [
        "— none —", "Apixaban 5 mg tablet (Eliquis)", "Doxazosin 4 mg tablet"]
    pick(qtbot, f["medication"], "Apixaban")
    type_into(qtbot, f["strength"], "5 ml")
    item = w.draft.plan.plans[0]
    assert (item.medication_id, item.proposed_strength) == (bob.apixaban, "5 ml")
    assert ed.form.error_text("strength").startswith(
        "Could not read “5 ml” as the strength of apixaban")
    assert f["strength"].hasFocus()  # the message does not move the pharmacist
    assert "Could not read “5 ml”" in plan.messages.text()
    assert not w.button(QWizard.WizardButton.NextButton).isEnabled()  # the step is refused
    f["strength"].selectAll()
    type_text(qtbot, f["strength"], "2.5 mg")
    type_into(qtbot, f["directions"], "1 tablet twice a day")
    assert ed.form.error_text("strength") == ""
    assert (item.proposed_strength, item.proposed_directions) == ("2.5 mg",
                                                                 "1 tablet twice a day")
    assert "Could not read" not in plan.messages.text()
    assert w.button(QWizard.WizardButton.NextButton).isEnabled()
    pick(qtbot, f["intervention"], "Stop")
    assert not f["strength"].isEnabled() and f["medication"].isEnabled()


def _apixaban_follow_up(store, bob) -> int:  # type: ignore[no-untyped-def]
    """A CMR a month ago asked Dr Okafor to reduce apixaban to 2.5 mg (faxed); today's
    follow-up visit, started: its id."""
    svc = VisitService(store)
    d = svc.start(bob.patient_id, "cmr", "home", today=TODAY - timedelta(days=30),
                  now=datetime(2026, 10, 25, 9).astimezone())
    d.assess.problems = [ProblemDraft("p1", "dosage_too_high", "Apixaban too high",
                                      medications=["apixaban"])]
    d.plan.plans = [PlanItem("r1", "p1", "change_dose", "prescriber", bob.okafor,
                             "Reduce apixaban", medication_id=bob.apixaban,
                             proposed_strength="2.5 mg")]
    d.implement.sent = [SentRecommendation("r1", d.visit_date, "fax")]
    d.follow_up.next_due = TODAY
    svc.complete(d, now=datetime(2026, 10, 25, 10).astimezone())
    two = svc.start(bob.patient_id, "follow_up", "telephone", today=TODAY,
                    now=datetime(2026, 11, 24, 9).astimezone())
    assert two.visit_id is not None
    return two.visit_id


def test_an_accepted_dose_change_at_the_follow_up_applies_when_the_visit_is_completed(
        qtbot, store, main_window, bob):
    w = _wizard(qtbot, main_window, _apixaban_follow_up(store, bob), "follow_up")
    page = w.pages["follow_up"]
    ed = page.reviews
    f = {x.key: x.widget for x in ed.fields}
    click_row(qtbot, ed.table, 0)
    assert page.change_text.text() == ("Change Apixaban 5 mg tablet (Eliquis) to 2.5 mg "
                                       "(only when the prescriber accepts).")
    assert not page.apply_box.isEnabled()
    pick(qtbot, f["outcome"], "Improved")
    pick(qtbot, f["response"], "Accepted")
    assert page.change_text.text() == "Change Apixaban 5 mg tablet (Eliquis) to 2.5 mg."
    assert page.apply_box.isEnabled() and not page.apply_box.isChecked()
    click(qtbot, page.apply_box)
    review = w.draft.follow_up.reviews[0]
    assert review.apply_change
    assert MedicationService(store).get(bob.apixaban).strength == "5 mg"  # not yet
    type_into(qtbot, page.next_due, (TODAY + timedelta(days=30)).strftime("%m/%d/%Y"))
    finish = w.button(QWizard.WizardButton.FinishButton)
    with qtbot.waitSignal(w.completed):
        click(qtbot, finish)
    row = MedicationService(store).get(bob.apixaban)
    assert row.name == "Apixaban 2.5 mg tablet (Eliquis)"
    last = MedicationService(store).history(bob.apixaban)[-1]
    assert (last.event_date, last.decided_by) == (TODAY, "prescriber")
    assert last.reason.startswith(f"On the prescriber's reply of {TODAY:%m/%d/%Y}")


def test_a_chart_changed_under_the_visit_is_told_not_raised(qtbot, store, main_window, bob):
    """Completing raises ValidationError when the chart changed under the draft (a medicine to
    stop was stopped meanwhile): the wizard says so and keeps the draft (it used to let the
    exception escape the slot)."""
    from mmsdesk.models import Visit
    from mmsdesk.services.visits.draft import Discrepancy

    svc = VisitService(store)
    d = svc.start(bob.patient_id, "cmr", "home", today=TODAY,
                  now=datetime(2026, 11, 24, 9).astimezone())
    d.collect.discrepancies = [Discrepancy("d1", "commission", ["doxazosin"], "Only on the chart",
                                           medication_id=bob.doxazosin, decision="stop",
                                           note="Not taken since spring")]
    d.follow_up.next_due = TODAY + timedelta(days=28)
    svc.save_draft(d)
    w = _wizard(qtbot, main_window, d.visit_id, "follow_up")
    MedicationService(store).stop(bob.doxazosin, TODAY, "Dizzy", TODAY)  # in the chart, meanwhile
    seen: list[str] = []

    def read_warning() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()

    QTimer.singleShot(0, read_warning)
    click(qtbot, w.button(QWizard.WizardButton.FinishButton))
    assert seen and "This medicine is already stopped." in seen[0]
    assert "the draft is kept" in seen[0] and "status:" not in seen[0]
    assert w.isVisible()
    with store.session() as s:
        assert s.get(Visit, d.visit_id).status == "draft"


@pytest.mark.parametrize("keep", [True, False], ids=["keep editing", "reload"])
def test_an_answer_filed_meanwhile_is_shown_at_completion_not_overwritten(
        qtbot, store, main_window, bob, keep):
    """She judged the follow-up (improved, accepted); before she completes, a colleague files
    the prescriber's faxed answer (declined) from the dashboard. Completing is refused with
    both answers side by side; Reload clears her judgement of that problem and shows the step
    to judge again on the answer now stored; Keep editing completes with hers, knowingly."""
    from mmsdesk.ui.dialogs.conflict_dialog import ConflictDialog
    from tests.ui.test_visit_wizard import drive

    w = _wizard(qtbot, main_window, _apixaban_follow_up(store, bob), "follow_up")
    page = w.pages["follow_up"]
    f = {x.key: x.widget for x in page.reviews.fields}
    click_row(qtbot, page.reviews.table, 0)
    pick(qtbot, f["outcome"], "Improved")
    pick(qtbot, f["response"], "Accepted")
    type_into(qtbot, page.next_due, (TODAY + timedelta(days=30)).strftime("%m/%d/%Y"))
    rec_id = w.draft.follow_up.reviews[0].recommendation_id
    VisitService(store).record_reply(rec_id, "declined", TODAY, "Keeps 5 mg")  # a colleague
    seen: dict[str, object] = {}

    def settle(conflict: ConflictDialog) -> None:
        seen["rows"] = conflict.rows()
        click(qtbot, conflict.keep_button if keep else conflict.reload_button)

    drive(ConflictDialog, settle)
    click(qtbot, w.button(QWizard.WizardButton.FinishButton))
    assert ("Response", "accepted", "declined") in seen["rows"]  # type: ignore[operator]
    with store.session() as s:
        assert s.get(Recommendation, rec_id).response == "declined"  # theirs, untouched
    review = w.draft.follow_up.reviews[0]
    if keep:
        assert (review.outcome, review.prescriber_response) == ("improved", "accepted")
        with qtbot.waitSignal(w.completed):  # completing again goes over, knowingly
            click(qtbot, w.button(QWizard.WizardButton.FinishButton))
        with store.session() as s:
            assert s.get(Recommendation, rec_id).response == "accepted"
        return
    assert w.isVisible() and w.current_step() == "follow_up"
    assert (review.outcome, review.prescriber_response) == ("", "")  # to judge again
    assert f["outcome"].currentIndex() <= 0 or f["outcome"].currentText() == ""
    click_row(qtbot, page.reviews.table, 0)
    pick(qtbot, f["outcome"], "Unchanged")
    pick(qtbot, f["response"], "Declined")
    with qtbot.waitSignal(w.completed):
        click(qtbot, w.button(QWizard.WizardButton.FinishButton))
    with store.session() as s:
        rec = s.get(Recommendation, rec_id)
        assert (rec.response, rec.response_note) == ("declined", "Keeps 5 mg")
    assert MedicationService(store).get(bob.apixaban).strength == "5 mg"
