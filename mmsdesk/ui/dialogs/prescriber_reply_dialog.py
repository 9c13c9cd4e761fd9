"""A prescriber's answer that arrives between visits (the faxed-back reply section of the
prescriber letter, a phone call): recorded on the recommendation and in its problem's history.
Opened from the dashboard's "Waiting for prescriber" list."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.validation import ValidationError, format_date, parse_date
from mmsdesk.services.visits.service import VisitService
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.widgets.form import FieldForm, combo

ANSWERS = {"accepted": "Accepted", "modified": "Accepted with changes", "declined": "Declined",
           "no_answer": "No answer (asked again at the next visit)"}


class PrescriberReplyDialog(QDialog):
    """Signals:
        recorded(ChangeSet): the answer was saved.
        chart_requested(int): open the patient's chart instead (patient id).
    """

    recorded = Signal(object)
    chart_requested = Signal(int)

    def __init__(self, ctx: AppContext, recommendation_id: int, patient_id: int,
                 summary: str, sent_on: date | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.recommendation_id = recommendation_id
        self.patient_id = patient_id
        self.sent_on = sent_on
        self.setWindowTitle("Prescriber's answer")
        what = QLabel(summary)
        what.setWordWrap(True)
        self.form = FieldForm()
        self.answer = combo(ANSWERS)
        self.answer.setPlaceholderText("Choose the answer…")
        self.answer.setCurrentIndex(-1)
        self.form.add_field("response", "&Answer:", self.answer)
        self.received = QLineEdit(format_date(ctx.today()))
        self.received.setPlaceholderText("MM/DD/YYYY")
        self.form.add_field("on", "&Received on:", self.received)
        self.note = QLineEdit()
        self.note.setPlaceholderText("e.g. 25 mg instead; signed reply filed")
        self.form.add_field("note", "&Note:", self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.chart_button = QPushButton("Open the &chart")
        self.buttons.addButton(self.chart_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.chart_button.clicked.connect(self._on_chart_button_clicked)
        lay = QVBoxLayout(self)
        lay.addWidget(what)
        lay.addLayout(self.form)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        self.answer.setFocus()

    def errors(self) -> dict[str, str]:
        errors: dict[str, str] = {}
        if self.answer.currentIndex() < 0:
            errors["response"] = "Choose the prescriber's answer."
        on, msg = parse_date(self.received.text(), "Received on")
        if msg or on is None:
            errors["on"] = msg or "Give the day the answer came."
        elif on > self.ctx.today():
            errors["on"] = "The answer cannot come from the future."
        elif self.sent_on is not None and on < self.sent_on:
            errors["on"] = (f"The recommendation was sent on {format_date(self.sent_on)}: "
                            "the answer cannot be earlier.")
        return errors

    @Slot()
    def _on_buttons_accepted(self) -> None:
        errors = self.errors()
        self.form.show_errors(errors)
        if errors:
            return
        on, _ = parse_date(self.received.text())
        assert on is not None
        try:
            change: ChangeSet = VisitService(self.ctx.store).record_response(
                self.recommendation_id, str(self.answer.currentData()), on, self.note.text())
        except ValidationError as exc:
            self.form.show_errors({k if k in ("response", "on") else "note": v
                                   for k, v in exc.errors.items()})
            return
        except LookupError as exc:
            self.form.show_errors({"response": str(exc)})
            return
        self.ctx.events.publish(change)
        self.recorded.emit(change)
        self.accept()

    @Slot()
    def _on_chart_button_clicked(self) -> None:
        self.chart_requested.emit(self.patient_id)
        self.reject()
