"""Chart tabs "Adherence" (fill import, PDC, timeline) and "MTM" (criteria, thresholds)."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from mmsdesk.models import Condition, FillRecord, MedicationEntry, Patient, Visit
from mmsdesk.services.eligibility import criteria_for
from mmsdesk.ui.dialogs.refill_import import RefillImportDialog
from tests.conftest import TODAY


def _patient(store) -> int:
    with store.session() as s:
        p = Patient(first_name="Ana", last_name="Ruiz", date_of_birth=date(1948, 3, 1),
                    mtm_enrolled_on=TODAY - timedelta(days=30))
        s.add(p)
        s.flush()
        for name, icd in [("Diabetes", "E11.9"), ("Hypertension", "I10"), ("COPD", "J44.9")]:
            s.add(Condition(patient_id=p.id, name=name, icd10_code=icd))
        for i in range(8):
            s.add(MedicationEntry(patient_id=p.id, text_given=f"drug {i}", annual_cost=190.0))
        s.add(Visit(patient_id=p.id, service="cmr", visit_date=TODAY - timedelta(days=10),
                    status="complete"))
        return p.id


def _csv(tmp_path, body: str):
    path = tmp_path / "fills.csv"
    path.write_text("Rx Date,Product,Supply,Qty\n" + body, encoding="utf-8")
    return path


def fills(store) -> int:
    with store.session() as s:
        return s.execute(select(func.count()).select_from(FillRecord)).scalar_one()


def test_import_fills_then_see_pdc_and_timeline(qtbot, store, main_window, tmp_path):
    pid = _patient(store)
    chart = main_window.open_patient(pid)
    chart.show_page("Adherence")
    page = chart.pages["Adherence"]
    assert "No fills recorded" in page.headline.text()
    lines = "".join(f"{(TODAY - timedelta(days=d)).isoformat()},Lisinopril 10 mg tablet,30,30\n"
                    for d in (150, 120, 60, 29))
    dlg = RefillImportDialog(store, pid, TODAY, main_window)
    qtbot.addWidget(dlg)
    dlg.load_file(_csv(tmp_path, lines))
    assert dlg.combos["fill_date"].currentText() == "(none)"  # "Rx Date" is not guessed
    assert dlg.combos["quantity"].currentText() == "Qty"
    dlg.combos["fill_date"].setCurrentText("Rx Date")
    dlg.combos["drug"].setCurrentText("Product")
    dlg.combos["days_supply"].setCurrentText("Supply")
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    assert dlg.result() == dlg.DialogCode.Accepted and dlg.added == 4
    main_window.ctx.events.publish(dlg.change)
    assert fills(store) == 4
    # 150 days in period (first fill 150 days ago .. today), 120 covered; a 30-day gap is listed
    # only when longer than the threshold.
    rows = page.model.rows
    drug = next(r for scope, r in rows if scope == "Drug")
    assert (drug.days_in_period, drug.days_covered) == (151, 120)
    assert page.model.index(0, 2).data() == "79% (below 80%)"
    assert "1 of 1 medicines below 80% PDC" in page.headline.text()
    assert [scope for scope, _ in rows] == ["Drug", "Class"]  # RAS antagonists
    assert page.timeline.results and page.timeline.results[0].segments
    page.gap_spin.setValue(20)
    assert "30 days from" in page.model.index(0, 5).data()


def test_bad_file_shows_lines_and_writes_nothing(qtbot, store, main_window, tmp_path):
    pid = _patient(store)
    dlg = RefillImportDialog(store, pid, TODAY, main_window)
    qtbot.addWidget(dlg)
    dlg.load_file(_csv(tmp_path, "2026-01-01,Metformin,30,60\n2026-13-01,Metformin,30,60\n"
                                 "2026-02-01,,30,60\n"))
    dlg.combos["fill_date"].setCurrentText("Rx Date")
    dlg.combos["drug"].setCurrentText("Product")
    dlg.combos["days_supply"].setCurrentText("Supply")
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    text = dlg.error_label.text()
    assert text.startswith("Nothing was imported.")
    assert "line 3: the date filled is not a date" in text and "line 4: the drug is empty" in text
    assert dlg.isVisible() or dlg.result() != dlg.DialogCode.Accepted
    assert fills(store) == 0


def test_mtm_tab_and_thresholds(qtbot, store, main_window):
    pid = _patient(store)
    chart = main_window.open_patient(pid)
    chart.show_page("MTM")
    page = chart.pages["MTM"]
    page.year_spin.setValue(2025)
    assert page.verdict.text() == "Does not meet the 2025 Part D MTM targeting criteria"
    assert "$1,520 of at least $1,623" in page.cost.text()
    # a CMR done in this plan year: the next one is the next plan year's (#20 item 5)
    assert page.cmr.text() == f"12/31/{TODAY.year + 1} (done for {TODAY.year}; next plan year's)"
    page.year_spin.setValue(2026)
    assert "2025's are used" in page.note.text()
    assert "CY 2026" in page.source.text()
    page.min_cost.setValue(1400)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert criteria_for(2026).min_annual_cost == 1400
    assert page.verdict.text() == "Meets the 2026 Part D MTM targeting criteria"
    assert page.note.text() == ""


def test_fhir_file_needs_no_mapping(qtbot, store, main_window, tmp_path):
    import json

    pid = _patient(store)
    path = tmp_path / "dispenses.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "entry": [{"resource": {
        "resourceType": "MedicationDispense", "status": "completed",
        "whenHandedOver": "2026-10-01", "daysSupply": {"value": 30},
        "medicationCodeableConcept": {"text": "Metformin 500 mg tablet"}}}]}), encoding="utf-8")
    dlg = RefillImportDialog(store, pid, TODAY, main_window)
    qtbot.addWidget(dlg)
    dlg.load_file(path)
    assert not dlg.combos["drug"].isEnabled()
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    assert dlg.added == 1 and fills(store) == 1


def test_fills_shown_with_what_the_pharmacy_file_gave(qtbot, store, main_window, tmp_path):
    """The Adherence tab lists each fill with its NDC, Rx number, prescriber and NPI, pharmacy
    and NCPDP id, and sig, as imported."""
    pid = _patient(store)
    chart = main_window.open_patient(pid)
    chart.show_page("Adherence")
    page = chart.pages["Adherence"]
    assert page.fills_model.rowCount() == 0
    path = tmp_path / "fills.txt"
    day = (TODAY - timedelta(days=20)).strftime("%m/%d/%Y")
    path.write_text("Rx #|Fill Date|Drug Name|Qty|Days Supply|NDC|Prescriber|Prescriber NPI|Sig"
                    "|Pharmacy|NCPDP\n"
                    f"700101|{day} 10:32 AM|Metformin 500 mg|60|30|0093-7212-01|Dr Ana Ruiz"
                    "|1234567893|take 1 tablet twice daily|Main Street Pharmacy|0512345\n",
                    encoding="utf-8")
    dlg = RefillImportDialog(store, pid, TODAY, main_window)
    qtbot.addWidget(dlg)
    dlg.load_file(path)
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    main_window.ctx.events.publish(dlg.change)
    m = page.fills_model
    assert m.rowCount() == 1
    shown = {m.headerData(c, Qt.Orientation.Horizontal): m.index(0, c).data()
             for c in range(m.columnCount())}
    assert shown == {"Filled": day, "Medicine": "Metformin 500 mg", "Qty": "60", "Days": "30",
                     "NDC": "00093721201", "Rx number": "700101",
                     "Prescriber": "Dr Ana Ruiz (NPI 1234567893)",
                     "Pharmacy": "Main Street Pharmacy (NCPDP 0512345)",
                     "Directions (sig)": "take 1 tablet twice daily"}
