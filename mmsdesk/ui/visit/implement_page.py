"""Step 4, Implement: education given, referrals, recommendations sent (date and method) and
the documents produced (PML, MAP, cover letter, prescriber letter, visit note...)."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from mmsdesk.models.enums import (
    DELIVERY_LABELS,
    DOCUMENT_RECIPIENT_LABELS,
    DocumentRecipient,
    SendMethod,
)
from mmsdesk.services.validation import format_date, parse_date
from mmsdesk.services.visits.draft import SentRecommendation
from mmsdesk.ui.qtmodels.row_table import Column
from mmsdesk.ui.visit.base import VisitPage, choice, line, named, on_text, set_choice, text_box
from mmsdesk.ui.visit.list_editor import Field, ListEditor
from mmsdesk.ui.visit.plan_page import INTERVENTION_LABELS

log = logging.getLogger(__name__)

METHOD_LABELS = {SendMethod.FAX: "Fax", SendMethod.PHONE: "Phone", SendMethod.LETTER: "Letter",
                 SendMethod.PORTAL: "Portal", SendMethod.IN_PERSON: "In person"}
DOCUMENTS = (
    ("pml", "Personal Medication List (PML)"),
    ("map", "Medication Action Plan (MAP)"),
    ("cms-summary", "Cover letter (CMS summary)"),
    ("prescriber-letter", "Prescriber letter"),
    ("visit-note", "Visit note (SOAP)"),
    ("calendar", "Medication calendar"),
    ("invoice", "Invoice / receipt"),
    ("claim", "Claim summary (CMS-1500 style)"),
    ("gfe", "Good Faith Estimate (self-pay)"),
)


def _date_in(text: str) -> Any:
    value, msg = parse_date(text, "Date sent")
    if msg or value is None:
        raise ValueError(msg or "Date sent is required (MM/DD/YYYY).")
    return value


def _preview_dialog() -> Any:
    try:
        from mmsdesk.ui.dialogs.document_preview import DocumentPreviewDialog
    except ImportError:
        return None
    return DocumentPreviewDialog


class ImplementPage(VisitPage):
    step = "implement"

    subtitle = "What was done: education, recommendations sent, documents."

    def build(self) -> None:
        self.education = text_box("Education given", "What you explained and showed; "
                                  "teach-back done", height=48)
        on_text(self.education, lambda t: setattr(self.draft.implement, "education", t), self)
        self.referrals = line("Referrals", "for example: dietitian, falls clinic")
        on_text(self.referrals, lambda t: setattr(self.draft.implement, "referrals", t), self)
        top = QFormLayout()
        for text, w in (("&Education given:", self.education), ("Re&ferrals:", self.referrals)):
            lab = QLabel(text)
            lab.setBuddy(w)
            top.addRow(lab, w)
        self.plan_box = choice("Recommendation", {})
        self.sent = ListEditor(
            self, "Recommendations sent", [
                Column("Recommendation", lambda s: self._plan_text(s.plan_key)),
                Column("Sent", lambda s: format_date(s.sent_on) if s.sent_on else ""),
                Column("How", lambda s: METHOD_LABELS.get(s.method, s.method))],
            lambda: self.draft.implement.sent, [
                Field("plan", "&Recommendation:", self.plan_box, "plan_key",
                      from_widget=lambda v: str(v or "")),
                Field("sent_on", "&Sent on (MM/DD/YYYY):", line("Date sent", "MM/DD/YYYY"),
                      "sent_on", to_widget=lambda v: format_date(v) if v else "",
                      from_widget=_date_in),
                Field("method", "&How:", choice("Sent how", METHOD_LABELS), "method")],
            self._new_sent, stretch=0, add_text="Rec&ord a recommendation sent",
            horizontal=False)
        docs = QGroupBox("Documents produced")
        grid = QGridLayout(docs)
        self.doc_boxes: dict[str, QCheckBox] = {}
        self.doc_buttons: dict[str, QPushButton] = {}
        for n, (kind, label) in enumerate(DOCUMENTS):
            box = QCheckBox(label)
            box.setAccessibleName(f"Produced: {label}")
            box.toggled.connect(self._on_doc_box_toggled)
            button = named(QPushButton("Pre&view…" if n == 0 else "Preview…"),
                           f"Preview and print: {label}")
            button.clicked.connect(lambda _c=False, k=kind: self.open_document(k))
            self.doc_boxes[kind], self.doc_buttons[kind] = box, button
            grid.addWidget(box, n, 0)
            grid.addWidget(button, n, 1)
        grid.setColumnStretch(0, 1)
        self.docs_note = QLabel()
        self.docs_note.setWordWrap(True)
        grid.addWidget(self.docs_note, len(DOCUMENTS), 0, 1, 2)
        right = QVBoxLayout()
        right.addWidget(docs)
        right.addWidget(self._build_delivery())
        lower = QHBoxLayout()
        lower.addWidget(self.sent, 3)
        lower.addLayout(right, 2)
        self.body.addLayout(top)
        self.body.addLayout(lower, 1)

    def _build_delivery(self) -> QGroupBox:
        """Who received the documents (a caregiver with name and relation) and how and when:
        the CMS cover letter and the visit note print it, the plan's records ask for it."""
        group = QGroupBox("Who received the documents")
        self.recipient = choice("Received by", DOCUMENT_RECIPIENT_LABELS, blank="(not recorded)")
        self.recipient.currentIndexChanged.connect(self._on_recipient_changed)
        self.recipient_name = line("Caregiver's name", "for example: Lucía Müller")
        on_text(self.recipient_name,
                lambda t: setattr(self.draft.implement, "recipient_name", t), self)
        self.recipient_relation = line("Caregiver's relation", "for example: daughter")
        on_text(self.recipient_relation,
                lambda t: setattr(self.draft.implement, "recipient_relation", t), self)
        self.delivery = choice("Delivered how", DELIVERY_LABELS, blank="(not recorded)")
        self.delivery.currentIndexChanged.connect(self._on_delivery_changed)
        self.delivered_on = line("Delivered on", "MM/DD/YYYY")
        self.delivered_on.textEdited.connect(self._on_delivered_on_edited)
        self.delivery_note = QLabel()
        self.delivery_note.setWordWrap(True)
        self.delivery_note.setStyleSheet("color: #b00020")
        self.delivery_note.setAccessibleName("Delivery problem")
        self.delivery_note.hide()
        form = QFormLayout(group)
        for text, w in (("Rece&ived by:", self.recipient),
                        ("Care&giver's name:", self.recipient_name),
                        ("Rela&tion:", self.recipient_relation), ("&Delivered:", self.delivery),
                        ("De&livered on (MM/DD/YYYY):", self.delivered_on)):
            lab = QLabel(text)
            lab.setBuddy(w)
            form.addRow(lab, w)
        form.addRow(self.delivery_note)
        return group

    def _load_delivery(self) -> None:
        im = self.draft.implement
        for box, value in ((self.recipient, im.recipient), (self.delivery, im.delivery_method)):
            box.blockSignals(True)
            set_choice(box, value)
            box.blockSignals(False)
        self.recipient_name.setText(im.recipient_name)
        self.recipient_relation.setText(im.recipient_relation)
        self.delivered_on.setText(format_date(im.delivered_on) if im.delivered_on else "")
        self._caregiver_fields()
        self.delivery_note.hide()

    def _caregiver_fields(self) -> None:
        caregiver = self.draft.implement.recipient == DocumentRecipient.CAREGIVER
        for w in (self.recipient_name, self.recipient_relation):
            w.setEnabled(caregiver)

    @Slot(int)
    def _on_recipient_changed(self, _index: int) -> None:
        im = self.draft.implement
        im.recipient = str(self.recipient.currentData() or "")
        if im.recipient != DocumentRecipient.CAREGIVER:  # a name belongs to a caregiver only
            im.recipient_name = im.recipient_relation = ""
            self.recipient_name.clear()
            self.recipient_relation.clear()
        self._caregiver_fields()
        self.changed()

    @Slot(int)
    def _on_delivery_changed(self, _index: int) -> None:
        im = self.draft.implement
        im.delivery_method = str(self.delivery.currentData() or "")
        if im.delivery_method and im.delivered_on is None and not self.delivered_on.text():
            im.delivered_on = self.visit().ctx.today()
            self.delivered_on.setText(format_date(im.delivered_on))
        self.changed()

    @Slot(str)
    def _on_delivered_on_edited(self, text: str) -> None:
        """Read at the field: a day that does not read, or falls before the visit, is said
        under the field and not written into the draft."""
        im = self.draft.implement
        value, msg = parse_date(text, "Delivered on") if text.strip() else (None, None)
        if not msg and value is not None and value < self.draft.visit_date:
            msg = "Delivered on: the day is before the visit."
        im.delivered_on = None if msg else value
        self.delivery_note.setText(msg or "")
        self.delivery_note.setVisible(bool(msg))
        self.changed()

    def _asks(self) -> list[Any]:
        return [d for d in self.draft.collect.discrepancies if d.decision == "ask_prescriber"]

    def _plan_text(self, key: str) -> str:
        plan = next((p for p in self.draft.plan.plans if p.key == key), None)
        if plan is None:
            ask = next((d for d in self._asks() if d.key == key), None)
            return f"Ask the prescriber: {', '.join(ask.ingredients)}" if ask else ""
        return INTERVENTION_LABELS.get(plan.intervention, plan.intervention) + (
            f": {plan.text}" if plan.text else "")

    def _new_sent(self) -> SentRecommendation:
        sent = {s.plan_key for s in self.draft.implement.sent}
        keys = [p.key for p in self.draft.plan.plans if p.recipient == "prescriber"]
        keys += [d.key for d in self._asks()]
        keys = keys or [p.key for p in self.draft.plan.plans]
        key = next((k for k in keys if k not in sent), keys[0] if keys else "")
        return SentRecommendation(key, self.visit().ctx.today(), SendMethod.FAX.value)

    def entered(self) -> None:
        self.reload()  # the plans may have changed

    def load(self) -> None:
        im = self.draft.implement
        self.education.setPlainText(im.education)
        self.referrals.setText(im.referrals)
        box: QComboBox = self.plan_box
        box.blockSignals(True)
        box.clear()
        for p in self.draft.plan.plans:
            box.addItem(self._plan_text(p.key) or "(intervention not chosen)", p.key)
        for d in self._asks():
            box.addItem(self._plan_text(d.key), d.key)
        box.blockSignals(False)
        self.sent.load()
        self._load_delivery()
        for kind, cb in self.doc_boxes.items():
            cb.blockSignals(True)
            cb.setChecked(kind in im.documents)
            cb.blockSignals(False)
        available = _preview_dialog() is not None
        for button in self.doc_buttons.values():
            button.setEnabled(available)
        self.docs_note.setText("" if available else "Document previews are not available in "
                               "this build; tick what you produced elsewhere.")

    @Slot(bool)
    def _on_doc_box_toggled(self, _on: bool) -> None:
        self.draft.implement.documents = [k for k, b in self.doc_boxes.items() if b.isChecked()]
        self.changed()

    def open_document(self, kind: str) -> QDialog | None:
        """Preview (and print or save) a document; what is printed or saved is ticked."""
        dialog = _preview_dialog()
        if dialog is None:
            return None
        visit = self.visit()
        visit.save_now()  # the document reads the saved draft
        dlg = dialog(visit.ctx, kind, self.draft.patient_id, self.draft.visit_id, self)
        for name in ("save_to", "print_to"):  # the dialog has no "produced" signal: note
            done = getattr(dlg, name, None)  # each document saved or printed through it
            if callable(done):
                setattr(dlg, name, self._noting(dlg, done))
        dlg.finished.connect(dlg.deleteLater)
        dlg.open()
        return dlg  # type: ignore[no-any-return]

    def _noting(self, dlg: Any, action: Any) -> Any:
        def run(*args: Any, **kw: Any) -> Any:
            result = action(*args, **kw)
            self.mark_produced(str(getattr(dlg, "kind", "")))
            return result
        return run

    def mark_produced(self, kind: str) -> None:
        box = self.doc_boxes.get(kind)
        if box is not None and not box.isChecked():
            box.setChecked(True)  # toggled -> the draft and autosave
