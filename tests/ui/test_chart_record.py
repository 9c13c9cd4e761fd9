"""Labs, allergies, conditions, PGx and care team pages over the real store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from mmsdesk.models import Goal
from mmsdesk.services.patients import PatientService
from mmsdesk.ui.dialogs.observation_dialog import ObservationDialog
from mmsdesk.ui.dialogs.record_dialog import RecordDialog
from mmsdesk.ui.qtmodels.chart_table import ChartTableModel
from tests.ui.typing import type_text


@pytest.fixture
def chart(qtbot, main_window, demo_store):
    pid = next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Müller")
    return main_window.open_patient(pid)


def _later(fn):
    QTimer.singleShot(0, lambda: fn(QApplication.activeModalWidget()))


def _save(qtbot, dlg):
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_wrong_lab_unit_shows_message_at_the_field(qtbot, chart):
    page = chart.pages["Labs & vitals"]
    chart.show_page("Labs & vitals")
    page.select_trend("Weight")
    before = page.model.rowCount()
    seen = {}

    def fill(dlg: ObservationDialog) -> None:
        assert isinstance(dlg, ObservationDialog)
        assert dlg.measure.currentData() == "weight"
        type_text(qtbot, dlg.value_edit, "75")
        dlg.unit.setEditText("mg")
        _save(qtbot, dlg)
        seen["unit"] = dlg.form.error_text("unit")
        seen["still_open"] = dlg.isVisible()
        dlg.unit.setEditText("lb")
        dlg.value_edit.setText("165")
        _save(qtbot, dlg)

    _later(fill)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert seen["unit"] == "Body weight is not recorded in mg; use kg or lb or lbs."
    assert seen["still_open"]
    assert page.model.rowCount() == before + 1
    newest = page.model.row(0).data
    assert newest.unit == "kg" and newest.value == pytest.approx(74.84, abs=0.01)


def test_trend_chart_has_goal_line(qtbot, chart, demo_store):
    with demo_store.session() as s:
        s.add(Goal(patient_id=chart.patient_id, measure="inr", comparator="<=", target_value=3.0,
                   target="INR at most 3"))
    page = chart.pages["Labs & vitals"]
    page.refresh()
    page.select_trend("INR")
    names = [s.name() for s in page.chart.series()]
    assert names == ["INR", "INR at most 3"]
    goal = page.chart.series()[1]
    assert {p.y() for p in goal.points()} == {3.0}
    assert len(page.chart.series()[0].points()) == 3
    page.select_trend("Blood pressure")
    assert [s.name() for s in page.chart.series()] == ["Blood pressure, systolic",
                                                       "Blood pressure, diastolic"]


def test_allergy_and_condition_dialogs(qtbot, chart):
    allergies = chart.pages["Allergies"]
    assert allergies.model.row(0).data.substance == "Penicillin"
    seen = {}

    def add_allergy(dlg: RecordDialog) -> None:
        _save(qtbot, dlg)
        seen["substance"] = dlg.form.error_text("substance")
        type_text(qtbot, dlg.widgets["substance"], "Sulfonamide antibiotics (sulfa)")
        type_text(qtbot, dlg.widgets["reaction"], "rash")
        _save(qtbot, dlg)

    _later(add_allergy)
    qtbot.mouseClick(allergies.add_button, Qt.MouseButton.LeftButton)
    assert seen["substance"] == "Substance is required."
    assert [i.data.substance for i in allergies.model.rows][-1].startswith("Sulfonamide")

    conditions = chart.pages["Conditions"]
    n = conditions.model.rowCount()

    def add_condition(dlg) -> None:
        dlg._on_name_text_edited("type 2 diabetes without complications")
        hit = next(h for h in dlg.hits.values() if h.code == "E11.9")
        dlg.pick(hit)
        _save(qtbot, dlg)

    _later(add_condition)
    qtbot.mouseClick(conditions.add_button, Qt.MouseButton.LeftButton)
    assert conditions.model.rowCount() == n + 1
    added = conditions.model.rows[-1].data
    assert (added.icd10_code, added.name) == ("E11.9", "Type 2 diabetes mellitus without complications")


def test_table_models_pass_model_tester(qtbot, qtmodeltester, chart):
    for title in ("Medications", "Allergies", "Conditions", "Labs & vitals", "PGx"):
        page = chart.pages[title]
        for model in [m for m in page.findChildren(ChartTableModel)]:
            qtmodeltester.check(model)


def test_editing_an_imported_allergy_keeps_what_the_form_does_not_show(qtbot, chart, demo_store):
    """Editing the reaction of an imported allergy keeps its code (not in the form), its
    category and criticality (in the form, as imported)."""
    from sqlalchemy import select

    from mmsdesk.models import Allergy

    with demo_store.session() as s:
        row = s.execute(select(Allergy).where(Allergy.patient_id == chart.patient_id,
                                              Allergy.substance == "Penicillin")).scalar_one()
        row.category, row.criticality, row.substance_code = "medication", "high", "7980"
    page = chart.pages["Allergies"]
    page.refresh()
    page.table.selectRow(next(i for i, r in enumerate(page.model.rows)
                              if r.data.substance == "Penicillin"))

    def edit(dlg: RecordDialog) -> None:
        dlg.widgets["reaction"].setText("hives and wheezing")
        _save(qtbot, dlg)

    _later(edit)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    with demo_store.session() as s:
        row = s.execute(select(Allergy).where(Allergy.patient_id == chart.patient_id,
                                              Allergy.substance == "Penicillin")).scalar_one()
        assert (row.reaction, row.category, row.criticality, row.substance_code) == (
            "hives and wheezing", "medication", "high", "7980")


def test_allergy_category_and_criticality_are_shown_and_kept_as_imported(qtbot, chart, demo_store):
    """The table shows the source's category and criticality; a category the form's choices do
    not list ("food;medication", as FHIR allows) survives opening and saving the record, and
    the pharmacist can set the criticality herself."""
    from sqlalchemy import select

    from mmsdesk.models import Allergy

    with demo_store.session() as s:
        row = s.execute(select(Allergy).where(Allergy.patient_id == chart.patient_id,
                                              Allergy.substance == "Penicillin")).scalar_one()
        row.category, row.criticality = "food;medication", ""
    page = chart.pages["Allergies"]
    page.refresh()
    i = next(i for i, r in enumerate(page.model.rows) if r.data.substance == "Penicillin")
    headers = [page.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(page.model.columnCount())]
    cells = {h: page.model.index(i, c).data() for c, h in enumerate(headers)}
    assert cells["Category"] == "Food, medication" and cells["Criticality"] == ""
    page.table.selectRow(i)

    def edit(dlg: RecordDialog) -> None:
        assert dlg.widgets["category"].currentText() == "Food, medication"
        crit = dlg.widgets["criticality"]
        crit.setCurrentIndex(crit.findData("high"))
        _save(qtbot, dlg)

    _later(edit)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    with demo_store.session() as s:
        row = s.execute(select(Allergy).where(Allergy.patient_id == chart.patient_id,
                                              Allergy.substance == "Penicillin")).scalar_one()
        assert (row.category, row.criticality) == ("food;medication", "high")
