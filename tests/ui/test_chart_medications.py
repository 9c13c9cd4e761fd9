"""Medications through the real dialogs: add, edit, stop, resume; history kept; bad input
stays in the dialog with the message at the field."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from mmsdesk.services.medications import MedicationService
from mmsdesk.services.patients import PatientInput, PatientService
from mmsdesk.ui.dialogs.medication_dialog import MedicationDialog
from mmsdesk.ui.dialogs.status_dialog import StatusChangeDialog
from tests.conftest import TODAY
from tests.ui.typing import type_text


@pytest.fixture
def chart(qtbot, main_window, store):
    pid, _ = PatientService(store).create(PatientInput("José", "Müller", date(1943, 5, 14)), TODAY)
    chart = main_window.open_patient(pid)
    chart.show_page("Medications")
    return chart


def _save(qtbot, dlg) -> None:
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)


_FAILURES: list[BaseException] = []


@pytest.fixture(autouse=True)
def _dialog_checks_passed():
    """A check that failed inside a dialog fails its test (after the dialog was closed)."""
    _FAILURES.clear()
    yield
    if _FAILURES:
        raise _FAILURES[0]


def _drive(qtbot, kind, steps):
    """Run ``steps(dialog)`` on the next modal dialog of type ``kind``."""
    seen = {}

    def run() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, kind), dlg
        seen["dialog_title"] = dlg.windowTitle()
        try:
            steps(dlg)
        except BaseException as exc:  # a failed check must not leave the modal dialog open
            _FAILURES.append(exc)
            dlg.reject()

    QTimer.singleShot(0, run)
    return seen


def test_add_edit_stop_resume(qtbot, chart, store):
    page = chart.pages["Medications"]
    errors = {}

    def add(dlg: MedicationDialog) -> None:
        type_text(qtbot, dlg.medicine, "Metformin 500 mg")
        dlg.dose.setText("abc")
        _save(qtbot, dlg)  # refused: the dose is not a number
        errors["dose"] = dlg.right.error_text("dose_amount")
        assert dlg.isVisible()
        dlg.dose.setText("1")
        dlg.unit.setCurrentIndex(dlg.unit.findData("tablet"))
        dlg.route.setCurrentIndex(dlg.route.findData("oral"))
        dlg.frequency.setCurrentIndex(dlg.frequency.findData("bid"))
        dlg.times["morning"].setChecked(True)
        dlg.times["evening"].setChecked(True)
        type_text(qtbot, dlg.indication, "diabetes")
        errors["preview"] = dlg.preview.text()
        _save(qtbot, dlg)

    _drive(qtbot, MedicationDialog, add)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert "number" in errors["dose"]
    assert errors["preview"] == "Take 1 tablet by mouth every morning and evening"
    assert page.active_model.rowCount() == 1
    row = page.active_model.row(0)
    assert (row.name, row.directions, row.indication) == (
        "Metformin 500 mg", "Take 1 tablet by mouth every morning and evening", "diabetes")

    # Edit: the dialog opens filled in; change the directions.
    page.select_medication(row.id)

    def edit(dlg: MedicationDialog) -> None:
        assert dlg.medicine.text() == "Metformin" and dlg.strength.currentText() == "500 mg"
        assert dlg.times["evening"].isChecked() and "Metformin 500 mg" in dlg.match_label.text()
        dlg.times["evening"].setChecked(False)
        _save(qtbot, dlg)

    seen = _drive(qtbot, MedicationDialog, edit)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    assert seen["dialog_title"] == "Edit medication"
    assert page.active_model.row(0).directions == "Take 1 tablet by mouth every morning"

    # Stop with a reason: it moves to the stopped list, crossed out.
    page.select_medication(row.id)

    def stop(dlg: StatusChangeDialog) -> None:
        qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)
        errors["reason"] = dlg.form.error_text("reason")  # a reason is required
        dlg.on.setText("11/20/2026")
        type_text(qtbot, dlg.reason, "GI upset")
        qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)

    _drive(qtbot, StatusChangeDialog, stop)
    qtbot.mouseClick(page.stop_button, Qt.MouseButton.LeftButton)
    assert "reason" in errors["reason"].lower()
    assert page.active_model.rowCount() == 0 and page.inactive_model.rowCount() == 1
    idx = page.inactive_model.index(0, 0)
    assert page.inactive_model.data(idx, Qt.ItemDataRole.FontRole).strikeOut()
    assert page.inactive_model.data(page.inactive_model.index(0, 4)) == "GI upset"

    # Resume.
    page.select_medication(row.id)
    assert page.resume_button.isEnabled()

    def resume(dlg: StatusChangeDialog) -> None:
        qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)

    _drive(qtbot, StatusChangeDialog, resume)
    qtbot.mouseClick(page.resume_button, Qt.MouseButton.LeftButton)
    assert page.active_model.rowCount() == 1
    actions = [h.action for h in MedicationService(store).history(row.id)]
    assert actions == ["started", "changed", "stopped", "resumed"]
    assert "resumed" in page.history.text()


def test_prescriber_added_inline(qtbot, chart, store):
    page = chart.pages["Medications"]
    from mmsdesk.ui.dialogs.care_team_dialogs import PrescriberDialog

    def new_prescriber(dlg: PrescriberDialog) -> None:
        type_text(qtbot, dlg.last_name, "Okafor")
        type_text(qtbot, dlg.first_name, "Chidi")
        _save(qtbot, dlg)

    def add(dlg: MedicationDialog) -> None:
        type_text(qtbot, dlg.medicine, "Amiodarone 200 mg")
        _drive(qtbot, PrescriberDialog, new_prescriber)
        qtbot.mouseClick(dlg.new_prescriber_button, Qt.MouseButton.LeftButton)
        assert dlg.prescriber.currentText().startswith("Chidi Okafor")
        _save(qtbot, dlg)

    _drive(qtbot, MedicationDialog, add)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.active_model.row(0).prescriber == "Chidi Okafor"
    assert [p.display_name for p in chart.pages["Care team"].prescribers.rows] == ["Chidi Okafor"]


def test_type_ahead_picks_a_product_from_the_dictionary(qtbot, chart, store):
    page = chart.pages["Medications"]
    seen = {}

    def add(dlg: MedicationDialog) -> None:
        type_text(qtbot, dlg.medicine, "coum")
        seen["hits"] = [dlg.suggestions.item(i).text() for i in range(dlg.suggestions.count())]
        qtbot.keyClick(dlg.medicine, Qt.Key.Key_Down)  # into the list, then Enter picks
        qtbot.keyClick(dlg.suggestions, Qt.Key.Key_Return)
        seen["strengths"] = [dlg.strength.itemText(i) for i in range(dlg.strength.count())]
        seen["match"] = dlg.match_label.text()
        dlg.strength.setEditText("5 mg")
        _save(qtbot, dlg)

    _drive(qtbot, MedicationDialog, add)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert seen["hits"] and seen["hits"][0] == "Coumadin"
    assert "5 mg" in seen["strengths"] and "warfarin" in seen["match"]
    row = page.active_model.row(0)
    assert (row.name, row.ingredients, row.strength, row.unrecognised) == (
        "Warfarin 5 mg tablet (Coumadin)", ("warfarin",), "5 mg", False)


def test_unrecognised_medicine_is_saved_marked_and_mapped_later(qtbot, chart, store):
    from mmsdesk.ui.dialogs.map_drug_dialog import MapDrugDialog

    svc = MedicationService(store)
    from mmsdesk.services.medications import MedicationInput

    mid, change = svc.add(chart.patient_id, MedicationInput("Grandma's blood thinner pill"), TODAY)
    chart.ctx.events.publish(change)
    page = chart.pages["Medications"]
    assert page.active_model.row(0).unrecognised
    assert "not recognised" in page.summary.text()
    assert "Not recognised: Grandma's blood thinner pill" in chart.alerts_panel.titles()
    page.select_medication(mid)
    assert page.map_button.isEnabled()

    def pick(dlg: MapDrugDialog) -> None:
        dlg.search.clear()
        type_text(qtbot, dlg.search, "warfarin")
        dlg._on_search_text_edited("warfarin")
        dlg.hits.setCurrentRow(0)
        dlg.accept()

    _drive(qtbot, MapDrugDialog, pick)
    qtbot.mouseClick(page.map_button, Qt.MouseButton.LeftButton)
    row = svc.get(mid)
    assert row.ingredients == ("warfarin",) and row.match == "manual"
    assert row.text_given == "Grandma's blood thinner pill"
    assert svc.history(mid)[-1].reason == "Mapped to the drug dictionary"
    assert not [t for t in chart.alerts_panel.titles() if t.startswith("Not recognised")]
