"""The completed visit's 'Export eCare Plan (FHIR)…' on the chart's Visits page (#21 item 1):
enabled for a completed visit only; the button writes the document the pharmacist names."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from tests.ui.test_chart_history import practice  # noqa: F401  (fixture)


def test_careplan_button_exports_a_completed_visit_only(qtbot, store, main_window,
                                                        practice, monkeypatch, tmp_path):  # noqa: F811
    chart = main_window.open_patient(practice["bob"])
    chart.show_page("Visits")
    page = chart.pages["Visits"]
    assert page.select_visit(practice["draft"])
    assert not page.careplan_button.isEnabled()
    assert page.select_visit(practice["old"])
    assert page.careplan_button.isEnabled()
    out = tmp_path / "ecp.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "FHIR JSON (*.json)")))
    qtbot.mouseClick(page.careplan_button, Qt.MouseButton.LeftButton)
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert bundle["type"] == "document"
    descriptions = {e["resource"]["code"]["text"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "Condition"}
    assert "Apixaban 5 mg with the criteria for 2.5 mg" in descriptions
    assert "Misses doses" not in descriptions  # the other visit's problem
    assert "eCare Plan written" in page.summary.text()


def test_smp_button_writes_the_list_and_the_selected_visits_action_plan(
        qtbot, store, main_window, practice, monkeypatch, tmp_path):  # noqa: F811
    chart = main_window.open_patient(practice["bob"])
    chart.show_page("Visits")
    page = chart.pages["Visits"]
    out = tmp_path / "smp.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(out), "FHIR JSON (*.json)")))
    assert page.select_visit(practice["draft"])  # a draft: the list alone
    qtbot.mouseClick(page.smp_button, Qt.MouseButton.LeftButton)
    kinds = [e["resource"]["resourceType"] for e in json.loads(out.read_text())["entry"]]
    assert "List" in kinds and "Composition" not in kinds
    assert page.select_visit(practice["old"])  # completed: with its action plan
    qtbot.mouseClick(page.smp_button, Qt.MouseButton.LeftButton)
    kinds = [e["resource"]["resourceType"] for e in json.loads(out.read_text())["entry"]]
    assert kinds[:2] == ["Composition", "List"]
    assert "Medication profile written" in page.summary.text()
