"""Create, edit and find a patient through the real window; bad input saves nothing."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from mmsdesk.services.patients import PatientService
from mmsdesk.ui.dialogs.patient_form import PatientDialog
from tests.ui.typing import type_text


def _fill(qtbot, dlg: PatientDialog, **fields: str) -> None:
    for name, text in fields.items():
        widget = getattr(dlg, name)
        widget.clear()
        type_text(qtbot, widget, text)




def test_create_patient_with_keyboard_then_find_it(qtbot, main_window, store):
    results = {}

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, PatientDialog)
        _fill(qtbot, dlg, first_name="Nguyễn", last_name="Văn An", date_of_birth="11/02/1950",
              phone="(555) 320-4477")
        results["title"] = dlg.windowTitle()
        qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, drive)
    qtbot.keyClick(main_window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert results["title"] == "New patient"
    rows = PatientService(store).list_rows()
    assert [(r.first_name, r.last_name, r.date_of_birth, r.phone) for r in rows] == [
        ("Nguyễn", "Văn An", date(1950, 11, 2), "(555) 320-4477")]
    # The new patient's chart opened on the demographics page.
    assert main_window.chart is not None
    assert main_window.chart.tabs.currentWidget().value("Date of birth") == "11/02/1950"

    # Ctrl+F goes back to the list with the search focused; typing finds the patient.
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow)
    qtbot.keyClick(main_window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    page = main_window.patient_list
    assert main_window.stack.currentWidget() is page
    assert main_window.focusWidget() is page.search
    qtbot.keyClicks(page.search, "van an")
    assert page.model.rowCount() == 1
    page.search.clear()
    qtbot.keyClicks(page.search, "11/02/1950")
    assert page.model.rowCount() == 1
    page.search.clear()
    qtbot.keyClicks(page.search, "nobody like this")
    assert page.model.rowCount() == 0


def test_edit_patient_from_chart(qtbot, main_window, store):
    from mmsdesk.services.patients import PatientInput

    pid, change = PatientService(store).create(PatientInput("José", "Müller", date(1943, 5, 14)))
    main_window.ctx.events.publish(change)
    chart = main_window.open_patient(pid)
    page = chart.pages["Demographics"]

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, PatientDialog)
        assert dlg.first_name.text() == "José"
        _fill(qtbot, dlg, preferred_name="Pepe", phone="555-310-2211")
        dlg.accept()

    QTimer.singleShot(0, drive)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    assert page.value("Preferred name") == "Pepe"
    assert page.value("Phone") == "555-310-2211"
    assert "Pepe" in chart.name_label.text()
    detail = PatientService(store).get(pid).data
    assert (detail.preferred_name, detail.phone) == ("Pepe", "555-310-2211")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"first_name": "Ana", "last_name": "", "date_of_birth": "01/01/1950"}, "last_name",
         "Last name is required."),
        ({"first_name": "Ana", "last_name": "Lopez", "date_of_birth": "01/01/2027"},
         "date_of_birth", "Date of birth cannot be in the future."),
        ({"first_name": "Ana", "last_name": "Lopez", "date_of_birth": "02/31/1950"},
         "date_of_birth", "not a real calendar date"),
        ({"first_name": "Ana", "last_name": "Lopez", "date_of_birth": "01/01/1950",
          "phone": "call me maybe"}, "phone", "7 to 15 digits"),
        ({"first_name": "Ana", "last_name": "Lopez", "date_of_birth": "01/01/1950",
          "phone": "12"}, "phone", "7 to 15 digits"),
    ],
)
def test_invalid_input_shows_message_at_field_and_saves_nothing(qtbot, store, fields, field, message):
    from tests.conftest import TODAY

    dlg = PatientDialog(PatientService(store), None, TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    _fill(qtbot, dlg, **fields)
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert dlg.isVisible()
    assert message in dlg.form.error_text(field)
    assert dlg.focusWidget() is getattr(dlg, field)
    assert PatientService(store).count() == 0
    # Fixing the field clears the message and saves.
    _fill(qtbot, dlg, first_name="Ana", last_name="Lopez", date_of_birth="01/01/1950", phone="")
    dlg.accept()
    assert dlg.form.error_text(field) == ""
    assert PatientService(store).count() == 1


def test_patient_table_model(qtmodeltester, demo_store):
    from mmsdesk.ui.qtmodels.patient_table import PatientTableModel

    model = PatientTableModel()
    model.set_rows(PatientService(demo_store).list_rows())
    qtmodeltester.check(model)
    model.set_filter("muller")  # accents fold: Müller
    assert [model.row_at(i).last_name for i in range(model.rowCount())] == ["Müller"]
    model.set_filter("")
    model.sort(3, Qt.SortOrder.AscendingOrder)  # youngest first
    ages = [int(model.data(model.index(i, 3))) for i in range(model.rowCount())]
    assert ages == sorted(ages)
    qtmodeltester.check(model)
