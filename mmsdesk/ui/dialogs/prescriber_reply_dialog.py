"""A prescriber's answer that arrives between visits (the faxed-back reply section of the
prescriber letter, a phone call): recorded on the recommendation and in its problem's history.
Opened from the dashboard's "Waiting for prescriber" list.

When the recommendation proposes a change to the medication list (stop, change the dose,
change the drug, start), the dialog shows it in plain words. An accepted answer makes the
change only when the pharmacist confirms it; for an answer with changes she first types the
strength and directions the prescriber chose. Declined, or no answer, changes nothing. The
service (services/visits/replies.py) records the answer and the change in one transaction.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.validation import ValidationError, format_date, parse_date
from mmsdesk.services.visits.replies import APPLIES, ProposedChange
from mmsdesk.services.visits.service import VisitService
from mmsdesk.store.conflicts import RecordChanged
from mmsdesk.store.who import NotPermitted
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.widgets.form import FieldForm, combo
from mmsdesk.ui.widgets.theme import error_style

ANSWERS = {"accepted": "Accepted", "modified": "Accepted with changes", "declined": "Declined",
           "no_answer": "No answer (asked again at the next visit)"}
_CHANGE_FIELDS = ("strength", "directions")


class PrescriberReplyDialog(QDialog):
    """Signals:
        recorded(ChangeSet): the answer was saved (and the list changed, when confirmed).
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
        self.service = VisitService(ctx.store)
        self.proposal: ProposedChange | None = self.service.proposed_change(
            recommendation_id, ctx.today())
        # saved against: an answer a colleague records meanwhile is refused, not overwritten
        self.loaded_version = self.service.recommendation(recommendation_id).version
        self.confirm_box: QMessageBox | None = None  # while the confirmation is open
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
        self.change_box = self._build_change_box()
        lay.addWidget(self.change_box)
        lay.addWidget(self.buttons)
        self.answer.currentIndexChanged.connect(self._on_answer_changed)
        self._on_answer_changed()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 72)
        self._sized = False
        self.answer.setFocus()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 (Qt)
        super().showEvent(event)
        if not self._sized:  # the wrapped texts' height at the shown width (Qt guesses lower)
            self._sized = True
            QTimer.singleShot(0, self.adjustSize)

    # -- the change to the list
    def _build_change_box(self) -> QGroupBox:
        box = QGroupBox("Change to the medication list")
        box.setVisible(self.proposal is not None)
        lay = QVBoxLayout(box)
        self.change_text = QLabel()
        self.change_text.setWordWrap(True)
        self.change_text.setAccessibleName("Change to the medication list")
        font = self.change_text.font()
        font.setBold(True)
        self.change_text.setFont(font)
        lay.addWidget(self.change_text)
        self.change_form = FieldForm()
        p = self.proposal
        self.strength = QLineEdit(p.proposal.strength if p else "")
        self.strength.setPlaceholderText("as the prescriber wrote it: 2.5 mg")
        self.directions = QLineEdit(p.proposal.directions if p else "")
        self.directions.setPlaceholderText("1 tablet twice a day")
        self.change_form.add_field("strength", "Stren&gth:", self.strength)
        self.change_form.add_field("directions", "&Directions:", self.directions)
        for edit in (self.strength, self.directions):
            edit.textEdited.connect(self._on_change_edited)
        lay.addLayout(self.change_form)
        self.change_error = QLabel()
        self.change_error.setWordWrap(True)
        self.change_error.setStyleSheet(error_style())
        self.change_error.hide()
        lay.addWidget(self.change_error)
        self.change_hint = QLabel()
        self.change_hint.setWordWrap(True)
        lay.addWidget(self.change_hint)
        self._show_fields(False)
        return box

    def _show_fields(self, on: bool) -> None:
        """The strength and directions fields: shown for an answer with changes."""
        self._fields_shown = on
        for key in _CHANGE_FIELDS:
            holder = self.change_form.field(key).parentWidget()
            self.change_form.labelForField(holder).setVisible(on)
            holder.setVisible(on)

    def _answer(self) -> str:
        return str(self.answer.currentData() or "") if self.answer.currentIndex() >= 0 else ""

    def _can_apply(self) -> bool:
        p = self.proposal
        return p is not None and p.applied_on is None and self._answer() in APPLIES

    def _edits(self) -> tuple[str | None, str | None]:
        """The prescriber's own strength and directions (an answer with changes), else None:
        as proposed."""
        if self._answer() != "modified" or self.proposal is None or not self.proposal.editable:
            return None, None
        return self.strength.text().strip(), self.directions.text().strip()

    def _received_on(self) -> date:
        on, msg = parse_date(self.received.text())
        return on if on is not None and not msg else self.ctx.today()

    def change_errors(self) -> dict[str, str]:
        """What stops the change from being made now (by field), when it would be made."""
        if not self._can_apply():
            return {}
        strength, directions = self._edits()
        return self.service.check_reply(self.recommendation_id, self._received_on(),
                                        strength, directions)

    def change_description(self) -> str:
        """The change in plain words, with the prescriber's own strength and directions."""
        p = self.proposal
        if p is None:
            return ""
        strength, directions = self._edits()
        if strength is None and directions is None:
            return p.description
        shown = self.service.proposed_change(self.recommendation_id, self._received_on(),
                                             strength, directions)
        return shown.description if shown is not None else p.description

    def _show_change_errors(self, errors: dict[str, str]) -> None:
        self.change_form.show_errors({k: v for k, v in errors.items() if k in _CHANGE_FIELDS})
        other = " ".join(v for k, v in errors.items() if k not in _CHANGE_FIELDS)
        self.change_error.setText(other)
        self.change_error.setVisible(bool(other))

    def _refresh_change(self, *, check: bool = True) -> None:
        p = self.proposal
        if p is None:
            return
        answer = self._answer()
        self.change_text.setText(self.change_description() + ".")
        modified = answer == "modified" and p.applied_on is None
        if (modified and p.editable) != self._fields_shown:
            self._show_fields(modified and p.editable)
            self.adjustSize()
        errors = self.change_errors() if check else {}
        if p.applied_on is not None:
            hint = f"Made on the list on {format_date(p.applied_on)}."
        elif answer in APPLIES and errors and not set(errors) & set(_CHANGE_FIELDS):
            hint = "The list cannot be changed as proposed: saving records the answer only."
        elif answer in APPLIES:
            hint = ("Write the strength and directions the prescriber chose. " if modified
                    and p.editable else "") + ("Saving asks you to confirm before the list "
                                               "changes.")
        elif answer:
            hint = "Declined or no answer: the list stays as it is."
        else:
            hint = ("If the prescriber accepted, saving asks you to confirm before the list "
                    "changes.")
        self.change_hint.setText(hint)
        self.change_text.setEnabled(answer in APPLIES or not answer)
        if check:
            focus = self.focusWidget()
            self._show_change_errors(errors)
            if focus is not None:
                focus.setFocus()

    @Slot()
    def _on_answer_changed(self, *_a: object) -> None:
        self._refresh_change()

    @Slot()
    def _on_change_edited(self, *_a: object) -> None:
        self._refresh_change()

    def confirm_change(self, description: str) -> QMessageBox.StandardButton:
        """Ask before changing the list: Yes (change it), No (the answer only), Cancel."""
        box = QMessageBox(QMessageBox.Icon.Question, "Change the medication list?",
                          f"Make this change on the patient's medication list?\n\n"
                          f"{description}.", QMessageBox.StandardButton.Yes
                          | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
                          self)
        on = format_date(self._received_on())
        who = self.proposal.prescriber if self.proposal and self.proposal.prescriber else \
            "the prescriber"
        box.setInformativeText(f"The medicine's history will say it was done on the "
                               f"prescriber's reply of {on}, decided by {who}.")
        box.button(QMessageBox.StandardButton.Yes).setText("&Change the list")
        box.button(QMessageBox.StandardButton.No).setText("Save the answer &only")
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        self.confirm_box = box
        try:
            return QMessageBox.StandardButton(box.exec())
        finally:
            self.confirm_box = None
            box.deleteLater()

    # -- saving
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
        apply = False
        if self._can_apply():
            change_errors = self.change_errors()
            self._show_change_errors(change_errors)
            if change_errors and self._answer() == "modified" and set(change_errors) & set(
                    _CHANGE_FIELDS):
                return  # the prescriber's own strength or directions do not read: fix them
            if not change_errors:
                choice = self.confirm_change(self.change_description())
                if choice == QMessageBox.StandardButton.Cancel:
                    return
                apply = choice == QMessageBox.StandardButton.Yes
        strength, directions = self._edits() if apply else (None, None)
        try:
            result = self.service.record_reply(
                self.recommendation_id, self._answer(), on, self.note.text(), apply=apply,
                strength=strength, directions=directions, expected_version=self.loaded_version)
        except RecordChanged as exc:
            self._settle(exc)
            return
        except ValidationError as exc:
            self.form.show_errors({k: v for k, v in exc.errors.items()
                                   if k in ("response", "on", "note")})
            self._show_change_errors({k: v for k, v in exc.errors.items()
                                      if k not in ("response", "on", "note")})
            return
        except LookupError as exc:
            self.form.show_errors({"response": str(exc)})
            return
        except NotPermitted as exc:  # team mode: a technician files the answer, not the change
            self._show_change_errors({"apply": str(exc)})
            return
        change: ChangeSet = result.changes
        self.ctx.events.publish(change)
        self.recorded.emit(change)
        self.accept()

    def _settle(self, refused: RecordChanged) -> None:
        """A colleague recorded an answer (or changed the recommendation) while this dialog
        was open: Reload closes it (the dashboard shows what is stored); Keep editing keeps
        this answer on screen, and saving again records it over theirs."""
        from mmsdesk.ui.dialogs.conflict_dialog import settle_refused_save

        if settle_refused_save(self, refused):
            self.reject()
            return
        self.loaded_version = self.service.recommendation(self.recommendation_id).version

    @Slot()
    def _on_chart_button_clicked(self) -> None:
        self.chart_requested.emit(self.patient_id)
        self.reject()
