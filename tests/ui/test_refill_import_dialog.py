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
