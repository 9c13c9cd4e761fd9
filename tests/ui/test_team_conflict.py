"""Team mode, two people, one chart: the medication dialog saves against the version it
loaded; a colleague's save meanwhile (a second real connection to the same PostgreSQL
database) is refused and shown side by side, never overwritten silently."""

from __future__ import annotations

import dataclasses
import os
from datetime import date

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from mmsdesk.models import MedicationEntry, Patient
from mmsdesk.services.care_team import CareTeamService
from mmsdesk.services.medications import MedicationService
from mmsdesk.ui.dialogs.conflict_dialog import ConflictDialog
from mmsdesk.ui.dialogs.medication_dialog import MedicationDialog
from tests.conftest import TODAY, med_entry
from tests.ui.test_visit_wizard import click, drive, type_into


@pytest.fixture
def two_people(pg_database):
    from mmsdesk.store.server import open_server

    mine, theirs = open_server(pg_database, ask=False), open_server(pg_database, ask=False)
    yield mine, theirs
    mine.close()
    theirs.close()


def _chart(store) -> tuple[int, int]:
    with store.session() as s:
        p = Patient(first_name="Ana", last_name="Ruiz", date_of_birth=date(1948, 3, 2))
        s.add(p)
        s.flush()
        m = med_entry(p.id, "Metformin 500 mg tablet", "metformin", dose_amount=1.0,
                      dose_unit="tablet", route="oral", frequency="bid")
        s.add(m)
        s.flush()
        return p.id, m.id


def _dose(store, med_id: int) -> float:
    with store.session() as s:
        return s.get(MedicationEntry, med_id).dose_amount


def _their_save(store, med_id: int, dose: float) -> None:
    service = MedicationService(store)
    data = service.get_input(med_id)
    service.update(med_id, dataclasses.replace(
        data, directions=dataclasses.replace(data.directions, dose_amount=dose)), TODAY)


def _open(qtbot, store, pid: int, mid: int) -> MedicationDialog:
    dlg = MedicationDialog(MedicationService(store), CareTeamService(store), pid, mid, TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _save(qtbot, dlg: MedicationDialog) -> None:
    click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Save))


def test_a_colleagues_save_meanwhile_is_shown_beside_mine_and_kept(qtbot, two_people):
    mine, theirs = two_people
    pid, mid = _chart(mine)
    dlg = _open(qtbot, mine, pid, mid)
    assert dlg.dose.text() == "1"
    _their_save(theirs, mid, 2.0)  # the colleague saves while my dialog is open
    dlg.dose.clear()
    type_into(qtbot, dlg.dose, "3")

    seen: dict[str, object] = {}

    def keep_editing(conflict: ConflictDialog) -> None:
        seen["headline"] = conflict.headline.text()
        seen["rows"] = conflict.rows()
        if os.environ.get("MMSDESK_SHOTS"):  # to look at it: a folder for the picture
            conflict.grab().save(os.path.join(os.environ["MMSDESK_SHOTS"], "conflict.png"))
        click(qtbot, conflict.keep_button)

    drive(ConflictDialog, keep_editing)
    _save(qtbot, dlg)
    assert "Changed by " in str(seen["headline"]) and " UTC on " in str(seen["headline"])
    assert ("Dose amount", "3", "2") in seen["rows"]  # type: ignore[operator]
    assert _dose(mine, mid) == 2.0  # theirs kept, nothing of mine saved
    assert dlg.isVisible() and dlg.dose.text() == "3"  # my edit is still on screen

    _save(qtbot, dlg)  # saving again, knowingly, over the version now stored
    assert not dlg.isVisible() and dlg.change is not None
    assert _dose(theirs, mid) == 3.0


