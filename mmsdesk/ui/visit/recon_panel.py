"""Collect › Reconciliation: the medication lists from several sources side by side, matched
by ingredient; each discrepancy gets a decision that updates the medication list when the
visit is completed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent, QTextBlock, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
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
from mmsdesk.ui.widgets.scan_field import ENTER_KEYS, GS_SHOWN, ScanField, is_group_separator
from mmsdesk.ui.widgets.tables import fit_columns, make_table, selected_row

if TYPE_CHECKING:
    from mmsdesk.ui.visit.collect_page import CollectPage

# The kinds of list, in the order a pharmacist meets them after a discharge.
SOURCE_LABELS = {
    "discharge_list": "Discharge list",
    "prescriber_record": "Prescriber's list",
    "bottle": "Patient's bottles",
    "patient": "Patient's own list",
    "pharmacy_record": "Pharmacy fill history",
    "import": "Other list",
}


def _recon() -> Any:
    from mmsdesk.services.visits import reconciliation

    return reconciliation


def _decision_label(d: Discrepancy) -> str:
    if not d.decision:
        return "— to decide —"
    return dict(_recon().decision_choices(d)).get(d.decision, "— to decide —")


DISCREPANCY_COLUMNS: list[Column[Discrepancy]] = [
    Column("Kind", lambda d: _recon().kind_label(d)),
    Column("Medicine", lambda d: " + ".join(d.ingredients)),
    Column("What differs", lambda d: d.detail),
    Column("Decision", _decision_label, warn=lambda d: not d.decision),
]


class LabelPhotoKeeper:
    """Keeps label photos for the patient and visit of the panel (services/visits/
    label_photos.py), so that the list dialog needs no store of its own."""

    def __init__(self, service: Any, patient_id: int, visit_id: int | None) -> None:
        self.service, self.patient_id, self.visit_id = service, patient_id, visit_id

    def keep(self, key: str, image: bytes, read_text: str, mime: str) -> None:
        self.service.keep(self.patient_id, key, image, read_text, visit_id=self.visit_id,
                          mime=mime)

    def discard(self, keys: list[str]) -> None:
        self.service.discard(self.patient_id, keys)

    def get(self, key: str) -> Any:
        return self.service.get(self.patient_id, key)


class AddListDialog(QDialog):
    """Type a list as it is given: one medicine per line ("metoprolol 50 mg twice a day"),
    with its kind (a discharge list says what the patient should take; the bottles what she
    does take) and its date."""

    def __init__(self, parent: QWidget | None = None, today: date | None = None,
                 photos: LabelPhotoKeeper | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a medication list")
        self.today = today or date.today()
        self.photos = photos
        self.kept_photos: list[str] = []  # keys of label photos kept for lines of this list
        self.form = FieldForm()
        self.source = self.form.add_field("source", "&Kind of list:",
                                          choice("Kind of list", SOURCE_LABELS))
        self.label = self.form.add_field("label", "&Name:", line("Name", "Bottles on the table"))
        self.listed_on = self.form.add_field("listed_on", "&Date of the list:",
                                             line("Date of the list", "MM/DD/YYYY"))
        self.scan = self.form.add_field(
            "scan", "&Scan:", ScanField(), "A barcode scanner types the package's code here "
            "(UPC, GS1 DataMatrix) and Enter: a line for the package is added to the medicines")
        self.scan.scanned.connect(self._on_scan_scanned)
        self.camera_button = self.form.add_field(
            "camera", "", QPushButton("Scan with camera…"), "A live view of the laptop's camera: "
            "each package's barcode held in front of it adds its line, once")
        self.camera_button.setAccessibleName("Scan with camera")
        self.camera_button.clicked.connect(self._on_camera_button_clicked)
        self.label_button = self.form.add_field(
            "label_photo", "", QPushButton("Photo of the &label…"), "A photo of a pharmacy "
            "label (camera or image file) read into a line you confirm field by field; the "
            "photo is kept with the line")
        self.label_button.setAccessibleName("Photo of the label")
        self.label_button.setEnabled(photos is not None)
        self.label_button.clicked.connect(self._on_label_button_clicked)
        self.lines = self.form.add_field("lines", "&Medicines:", text_box(
            "Medicines", "One medicine per line, for example:\nmetoprolol tartrate 50 mg "
                         "1 tab twice a day\nibuprofen 200 mg as needed", height=160))
        self.lines.installEventFilter(self)
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

    @Slot(str)
    def _on_scan_scanned(self, text: str) -> None:
        self.add_scanned(text)

    @Slot()
    def _on_camera_button_clicked(self) -> None:
        from mmsdesk.ui.widgets.camera_scan import CameraScanDialog

        dlg = CameraScanDialog(self)
        dlg.code_read.connect(self.add_scanned)
        dlg.exec()
        dlg.deleteLater()

    @Slot()
    def _on_label_button_clicked(self) -> None:
        from mmsdesk.ui.dialogs.label_photo_dialog import LabelPhotoDialog

        dlg = LabelPhotoDialog(self)
        if dlg.exec():
            self.add_label_line(dlg.confirmed(), dlg.image, dlg.read_text, dlg.mime)
        dlg.deleteLater()

    def add_label_line(self, fields: dict[str, str], image: bytes, read_text: str,
                       mime: str = "image/png") -> str:
        """The confirmed fields of a label become a line of the list, its photo kept with it
        (taken back if this list is cancelled); the line's key."""
        from mmsdesk.services.visits.label_photos import new_line_key

        assert self.photos is not None
        key = new_line_key()
        self.photos.keep(key, image, read_text, mime)
        self.kept_photos.append(key)
        cursor = QTextCursor(self.lines.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if cursor.block().text().strip():
            cursor.insertText("\n")
        cursor.insertText(_recon().label_line(fields, key))
        self.lines.setTextCursor(cursor)
        return key

    def reject(self) -> None:
        if self.photos is not None and self.kept_photos:
            self.photos.discard(self.kept_photos)
            self.kept_photos = []
        super().reject()

    def add_scanned(self, text: str, replace_block: QTextBlock | None = None) -> bool:
        """A line for the scanned package (product, strength and dose form), the cursor where
        its directions go; False, with the reason at the Scan field, when it does not read."""
        try:
            new, at = _recon().scan_to_line(text, self.today)
        except ValueError as exc:
            self.form.show_errors({"scan": str(exc)})
            self.scan.setFocus()
            return False
        self.form.show_errors({})
        cursor = QTextCursor(self.lines.document())
        if replace_block is not None:
            cursor.setPosition(replace_block.position())
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock,
                                QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(new)
            start = replace_block.position()
        else:
            cursor.movePosition(QTextCursor.MoveOperation.End)
            if cursor.block().text().strip():
                cursor.insertText("\n")
            elif cursor.block().length() > 1:
                cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock,
                                    QTextCursor.MoveMode.KeepAnchor)
            start = cursor.selectionStart() if cursor.hasSelection() else cursor.position()
            cursor.insertText(new)
        cursor.setPosition(start + at)
        self.lines.setTextCursor(cursor)
        self.lines.setFocus()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """A scanner typing into the medicines (the cursor was left in a line's directions):
        Enter after a line that is a package code turns that line into the package's line."""
        if watched is self.lines and event.type() == QEvent.Type.KeyPress and \
                isinstance(event, QKeyEvent) and is_group_separator(event):
            self.lines.insertPlainText(GS_SHOWN)
            return True
        if watched is self.lines and event.type() == QEvent.Type.KeyPress and \
                isinstance(event, QKeyEvent) and event.key() in ENTER_KEYS:
            block = self.lines.textCursor().block()
            from mmsdesk.clinical.dictionary.barcodes import read_code

            try:
                is_code = read_code(block.text()) is not None
            except ValueError:
                is_code = True
            if is_code and self.add_scanned(block.text(), block):
                return True
        return super().eventFilter(watched, event)

    def values(self) -> tuple[list[str], str, str]:
        rows = [r.strip() for r in self.lines.toPlainText().splitlines() if r.strip()]
        return rows, str(self.source.currentData()), self.label.text().strip()

    def listed_on_value(self) -> tuple[Any, str | None]:
        from mmsdesk.services.validation import parse_date

        return parse_date(self.listed_on.text(), "Date of the list")

    def accept(self) -> None:
        _day, error = self.listed_on_value()
        if error:
            self.form.show_errors({"listed_on": error})
            return
        text = self.lines.toPlainText()
        gone = [k for k in self.kept_photos if k not in text]  # its line was deleted
        if self.photos is not None and gone:
            self.photos.discard(gone)
        super().accept()


