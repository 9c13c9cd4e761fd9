"""A save refused because a colleague saved the same record meanwhile (team mode).

Shows who changed it and when, and both versions side by side (the values being saved and the
values now stored, from :class:`mmsdesk.store.conflicts.RecordChanged`). Nothing is saved by
this dialog: **Reload** discards the edit and shows the stored record; **Keep editing** keeps
the edit on screen, and a second Save, made knowingly, saves it over the stored version.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.store.conflicts import RecordChanged


def field_label(key: str) -> str:
    return key.replace("_id", "").replace("_", " ").capitalize()


def shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class ConflictDialog(QDialog):
    """After ``exec()``: ``reload`` is True when the person chose to discard their edit."""

    def __init__(self, refused: RecordChanged, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.refused = refused
        self.reload = False
        self.setWindowTitle("Changed by someone else")
        lay = QVBoxLayout(self)
        what = refused.entity.replace("_", " ") or "record"
        when = f" at {refused.at:%H:%M} UTC on {refused.at:%Y-%m-%d}" if refused.at else ""
        verb = "deleted" if refused.deleted else "changed"
        self.headline = QLabel(f"<b>{verb.capitalize()} by {refused.actor}{when}: reload.</b>")
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        lay.addWidget(self.headline)
        self.explanation = QLabel(
            f"This {what} was {verb} while you were editing it. Your change was not saved; "
            "theirs is kept." + ("" if refused.deleted else
                                 " Reload to see theirs, or keep editing: your values stay "
                                 "on screen, and saving again puts them over theirs."))
        self.explanation.setWordWrap(True)
        lay.addWidget(self.explanation)
        self.table = QTableWidget(len(refused.differences), 3)
        self.table.setHorizontalHeaderLabels(["Field", "Yours (not saved)", "Now stored"])
        self.table.setAccessibleName("Your values and the stored values")
        for row, (key, mine, stored) in enumerate(refused.differences):
            for col, text in enumerate((field_label(key), shown(mine), shown(stored))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, col, item)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.resizeRowsToContents()
        self.table.setVisible(bool(refused.differences))
        lay.addWidget(self.table)
        self.buttons = QDialogButtonBox()
        self.reload_button = QPushButton("&Reload (discard mine)")
        self.keep_button = QPushButton("&Keep editing")
        self.buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_button.setEnabled(not refused.deleted)
        self.reload_button.clicked.connect(self._on_reload_button_clicked)
        self.keep_button.clicked.connect(self.reject)
        lay.addWidget(self.buttons)
        self.reload_button.setDefault(True)
        self.resize(640, 200 + 28 * len(refused.differences))

    def _on_reload_button_clicked(self) -> None:
        self.reload = True
        self.accept()

    def rows(self) -> list[tuple[str, str, str]]:
        return [tuple(self.table.item(r, c).text() for c in range(3))  # type: ignore[misc]
                for r in range(self.table.rowCount())]


def settle_refused_save(parent: QWidget, refused: RecordChanged) -> bool:
    """Show the refusal; True when the person chose Reload (discard their edit)."""
    dlg = ConflictDialog(refused, parent)
    parent.conflict_dialog = dlg  # type: ignore[attr-defined] - tests find it while it is open
    try:
        dlg.exec()
        return dlg.reload
    finally:
        parent.conflict_dialog = None  # type: ignore[attr-defined]
        dlg.setParent(None)  # type: ignore[call-overload]
