"""One true medication list: a strength changed in the chart is what every screen, the
headless list and every printed document show, and the old strength is nowhere.

Walked as the pharmacist works: the demo practice's Frank Kowalski (apixaban 5 mg, citalopram
20 mg), the real chart and the real medication dialog, then `mmsdesk meds --json` in another
process on the same store, then the PDFs read back with pdftotext.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from mmsdesk.services.documents import render_document
from mmsdesk.services.medications import MedicationService
from mmsdesk.services.patients import PatientService
from mmsdesk.ui.dialogs.medication_dialog import MedicationDialog
from tests.conftest import TODAY, run_cli
from tests.reports.pdfcheck import pdftotext

DOCUMENTS = ("pml", "map", "cms-summary", "calendar", "prescriber-letter")


def _frank(store) -> int:
    return next(r.id for r in PatientService(store).list_rows() if r.last_name == "Kowalski")


def _edit_strength(qtbot, page, med_id: int, old: str, new: str) -> dict[str, str]:
    seen: dict[str, str] = {}

    def run() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, MedicationDialog), dlg
        seen["medicine"], seen["strength"] = dlg.medicine.text(), dlg.strength.currentText()
        dlg.strength.setEditText(new)
        qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save),
                         Qt.MouseButton.LeftButton)
        seen["open_after_save"] = str(dlg.isVisible())
        if dlg.isVisible():  # refused: read the message at the field, then cancel
            seen["error"] = dlg.left.error_text("strength")
            dlg.reject()

    page.select_medication(med_id)
    QTimer.singleShot(0, run)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    assert seen["strength"] == old, seen
    return seen


@pytest.fixture
def frank_chart(qtbot, main_window, demo_store):
    from mmsdesk.services.document_samples import add_sample_visit

    pid = _frank(demo_store)
    add_sample_visit(demo_store, pid, TODAY)  # today's CMR, with letters to prescribers
    chart = main_window.open_patient(pid)
    chart.show_page("Medications")
    return pid, chart


def test_a_changed_strength_reaches_the_chart_the_cli_and_every_document(qtbot, frank_chart,
                                                                         demo_store):
    pid, chart = frank_chart
    page = chart.pages["Medications"]
    meds = {r.ingredients: r for r in MedicationService(demo_store).list_for_patient(pid)}
    apixaban, citalopram = meds[("apixaban",)], meds[("citalopram",)]
    assert apixaban.name == "Apixaban 5 mg tablet (Eliquis)"
    assert citalopram.name == "Citalopram 20 mg tablet (Celexa)"

    seen = _edit_strength(qtbot, page, apixaban.id, "5 mg", "2.5 mg")
    assert seen["medicine"] == "Eliquis" and seen["open_after_save"] == "False"
    _edit_strength(qtbot, page, citalopram.id, "20 mg", "10 mg")

    # the chart's rows
    names = [page.active_model.row(i).name for i in range(page.active_model.rowCount())]
    assert "Apixaban 2.5 mg tablet (Eliquis)" in names
    assert "Citalopram 10 mg tablet (Celexa)" in names
    assert not [n for n in names if "Apixaban 5 mg" in n or "Citalopram 20 mg" in n]

    # the history says what changed, when and on whose decision
    last = MedicationService(demo_store).history(apixaban.id)[-1]
    assert last.action == "changed" and last.decided_by == "pharmacist"
    assert "strength: 5 mg → 2.5 mg" in last.changes

    # the headless list, from another process on the same store
    out = run_cli("--no-encryption", "meds", "--patient", str(pid), "--json")
    assert out.returncode == 0, out.stderr
    listed = {m["name"]: m for m in json.loads(out.stdout)["medications"]}
    apx = listed["Apixaban 2.5 mg tablet (Eliquis)"]
    assert apx["components"] == [{"ingredient": "apixaban", "amount": 2.5, "unit": "mg",
                                  "per_amount": None, "per_unit": ""}]
    assert apx["last_change"]["changes"] == ["strength: 5 mg → 2.5 mg"]
    assert "Citalopram 10 mg tablet (Celexa)" in listed
    assert not [n for n in listed if "5 mg tablet (Eliquis)" in n and "2.5" not in n]

    # every printed document that names the medicines
    for kind in DOCUMENTS:
        text = pdftotext(render_document(demo_store, kind, pid, today=TODAY,
                                         attach_list=kind == "prescriber-letter"))
        assert text, kind
        # (a table cell may wrap, so the brand can land after the next column's words)
        assert "Apixaban 2.5 mg tablet" in text, kind
        assert "Citalopram 10 mg tablet" in text, kind
        for old in ("Apixaban 5 mg", "Citalopram 20 mg", "5 MG Oral Tablet", "20 MG Oral"):
            assert old not in text, (kind, old)


def test_a_strength_that_does_not_read_stays_in_the_dialog_with_its_message(qtbot, frank_chart,
                                                                            demo_store):
    pid, chart = frank_chart
    page = chart.pages["Medications"]
    meds = {r.ingredients: r for r in MedicationService(demo_store).list_for_patient(pid)}
    sinemet = meds[("carbidopa", "levodopa")]
    seen = _edit_strength(qtbot, page, sinemet.id, "25 mg / 100 mg", "25 mg / 100 mg / 5 mg")
    assert seen["open_after_save"] == "True"
    assert "carbidopa and levodopa" in seen["error"]
    after = MedicationService(demo_store).get(sinemet.id)
    assert after.strength == "25 mg / 100 mg" and after.name.startswith("Carbidopa 25 mg / levodopa 100 mg")
