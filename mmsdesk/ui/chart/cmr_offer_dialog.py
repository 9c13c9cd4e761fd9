"""Record that a CMR was offered to the patient (the date and how), for the plans' MTM records."""

from __future__ import annotations

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.mtm_offers import OFFER_METHODS, OfferError, record_offer
from mmsdesk.ui.context import AppContext


class CmrOfferDialog(QDialog):
    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record CMR offer")
        self.ctx, self.patient_id = ctx, patient_id
        self.change: ChangeSet | None = None
        today = ctx.today()
        self.date_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("MM/dd/yyyy")
        self.date_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.date_edit.setAccessibleName("Date of the offer")
        self.method = QComboBox()
        for key, label in OFFER_METHODS.items():
            self.method.addItem(label, key)
        self.method.setAccessibleName("How the offer was made")
        self.notes = QLineEdit()
        self.notes.setAccessibleName("Notes")
        self.error = QLabel()
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Offered &on", self.date_edit)
        form.addRow("&How", self.method)
        form.addRow("&Notes", self.notes)
        note = QLabel("The plan reports the date each enrollee was offered the annual "
                      "comprehensive medication review, whether or not it took place.")
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            _, self.change = record_offer(self.ctx.store, self.patient_id,
                                          self.date_edit.date().toPython(),
                                          self.method.currentData(), today=self.ctx.today(),
                                          notes=self.notes.text())
        except OfferError as e:
            self.error.setText(str(e))
            return
        self.accept()
