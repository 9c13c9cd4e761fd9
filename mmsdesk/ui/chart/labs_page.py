"""Chart page: labs and vitals. A measure list, a trend chart per measure (with the target lines
of the patient's open goals) and the values as a table."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QDateTime, QModelIndex, Qt, QTime, Slot
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.models.measures import MEASURES, MEASURES_BY_KEY
from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.record import GoalTarget, Item, ObservationInput, RecordService
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.dialogs.observation_dialog import ObservationDialog
from mmsdesk.ui.qtmodels.chart_table import ChartTableModel
from mmsdesk.ui.widgets.tables import fit_columns, make_table, selected_row

# Trends always offered (the list); other measures appear once they have values.
TRENDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("A1c", ("a1c",)), ("Blood pressure", ("bp_systolic", "bp_diastolic")), ("LDL", ("ldl",)),
    ("eGFR", ("egfr",)), ("INR", ("inr",)), ("Weight", ("weight",)),
)
SERIES_COLOURS = ("#1f5fa8", "#b5431c", "#2e7d32", "#6a1b9a")
COLUMNS = (("Date", lambda i: i.data.taken_on),
           ("Measure", lambda i: MEASURES_BY_KEY[i.data.measure].label),
           ("Value", lambda i: f"{i.data.value:g}"), ("Unit", lambda i: display_unit(i.data.unit)),
           ("Source", lambda i: i.data.source))


_UNIT_TEXT = {"mm[Hg]": "mmHg", "mL/min/{1.73_m2}": "mL/min/1.73 m²", "{INR}": "",
              "{score}": "", "kg/m2": "kg/m²", "m[IU]/L": "mIU/L", "10*3/uL": "×10³/µL"}


def display_unit(unit: str) -> str:
    """UCUM codes as a reader writes them ("mm[Hg]" reads "mmHg")."""
    return _UNIT_TEXT.get(unit, unit)


def _msecs(d: date) -> float:
    return float(QDateTime(d, QTime(12, 0)).toMSecsSinceEpoch())


class LabsPage(QWidget):
    title = "Labs & vitals"

    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.patient_id = ctx, patient_id
        self.service = RecordService(ctx.store)
        self.by_measure: dict[str, list[Item[ObservationInput]]] = {}
        self.targets: dict[str, list[GoalTarget]] = {}
        self.measures = QListWidget()
        self.measures.setAccessibleName("Measures")
        self.measures.setMaximumWidth(230)
        self.measures.currentItemChanged.connect(self._on_measures_current_item_changed)
        self.chart = QChart()
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(240)
        self.chart_view.setAccessibleName("Trend chart")  # the values are also in the table
        self.model: ChartTableModel[Item[ObservationInput]] = ChartTableModel(COLUMNS, self)
        self.table = make_table("Values", stretch=4)
        self.table.setModel(self.model)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.add_button = QPushButton("&Add value…")
        self.edit_button = QPushButton("&Edit…")
        self.remove_button = QPushButton("&Remove…")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.targets_label = QLabel()
        self.targets_label.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addWidget(self.targets_label, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.chart_view)
        right.addWidget(self.table)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        body = QHBoxLayout()
        body.addWidget(self.measures)
        body.addWidget(right, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(buttons)
        lay.addLayout(body, 1)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self.refresh()

    # -- data
    def refresh(self) -> None:
        grouped: dict[str, list[Item[ObservationInput]]] = defaultdict(list)
        for item in self.service.items(self.patient_id, ObservationInput):
            grouped[item.data.measure].append(item)
        self.by_measure = dict(grouped)
        self.targets = self.service.goal_targets(self.patient_id)
        current = self.current_keys()
        self.measures.blockSignals(True)
        self.measures.clear()
        groups = list(TRENDS)
        shown = {k for _, keys in TRENDS for k in keys}
        groups += [(m.label, (m.key,)) for m in MEASURES if m.key in grouped and m.key not in shown]
        for label, keys in groups:
            n = sum(len(grouped.get(k, [])) for k in keys) // len(keys)
            item = QListWidgetItem(f"{label} ({n})" if n else label)
            item.setData(Qt.ItemDataRole.UserRole, keys)
            self.measures.addItem(item)
            if keys == current:
                self.measures.setCurrentItem(item)
        self.measures.blockSignals(False)
        if self.measures.currentItem() is None:
            first = next((i for i in range(self.measures.count())
                          if any(k in grouped for k in self.measures.item(i).data(
                              Qt.ItemDataRole.UserRole))), 0)
            self.measures.setCurrentRow(first)
        else:
            self.show_measure(self.current_keys())

    def current_keys(self) -> tuple[str, ...]:
        item = self.measures.currentItem()
        return tuple(item.data(Qt.ItemDataRole.UserRole)) if item else ()

    def select_trend(self, label: str) -> None:
        for i in range(self.measures.count()):
            if self.measures.item(i).text().split(" (")[0] == label:
                self.measures.setCurrentRow(i)
                return

    def show_measure(self, keys: tuple[str, ...]) -> None:
        items = sorted((it for k in keys for it in self.by_measure.get(k, [])),
                       key=lambda it: (it.data.taken_on, it.id), reverse=True)
        self.model.set_rows(items)
        fit_columns(self.table, rows=False)
        self._draw_chart(keys)
        targets = [t for k in keys for t in self.targets.get(k, [])]
        self.targets_label.setText("Goal: " + "; ".join(t.label for t in targets) if targets
                                   else "No goal set for this measure.")

    def _new_chart(self) -> QChart:
        """A fresh chart per measure (reusing one leaves old axes drawn)."""
        chart = QChart()
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        old = self.chart_view.chart() if hasattr(self, "chart_view") else None
        if hasattr(self, "chart_view"):
            self.chart_view.setChart(chart)
        if old is not None:
            old.deleteLater()
        self.chart = chart
        return chart

    def _draw_chart(self, keys: tuple[str, ...]) -> None:
        chart = self._new_chart()
        if not keys:
            return
        first = MEASURES_BY_KEY[keys[0]]
        unit = display_unit(first.unit)
        name = first.label.split(",")[0] if len(keys) > 1 else first.label
        chart.setTitle(f"{name} ({unit})" if unit else name)
        self.chart_view.setAccessibleName(f"Trend chart: {chart.title()}")
        x_axis, y_axis = QDateTimeAxis(), QValueAxis()
        x_axis.setFormat("MM/yyyy")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        values: list[float] = []
        dates: list[date] = []
        for i, key in enumerate(keys):
            series = QLineSeries()
            series.setName(MEASURES_BY_KEY[key].label)
            series.setPointsVisible(True)
            series.setPen(QPen(QColor(SERIES_COLOURS[i % len(SERIES_COLOURS)]), 2))
            for it in sorted(self.by_measure.get(key, []), key=lambda it: it.data.taken_on):
                assert it.data.value is not None and it.data.taken_on is not None
                series.append(_msecs(it.data.taken_on), it.data.value)
                values.append(it.data.value)
                dates.append(it.data.taken_on)
            chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        today = self.ctx.today()
        lo_d, hi_d = (min(dates), max(max(dates), today)) if dates else (today, today)
        if lo_d == hi_d:
            lo_d = date.fromordinal(hi_d.toordinal() - 180)
        for key in keys:
            for t in self.targets.get(key, []):
                line = QLineSeries()
                line.setName(t.label)
                pen = QPen(QColor("#2e7d32"), 1.5, Qt.PenStyle.DashLine)
                line.setPen(pen)
                line.append(_msecs(lo_d), t.value)
                line.append(_msecs(hi_d), t.value)
                values.append(t.value)
                chart.addSeries(line)
                line.attachAxis(x_axis)
                line.attachAxis(y_axis)
        x_axis.setRange(QDateTime(lo_d, QTime(0, 0)), QDateTime(hi_d, QTime(23, 59)))
        if values:
            lo, hi = min(values), max(values)
            pad = (hi - lo) * 0.15 or max(abs(hi) * 0.1, 1.0)
            y_axis.setRange(max(0.0, lo - pad) if lo >= 0 else lo - pad, hi + pad)
            y_axis.applyNiceNumbers()
        x_axis.setTickCount(6)

    # -- slots
    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_measures_current_item_changed(self, item: QListWidgetItem | None,
                                          _old: QListWidgetItem | None) -> None:
        if item is not None:
            self.show_measure(tuple(item.data(Qt.ItemDataRole.UserRole)))

    def open_dialog(self, item: Item[ObservationInput] | None) -> None:
        today = self.ctx.today()
        keys = self.current_keys()

        def save(data: ObservationInput) -> ChangeSet:
            if item is None:
                return self.service.add(self.patient_id, data, today)[1]
            return self.service.update(item.id, data, today)

        dlg = ObservationDialog(save, today, keys[0] if keys else None,
                                item.data if item else None, self)
        accepted = dlg.exec()
        change = dlg.change
        dlg.deleteLater()
        if accepted and change is not None:
            self.ctx.events.publish(change)

    @Slot()
    def _on_add_clicked(self) -> None:
        self.open_dialog(None)

    @Slot()
    def _on_edit_clicked(self) -> None:
        i = selected_row(self.table)
        if i is not None:
            self.open_dialog(self.model.row(i))

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self._on_edit_clicked()

    @Slot()
    def _on_remove_clicked(self) -> None:
        i = selected_row(self.table)
        if i is None:
            return
        answer = QMessageBox.question(self, "Remove value", "Remove this value? Use this only "
                                      "for a value entered in error.")
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.events.publish(self.service.delete(ObservationInput, self.model.row(i).id))

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if self.patient_id in change.patient_ids and change.touches(changes.OBSERVATIONS,
                                                                    changes.VISITS):
            self.refresh()