def test_reload_discards_mine_and_shows_theirs(qtbot, two_people):
    mine, theirs = two_people
    pid, mid = _chart(mine)
    dlg = _open(qtbot, mine, pid, mid)
    _their_save(theirs, mid, 2.0)
    dlg.dose.clear()
    type_into(qtbot, dlg.dose, "4")
    drive(ConflictDialog, lambda conflict: click(qtbot, conflict.reload_button))
    _save(qtbot, dlg)
    assert dlg.isVisible() and dlg.dose.text() == "2"  # the stored record, reloaded
    assert _dose(mine, mid) == 2.0
    _save(qtbot, dlg)  # saving the reloaded record is not refused
    assert not dlg.isVisible()


@pytest.mark.parametrize("keep", [True, False], ids=["keep editing", "reload"])
def test_an_allergy_edited_in_the_chart_saves_against_the_version_the_list_showed(
        qtbot, two_people, keep):
    from PySide6.QtWidgets import QApplication

    from mmsdesk.services.record import AllergyInput, RecordService
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.dialogs.record_dialog import RecordDialog
    from mmsdesk.ui.main_window import MainWindow

    mine, theirs = two_people
    pid, _ = _chart(mine)
    aid, _ = RecordService(mine).add(pid, AllergyInput("penicillin", reaction="rash"), TODAY)
    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(AppContext(store=mine, events=AppEvents(window), today=lambda: TODAY))
    page = window.open_patient(pid).pages["Allergies"]
    item = page.model.row(0)
    assert item.data.reaction == "rash" and item.version == 1
    RecordService(theirs).update(aid, AllergyInput("penicillin", reaction="hives"), TODAY)

    seen: dict[str, object] = {}

    def conflict(dlg: ConflictDialog) -> None:
        seen["rows"] = dlg.rows()
        click(qtbot, dlg.keep_button if keep else dlg.reload_button)

    def edit(dlg: RecordDialog) -> None:
        reaction = dlg.widgets["reaction"]
        reaction.clear()
        type_into(qtbot, reaction, "anaphylaxis")
        drive(ConflictDialog, conflict)
        click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Save))
        seen["after"] = reaction.text()
        assert QApplication.activeModalWidget() is dlg  # still open: nothing saved
        dlg.reject()

    drive(RecordDialog, edit)
    page.open_dialog(item)
    assert ("Reaction", "anaphylaxis", "hives") in seen["rows"]  # type: ignore[operator]
    assert seen["after"] == ("anaphylaxis" if keep else "hives")
    assert RecordService(mine).item(AllergyInput, aid).data.reaction == "hives"  # theirs kept


