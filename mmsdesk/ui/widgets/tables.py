"""Table views configured the same way on every chart page."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def make_table(name: str, parent: QWidget | None = None, *, stretch: int | None = None) -> QTableView:
    """A row-selecting, read-only table; ``stretch`` is the column that takes spare width."""
    view = QTableView(parent)
    view.setObjectName(name)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setResizeContentsPrecision(60)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(stretch is None)
    view._stretch_column = stretch  # type: ignore[attr-defined]
    return view


def fit_columns(view: QTableView, *, rows: bool = True, cap: int = 320) -> None:
    """Size columns to their contents (at most ``cap`` pixels, longer text wraps), then give
    the stretch column the rest."""
    header = view.horizontalHeader()
    model = view.model()
    if model is None:
        return
    stretch = getattr(view, "_stretch_column", None)
    memory = getattr(view, "_memory", None)  # widths the user set (widgets/table_state.py)
    if memory is not None:
        memory.fitting = True
    try:
        for c in range(model.columnCount()):
            if c == stretch:
                header.setSectionResizeMode(c, QHeaderView.ResizeMode.Stretch)
                continue
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
            width = max(view.sizeHintForColumn(c), header.sectionSizeHint(c))
            header.resizeSection(c, min(width + 8, cap))
    finally:
        if memory is not None:
            memory.fitting = False
            memory.apply_widths()
    if rows:
        view.resizeRowsToContents()


def selected_row(view: QTableView) -> int | None:
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return rows[0].row() if rows else None
