"""File ▸ Import of a pharmacy's fill history that names its patients: the fills of each
patient found by name and birth date, the lines of the patients not found, then every matched
patient's fills written in one transaction on the pharmacist's word (all or nothing).

The reading, matching and writing are the services' (:mod:`mmsdesk.services.refills`), the
same the ``mmsdesk refills import FILE`` command uses.
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from mmsdesk import settings
from mmsdesk.interop.refill_csv import RefillImportError, RefillRow
from mmsdesk.services.refills import (
    PatientFills,
    PatientsImport,
    import_patients_rows,
    load_refill_file,
    preview_patients,
)
from mmsdesk.services.validation import format_date
from mmsdesk.store import Store
from mmsdesk.ui.qtmodels.row_table import Column, RowTableModel
from mmsdesk.ui.widgets.theme import error_style


def _lines(lines: tuple[int, ...]) -> str:
    return ", ".join(str(n) for n in lines)


PATIENT_COLUMNS: list[Column[PatientFills]] = [
    Column("Patient", lambda p: p.name),
    Column("Born", lambda p: format_date(p.birth_date), lambda p: p.birth_date),
    Column("Fills to add", lambda p: str(p.new), lambda p: p.new, align_right=True),
    Column("Already recorded", lambda p: str(p.already), lambda p: p.already, align_right=True),
    Column("Lines of the file", lambda p: _lines(p.lines), lambda p: p.lines),
]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class RefillPatientsDialog(QDialog):
    """After accept: ``result`` (fills added per patient id). A file that cannot be read
    shows its lines' problems and cannot be imported."""

    def __init__(self, store: Store, path: str | Path, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.path, self.today = store, Path(path), today
        self.result: PatientsImport | None = None
        self.rows: list[RefillRow] = []
        self.setWindowTitle("Import fill history")
        self.file_label = QLabel(f"File: {html.escape(str(path))}")
        self.file_label.setWordWrap(True)
        # a pharmacy whose columns were mapped before (Adherence ▸ Import, or the CLI's
        # --pharmacy): its file is read with that mapping
        self.pharmacy = QComboBox()
        self.pharmacy.setAccessibleName("Pharmacy the file comes from")
        self.pharmacy.addItem("(columns as the file names them)", "")
        for name in sorted(settings.load().refill_mappings):
            self.pharmacy.addItem(name, name)
        self.pharmacy.currentIndexChanged.connect(self._on_pharmacy_current_index_changed)
        pharmacy_label = QLabel("From &pharmacy:")
        pharmacy_label.setBuddy(self.pharmacy)
        row = QHBoxLayout()
        row.addWidget(pharmacy_label)
        row.addWidget(self.pharmacy, 1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.model = RowTableModel(PATIENT_COLUMNS, self)
        self.table = QTableView()
        self.table.setAccessibleName("Patients matched by name and birth date")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.unmatched_label = QLabel("&Not matched (not imported): no patient with this name "
                                      "and birth date")
        self.unmatched = QListWidget()
        self.unmatched.setAccessibleName("Patients not matched")
        self.unmatched_label.setBuddy(self.unmatched)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(error_style())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("&Import")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.file_label)
        lay.addLayout(row)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 2)
        lay.addWidget(self.unmatched_label)
        lay.addWidget(self.unmatched, 1)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(680, 460)
        self.load()

    def load(self) -> None:
        """Read the whole file and show who gets what (nothing written)."""
        self.error.clear()
        name = str(self.pharmacy.currentData() or "")
        mapping = settings.load().refill_mappings.get(name) if name else None
        try:
            self.rows = load_refill_file(self.path, mapping or None, today=self.today).rows
        except RefillImportError as exc:
            self._refuse("Nothing can be imported. " + "; ".join(exc.errors[:12])
                         + (f"; and {len(exc.errors) - 12} more" if len(exc.errors) > 12 else ""))
            return
        patients, unmatched = preview_patients(self.store, self.rows)
        self.model.set_rows(patients)
        self.unmatched.clear()
        self.unmatched.addItems(unmatched)
        self.unmatched_label.setVisible(bool(unmatched))
        self.unmatched.setVisible(bool(unmatched))
        new = sum(p.new for p in patients)
        self.summary.setText(
            f"{_plural(len(self.rows), 'fill')} in the file: "
            f"{_plural(len(patients), 'patient')} matched by name and birth date"
            + (f", {len(unmatched)} not matched" if unmatched else "") + ". "
            + (f"Importing adds {_plural(new, 'fill')} for all of them at once, or nothing."
               if new else "Nothing new to add."))
        self.import_button.setText(f"&Import for {_plural(len(patients), 'patient')}"
                                   if new else "&Import")
        self.import_button.setEnabled(new > 0)

    @Slot(int)
    def _on_pharmacy_current_index_changed(self, _i: int) -> None:
        self.load()

    def _refuse(self, text: str) -> None:
        self.rows = []
        self.error.setText(text)
        self.summary.clear()
        self.model.set_rows([])
        self.unmatched.clear()
        self.import_button.setEnabled(False)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            self.result = import_patients_rows(self.store, self.rows,
                                               f"csv:{self.path.name}"[:64])
        except (LookupError, ValueError) as exc:
            self._refuse(f"Nothing was imported: {exc}")
            return
        self.accept()