def test_patient_demographics_save_against_the_version_the_form_loaded(qtbot, two_people):
    from mmsdesk.services.patients import PatientService
    from mmsdesk.ui.dialogs.patient_form import PatientDialog

    mine, theirs = two_people
    pid, _ = _chart(mine)
    dlg = PatientDialog(PatientService(mine), pid, TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    service = PatientService(theirs)
    data = service.get(pid).data
    data.phone = "555-0102"
    service.update(pid, data, TODAY)  # the colleague saves first
    type_into(qtbot, dlg.phone, "555-0199")
    seen: dict[str, object] = {}

    def keep(conflict: ConflictDialog) -> None:
        seen["rows"] = conflict.rows()
        click(qtbot, conflict.keep_button)

    drive(ConflictDialog, keep)
    click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert ("Phone", "555-0199", "555-0102") in seen["rows"]  # type: ignore[operator]
    assert PatientService(mine).get(pid).data.phone == "555-0102"  # theirs kept
    assert dlg.isVisible() and dlg.phone.text() == "555-0199"


def test_a_refused_save_from_any_other_screen_shows_both_versions_not_an_error(
        qtbot, two_people):
    from mmsdesk.store.conflicts import RecordChanged
    from mmsdesk.ui.app import error_dialog_hook
    from mmsdesk.ui.main_window import MainWindow

    mine, theirs = two_people
    pid, mid = _chart(mine)
    _their_save(theirs, mid, 2.0)
    data = MedicationService(mine).get_input(mid)
    with pytest.raises(RecordChanged) as refused:  # a screen that read version 1
        MedicationService(mine).update(mid, dataclasses.replace(
            data, directions=dataclasses.replace(data.directions, dose_amount=5.0)), TODAY,
            expected_version=1)
    window = MainWindow()
    qtbot.addWidget(window)
    logged: list[type] = []
    hook = error_dialog_hook(window, lambda kind, exc, tb: logged.append(kind))
    seen: dict[str, object] = {}

    def read(conflict: ConflictDialog) -> None:
        seen["rows"], seen["keep"] = conflict.rows(), conflict.keep_button.isVisible()
        click(qtbot, conflict.reload_button)

    drive(ConflictDialog, read)
    hook(RecordChanged, refused.value, None)
    assert ("Dose amount", "5", "2") in seen["rows"] and seen["keep"] is False  # type: ignore[operator]
    assert _dose(mine, mid) == 2.0


def _visit_window(qtbot, store):  # type: ignore[no-untyped-def]
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.attach(AppContext(store=store, events=AppEvents(window), today=lambda: TODAY))
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.mark.parametrize("keep", [True, False], ids=["keep editing", "reload"])
def test_a_visit_draft_a_colleague_saved_meanwhile_is_not_overwritten_by_my_autosave(
        qtbot, two_people, keep):
    """Two people open one draft (a technician prepares it at the office while the pharmacist
    has it open): the second autosave is refused and shown; Reload opens the stored draft in
    a new window, Keep editing saves mine over theirs, knowingly."""
    from datetime import datetime

    from mmsdesk.services.visits.draft import ProblemDraft
    from mmsdesk.services.visits.service import VisitService
    from mmsdesk.ui.visit.launcher import open_visit
    from mmsdesk.ui.visit.wizard import open_wizards

    mine, theirs = two_people
    pid, _ = _chart(mine)
    now = datetime(2026, 11, 24, 9, 30).astimezone()
    window = _visit_window(qtbot, mine)
    draft = VisitService(mine).start(pid, "cmr", "home", today=TODAY, now=now)
    wizard = open_visit(window.ctx, draft.visit_id, None, window)
    other = VisitService(theirs).resume(draft.visit_id, now=now)
    other.collect.reason = "Dizzy since the new dose"
    other.assess.problems = [ProblemDraft("p1", "adverse_drug_reaction", "Dizziness")]
    VisitService(theirs).save_draft(other)  # the colleague's save, while my window is open

    type_into(qtbot, wizard.pages["collect"].reason, "Annual review")
    seen: dict[str, object] = {}

    drive(ConflictDialog, _choose(qtbot, keep, seen, shot="visit-conflict.png"))
    assert wizard.save_now() is False
    assert ("Reason", "Annual review", "Dizzy since the new dose") in seen["rows"]  # type: ignore[operator]
    assert not any(row[0] == "Draft json" for row in seen["rows"])  # type: ignore[attr-defined]
    assert ("Assess step", "0 problems", "1 problem") in seen["rows"]  # type: ignore[operator]
    stored = VisitService(theirs).load_draft(draft.visit_id).collect.reason
    if keep:
        qtbot.waitUntil(lambda: not wizard.dirty)  # saved again, over theirs, knowingly
        assert VisitService(theirs).load_draft(draft.visit_id).collect.reason == "Annual review"
        assert wizard.isVisible()
    else:
        assert stored == "Dizzy since the new dose"  # theirs kept
        reopened = open_wizards()[draft.visit_id]
        assert reopened is not wizard and not wizard.isVisible()
        assert reopened.pages["collect"].reason.text() == "Dizzy since the new dose"
        reopened.pages["collect"].reason.setText("Dizzy since the new dose; annual review")
        assert reopened.save_now() is True  # the reloaded window saves without a refusal
        reopened.reject()


def test_a_prescribers_answer_recorded_meanwhile_is_shown_not_overwritten(qtbot, two_people):
    from mmsdesk.services.visits.service import VisitService
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.dialogs.prescriber_reply_dialog import PrescriberReplyDialog
    from tests.services.visit_helpers import make_bob, sent_recommendation

    mine, theirs = two_people
    bob = make_bob(mine)
    rec_id = sent_recommendation(mine, bob, "stop", medication_id=bob.doxazosin)
    window = _visit_window(qtbot, mine)
    ctx = AppContext(store=mine, events=AppEvents(window), today=lambda: TODAY)
    dlg = PrescriberReplyDialog(ctx, rec_id, bob.patient_id, "Reduce doxazosin", None, window)
    qtbot.addWidget(dlg)
    dlg.show()
    VisitService(theirs).record_reply(rec_id, "accepted", TODAY, "Stopped by phone")
    dlg.answer.setCurrentIndex(dlg.answer.findData("declined"))
    seen: dict[str, object] = {}

    drive(ConflictDialog, _choose(qtbot, False, seen))
    click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Save))
    assert ("Response", "declined", "accepted") in seen["rows"]  # type: ignore[operator]
    assert not dlg.isVisible()  # closed: the stored answer stands
    assert VisitService(mine).recommendation(rec_id).response == "accepted"


