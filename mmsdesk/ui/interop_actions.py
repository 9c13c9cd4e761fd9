"""File ▸ Import FHIR and File ▸ Export (FHIR bundle, medication list CSV) for the main window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from mmsdesk.services.fhir_import import FhirImportService, ImportResult

if TYPE_CHECKING:
    from mmsdesk.ui.main_window import MainWindow


def import_fhir(window: MainWindow, path: str | None = None) -> ImportResult | None:
    """Choose a bundle, preview it, import it on the pharmacist's word, open the chart."""
    from mmsdesk.ui.dialogs.fhir_import_dialog import FhirImportDialog

    assert window.ctx is not None
    if path is None:
        path, _ = QFileDialog.getOpenFileName(
            window, "Import a patient's record", "",
            "FHIR bundles and C-CDA documents (*.json *.xml *.ccd *.ccda *.cda);;All files (*)")
        if not path:
            return None
    dlg = FhirImportDialog(FhirImportService(window.ctx.store), path, window.ctx.today(),
                           parent=window)
    accepted = dlg.exec()
    result = dlg.result
    dlg.deleteLater()
    if accepted and result is not None:
        window.ctx.events.publish(result.change)
        window.open_patient(result.patient_id)
        total = sum(result.created.values())
        window.statusBar().showMessage(f"Imported {total} records.", 5000)
    return result


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
