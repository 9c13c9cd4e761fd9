"""Collect › Reconciliation: the medication lists from several sources side by side, matched
by ingredient; each discrepancy gets a decision that updates the medication list when the
visit is completed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services.visits.draft import Discrepancy, DiscrepancyKind, ReconDecision, ReconSource
from mmsdesk.ui.qtmodels.row_table import Column
from mmsdesk.ui.visit.base import choice, line, named, set_choice, text_box
from mmsdesk.ui.visit.models import DraftListModel, ReconGridModel, rows_fit_text
from mmsdesk.ui.widgets.form import FieldForm
from mmsdesk.ui.widgets.tables import fit_columns, make_table, selected_row

if TYPE_CHECKING:
    from mmsdesk.ui.visit.collect_page import CollectPage

SOURCE_LABELS = {
    "patient": "What the patient says",
    "bottle": "Bottles on the table",
    "pharmacy_record": "Pharmacy record",
    "prescriber_record": "Prescriber's record",
    "discharge_list": "Discharge list",
    "import": "Imported list",
}
KIND_LABELS = {
    DiscrepancyKind.OMISSION: "Omission (not on the chart)",
    DiscrepancyKind.COMMISSION: "Commission (only on the chart)",
    DiscrepancyKind.DOSE: "Different dose",
    DiscrepancyKind.FREQUENCY: "Different frequency",
    DiscrepancyKind.DUPLICATION: "Duplication",
}
DECISION_LABELS = {
    ReconDecision.KEEP: "Keep as on the chart",
    ReconDecision.STOP: "Stop",
    ReconDecision.CHANGE: "Change (add or correct)",
    ReconDecision.ASK_PRESCRIBER: "Ask the prescriber",
}
DISCREPANCY_COLUMNS: list[Column[Discrepancy]] = [
    Column("Kind", lambda d: KIND_LABELS.get(d.kind, d.kind).split(" (")[0]),
    Column("Medicine", lambda d: " + ".join(d.ingredients)),
    Column("What differs", lambda d: d.detail),
    Column("Decision", lambda d: DECISION_LABELS.get(d.decision, "— to decide —")
           if d.decision else "— to decide —", warn=lambda d: not d.decision),
]


def _recon() -> Any:
    from mmsdesk.services.visits import reconciliation

    return reconciliation


class AddListDialog(QDialog):
    """Type a list as it is given: one medicine per line ("metoprolol 50 mg twice a day")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a medication list")
        self.form = FieldForm()
        self.source = self.form.add_field("source", "&From:", choice("From", SOURCE_LABELS))
        self.label = self.form.add_field("label", "&Name:", line("Name", "Bottles on the table"))
        self.lines = self.form.add_field("lines", "&Medicines:", text_box(
            "Medicines", "One medicine per line, for example:\nmetoprolol tartrate 50 mg "
                         "1 tab twice a day\nibuprofen 200 mg as needed", height=160))
        self.source.currentIndexChanged.connect(self._on_source_current_index_changed)
        self.label.setText(self.source.currentText())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Add list")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.buttons)
        self.resize(560, 0)

    @Slot(int)
    def _on_source_current_index_changed(self, _i: int) -> None:
        if not self.label.isModified():
            self.label.setText(self.source.currentText())

    def values(self) -> tuple[list[str], str, str]:
        rows = [r.strip() for r in self.lines.toPlainText().splitlines() if r.strip()]
        return rows, str(self.source.currentData()), self.label.text().strip()


