"""File ▸ Export (FHIR bundle, medication list CSV) for the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

if TYPE_CHECKING:
    from mmsdesk.ui.main_window import MainWindow


def _chart_patient(window: MainWindow) -> int | None:
    if window.chart is None:
        QMessageBox.information(window, "Export", "Open a patient's chart first.")
        return None
    return window.chart.patient_id


def export_fhir(window: MainWindow) -> None:
    from mmsdesk.services.fhir_export import export_fhir as write

    assert window.ctx is not None
    pid = _chart_patient(window)
    if pid is None:
        return
    path, _ = QFileDialog.getSaveFileName(window, "Export FHIR bundle", "patient.fhir.json",
                                          "FHIR JSON (*.json)")
    if path:
        n = write(window.ctx.store, pid, path)
        window.statusBar().showMessage(f"Exported {n} resources.", 5000)


def export_medications_csv(window: MainWindow) -> None:
    from mmsdesk.services.medications import MedicationService

    assert window.ctx is not None
    pid = _chart_patient(window)
    if pid is None:
        return
    path, _ = QFileDialog.getSaveFileName(window, "Export medication list", "medications.csv",
                                          "CSV files (*.csv)")
    if path:
        n = MedicationService(window.ctx.store).export_csv(pid, path)
        window.statusBar().showMessage(f"Exported {n} medicines.", 5000)
