"""File ▸ Import of a pharmacy's fill history naming several patients: a preview per patient
(matched by name and birth date), the unmatched listed by line, then all of it in one
transaction on confirmation; nothing on cancel; a broken line named and nothing importable."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from mmsdesk.models import FillRecord, Patient
from mmsdesk.services.refills import fill_history
from mmsdesk.ui.dialogs.refill_patients_dialog import RefillPatientsDialog
from tests.conftest import TODAY

# a store's export, tab-separated, two patients of the store and one it does not know
FILE = ("Store #12 prescription history\n"
        "Patient Name\tDOB\tRx #\tFill Date\tDrug Name\tQty\tDays Supply\tNDC\tPrescriber"
        "\tPrescriber NPI\tSig\tPharmacy\tNCPDP\n"
        "Diaz, Ana\t01/02/1950\t700101\t01/05/2026 10:32 AM\tMetformin 500 mg\t60\t30"
        "\t00093-7212-01\tDr Lee\t1234567893\ttake 1 twice daily\tMain Street Pharmacy\t0512345\n"
        "CHEN, BO\t06/07/1941\t700102\t01/06/2026 11:00 AM\tAtorvastatin 20 mg\t30\t30\t"
        "\tDr Lee\t1234567893\ttake 1 at bedtime\tMain Street Pharmacy\t0512345\n"
        "Diaz, Ana\t01/02/1950\t700103\t02/04/2026 09:10 AM\tMetformin 500 mg\t60\t30"
        "\t00093-7212-01\tDr Lee\t1234567893\ttake 1 twice daily\tMain Street Pharmacy\t0512345\n"
        "Park, Cy\t03/04/1960\t700104\t02/05/2026 10:00 AM\tLisinopril 10 mg\t30\t30\t"
        "\tDr Lee\t1234567893\ttake 1 daily\tMain Street Pharmacy\t0512345\n")


def _people(store) -> tuple[int, int]:
    with store.session() as s:
        ana = Patient(first_name="Ana", last_name="Díaz", date_of_birth=date(1950, 1, 2))
        bo = Patient(first_name="Bo", last_name="Chen", date_of_birth=date(1941, 6, 7))
        s.add_all([ana, bo])
        s.flush()
        return ana.id, bo.id


def _fills(store) -> int:
    with store.session() as s:
        return len(s.execute(select(FillRecord.id)).all())


def _table(dlg: RefillPatientsDialog) -> list[list[str]]:
    m = dlg.model
    return [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]


def test_two_patients_previewed_then_imported_together(qtbot, main_window, store, tmp_path):
    ana, bo = _people(store)
    path = tmp_path / "store12-history.txt"
    path.write_text(FILE, encoding="utf-8")
    seen: dict[str, object] = {}

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, RefillPatientsDialog)
        seen["table"] = _table(dlg)
        seen["unmatched"] = [dlg.unmatched.item(i).text() for i in range(dlg.unmatched.count())]
        seen["summary"] = dlg.summary.text()
        seen["button"] = dlg.import_button.text()
        seen["written before"] = _fills(store)
        shot = dlg.grab()
        shot.save(str(tmp_path / "refill-patients-preview.png"))
        seen["shot"] = (shot.width(), shot.height())
        qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, drive)
    result = main_window.import_fhir_from(str(path))
    assert seen["table"] == [["Ana Díaz", "01/02/1950", "2", "0", "3, 5"],
                             ["Bo Chen", "06/07/1941", "1", "0", "4"]]
    assert seen["unmatched"] == ["Park, Cy, born 03/04/1960 (lines 6)"]
    assert seen["summary"] == ("4 fills in the file: 2 patients matched by name and birth date, "
                               "1 not matched. Importing adds 3 fills for all of them at once, "
                               "or nothing.")
    assert seen["button"] == "&Import for 2 patients" and seen["written before"] == 0
    assert seen["shot"][0] > 400 and seen["shot"][1] > 300
    assert result is not None and result.added == {ana: 2, bo: 1}
    assert [(f.drug, f.rx_number, f.ndc, f.pharmacy_ncpdp) for f in fill_history(store, bo)] == [
        ("Atorvastatin 20 mg", "700102", "", "0512345")]
    assert "Imported 3 fills for 2 patients" in main_window.statusBar().currentMessage()


def test_cancel_writes_nothing_and_a_second_import_adds_nothing(qtbot, main_window, store,
                                                                tmp_path):
    _people(store)
    path = tmp_path / "history.csv"
    path.write_text(FILE, encoding="utf-8")
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())
    assert main_window.import_fhir_from(str(path)) is None
    assert _fills(store) == 0
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().import_button.click())
    assert main_window.import_fhir_from(str(path)) is not None
    seen = {}

    def again() -> None:
        dlg = QApplication.activeModalWidget()
        seen["table"], seen["enabled"] = _table(dlg), dlg.import_button.isEnabled()
        dlg.reject()

    QTimer.singleShot(0, again)
    main_window.import_fhir_from(str(path))
    assert [row[2:4] for row in seen["table"]] == [["0", "2"], ["0", "1"]]
    assert seen["enabled"] is False and _fills(store) == 3


def test_broken_line_named_nothing_importable(qtbot, store, tmp_path):
    _people(store)
    path = tmp_path / "broken.txt"
    path.write_text(FILE.replace("02/04/2026 09:10 AM", "02/30/2026 09:10 AM"), encoding="utf-8")
    dlg = RefillPatientsDialog(store, path, TODAY)
    qtbot.addWidget(dlg)
    assert dlg.error.text() == ("Nothing can be imported. line 5: the date filled is not a date "
                                "(use YYYY-MM-DD or MM/DD/YYYY)")
    assert not dlg.import_button.isEnabled() and dlg.model.rowCount() == 0


def test_columns_mapped_before_for_the_pharmacy_read_its_file(qtbot, store, tmp_path):
    """A pharmacy whose odd column names were mapped once (remembered in the settings) is
    offered; choosing it reads the file with that mapping."""
    from mmsdesk import settings

    ana, _bo = _people(store)
    saved = settings.load()
    settings.save(saved.with_changes(refill_mappings={"Corner Drug": {
        "fill_date": "Dispensed On", "drug": "Item Description", "days_supply": "Supply",
        "patient": "Client", "birth_date": "Born"}}))
    path = tmp_path / "corner.txt"
    path.write_text("Client;Born;Dispensed On;Item Description;Supply\n"
                    "Ana Diaz;01/02/1950;01/02/2026 08:15 AM;Lisinopril 10 mg;30\n",
                    encoding="utf-8")
    dlg = RefillPatientsDialog(store, path, TODAY)
    qtbot.addWidget(dlg)
    assert "no column for date filled" in dlg.error.text() and not dlg.import_button.isEnabled()
    dlg.pharmacy.setCurrentIndex(dlg.pharmacy.findText("Corner Drug"))
    assert dlg.error.text() == "" and _table(dlg) == [["Ana Díaz", "01/02/1950", "1", "0", "2"]]
    qtbot.mouseClick(dlg.import_button, Qt.MouseButton.LeftButton)
    assert dlg.result is not None and dlg.result.added == {ana: 1}
