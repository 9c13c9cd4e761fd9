"""Chart tab "Adherence": refill history as a supply timeline per medicine, PDC per drug and
class (PQA method), long gaps, and the import of a pharmacy's fill history."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services import changes
from mmsdesk.services.adherence import PDC_THRESHOLD, SOURCE, PdcResult
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.refills import (
    AdherenceSummary,
    FillView,
    fill_history,
    patient_adherence,
)
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.qtmodels.row_table import Column, RowTableModel
from mmsdesk.ui.widgets.supply_timeline import SupplyTimelineWidget


def _pdc(r: PdcResult) -> str:
    if r.pdc is None:
        return "—"
    return f"{r.pdc * 100:.0f}%" + (" (below 80%)" if r.below_threshold else "")


def _gaps(r: PdcResult) -> str:
    return ", ".join(f"{g.days} days from {g.start.strftime('%m/%d/%Y')}" for g in r.gaps) or "—"


PDC_COLUMNS: list[Column[tuple[str, PdcResult]]] = [
    Column("", lambda t: t[0]),
    Column("Medicine or class", lambda t: t[1].label),
    Column("PDC", lambda t: _pdc(t[1]), lambda t: t[1].pdc or 0.0,
           warn=lambda t: t[1].below_threshold),
    Column("Days covered", lambda t: f"{t[1].days_covered} of {t[1].days_in_period}",
           lambda t: t[1].days_covered),
    Column("Fills", lambda t: str(t[1].fills) + ("" if t[1].measurable else " (one date)"),
           lambda t: t[1].fills),
    Column("Gaps longer than the threshold", lambda t: _gaps(t[1])),
]


def _qty(f: FillView) -> str:
    return "" if f.quantity is None else f"{f.quantity:g}"


def _with_id(name: str, label: str, value: str) -> str:
    return " ".join(x for x in (name, f"({label} {value})" if value else "") if x)


# each fill as the pharmacy's file gave it
FILL_COLUMNS: list[Column[FillView]] = [
    Column("Filled", lambda f: f.fill_date.strftime("%m/%d/%Y"), lambda f: f.fill_date),
    Column("Medicine", lambda f: f.drug),
    Column("Qty", _qty, lambda f: f.quantity or 0.0),
    Column("Days", lambda f: str(f.days_supply), lambda f: f.days_supply),
    Column("NDC", lambda f: f.ndc),
    Column("Rx number", lambda f: f.rx_number),
    Column("Prescriber", lambda f: _with_id(f.prescriber, "NPI", f.prescriber_npi)),
    Column("Pharmacy", lambda f: _with_id(f.pharmacy, "NCPDP", f.pharmacy_ncpdp)
           if f.pharmacy_ncpdp else _with_id(f.pharmacy, "NPI", f.pharmacy_npi)),
    Column("Directions (sig)", lambda f: f.sig),
]


class AdherencePage(QWidget):
    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.patient_id = ctx, patient_id
        self.summary: AdherenceSummary | None = None
        self.import_button = QPushButton("&Import fill history…")
        self.import_button.clicked.connect(self._on_import_clicked)
        self.gap_spin = QSpinBox()
        self.gap_spin.setRange(1, 180)
        self.gap_spin.setValue(30)
        self.gap_spin.setSuffix(" days")
        self.gap_spin.setAccessibleName("Gap threshold")
        self.gap_spin.valueChanged.connect(self.refresh)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.headline, 1)
        bar.addWidget(QLabel("Show gaps longer than"))
        bar.addWidget(self.gap_spin)
        bar.addWidget(self.import_button)
        self.timeline = SupplyTimelineWidget()
        self.model = RowTableModel(PDC_COLUMNS, self)
        self.table = QTableView()
        self.table.setAccessibleName("Proportion of days covered by medicine")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.fills_model = RowTableModel(FILL_COLUMNS, self)
        self.fills_table = QTableView()
        self.fills_table.setAccessibleName("Fills recorded")
        self.fills_table.setModel(self.fills_model)
        self.fills_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.fills_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fills_table.verticalHeader().hide()
        self.fills_table.horizontalHeader().setStretchLastSection(True)
        self.fills_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        source = QLabel(f"Method: {SOURCE}. Flag: PDC below {PDC_THRESHOLD:.0%}.")
        source.setWordWrap(True)
        source.setEnabled(False)
        lay = QVBoxLayout(self)
        lay.addLayout(bar)
        lay.addWidget(self.timeline)
        lay.addWidget(self.table, 1)
        lay.addWidget(source)
        lay.addWidget(QLabel("Fills recorded"))
        lay.addWidget(self.fills_table, 1)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self.refresh()

    @Slot()
    def refresh(self) -> None:
        s = patient_adherence(self.ctx.store, self.patient_id, self.ctx.today(),
                              gap_days=self.gap_spin.value())
        self.summary = s
        self.timeline.set_results(list(s.by_drug), s.period_start, s.period_end)
        self.model.set_rows([("Drug", r) for r in s.by_drug] + [("Class", r) for r in s.by_class])
        self.fills_model.set_rows(fill_history(self.ctx.store, self.patient_id))
        period = f"{s.period_start.strftime('%m/%d/%Y')} to {s.period_end.strftime('%m/%d/%Y')}"
        if not s.fills:
            self.headline.setText(f"No fills recorded from {period}. Import the pharmacy's "
                                  "fill history to see adherence.")
        else:
            low = sum(1 for r in s.by_drug if r.below_threshold)
            self.headline.setText(
                f"{s.fills} fills from {period}. "
                + (f"{low} of {len(s.by_drug)} medicines below 80% PDC." if low
                   else "Every medicine at or above 80% PDC."))

    @Slot()
    def _on_import_clicked(self) -> None:
        from mmsdesk.ui.dialogs.refill_import import RefillImportDialog

        dlg = RefillImportDialog(self.ctx.store, self.patient_id, self.ctx.today(), self)
        accepted = dlg.exec()
        change, added = dlg.change, dlg.added
        dlg.deleteLater()
        if accepted and change is not None:
            self.ctx.events.publish(change)
            self.headline.setText(self.headline.text() + f" ({added} fills imported.)")

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if self.patient_id in change.patient_ids and change.touches(changes.MEDICATIONS):
            self.refresh()
