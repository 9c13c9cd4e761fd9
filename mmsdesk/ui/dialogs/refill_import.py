"""Import a pharmacy's fill history (CSV): pick the file, map the columns, import or see why not.

Nothing is written unless every line reads; errors are listed by line.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mmsdesk import settings
from mmsdesk.interop.refill_csv import (
    FIELDS,
    LABELS,
    REQUIRED,
    RefillImportError,
    decode,
    guess_mapping,
    read_headers,
)
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.refills import import_file, is_fhir_file
from mmsdesk.store import Store
from mmsdesk.ui.widgets.theme import error_style

NOT_MAPPED = "(none)"


class RefillImportDialog(QDialog):
    def __init__(self, store: Store, patient_id: int, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import fill history")
        self.store, self.patient_id, self.today = store, patient_id, today
        self.change: ChangeSet | None = None
        self.added = 0
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setAccessibleName("File")
        browse = QPushButton("&Choose file…")
        browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        # the pharmacy the file comes from: its columns are remembered (settings) and used for
        # its next file
        self.pharmacy = QComboBox()
        self.pharmacy.setEditable(True)
        self.pharmacy.setAccessibleName("Pharmacy the file comes from")
        self.pharmacy.addItems(["", *sorted(settings.load().refill_mappings)])
        self.pharmacy.currentTextChanged.connect(self._on_pharmacy_current_text_changed)
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        form.addRow("File", row)
        form.addRow("From &pharmacy", self.pharmacy)
        for fld in FIELDS:
            combo = QComboBox()
            combo.setAccessibleName(LABELS[fld])
            self.combos[fld] = combo
            combo.currentTextChanged.connect(self._on_combo_current_text_changed)
            label = LABELS[fld][:1].upper() + LABELS[fld][1:]  # "NDC", "Prescriber NPI"
            form.addRow(label + (" *" if fld in REQUIRED else ""), combo)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setMaximumBlockCount(8)
        self.preview.setAccessibleName("First lines of the file")
        self.will_add = QLabel()  # what the import would add, read with the mapping shown
        self.will_add.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(error_style())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self._on_import_clicked)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(QLabel("First lines"))
        lay.addWidget(self.preview)
        lay.addWidget(self.will_add)
        lay.addWidget(self.error_label)
        lay.addWidget(self.buttons)
        self.resize(620, 520)

    def load_file(self, path: Path) -> None:
        """Read the header row and guess the mapping (also used by tests)."""
        self.error_label.clear()
        if is_fhir_file(path):  # FHIR MedicationDispense: nothing to map
            self.path_edit.setText(str(path))
            for combo in self.combos.values():
                combo.clear()
                combo.setEnabled(False)
            self.preview.setPlainText("FHIR file: each MedicationDispense becomes one fill.")
            self.import_button.setEnabled(True)
            return
        try:
            text = decode(path.read_bytes(), path.name)
        except (OSError, RefillImportError) as exc:
            self.error_label.setText(str(exc))
            self.import_button.setEnabled(False)
            return
        self.path_edit.setText(str(path))
        headers = [h for h in read_headers(text) if h]
        guess = guess_mapping(headers)
        remembered = settings.load().refill_mappings.get(self.pharmacy.currentText().strip(), {})
        guess.update({f: h for f, h in remembered.items() if h in headers})
        for fld, combo in self.combos.items():
            combo.setEnabled(True)
            combo.clear()
            combo.addItems([NOT_MAPPED, *headers])
            combo.setCurrentText(guess.get(fld, NOT_MAPPED))
        self.preview.setPlainText("\n".join(text.splitlines()[:8]))
        self.import_button.setEnabled(True)
        self._show_will_add()

    def _show_will_add(self) -> None:
        """The fills the file would add with the mapping shown (nothing written), or why the
        file cannot be read with it."""
        from mmsdesk.services.refills import load_refill_file, new_rows

        path = Path(self.path_edit.text())
        if not self.path_edit.text() or is_fhir_file(path):
            self.will_add.clear()
            return
        try:
            parsed = load_refill_file(path, self.mapping() or None, today=self.today)
        except RefillImportError as exc:
            self.will_add.setText(f"Cannot be imported as mapped: {exc.errors[0]}")
            return
        new, already = new_rows(self.store, self.patient_id, parsed.rows)
        self.will_add.setText(f"Will add {new} fill{'' if new == 1 else 's'} ({already} "
                              "already recorded).")

    @Slot(str)
    def _on_combo_current_text_changed(self, _text: str) -> None:
        if self.import_button.isEnabled():
            self._show_will_add()

    def mapping(self) -> dict[str, str]:
        return {fld: c.currentText() for fld, c in self.combos.items()
                if c.currentText() and c.currentText() != NOT_MAPPED}

    @Slot()
    def _on_browse_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Fill history", str(Path.home()),
                                              "Fill history (*.csv *.txt *.json);;All files (*)")
        if name:
            self.load_file(Path(name))

    @Slot()
    def _on_import_clicked(self) -> None:
        path = Path(self.path_edit.text())
        try:
            result = import_file(self.store, self.patient_id, path, self.mapping(), self.today)
        except RefillImportError as exc:
            self.error_label.setText("Nothing was imported. " + "\n".join(
                exc.errors[:12]) + (f"\n… and {len(exc.errors) - 12} more" if len(exc.errors) > 12 else ""))
            return
        self.added, self.change = result.added, result.change
        name = self.pharmacy.currentText().strip()
        if name and not is_fhir_file(path):  # remembered for this pharmacy's next file
            saved = settings.load()
            settings.save(saved.with_changes(refill_mappings={**saved.refill_mappings,
                                                              name: self.mapping()}))
        self.accept()

    @Slot(str)
    def _on_pharmacy_current_text_changed(self, name: str) -> None:
        remembered = settings.load().refill_mappings.get(name.strip())
        if remembered and self.path_edit.text():
            for fld, combo in self.combos.items():
                header = remembered.get(fld)
                combo.setCurrentText(header if header and combo.findText(header) >= 0
                                     else NOT_MAPPED)
