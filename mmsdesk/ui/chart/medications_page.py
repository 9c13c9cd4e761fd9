"""Chart page: the active medication list, and the stopped / on-hold medicines shown apart
(crossed out, with date and reason). Add, edit, stop, hold, resume, map, export CSV."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services import changes
from mmsdesk.services.care_team import CareTeamService
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.medications import (
    KIND_LABELS,
    STATUS_LABELS,
    MedicationRow,
    MedicationService,
)
from mmsdesk.services.validation import format_date
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.dialogs.map_drug_dialog import MapDrugDialog
from mmsdesk.ui.dialogs.medication_dialog import MedicationDialog
from mmsdesk.ui.dialogs.status_dialog import StatusChangeDialog
from mmsdesk.ui.qtmodels.chart_table import ChartTableModel
from mmsdesk.ui.widgets.table_state import remember
from mmsdesk.ui.widgets.tables import fit_columns, make_table, selected_row

ACTIVE_COLUMNS = (
    ("Medicine", lambda r: r.name + ("  (unrecognised)" if r.unrecognised else
                                     "  (confirm the strength)" if r.strength_to_confirm else "")),
    ("How I use it", lambda r: r.directions),
    ("Why I use it", lambda r: r.indication),
    ("Prescriber", lambda r: r.prescriber),
    ("Pharmacy", lambda r: r.pharmacy),
    ("Kind", lambda r: KIND_LABELS.get(r.kind, r.kind)),
    ("Started", lambda r: r.started),
)
INACTIVE_COLUMNS = (
    ("Medicine", lambda r: r.name),
    ("How I used it", lambda r: r.directions),
    ("Status", lambda r: STATUS_LABELS.get(r.status, r.status)),
    ("Since", lambda r: r.stopped),
    ("Reason", lambda r: r.stop_reason),
)


class MedicationsPage(QWidget):
    title = "Medications"

    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.patient_id = ctx, patient_id
        self.service = MedicationService(ctx.store)
        self.care_team = CareTeamService(ctx.store)
        self.active_model: ChartTableModel[MedicationRow] = ChartTableModel(
            ACTIVE_COLUMNS, self, flagged=lambda r: r.unrecognised or r.strength_to_confirm)
        self.inactive_model: ChartTableModel[MedicationRow] = ChartTableModel(
            INACTIVE_COLUMNS, self, struck=lambda r: True)
        self.active_table = make_table("Active medications", stretch=1)
        self.active_table.horizontalHeader().setMinimumSectionSize(60)
        self.active_table.setModel(self.active_model)
        self.inactive_table = make_table("Stopped and on-hold medications", stretch=4)
        self.inactive_table.setModel(self.inactive_model)
        # Dense (issue 20): one line a medicine, so 12 or more show on a 1366x768 laptop;
        # the directions in full (wrapped, a second line) on demand.
        self.show_directions = QCheckBox("Show &directions in full")
        self.show_directions.setToolTip("Wrap each medicine's directions onto a second line")
        self.show_directions.toggled.connect(self._on_show_directions_toggled)
        for table, key in ((self.active_table, "chart.medications.active"),
                           (self.inactive_table, "chart.medications.inactive")):
            table.setWordWrap(False)
            table.setTextElideMode(Qt.TextElideMode.ElideRight)
            remember(table, key)
        self.active_table.doubleClicked.connect(self._on_table_double_clicked)
        self.inactive_table.doubleClicked.connect(self._on_table_double_clicked)

        buttons = QHBoxLayout()
        self.add_button = self._button(buttons, "&Add…", self._on_add_clicked)
        self.edit_button = self._button(buttons, "&Edit…", self._on_edit_clicked)
        self.stop_button = self._button(buttons, "&Stop…", lambda: self._change_status("stop"))
        self.hold_button = self._button(buttons, "&Hold…", lambda: self._change_status("hold"))
        self.resume_button = self._button(buttons, "&Resume…",
                                          lambda: self._change_status("resume"))
        self.map_button = self._button(buttons, "&Map to dictionary…", self._on_map_clicked)
        buttons.addStretch()
        buttons.addWidget(self.show_directions)
        self.export_button = self._button(buttons, "Export &CSV…", self._on_export_clicked)
        self.summary = QLabel()
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        active_box = QGroupBox("Active medications")
        QVBoxLayout(active_box).addWidget(self.active_table)
        inactive_box = QGroupBox("Stopped and on hold")
        QVBoxLayout(inactive_box).addWidget(self.inactive_table)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(active_box)
        split.addWidget(inactive_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(buttons)
        lay.addWidget(self.summary)
        lay.addWidget(split, 1)
        lay.addWidget(self.history)
        for table in (self.active_table, self.inactive_table):
            table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self.refresh()

    def _button(self, row: QHBoxLayout, text: str, slot) -> QPushButton:  # type: ignore[no-untyped-def]
        b = QPushButton(text)
        b.clicked.connect(slot)
        row.addWidget(b)
        return b

    def refresh(self) -> None:
        rows = self.service.list_for_patient(self.patient_id)
        active = [r for r in rows if r.status == "active"]
        inactive = [r for r in rows if r.status != "active"]
        self.active_model.set_rows(active)
        self.inactive_model.set_rows(inactive)
        self._fit()
        unrecognised = sum(r.unrecognised for r in active)
        to_confirm = sum(r.strength_to_confirm for r in active)
        self.summary.setText(f"{len(active)} active · {len(inactive)} stopped or on hold"
                             + (f" · {unrecognised} not recognised by the drug dictionary"
                                if unrecognised else "")
                             + (f" · {to_confirm} with a strength to confirm (Edit…)"
                                if to_confirm else ""))
        self._on_selection_changed()

    def _fit(self) -> None:
        full = self.show_directions.isChecked()
        self.active_table.setWordWrap(full)
        self.inactive_table.setWordWrap(full)
        fit_columns(self.active_table, cap=190, rows=full)
        fit_columns(self.inactive_table, cap=240, rows=full)
        if not full:  # one line a row, as tall as the font needs
            for table in (self.active_table, self.inactive_table):
                height = table.fontMetrics().height() + 8
                table.verticalHeader().setDefaultSectionSize(height)
                for r in range(table.model().rowCount()):
                    table.setRowHeight(r, height)

    @Slot(bool)
    def _on_show_directions_toggled(self, _on: bool) -> None:
        self._fit()

    def selected(self) -> MedicationRow | None:
        for table, model in ((self.active_table, self.active_model),
                             (self.inactive_table, self.inactive_model)):
            if table.hasFocus() or table.selectionModel().hasSelection():
                i = selected_row(table)
                if i is not None:
                    return model.row(i)
        return None

    def select_medication(self, med_id: int) -> None:
        for table, model in ((self.active_table, self.active_model),
                             (self.inactive_table, self.inactive_model)):
            for i, r in enumerate(model.rows):
                if r.id == med_id:
                    table.selectRow(i)
                    table.setFocus()
                    return

    @Slot()
    def _on_selection_changed(self, *_args: object) -> None:
        row = self.selected()
        active = row is not None and row.status == "active"
        self.edit_button.setEnabled(row is not None)
        self.stop_button.setEnabled(row is not None and row.status != "stopped")
        self.hold_button.setEnabled(active)
        self.resume_button.setEnabled(row is not None and not active)
        self.map_button.setEnabled(row is not None and row.unrecognised)
        if row is None:
            self.history.setText("")
            return
        events = self.service.history(row.id)
        lines = [f"As first written: {row.text_given}"]
        for e in events:
            line = f"{format_date(e.event_date)} {e.action}"
            if e.changes and e.action == "changed":
                line += ": " + "; ".join(e.changes)
            if e.reason:
                line += f" ({e.reason}"
                line += f", decided by the {e.decided_by})" if e.decided_by != "pharmacist" else ")"
            lines.append(line)
        self.history.setText("History: " + " · ".join(lines))

    def _publish(self, change: ChangeSet | None, med_id: int | None = None) -> None:
        if change is not None:
            self.ctx.events.publish(change)
        if med_id is not None:
            self.select_medication(med_id)

    @Slot()
    def _on_add_clicked(self) -> None:
        self.open_dialog(None)

    @Slot()
    def _on_edit_clicked(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_dialog(row.id)

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, _index: QModelIndex) -> None:
        self._on_edit_clicked()

    def open_dialog(self, med_id: int | None) -> None:
        dlg = MedicationDialog(self.service, self.care_team, self.patient_id, med_id,
                               self.ctx.today(), self)
        accepted = dlg.exec()
        change, new_id, side = dlg.change, dlg.medication_id, dlg.side_change
        dlg.deleteLater()
        if side is not None:
            self._publish(side)
        if accepted:
            self._publish(change, new_id)

    def _change_status(self, verb: str) -> None:
        row = self.selected()
        if row is None:
            return
        today = self.ctx.today()
        action = {"stop": self.service.stop, "hold": self.service.hold,
                  "resume": self.service.resume}[verb]
        dlg = StatusChangeDialog(verb, row.name, lambda on, reason: action(row.id, on, reason,
                                                                            today), today, self)
        accepted = dlg.exec()
        change = dlg.change
        dlg.deleteLater()
        if accepted:
            self._publish(change, row.id)

    @Slot()
    def _on_map_clicked(self) -> None:
        row = self.selected()
        if row is None:
            return
        dlg = MapDrugDialog(row.text_given, self)
        accepted = dlg.exec()
        hit = dlg.chosen
        dlg.deleteLater()
        if accepted and hit is not None:
            self._publish(self.service.map_to_dictionary(row.id, hit.label, self.ctx.today(),
                                                         hit.rxnorm), row.id)

    @Slot()
    def _on_export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export medication list", "medications.csv",
                                              "CSV files (*.csv)")
        if path:
            self.export_csv(path)

    def export_csv(self, path: str) -> None:
        self.service.export_csv(self.patient_id, path)

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if self.patient_id in change.patient_ids and change.touches(
                changes.MEDICATIONS, changes.CARE_TEAM):
            self.refresh()
