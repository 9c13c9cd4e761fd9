"""File ▸ Import FHIR and File ▸ Export (FHIR bundle, medication list CSV) for the main window."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from mmsdesk.services.fhir_import import FhirImportService, ImportResult

if TYPE_CHECKING:
    from mmsdesk.services.refills import PatientsImport
    from mmsdesk.ui.main_window import MainWindow


def import_fhir(window: MainWindow, path: str | None = None
                ) -> ImportResult | PatientsImport | None:
    """Choose a file, preview it, import it on the pharmacist's word. A FHIR bundle or C-CDA
    document opens its patient's chart; a pharmacy's fill history (a text table, told from the
    content) goes to the patients it names."""
    from mmsdesk.ui.dialogs.fhir_import_dialog import FhirImportDialog

    assert window.ctx is not None
    if path is None:
        path, _ = QFileDialog.getOpenFileName(
            window, "Import a patient's record", "",
            "FHIR bundles, C-CDA documents and pharmacy fill histories "
            "(*.json *.xml *.ccd *.ccda *.cda *.csv *.txt *.tsv *.psv);;All files (*)")
        if not path:
            return None
    if is_fill_history(path):
        return import_fill_history(window, path)
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


def is_fill_history(path: str) -> bool:
    """A text file (neither JSON nor XML) whose header row names a fill date and a drug."""
    from mmsdesk.interop.fhir_bundle import BundleError
    from mmsdesk.interop.formats import TEXT, detect_format
    from mmsdesk.interop.refill_csv import RefillImportError, decode, guess_mapping, read_headers

    try:
        if detect_format(path) != TEXT:
            return False
        with open(path, "rb") as f:
            found = guess_mapping(read_headers(decode(f.read(65536), path)))
    except (BundleError, RefillImportError, OSError, csv.Error):
        return False
    return "fill_date" in found and ("drug" in found or "ndc" in found)


def import_fill_history(window: MainWindow, path: str) -> PatientsImport | None:
    """Preview a fill history per patient, import all of it on the pharmacist's word."""
    from mmsdesk.ui.dialogs.refill_patients_dialog import RefillPatientsDialog

    assert window.ctx is not None
    dlg = RefillPatientsDialog(window.ctx.store, path, window.ctx.today(), parent=window)
    accepted = dlg.exec()
    result = dlg.result
    dlg.deleteLater()
    if accepted and result is not None:
        window.ctx.events.publish(result.change)
        window.statusBar().showMessage(
            f"Imported {sum(result.added.values())} fills for {len(result.added)} patients.", 5000)
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
