"""Table models over the draft's lists: the reconciliation grid (one row per ingredient, one
column per source) and read-only lists edited through the form beside them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTableView

from mmsdesk.services.visits.draft import Discrepancy, ReconItem, ReconSource
from mmsdesk.ui.qtmodels.row_table import Column, RowTableModel

Index = QModelIndex | QPersistentModelIndex
R = TypeVar("R")
WARN = QColor("#a4262c")
MISSING = QColor("#fdeceb")


class DraftListModel(RowTableModel[R]):
    """A read-only view of one of the draft's lists (the list object itself, kept in sync)."""

    def __init__(self, columns: Sequence[Column[R]], parent: Any = None) -> None:
        super().__init__(columns, parent)

    def bind(self, rows: list[R]) -> None:
        """Show ``rows`` (the draft's own list: edits to it show after ``row_changed``)."""
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def set_rows(self, rows: Sequence[R]) -> None:
        self.bind(list(rows))

    def row_changed(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        return  # the draft's order is the order of entry


def rows_fit_text(view: QTableView) -> QTableView:
    """Rows as tall as their wrapped text (nothing cut off whatever the column widths); Tab
    leaves the table (arrow keys move between rows) so the form beside it is one Tab away."""
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setTabKeyNavigation(False)
    return view


def item_key(item: ReconItem) -> str:
    """Items are matched across sources by their generic ingredients (else by their text)."""
    from mmsdesk.services.visits.reconciliation import match_key

    return match_key(item)


def item_text(item: ReconItem) -> str:
    """The medicine as the dictionary read it (each ingredient's own amount), then the
    directions as the list wrote them."""
    return f"{item.name}\n{item.directions}" if item.directions else item.name


class ReconGridModel(QAbstractTableModel):
    """Sources side by side: columns are the sources, rows the medicines matched by
    ingredient; an empty cell (shaded) means that source does not list the medicine."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.sources: list[ReconSource] = []
        self.keys: list[str] = []
        self.cells: dict[tuple[str, int], list[ReconItem]] = {}
        self.flagged: set[str] = set()

    def set_sources(self, sources: Sequence[ReconSource],
                    discrepancies: Sequence[Discrepancy] = ()) -> None:
        self.beginResetModel()
        self.sources = list(sources)
        self.keys, self.cells = [], {}
        for col, src in enumerate(self.sources):
            for item in src.items:
                key = item_key(item)
                if key not in self.keys:
                    self.keys.append(key)
                self.cells.setdefault((key, col), []).append(item)
        self.flagged = {";".join(sorted(i.lower() for i in d.ingredients)) for d in discrepancies}
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.keys)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.sources) + 1

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return "Ingredient"
        if 1 <= section <= len(self.sources):
            src = self.sources[section - 1]
            day = src.listed_on
            return src.label + (f" ({day.month}/{day.day}/{day.year})" if day else "")
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.keys):
            return None
        key, col = self.keys[index.row()], index.column()
        items = self.cells.get((key, col - 1), []) if col else []
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == 0:
                return key[5:] if key.startswith("text:") else key.replace(";", " + ")
            return "\n".join(item_text(i) for i in items) if items else "—"
        if role == Qt.ItemDataRole.BackgroundRole and col and not items:
            return QBrush(MISSING)
        if role == Qt.ItemDataRole.ForegroundRole and col == 0 and key in self.flagged:
            return QBrush(WARN)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            name = self.sources[col - 1].label if col else "Ingredient"
            text = self.data(index)
            return f"{name}: {'not listed' if text == '—' else text}"
        return None
