"""Collect › Reconciliation › Edit list: a list's kind, name and date as the pharmacist
corrects them (an imported "other list" that is the hospital's discharge list, its date the
day of discharge). Checked at the field by the service (:mod:`mmsdesk.services.visits.recon_lists`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from mmsdesk.services.validation import format_date, parse_date
from mmsdesk.services.visits.draft import ReconSource
from mmsdesk.services.visits.recon_lists import list_errors, relabel
from mmsdesk.services.visits.reconciliation import LIST_KIND_LABELS
from mmsdesk.ui.visit.base import choice, line, set_choice
from mmsdesk.ui.widgets.form import FieldForm


class EditListDialog(QDialog):
    """After accept: ``values()`` is (kind, name, date), checked."""

    def __init__(self, src: ReconSource, today: date | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit the list")
        self.today = today
        self._kind = src.source
        self.form = FieldForm()
        self.source = self.form.add_field("source", "&Kind of list:",
                                          choice("Kind of list", LIST_KIND_LABELS))
        set_choice(self.source, src.source)
        self.label = self.form.add_field("label", "&Name:", line("Name of the list"))
        self.label.setText(src.label)
        self.listed_on = self.form.add_field(
            "listed_on", "&Date of the list:", line("Date of the list", "MM/DD/YYYY"),
            "The day the list was written (a discharge list: the day of discharge)")
        self.listed_on.setText(format_date(src.listed_on))
        self.source.currentIndexChanged.connect(self._on_source_current_index_changed)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Save")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.buttons)
        self.resize(520, 0)

    @Slot(int)
    def _on_source_current_index_changed(self, _i: int) -> None:
        kind = str(self.source.currentData())
        if not self.label.isModified():  # a name made from the kind follows it
            self.label.setText(relabel(self.label.text(), self._kind, kind))
        self._kind = kind

    def values(self) -> tuple[str, str, Any]:
        day, _error = parse_date(self.listed_on.text(), "Date of the list")
        return str(self.source.currentData()), self.label.text().strip(), day

    def accept(self) -> None:
        day, error = parse_date(self.listed_on.text(), "Date of the list")
        errors = {"listed_on": error} if error else {}
        kind, label, _ = self.values()
        errors = list_errors(kind, label, day, self.today) | errors
        self.form.show_errors(errors)
        if not errors:
            super().accept()
