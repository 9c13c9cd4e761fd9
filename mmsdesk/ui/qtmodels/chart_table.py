"""The chart's tables: a :class:`RowTableModel` whose columns are (header, getter) pairs,
dates shown as MM/DD/YYYY, rows that can be drawn crossed out (stopped medicines) or flagged
(unrecognised medicines)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont

from mmsdesk.ui.qtmodels.row_table import Column, Index, RowTableModel
from mmsdesk.ui.widgets.theme import readable

R = TypeVar("R")
Getter = tuple[str, Callable[[Any], object]]


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%m/%d/%Y")  # type: ignore[no-any-return,union-attr]
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _column(title: str, getter: Callable[[Any], object]) -> Column[Any]:
    return Column(title, lambda r: cell_text(getter(r)), sort_key=lambda r: cell_text(getter(r)))


class ChartTableModel(RowTableModel[R]):
    def __init__(self, columns: Sequence[Getter], parent: Any = None, *,
                 struck: Callable[[Any], bool] | None = None,
                 flagged: Callable[[Any], bool] | None = None) -> None:
        super().__init__([_column(t, g) for t, g in columns], parent)
        self._struck = struck
        self._flagged = flagged

    def row(self, i: int) -> R:
        return self.rows[i]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return super().data(index, Qt.ItemDataRole.DisplayRole)
        struck = self._struck is not None and self._struck(row)
        if role == Qt.ItemDataRole.FontRole and struck:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if struck:
                return QBrush(readable("#6b6b6b"))
            if self._flagged is not None and self._flagged(row) and index.column() == 0:
                return QBrush(readable("#9a4a00"))
        return super().data(index, role)
