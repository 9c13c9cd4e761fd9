"""The outcomes window: figures and charts for a period, PDF/CSV export, a bad period refused."""

from __future__ import annotations

from datetime import timedelta

from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt

from mmsdesk.bench.practice import PracticeSize, generate_practice
from mmsdesk.services.outcomes import OutcomesService
from tests.conftest import TODAY


def test_outcomes_page_shows_exports_and_refuses_bad_period(qtbot, store, main_window, tmp_path):
    generate_practice(store, PracticeSize(40, 200, 300), TODAY, seed=5)
    main_window.outcomes_action.trigger()
    page = main_window.outcomes
    assert main_window.stack.currentWidget() is page
    expected = OutcomesService(store).report(TODAY - timedelta(days=364), TODAY)
    assert page.data == expected
    labels = {page.figures.itemAt(i, page.figures.ItemRole.LabelRole).widget().text():
              page.figures.itemAt(i, page.figures.ItemRole.FieldRole).widget().text()
              for i in range(page.figures.rowCount())}
    assert labels["Visits completed"] == f"<b>{expected.visits_total}</b>"
    chart = page.charts["Visits by service"]
    assert sum(v for _, v, _ in chart.items) == expected.visits_total
    page.export_pdf(tmp_path / "o.pdf")
    assert "Outcomes report" in PdfReader(str(tmp_path / "o.pdf")).pages[0].extract_text()
    page.export_csv(tmp_path / "o.csv")
    assert (tmp_path / "o.csv").read_text(encoding="utf-8").startswith("section,item,value")
    # a shorter period changes the figures
    page.start_edit.setDate(QDate(TODAY.year, TODAY.month, 1))
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert page.data.start == TODAY.replace(day=1)
    assert page.data.visits_total <= expected.visits_total
    # end before start: a message, the last figures kept
    page.end_edit.setDate(QDate(TODAY.year - 1, 1, 1))
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    assert page.error_label.text() == "The end of the period is before its start."
    assert page.data.start == TODAY.replace(day=1)
    page.grab().save(str(tmp_path / "outcomes.png"))
