"""The outcomes report in the window: choose a period, read the key figures and charts, export
the same report as PDF or CSV."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Slot
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.reports import outcomes as report
from mmsdesk.services.outcomes import OutcomesReportData, OutcomesService
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.widgets.bar_chart import BarChartWidget
from mmsdesk.ui.widgets.theme import error_style


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class OutcomesPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = OutcomesService(ctx.store)
        self.data: OutcomesReportData | None = None
        today = ctx.today()
        self.start_edit = QDateEdit(_qdate(today - timedelta(days=364)))
        self.end_edit = QDateEdit(_qdate(today))
        for edit, name in ((self.start_edit, "From"), (self.end_edit, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("MM/dd/yyyy")
            edit.setAccessibleName(name)
        self.run_button = QPushButton("&Show")
        self.run_button.clicked.connect(self.refresh)
        self.pdf_button = QPushButton("Export &PDF…")
        self.pdf_button.clicked.connect(self._on_pdf_button_clicked)
        self.csv_button = QPushButton("Export &CSV…")
        self.csv_button.clicked.connect(self._on_csv_button_clicked)
        self.error_label = QLabel()
        self.error_label.setStyleSheet(error_style())
        bar = QHBoxLayout()
        bar.addWidget(QLabel("From"))
        bar.addWidget(self.start_edit)
        bar.addWidget(QLabel("to"))
        bar.addWidget(self.end_edit)
        bar.addWidget(self.run_button)
        bar.addStretch(1)
        bar.addWidget(self.pdf_button)
        bar.addWidget(self.csv_button)
        self.figures = QFormLayout()
        figures_box = QWidget()
        figures_box.setLayout(self.figures)
        self.charts: dict[str, BarChartWidget] = {}
        grid = QGridLayout()
        titles = ["Visits by service", "Visits by modality", "Problems by category",
                  "Problems by cause", "Recommendations by answer", "Patients at goal"]
        for i, title in enumerate(titles):
            chart = BarChartWidget(title)
            self.charts[title] = chart
            grid.addWidget(chart, i // 2, i % 2, Qt.AlignmentFlag.AlignTop)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.addWidget(figures_box)
        inner.addLayout(grid)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Outcomes report")  # a Tab stop: arrows scroll the read-only text
        scroll.setWidget(content)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.error_label)
        lay.addWidget(scroll, 1)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        start, end = _pydate(self.start_edit.date()), _pydate(self.end_edit.date())
        if end < start:
            self.error_label.setText("The end of the period is before its start.")
            return
        self.error_label.clear()
        self.data = d = self.service.report(start, end)
        while self.figures.rowCount():
            self.figures.removeRow(0)
        for label, value in report.key_figures(d):
            self.figures.addRow(QLabel(label), QLabel(f"<b>{value}</b>"))
        for title, items in d.chart_series().items():
            self.charts[title].set_items(items)
        self.charts["Patients at goal"].set_items(
            [(g.goal, g.met_before, g.met_after) for g in d.goals], legend=("Before", "After"))

    def _save_path(self, caption: str, suffix: str, filt: str) -> Path | None:
        assert self.data is not None
        name = f"outcomes-{self.data.start.isoformat()}-{self.data.end.isoformat()}.{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, caption, str(Path.home() / name), filt)
        return Path(path) if path else None

    def export_pdf(self, path: Path) -> None:
        assert self.data is not None
        path.write_bytes(self.service.export(self.data, "pdf"))

    def export_csv(self, path: Path) -> None:
        assert self.data is not None
        path.write_bytes(self.service.export(self.data, "csv"))

    @Slot()
    def _on_pdf_button_clicked(self) -> None:
        path = self._save_path("Export outcomes report", "pdf", "PDF (*.pdf)")
        if path is not None:
            self._write(self.export_pdf, path)

    @Slot()
    def _on_csv_button_clicked(self) -> None:
        path = self._save_path("Export outcomes figures", "csv", "CSV (*.csv)")
        if path is not None:
            self._write(self.export_csv, path)

    def _write(self, writer, path: Path) -> None:  # type: ignore[no-untyped-def]
        try:
            writer(path)
        except OSError as exc:
            QMessageBox.warning(self, "Export", f"Could not write {path.name}: {exc.strerror}")
