"""The fill-history dialog with a file as a pharmacy exports it (tab-separated, a title line
above the header, a date with its time, an NDC): the columns are found, the dialog says what
the import will add before anything is written, and a mapping that cannot be read says why."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from mmsdesk.models import FillRecord, Patient
from mmsdesk.ui.dialogs.refill_import import NOT_MAPPED, RefillImportDialog
from tests.conftest import TODAY


def test_pharmacy_export_mapped_previewed_and_imported(qtbot, store, tmp_path: Path):
    with store.session() as s:
        p = Patient(first_name="Ana", last_name="Diaz", date_of_birth=date(1950, 1, 2))
        s.add(p)
        s.flush()
        pid = p.id
    f = tmp_path / "fills.txt"
    f.write_text("Prescription history report\n"
                 "Rx #\tFill Date\tDrug Name\tStrength\tQty\tDays Supply\tNDC\n"
                 "7001\t01/05/2026 10:32 AM\tMetformin\t500 mg\t60\t30\t00093-7212-01\n"
                 "7002\t02/04/2026 09:10 AM\tMetformin\t500 mg\t60\t30\t0093-7212-01\n",
                 encoding="utf-8")
    dlg = RefillImportDialog(store, pid, TODAY)
    qtbot.addWidget(dlg)
    dlg.load_file(f)
    assert dlg.combos["fill_date"].currentText() == "Fill Date"
    assert dlg.combos["ndc"].currentText() == "NDC"
    assert dlg.combos["rx_number"].currentText() == "Rx #"
    assert dlg.will_add.text() == "Will add 2 fills (0 already recorded)."
    with store.session() as s:
        assert s.execute(select(func.count()).select_from(FillRecord)).scalar_one() == 0
    dlg.combos["days_supply"].setCurrentText(NOT_MAPPED)
    assert dlg.will_add.text().startswith("Cannot be imported as mapped: line 2: no column for "
                                          "days' supply")
    dlg.combos["days_supply"].setCurrentText("Days Supply")
    dlg.import_button.click()
    assert dlg.added == 2


def test_columns_remembered_for_the_pharmacy(qtbot, store, tmp_path: Path):
    with store.session() as s:
        p = Patient(first_name="Bo", last_name="Chen", date_of_birth=date(1941, 6, 7))
        s.add(p)
        s.flush()
        pid = p.id
    odd = tmp_path / "corner.csv"
    odd.write_text("Dispensed On;Item Description;Supply\n"
                   "01/02/2026 08:15 AM;Lisinopril 10 mg;30\n", encoding="utf-8")
    first = RefillImportDialog(store, pid, TODAY)
    qtbot.addWidget(first)
    first.pharmacy.setCurrentText("Corner Drug")
    first.load_file(odd)
    assert first.will_add.text().startswith("Cannot be imported as mapped")
    first.combos["fill_date"].setCurrentText("Dispensed On")
    first.combos["drug"].setCurrentText("Item Description")
    first.combos["days_supply"].setCurrentText("Supply")
    assert first.will_add.text() == "Will add 1 fill (0 already recorded)."
    first.import_button.click()
    assert first.added == 1
    later = tmp_path / "corner-march.csv"
    later.write_text("Dispensed On;Item Description;Supply\n"
                     "03/02/2026 08:15 AM;Lisinopril 10 mg;30\n", encoding="utf-8")
    second = RefillImportDialog(store, pid, TODAY)
    qtbot.addWidget(second)
    assert second.pharmacy.findText("Corner Drug") >= 0  # offered from the settings
    second.pharmacy.setCurrentText("Corner Drug")
    second.load_file(later)
    assert second.combos["drug"].currentText() == "Item Description"
    assert second.will_add.text() == "Will add 1 fill (0 already recorded)."
