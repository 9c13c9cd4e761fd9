"""Dense where it helps (#20 item 6): the chart's medication list shows at least 12 medicines
at 1366x768 in the default font, the directions in full on demand; tables remember their
column widths and sort."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from mmsdesk.services.patients import PatientInput, PatientService
from tests.conftest import TODAY, med_entry

MEDICINES = ["metformin", "lisinopril", "atorvastatin", "amlodipine", "metoprolol", "aspirin",
             "omeprazole", "levothyroxine", "gabapentin", "sertraline", "furosemide",
             "potassium chloride", "tamsulosin", "donepezil"]
LONG = ("Take 1 tablet by mouth twice a day with breakfast and supper, with a full glass of "
        "water; skip the dose if you do not eat")


def _chart(qtbot, main_window, store):
    pid, _ = PatientService(store).create(PatientInput("Iris", "Lowe", date(1941, 3, 2)), TODAY)
    with store.session() as s:
        for n, name in enumerate(MEDICINES):
            s.add(med_entry(pid, f"{name} tablet", name, directions=LONG if n % 2 == 0 else
                            "1 tablet daily", status="active"))
    main_window.resize(1366, 768)
    chart = main_window.open_patient(pid)
    chart.show_page("Medications")
    qtbot.wait(50)
    return chart.pages["Medications"]


def _visible_rows(table) -> int:
    """Rows wholly inside the viewport, found where the view paints them (rowAt)."""
    height = table.viewport().height()
    shown = 0
    for r in range(table.model().rowCount()):
        top, h = table.rowViewportPosition(r), table.rowHeight(r)
        if top >= 0 and top + h <= height and h > 0 and table.rowAt(top + h // 2) == r:
            shown += 1
    return shown


def test_twelve_medicines_visible_at_1366x768(qtbot, main_window, store):
    page = _chart(qtbot, main_window, store)
    assert main_window.width() == 1366 and main_window.height() <= 768
    assert page.active_model.rowCount() == 14
    assert _visible_rows(page.active_table) >= 12
    assert page.active_table.verticalHeader().length() == 14 * page.active_table.rowHeight(0)
    # the directions in full on demand: rows wrap onto a second line
    one_line = page.active_table.rowHeight(0)
    qtbot.mouseClick(page.show_directions, Qt.MouseButton.LeftButton)
    assert page.active_table.rowHeight(0) > one_line
    assert _visible_rows(page.active_table) < 12  # what the list looked like before
    qtbot.mouseClick(page.show_directions, Qt.MouseButton.LeftButton)
    assert page.active_table.rowHeight(0) == one_line


def test_tables_remember_column_widths_and_sort(qtbot, main_window, store):
    from mmsdesk.ui.widgets import table_state

    page = _chart(qtbot, main_window, store)
    qtbot.wait(table_state.SAVE_DELAY_MS + 100)
    assert table_state.load_all() == {}  # opening the chart chose nothing: nothing written
    table = page.active_table
    header = table.horizontalHeader()
    header.resizeSection(0, 333)  # the user drags the Medicine column
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().center().__class__(header.sectionViewportPosition(0) + 20,
                                                          header.height() // 2))
    names = [page.active_model.row(i).name for i in range(page.active_model.rowCount())]
    assert names == sorted(names, key=str.lower) or names == sorted(names)
    table._memory.save()  # what the timer does a moment later
    pid = main_window.chart.patient_id
    main_window.show_patient_list()
    again = main_window.open_patient(pid)
    again.show_page("Medications")
    page2 = again.pages["Medications"]
    assert page2 is not page
    assert page2.active_table.horizontalHeader().sectionSize(0) == 333
    assert page2.active_table.horizontalHeader().sortIndicatorSection() == 0
    names2 = [page2.active_model.row(i).name for i in range(page2.active_model.rowCount())]
    assert names2 == names
