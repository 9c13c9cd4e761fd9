"""The chart's alerts panel shows the input warnings (deceased patient, no INR for warfarin) and
each alert's evidence lines (kidney function with its inputs and dates)."""

from __future__ import annotations

from datetime import date

from mmsdesk.models import Observation
from mmsdesk.services.medications import MedicationInput, MedicationService
from mmsdesk.services.patients import PatientInput, PatientService
from tests.conftest import TODAY


def test_panel_shows_warnings_and_evidence(qtbot, main_window, store):
    pid, _ = PatientService(store).create(
        PatientInput("Ada", "Test", date(1938, 5, 14), sex="female",
                     deceased_date=date(2026, 1, 10)), TODAY)
    with store.session() as s:
        s.add_all([Observation(patient_id=pid, measure="creatinine", value=1.8,
                               taken_on=date(2025, 12, 1)),
                   Observation(patient_id=pid, measure="weight", value=50,
                               taken_on=date(2025, 12, 1))])
    meds = MedicationService(store)
    meds.add(pid, MedicationInput("Warfarin 5 mg tablet"), TODAY)
    meds.add(pid, MedicationInput("Gabapentin 300 mg capsule"), TODAY)
    chart = main_window.open_patient(pid)
    panel = chart.alerts_panel
    assert not panel.warnings.isHidden()
    text = panel.warnings.text()
    assert "deceased on 2026-01-10 (age 87 at death)" in text
    assert "no INR is on file" in text
    [renal] = [a for a in panel.alerts if a.kind == "renal" and a.drugs == ("gabapentin",)]
    panel.select_alert(renal.key)
    detail = panel.detail.toPlainText()
    assert "Evidence" in detail and "Cockcroft-Gault" in detail and "2025-12-01" in detail


def test_panel_hides_warnings_when_there_are_none(qtbot, main_window, store):
    pid, _ = PatientService(store).create(PatientInput("Bo", "Test", date(1950, 1, 2)), TODAY)
    chart = main_window.open_patient(pid)
    assert chart.alerts_panel.warnings.isHidden() and chart.alerts_panel.input_warnings == []
