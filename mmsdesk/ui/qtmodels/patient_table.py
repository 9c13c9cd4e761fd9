"""The patient list as a Qt table model, with its own fast filter and sort.

Filtering is done here over precomputed search keys rather than through a
QSortFilterProxyModel, so a keystroke costs one pass over plain strings, even at 10,000
patients.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from mmsdesk.services.patients import PatientRow

Index = QModelIndex | QPersistentModelIndex

PAYER_LABELS = {"self_pay": "Self-pay", "medicare_part_d": "Medicare Part D", "other": "Other"}


def fold(text: str) -> str:
    """Case- and accent-insensitive form: "Müller" and "muller" match."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def age_on(dob: date, today: date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


class PatientTableModel(QAbstractTableModel):
    COLUMNS = ("Name", "Preferred", "Date of birth", "Age", "Phone", "Payer", "Active meds")

    def __init__(self, today: date | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._today = today or date.today()
        self._all: list[PatientRow] = []
        self._keys: list[str] = []
        self._visible: list[int] = []
        self._filter = ""
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.AscendingOrder

    # -- data in
    def set_rows(self, rows: list[PatientRow]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._keys = [self._search_key(r) for r in self._all]
        self._apply_sort_to_all()
        self._visible = self._compute_visible(self._filter)
        self.endResetModel()

    @staticmethod
    def _search_key(r: PatientRow) -> str:
        d = r.date_of_birth
        return fold(
            f"{r.last_name} {r.first_name} {r.preferred_name} | {d.isoformat()} "
            f"{d.month:02d}/{d.day:02d}/{d.year} {d.month}/{d.day}/{d.year}"
        )

    # -- filter
    def set_filter(self, text: str) -> None:
        text = fold(text.strip())
        if text == self._filter:
            return
        self.beginResetModel()
        self._filter = text
        self._visible = self._compute_visible(text)
        self.endResetModel()

    def _compute_visible(self, text: str) -> list[int]:
        if not text:
            return list(range(len(self._all)))
        tokens = text.replace(",", " ").split()
        keys = self._keys
        if len(tokens) == 1:
            t = tokens[0]
            return [i for i, k in enumerate(keys) if t in k]
        return [i for i, k in enumerate(keys) if all(t in k for t in tokens)]

    def row_at(self, row: int) -> PatientRow:
        return self._all[self._visible[row]]

    def row_of_patient(self, patient_id: int) -> int | None:
        for n, i in enumerate(self._visible):
            if self._all[i].id == patient_id:
                return n
        return None

    def total_count(self) -> int:
        return len(self._all)

    # -- sort
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort_column, self._sort_order = column, order
        self._apply_sort_to_all()
        self._visible = self._compute_visible(self._filter)
        self.layoutChanged.emit()

    def _apply_sort_to_all(self) -> None:
        col = self._sort_column
        keyfuncs = {
            0: lambda r: (fold(r.last_name), fold(r.first_name)),
            1: lambda r: fold(r.preferred_name),
            2: lambda r: r.date_of_birth,
            3: lambda r: r.date_of_birth,
            4: lambda r: r.phone,
            5: lambda r: r.payer_type,
            6: lambda r: r.active_medications,
        }
        reverse = self._sort_order == Qt.SortOrder.DescendingOrder
        if col == 3:  # age sorts opposite to date of birth
            reverse = not reverse
        order = sorted(range(len(self._all)), key=lambda i: keyfuncs[col](self._all[i]),
                       reverse=reverse)
        self._all = [self._all[i] for i in order]
        self._keys = [self._keys[i] for i in order]

    # -- Qt model interface
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.row_at(index.row())
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return r.display_name
            if col == 1:
                return r.preferred_name
            if col == 2:
                return r.date_of_birth.strftime("%m/%d/%Y")
            if col == 3:
                return str(age_on(r.date_of_birth, self._today))
            if col == 4:
                return r.phone
            if col == 5:
                return PAYER_LABELS.get(r.payer_type, r.payer_type)
            if col == 6:
                return str(r.active_medications)
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (3, 6):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
