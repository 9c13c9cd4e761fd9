"""File ▸ Import FHIR: a preview of what will be created, then one import; a broken file shows
its reason and cannot be imported."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from mmsdesk.services.patients import PatientService
from mmsdesk.ui.dialogs.fhir_import_dialog import FhirImportDialog
from tests.conftest import shared_data


def test_preview_then_import_opens_the_chart(qtbot, main_window, store):
    path = sorted(p for p in shared_data("synthea-r4").glob("*.json")
                  if not p.name.startswith("TRUNCATED"))[2]
    seen = {}

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, FhirImportDialog)
        seen["preview"] = dlg.body.toPlainText()
        dlg.import_button.click()

    QTimer.singleShot(0, drive)
    result = main_window.import_fhir_from(str(path))
    assert "Creates a new patient" in seen["preview"] and "Medications" in seen["preview"]
    assert result is not None and result.created["medications"] == 10
    assert [r.id for r in PatientService(store).list_rows()] == [result.patient_id]
    assert main_window.chart.patient_id == result.patient_id
    assert main_window.chart.pages["Medications"].active_model.rowCount() + \
        main_window.chart.pages["Medications"].inactive_model.rowCount() == 10


def test_truncated_file_is_refused_in_the_dialog(qtbot, main_window, store):
    path = next(shared_data("synthea-r4").glob("TRUNCATED-*.json"))
    seen = {}

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        seen["error"] = dlg.error.text()
        seen["enabled"] = dlg.import_button.isEnabled()
        dlg.reject()

    QTimer.singleShot(0, drive)
    assert main_window.import_fhir_from(str(path)) is None
    assert "not valid JSON" in seen["error"] and not seen["enabled"]
    assert PatientService(store).list_rows() == []


def test_ccda_document_previewed_and_imported(qtbot, main_window, store):
    """A C-CDA in the same dialog: its type, date, author and lists above the preview; its
    current list goes into the chart, its discharge list is named as not added."""
    path = shared_data("ccda", "NIST__CCDA_CCD_b1_Ambulatory_v2.xml")
    seen = {}

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, FhirImportDialog)
        seen["preview"] = dlg.body.toPlainText()
        dlg.import_button.click()

    QTimer.singleShot(0, drive)
    result = main_window.import_fhir_from(str(path))
    text = seen["preview"]
    assert "C-CDA document: Community Health and Hospitals: Health Summary, 09/12/2012, " \
           "Henry Seven" in text
    assert "Current medications: 1 (into the chart)" in text
    assert "Discharge medications: 1" in text and "compare it in a visit's reconciliation" in text
    assert result is not None and result.created["medications"] == 1
    assert result.created["allergies"] == 3
    assert main_window.chart.patient_id == result.patient_id
