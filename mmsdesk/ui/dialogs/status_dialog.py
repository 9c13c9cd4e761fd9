"""Stop, hold or resume a medicine: the date and the reason go into its history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.validation import ValidationError, format_date, parse_date
from mmsdesk.ui.widgets.form import FieldForm
from mmsdesk.ui.widgets.theme import error_style

Action = Callable[[date | None, str], ChangeSet]

VERBS = {"stop": "Stop", "hold": "Hold", "resume": "Resume"}


class StatusChangeDialog(QDialog):
    """Asks for a date and a reason, then runs ``action(date, reason)``; after accept,
    ``change`` is set."""

    def __init__(self, verb: str, medicine: str, action: Action, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = action
        self.change: ChangeSet | None = None
        self.setWindowTitle(f"{VERBS[verb]} medication")
        head = QLabel(f"{VERBS[verb]}: <b>{medicine}</b>")
        head.setWordWrap(True)
        self.form = FieldForm()
        self.on = self.form.add_field("on", "&Date:", QLineEdit(format_date(today)),
                                      "MM/DD/YYYY")
        self.reason = self.form.add_field("reason", "&Reason:", QLineEdit())
        self.reason.setPlaceholderText("optional" if verb == "resume"
                                       else "for example: INR 4.5, bleeding, duplicate…")
        self.status_error = QLabel()
        self.status_error.setStyleSheet(error_style())
        self.status_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(VERBS[verb])
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addLayout(self.form)
        lay.addWidget(self.status_error)
        lay.addWidget(self.buttons)
        self.resize(480, 0)
        self.reason.setFocus()

    @Slot()
    def _on_buttons_accepted(self) -> None:
        on, msg = parse_date(self.on.text(), "Date")
        try:
            if msg:
                raise ValidationError({"on": msg})
            self.change = self.action(on, self.reason.text())
        except ValidationError as exc:
            self.form.show_errors(exc.errors)
            self.status_error.setText(exc.errors.get("status", ""))
            self.status_error.setVisible("status" in exc.errors)
            return
        self.accept()
