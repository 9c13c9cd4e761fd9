"""Live alerts: the warfarin + ibuprofen alert appears when both are active and disappears when
one is stopped; acknowledging keeps the reason and hides the alert until something changes."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from mmsdesk.services.medications import MedicationInput, MedicationService
from mmsdesk.services.patients import PatientInput, PatientService
from mmsdesk.ui.chart.alerts_panel import AcknowledgeDialog
from tests.conftest import TODAY
from tests.ui.typing import type_text


@pytest.fixture
def chart(qtbot, main_window, store):
    pid, _ = PatientService(store).create(PatientInput("José", "Müller", date(1943, 5, 14)), TODAY)
    return main_window.open_patient(pid)


def _bleeding_alerts(panel) -> list:
    return [a for a in panel.alerts if {"warfarin", "ibuprofen"} <= set(a.drugs)]


def test_alert_appears_and_disappears(qtbot, chart, store):
    panel = chart.alerts_panel
    events = chart.ctx.events
    meds = MedicationService(store)
    assert _bleeding_alerts(panel) == []
    _, change = meds.add(chart.patient_id, MedicationInput("Warfarin 5 mg tablet"), TODAY)
    events.publish(change)
    assert _bleeding_alerts(panel) == []
    ibu, change = meds.add(chart.patient_id, MedicationInput("Advil 200 mg"), TODAY)
    with qtbot.waitSignal(panel.refreshed, timeout=1000):
        events.publish(change)
    [alert] = _bleeding_alerts(panel)
    assert alert.severity in ("high", "moderate")
    panel.select_alert(alert.key)
    detail = panel.detail.toPlainText()
    assert alert.recommendation[:40] in detail and "Sources" in detail
    assert alert.references and all(str(r)[:30] in detail for r in alert.references)
    assert "built-in method" not in detail
    assert panel.last_refresh_ms < 100
    events.publish(meds.stop(ibu, TODAY, "switched to acetaminophen", TODAY))
    assert _bleeding_alerts(panel) == []


def test_acknowledge_with_reason_hides_until_dose_changes(qtbot, chart, store):
    panel = chart.alerts_panel
    events = chart.ctx.events
    meds = MedicationService(store)
    w, change = meds.add(chart.patient_id, MedicationInput("Warfarin 5 mg tablet"), TODAY)
    events.publish(change)
    events.publish(meds.add(chart.patient_id, MedicationInput("Ibuprofen 200 mg"), TODAY)[1])
    [alert] = _bleeding_alerts(panel)
    panel.select_alert(alert.key)
    seen = {}

    def ack() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, AcknowledgeDialog)
        dlg.buttons.accepted.emit()  # no reason: refused at the field
        seen["error"] = dlg.form.error_text("reason")
        type_text(qtbot, dlg.reason, "Prescriber aware; INR checked weekly")
        dlg.buttons.accepted.emit()

    QTimer.singleShot(0, ack)
    panel.ack_button.click()
    assert "reason" in seen["error"].lower()
    assert _bleeding_alerts(panel) == []
    assert [a.key for a, _ in panel.hidden] == [alert.key]
    panel.show_acknowledged.setChecked(True)
    panel.select_alert(alert.key)
    assert "Prescriber aware" in panel.detail.toPlainText()
    # The warfarin directions change: the alert is shown again.
    data = meds.get_input(w)
    data.directions_text = "Take 1½ tablets by mouth every evening"
    events.publish(meds.update(w, data, TODAY))
    assert len(_bleeding_alerts(panel)) == 1