@pytest.mark.parametrize("keep", [True, False], ids=["keep editing", "reload"])
def test_the_practice_settings_save_against_what_the_dialog_showed(qtbot, two_people, keep):
    from mmsdesk.services.practice import OfferingData, PracticeService, ProfileData
    from mmsdesk.ui.setup.settings_dialog import SettingsDialog

    mine, theirs = two_people
    PracticeService(mine).save_profile(ProfileData(name="Ana Ruiz", credentials="PharmD"))
    PracticeService(mine).save_catalogue([OfferingData("cmr", "Comprehensive review", 60,
                                                       150.0)])
    dlg = SettingsDialog(PracticeService(mine))
    qtbot.addWidget(dlg)
    dlg.show()
    PracticeService(theirs).save_catalogue([  # a colleague adds a service meanwhile
        OfferingData("cmr", "Comprehensive review", 60, 150.0),
        OfferingData("tmr", "Targeted review", 20, 50.0)])
    dlg.catalogue.table.cellWidget(0, 3).setValue(175)
    seen: dict[str, object] = {}

    drive(ConflictDialog, _choose(qtbot, keep, seen))
    dlg.accept()
    assert "Changed by " in str(seen["headline"])
    assert dlg.isVisible() and dlg.tabs.currentIndex() == 1  # the services tab, in front
    stored = PracticeService(theirs).catalogue()
    assert [(o.service, o.price) for o in stored] == [("cmr", 150.0), ("tmr", 50.0)]  # kept
    if keep:  # mine on screen; OK again saves it, knowingly, over theirs
        assert dlg.catalogue.table.rowCount() == 1
        dlg.accept()
        assert not dlg.isVisible()
        assert [(o.service, o.price) for o in PracticeService(theirs).catalogue()] == [
            ("cmr", 175.0)]
    else:  # theirs on screen
        assert dlg.catalogue.table.rowCount() == 2
        assert dlg.catalogue.table.cellWidget(0, 3).value() == 150.0
        dlg.reject()


def _choose(qtbot, keep: bool, seen: dict[str, object], shot: str = ""):  # type: ignore[no-untyped-def]
    """The conflict dialog's steps: note what it shows in ``seen``, then Keep editing or
    Reload (``shot``: a file name for its picture when MMSDESK_SHOTS names a folder)."""
    def steps(conflict: ConflictDialog) -> None:
        seen["rows"], seen["headline"] = conflict.rows(), conflict.headline.text()
        if shot and os.environ.get("MMSDESK_SHOTS"):
            conflict.grab().save(os.path.join(os.environ["MMSDESK_SHOTS"], shot))
        click(qtbot, conflict.keep_button if keep else conflict.reload_button)

    return steps
