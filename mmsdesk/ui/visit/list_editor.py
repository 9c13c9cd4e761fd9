"""A list of the draft's items in a table with a form for the selected one (master-detail):
Add, Remove, and every keystroke written straight into the draft."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.ui.qtmodels.row_table import Column
from mmsdesk.ui.visit.base import named
from mmsdesk.ui.visit.models import DraftListModel, rows_fit_text
from mmsdesk.ui.widgets.form import FieldForm
from mmsdesk.ui.widgets.tables import fit_columns, make_table, selected_row

if TYPE_CHECKING:
    from mmsdesk.ui.visit.base import VisitPage


@dataclass
class Field:
    key: str
    label: str
    widget: QWidget
    attr: str
    to_widget: Callable[[Any], Any] | None = None  # draft value -> widget value
    from_widget: Callable[[Any], Any] | None = None  # widget value -> draft value (None: refuse)


def _get(w: QWidget) -> Any:
    if isinstance(w, QComboBox):
        if w.isEditable() and w.currentText() != w.itemText(w.currentIndex()):
            return w.currentText()  # typed, not picked: free text ("6-minute walk")
        return w.currentData() if w.currentData() is not None else w.currentText()
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText()
    if isinstance(w, QLineEdit):
        return w.text()
    raise TypeError(type(w))


def _set(w: QWidget, value: Any) -> None:
    if isinstance(w, QComboBox):
        i = w.findData(value)
        if i < 0 and w.isEditable():
            w.setEditText(str(value or ""))
        else:
            w.setCurrentIndex(max(i, 0))
    elif isinstance(w, QPlainTextEdit):
        w.setPlainText(str(value or ""))
    elif isinstance(w, QLineEdit):
        w.setText(str(value or ""))


class ListEditor(QWidget):
    def __init__(self, page: VisitPage, title: str, columns: Sequence[Column[Any]],
                 rows: Callable[[], list[Any]], fields: Sequence[Field],
                 factory: Callable[[], Any] | None, *, stretch: int | None = None,
                 add_text: str = "&Add", hint: str = "", horizontal: bool = True,
                 removable: bool = True,
                 check: Callable[[Any], dict[str, str]] | None = None) -> None:
        """``check``: the selected row -> messages by field key, shown at the fields after
        each edit; unlike a refused ``from_widget`` the value is kept in the draft (the
        step's own checks then hold the visit back until it is fixed)."""
        super().__init__()
        self.page, self.rows, self.fields, self.factory = page, rows, list(fields), factory
        self.check = check
        self._filling = False
        self.model = DraftListModel(columns, self)
        self.table = rows_fit_text(make_table(title, stretch=stretch))
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.form = FieldForm()
        for f in self.fields:
            self.form.add_field(f.key, f.label, f.widget)
            w = f.widget
            if isinstance(w, QComboBox):
                w.currentIndexChanged.connect(self._on_field_edited)
                if w.isEditable():
                    w.editTextChanged.connect(self._on_field_edited)
            elif isinstance(w, QPlainTextEdit):
                w.textChanged.connect(self._on_field_edited)
            elif isinstance(w, QLineEdit):
                w.textEdited.connect(self._on_field_edited)
        self.add_button = named(QPushButton(add_text), f"{title}: add")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.add_button.setVisible(factory is not None)
        self.remove_button = named(QPushButton("Remove"), f"{title}: remove the selected row")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.removable = removable
        self.remove_button.setVisible(removable)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.editor = QGroupBox("Selected")
        box = QVBoxLayout(self.editor)
        box.addLayout(self.form)
        box.addStretch(1)
        left = QVBoxLayout()
        head = QLabel(f"<b>{title}</b>" + (f" — {hint}" if hint else ""))
        head.setWordWrap(True)
        left.addWidget(head)
        left.addWidget(self.table, 1)
        left.addLayout(buttons)
        lay: QHBoxLayout | QVBoxLayout = QHBoxLayout(self) if horizontal else QVBoxLayout(self)
        lay.addLayout(left, 3)
        lay.addWidget(self.editor, 2)
        # Tab in reading order: the list, its buttons, then the form of the selected row
        # (the form's widgets were built by the caller, before the list).
        chain = [self.table, self.add_button, self.remove_button] + [f.widget for f in self.fields]
        for a, b in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(a, b)
        self._enable(False)

    def load(self) -> None:
        self.model.bind(self.rows())
        fit_columns(self.table, cap=220)
        if self.model.rows:
            self.table.selectRow(0)
        self._enable(bool(self.model.rows))

    def _enable(self, on: bool) -> None:
        self.editor.setEnabled(on)
        self.remove_button.setEnabled(on)

    def current(self) -> tuple[int, Any] | None:
        row = selected_row(self.table)
        rows = self.rows()
        return (row, rows[row]) if row is not None and row < len(rows) else None

    def add(self, item: Any) -> None:
        rows = self.rows()
        self.model.bind(rows)
        self.model.beginInsertRows(self.model.index(0, 0).parent(), len(rows), len(rows))
        rows.append(item)
        self.model.endInsertRows()
        fit_columns(self.table, cap=220)
        self.table.selectRow(len(rows) - 1)
        self.page.changed()

    @Slot()
    def _on_add_clicked(self) -> None:
        if self.factory is None:
            return
        self.add(self.factory())
        if self.fields:
            self.fields[0].widget.setFocus()

    @Slot()
    def _on_remove_clicked(self) -> None:
        cur = self.current()
        if cur is None:
            return
        rows = self.rows()
        self.model.beginResetModel()
        del rows[cur[0]]
        self.model.endResetModel()
        if rows:
            self.table.selectRow(min(cur[0], len(rows) - 1))
        self._enable(bool(rows))
        self.page.changed()

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, *_a: object) -> None:
        cur = self.current()
        self._enable(cur is not None)
        if cur is None:
            return
        self._filling = True
        try:
            for f in self.fields:
                value = getattr(cur[1], f.attr)
                _set(f.widget, f.to_widget(value) if f.to_widget else value)
        finally:
            self._filling = False
        self._show_quietly(self.check(cur[1]) if self.check is not None else {})

    @Slot()
    def _on_field_edited(self, *_a: object) -> None:
        cur = self.current()
        if self._filling or cur is None:
            return
        row, item = cur
        errors = {}
        for f in self.fields:
            raw = _get(f.widget)
            if f.from_widget is not None:
                try:
                    value = f.from_widget(raw)
                except ValueError as exc:
                    errors[f.key] = str(exc)
                    continue
            else:
                value = raw if raw is not None else ""
            setattr(item, f.attr, value)
        if self.check is not None:
            errors = {**self.check(item), **errors}
        self._show_quietly(errors)
        self.model.row_changed(row)
        self.page.changed()

    def _show_quietly(self, errors: dict[str, str]) -> None:
        """Show the messages at their fields; the focus stays where the pharmacist types."""
        focus = self.focusWidget()
        self.form.show_errors(errors)
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
