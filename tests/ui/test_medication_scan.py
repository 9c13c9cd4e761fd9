"""The chart's Add medicine: a package scanned into the Scan field fills in the product,
strength and form (then the cursor is in the dose); an expired package and an NDC the
dictionary lacks say so; the package's NDC, lot and expiry go into the notes."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from mmsdesk.clinical.dictionary.barcodes import ndc_to_gtin14, ndc_to_upc
from mmsdesk.services.patients import PatientInput, PatientService
from mmsdesk.ui.dialogs.medication_dialog import MedicationDialog
from tests.conftest import TODAY, shared_data
from tests.ui.typing import type_text


def _scan(qtbot, dlg: MedicationDialog, code: str) -> None:  # type: ignore[no-untyped-def]
    dlg.scan.setFocus()
    type_text(qtbot, dlg.scan, code)
    qtbot.keyClick(dlg.scan, Qt.Key.Key_Return)


def test_scan_fills_the_medicine_and_saves_it(qtbot, main_window, store):
    from mmsdesk.clinical.dictionary import get_dictionary
    from mmsdesk.clinical.dictionary.importers import import_ndc

    d = get_dictionary()
    import_ndc(shared_data("fda-ndc", "openfda-ndc-test-product_trimmed.txt"), d.extension_path, d)
    pid, _ = PatientService(store).create(PatientInput("José", "Müller", date(1943, 5, 14)), TODAY)
    chart = main_window.open_patient(pid)
    chart.show_page("Medications")
    page = chart.pages["Medications"]
    dlg = MedicationDialog(page.service, page.care_team, pid, None, TODAY, main_window)
    qtbot.addWidget(dlg)
    dlg.show()

    _scan(qtbot, dlg, "300450449107")  # a misread: nothing filled in
    assert "wrong check digit" in dlg.left.error_text("scan") and dlg.medicine.text() == ""
    _scan(qtbot, dlg, ndc_to_upc("0045-0449-10"))  # not in the directory: kept as text
    assert dlg.medicine.text() == "NDC 0045044910"
    assert "not in the drug dictionary" in dlg.match_label.text()
    _scan(qtbot, dlg, "]d201" + ndc_to_gtin14("0002-1407-01") + "17260500" + "10Q7")
    assert dlg.isVisible()  # the scanner's Enter saved nothing
    assert (dlg.medicine.text(), dlg.strength.currentText(), dlg.dose_form.currentText()) == (
        "Quinidine 80 mg/mL solution", "80 mg/mL", "solution")
    assert dlg.match_label.text().startswith("<b>Expired package</b>")
    assert dlg.focusWidget() is dlg.dose
    assert dlg.notes.toPlainText().splitlines()[-1] == (
        "Scanned package: NDC 0002-1407-01, lot Q7, expired 2026-05-31")
    dlg.dose.setText("10")
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save),
                     Qt.MouseButton.LeftButton)
    assert dlg.medication_id is not None
    saved = page.service.get(dlg.medication_id)
    assert [c.ingredient for c in saved.components] == ["quinidine"]
    assert "NDC 0002-1407-01" in page.service.get_input(dlg.medication_id).notes