class ReconPanel(QWidget):
    def __init__(self, page: CollectPage) -> None:
        super().__init__()
        self.page = page
        self.add_button = named(QPushButton("&Add a list…"), "Add a typed medication list")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.import_button = named(QPushButton("Import a list &file…"),
                                   "Import a medication list from a file (FHIR bundle, "
                                   "C-CDA discharge summary or one medicine a line)")
        self.import_button.clicked.connect(self._on_import_clicked)
        self.remove_box = named(QComboBox(), "List to edit or remove")
        self.edit_button = named(QPushButton("Ed&it list…"), "Edit the chosen list's kind, "
                                                               "name and date")
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.remove_button = named(QPushButton("R&emove list"), "Remove the chosen list")
        self.photo_button = named(QPushButton("Label p&hoto…"),
                                  "Show the label photo the selected line was read from")
        self.photo_button.setEnabled(False)
        self.photo_button.clicked.connect(self._on_photo_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addWidget(self.import_button)
        top.addStretch(1)
        top.addWidget(self.photo_button)
        top.addWidget(self.remove_box)
        top.addWidget(self.edit_button)
        top.addWidget(self.remove_button)
        self.grid_model = ReconGridModel(self)
        self.grid = rows_fit_text(make_table("Medication lists side by side"))
        self.grid.setModel(self.grid_model)
        self.grid.setSelectionBehavior(self.grid.SelectionBehavior.SelectItems)
        self.grid.selectionModel().currentChanged.connect(self._on_grid_current_changed)
        self.grid.doubleClicked.connect(self._on_photo_button_clicked)
        self.model = DraftListModel(DISCREPANCY_COLUMNS, self)
        self.table = rows_fit_text(make_table("Discrepancies", stretch=2))
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.editor = FieldForm()
        self.decision = self.editor.add_field("decision", "&Decision:",
                                              named(QComboBox(), "Decision"))
        self.new_strength = self.editor.add_field("strength", "Stren&gth:",
                                                  line("New strength", "for example 2.5 mg"))
        self.new_directions = self.editor.add_field(
            "directions", "Direc&tions:", line("New directions", "1 tablet twice a day"))
        self.indication = self.editor.add_field("indication", "&Why she uses it:",
                                                line("Why the patient uses it", "for ..."))
        self.prescriber = self.editor.add_field("prescriber", "&Prescriber:",
                                                named(QComboBox(), "Prescriber"))
        self.details_unknown = self.editor.add_field(
            "details_unknown", "", named(QCheckBox("Unknown: ask"), "Indication or prescriber "
                                                                    "unknown: ask"))
        self.patient_reason = self.editor.add_field(
            "patient_reason", "Reaso&n on the list:", line(
                "Reason the patient reads", "what the PML prints as why it was stopped"))
        self.note = self.editor.add_field("note", "N&ote:", line("Decision note"))
        self.decision.currentIndexChanged.connect(self._on_editor_changed)
        self.prescriber.currentIndexChanged.connect(self._on_editor_changed)
        self.details_unknown.toggled.connect(self._on_editor_changed)
        for edit in (self.new_strength, self.new_directions, self.note, self.indication,
                     self.patient_reason):
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
        self._load_prescribers()
        self.refresh()

    def _load_prescribers(self) -> None:
        from mmsdesk.services.care_team import CareTeamService

        self.prescriber.blockSignals(True)
        self.prescriber.clear()
        self.prescriber.addItem("— choose —", None)
        try:
            store = self.page.visit().ctx.store
            for p in CareTeamService(store).all_prescribers():
                self.prescriber.addItem(p.display_name, p.id)
        except (AttributeError, RuntimeError):  # no store behind the page (a bare test)
            pass
        self.prescriber.blockSignals(False)

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
        self.edit_button.setEnabled(self.remove_box.count() > 0)
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

    def add_typed(self, lines: list[str], source: str, label: str,
                  listed_on: Any = None) -> None:
        self.add_source(_recon().source_from_lines(lines, source, label or SOURCE_LABELS[source],
                                                   listed_on))

    def import_fhir(self, path: str, source: str = "import", label: str = "",
                    listed_on: Any = None) -> None:
        label = label or f"Imported: {Path(path).name}"
        self.add_source(_recon().source_from_fhir(path, source, label, listed_on))

    def import_file(self, path: str) -> ReconSource:
        """A list from a file of any kind we read (told from its content): a C-CDA discharge
        summary's discharge medications become a discharge list with its date and author."""
        source = _recon().source_from_file(path)
        self.add_source(source)
        return source

    # -- slots
    def photo_keeper(self) -> LabelPhotoKeeper | None:
        """Where label photos of this visit are kept; None without a store (a bare test)."""
        from mmsdesk.services.visits.label_photos import LabelPhotoService

        try:
            store = self.page.visit().ctx.store
        except (AttributeError, RuntimeError):
            return None
        draft = self.page.draft
        return LabelPhotoKeeper(LabelPhotoService(store), draft.patient_id, draft.visit_id)

    @Slot()
    def _on_add_clicked(self) -> None:
        dlg = AddListDialog(self, self._today(), self.photo_keeper())
        if dlg.exec():
            lines, source, label = dlg.values()
            if lines:
                self.add_typed(lines, source, label, dlg.listed_on_value()[0])
        dlg.deleteLater()

    def _today(self) -> date | None:
        try:
            return self.page.visit().ctx.today()
        except (AttributeError, RuntimeError):  # no visit behind the page (a bare test)
            return None

    def photo_key(self) -> str:
        """The label photo of the line in the grid's current cell, or ""."""
        index = self.grid.currentIndex()
        if not index.isValid() or index.column() == 0 or index.row() >= len(self.grid_model.keys):
            return ""
        items = self.grid_model.cells.get((self.grid_model.keys[index.row()],
                                           index.column() - 1), [])
        return next((i.photo for i in items if i.photo), "")

    @Slot()
    def _on_grid_current_changed(self, *_a: object) -> None:
        self.photo_button.setEnabled(bool(self.photo_key()))

    @Slot()
    def _on_photo_button_clicked(self, *_a: object) -> None:
        key, keeper = self.photo_key(), self.photo_keeper()
        if not key or keeper is None:
            return
        photo = keeper.get(key)
        if photo is None:
            QMessageBox.information(self, "Label photo", "The photo of this line was not kept.")
            return
        from mmsdesk.ui.dialogs.label_photo_dialog import LabelPhotoViewer

        self.viewer = LabelPhotoViewer(photo.image, photo.read_text,
                                       f"{photo.taken_at:%m/%d/%Y %H:%M}", self)
        self.viewer.exec()
        self.viewer.deleteLater()

    @Slot()
    def _on_import_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import a medication list", "",
            "Medication lists (*.json *.xml *.ccd *.ccda *.cda *.txt);;All files (*)")
        if not name:
            return
        try:
            self.import_file(name)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Import a medication list", f"Could not read the file: {exc}")

    def edit_list(self, index: int, kind: str, label: str, listed_on: Any) -> dict[str, str]:
        """Correct a list's kind, name and date (errors by field, nothing changed then); the
        lists are compared again, decisions taken carried over."""
        from mmsdesk.services.visits.recon_lists import edit_list

        src = self.page.draft.collect.sources[index]
        errors = edit_list(src, kind, label, listed_on, self._today())
        if not errors:
            self.rematch()
            self.remove_box.setCurrentIndex(max(self.remove_box.findData(index), 0))
        return errors

    @Slot()
    def _on_edit_clicked(self) -> None:
        from mmsdesk.ui.visit.list_dialog import EditListDialog

        i = self.remove_box.currentData()
        if i is None:
            return
        dlg = EditListDialog(self.page.draft.collect.sources[int(i)], self._today(), self)
        if dlg.exec():
            self.edit_list(int(i), *dlg.values())
        dlg.deleteLater()

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
        for w in (self.decision, self.new_strength, self.new_directions, self.note,
                  self.indication, self.prescriber, self.details_unknown, self.patient_reason):
            w.setEnabled(enabled)

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, *_a: object) -> None:
        cur = self.current()
        self._set_editor_enabled(cur is not None)
        if cur is None:
            return
        d = cur[1]
        self._filling = True
        self._fill_decisions(d)
        self.new_strength.setText(d.new_strength)
        self.new_directions.setText(d.new_directions)
        self.indication.setText(d.indication)
        set_choice(self.prescriber, d.prescriber_id)
        self.details_unknown.setChecked(d.details_unknown)
        self.patient_reason.setText(d.patient_reason)
        self.patient_reason.setPlaceholderText(_recon().stop_reason(d, self.page.draft.visit_date))
        self.note.setText(d.note)
        self._filling = False
        self._show_change_fields()

    def _fill_decisions(self, d: Discrepancy) -> None:
        """The choices this discrepancy allows, each worded as its result on the list."""
        self.decision.clear()
        self.decision.addItem("— to decide —", "")
        for value, label in _recon().decision_choices(d):
            self.decision.addItem(label, value)
        set_choice(self.decision, d.decision)

    def _show_change_fields(self) -> None:
        value = self.decision.currentData()
        changes = value in (ReconDecision.CHANGE, ReconDecision.ADD)
        self.new_strength.setEnabled(changes)
        self.new_directions.setEnabled(changes)
        adds = value == ReconDecision.ADD
        for w in (self.indication, self.prescriber, self.details_unknown):
            w.setEnabled(adds)
        self.patient_reason.setEnabled(value == ReconDecision.STOP)

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
        d.indication = self.indication.text()
        d.prescriber_id = self.prescriber.currentData()
        d.details_unknown = self.details_unknown.isChecked()
        d.patient_reason = self.patient_reason.text()
        d.note = self.note.text()
        if d.kind in (DiscrepancyKind.DOSE, DiscrepancyKind.FREQUENCY):
            label = dict(_recon().decision_choices(d)).get(ReconDecision.CHANGE.value)
            i = self.decision.findData(ReconDecision.CHANGE.value)
            if i >= 0 and label:
                self.decision.setItemText(i, label)  # "Change to 2.5 mg 1 tablet twice a day"
        self._show_change_fields()
        self.model.row_changed(row)
        open_ = sum(1 for x in self.page.draft.collect.discrepancies if not x.decision)
        self.summary.setText(self.summary.text().split(" · ")[0] + f" · "
                             f"{len(self.page.draft.collect.discrepancies)} discrepancies"
                             + (f", {open_} still to decide" if open_ else ", all decided")
                             + ". Shaded cells: that list does not have the medicine.")
        self.page.changed()