class ReconPanel(QWidget):
    def __init__(self, page: CollectPage) -> None:
        super().__init__()
        self.page = page
        self.add_button = named(QPushButton("&Add a list…"), "Add a typed medication list")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.import_button = named(QPushButton("Import &FHIR list…"),
                                   "Import a medication list from a FHIR file")
        self.import_button.clicked.connect(self._on_import_clicked)
        self.remove_box = named(QComboBox(), "List to remove")
        self.remove_button = named(QPushButton("R&emove list"), "Remove the chosen list")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addWidget(self.import_button)
        top.addStretch(1)
        top.addWidget(self.remove_box)
        top.addWidget(self.remove_button)
        self.grid_model = ReconGridModel(self)
        self.grid = rows_fit_text(make_table("Medication lists side by side"))
        self.grid.setModel(self.grid_model)
        self.grid.setSelectionBehavior(self.grid.SelectionBehavior.SelectItems)
        self.model = DraftListModel(DISCREPANCY_COLUMNS, self)
        self.table = rows_fit_text(make_table("Discrepancies", stretch=2))
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.editor = FieldForm()
        self.decision = self.editor.add_field(
            "decision", "&Decision:", choice("Decision", DECISION_LABELS, "— to decide —"))
        self.new_strength = self.editor.add_field("strength", "New stren&gth:",
                                                  line("New strength", "for a change: 25 mg"))
        self.new_directions = self.editor.add_field(
            "directions", "New direc&tions:", line("New directions", "1 tablet twice a day"))
        self.note = self.editor.add_field("note", "N&ote:", line("Decision note"))
        self.decision.currentIndexChanged.connect(self._on_editor_changed)
        for edit in (self.new_strength, self.new_directions, self.note):
            edit.textEdited.connect(self._on_editor_changed)
        box = QGroupBox("Decision for the selected discrepancy")
        box.setLayout(self.editor)
        lower = QWidget()
        low = QHBoxLayout(lower)
        low.setContentsMargins(0, 0, 0, 0)
        low.addWidget(self.table, 2)
        low.addWidget(box, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.grid)
        split.addWidget(lower)
        split.setSizes([260, 240])
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(split, 1)
        self._set_editor_enabled(False)

    # -- data
    def load(self) -> None:
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        c = self.page.draft.collect
        self.grid_model.set_sources(c.sources, c.discrepancies)
        self.model.bind(c.discrepancies)
        fit_columns(self.grid, cap=280)
        fit_columns(self.table, cap=220)
        self.remove_box.clear()
        for i, src in enumerate(c.sources):
            if src.source != "chart":
                self.remove_box.addItem(src.label, i)
        self.remove_button.setEnabled(self.remove_box.count() > 0)
        self.remove_box.setEnabled(self.remove_box.count() > 0)
        open_ = sum(1 for d in c.discrepancies if not d.decision)
        self.summary.setText(
            f"{len(c.sources)} lists · {len(c.discrepancies)} discrepancies"
            + (f", {open_} still to decide" if open_ else ", all decided" if c.discrepancies
               else "") + ". Shaded cells: that list does not have the medicine.")
        if c.discrepancies:
            self.table.selectRow(min(select or 0, len(c.discrepancies) - 1))
        else:
            self._set_editor_enabled(False)

    def add_source(self, source: ReconSource) -> None:
        c = self.page.draft.collect
        c.sources.append(source)
        self.rematch()

    def rematch(self) -> None:
        c = self.page.draft.collect
        chart = next((s for s in c.sources if s.source == "chart"), ReconSource("chart", "Chart"))
        others = [s for s in c.sources if s is not chart]
        c.discrepancies = list(_recon().find_discrepancies(chart, others, c.discrepancies))
        self.refresh()
        self.page.changed()

    def add_typed(self, lines: list[str], source: str, label: str) -> None:
        self.add_source(_recon().source_from_lines(lines, source, label or SOURCE_LABELS[source]))

    def import_fhir(self, path: str, source: str = "import", label: str = "") -> None:
        label = label or f"Imported: {Path(path).name}"
        self.add_source(_recon().source_from_fhir(path, source, label))

    # -- slots
    @Slot()
    def _on_add_clicked(self) -> None:
        dlg = AddListDialog(self)
        if dlg.exec():
            lines, source, label = dlg.values()
            if lines:
                self.add_typed(lines, source, label)
        dlg.deleteLater()

    @Slot()
    def _on_import_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import a medication list", "",
                                              "FHIR bundles (*.json);;All files (*)")
        if not name:
            return
        try:
            self.import_fhir(name)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Import a medication list", f"Could not read the file: {exc}")

    @Slot()
    def _on_remove_clicked(self) -> None:
        i = self.remove_box.currentData()
        if i is None:
            return
        del self.page.draft.collect.sources[int(i)]
        self.rematch()

    def current(self) -> tuple[int, Discrepancy] | None:
        row = selected_row(self.table)
        rows = self.page.draft.collect.discrepancies
        return (row, rows[row]) if row is not None and row < len(rows) else None

    def _set_editor_enabled(self, enabled: bool) -> None:
        for w in (self.decision, self.new_strength, self.new_directions, self.note):
            w.setEnabled(enabled)

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, *_a: object) -> None:
        cur = self.current()
        self._set_editor_enabled(cur is not None)
        if cur is None:
            return
        d = cur[1]
        self._filling = True
        set_choice(self.decision, d.decision)
        self.new_strength.setText(d.new_strength)
        self.new_directions.setText(d.new_directions)
        self.note.setText(d.note)
        self._filling = False
        self._show_change_fields()

    def _show_change_fields(self) -> None:
        change = self.decision.currentData() == ReconDecision.CHANGE
        self.new_strength.setEnabled(change)
        self.new_directions.setEnabled(change)

    @Slot()
    def _on_editor_changed(self, *_a: object) -> None:
        if getattr(self, "_filling", False):
            return
        cur = self.current()
        if cur is None:
            return
        row, d = cur
        d.decision = str(self.decision.currentData() or "")
        d.new_strength = self.new_strength.text()
        d.new_directions = self.new_directions.text()
        d.note = self.note.text()
        self._show_change_fields()
        self.model.row_changed(row)
        open_ = sum(1 for x in self.page.draft.collect.discrepancies if not x.decision)
        self.summary.setText(self.summary.text().split(" · ")[0] + f" · "
                             f"{len(self.page.draft.collect.discrepancies)} discrepancies"
                             + (f", {open_} still to decide" if open_ else ", all decided")
                             + ". Shaded cells: that list does not have the medicine.")
        self.page.changed()
