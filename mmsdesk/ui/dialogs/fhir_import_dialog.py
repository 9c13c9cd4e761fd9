"""File ▸ Import (a FHIR bundle or a C-CDA document): read the file, show what will be created or added (and to whom),
then import it in one transaction on the pharmacist's word."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from mmsdesk.services.fhir_import import (
    KINDS,
    FhirImportService,
    ImportPreview,
    ImportRefused,
    ImportResult,
)
from mmsdesk.services.record_import import DocumentSummary
from mmsdesk.services.validation import format_date
from mmsdesk.ui.widgets.theme import error_style

KIND_LABELS = {"medications": "Medications", "allergies": "Allergies",
               "conditions": "Conditions", "observations": "Labs and vitals",
               "pgx": "PGx results"}


def preview_html(p: ImportPreview) -> str:
    who = (f"Adds to the existing patient <b>{html.escape(p.patient_name)}</b> "
           f"(born {format_date(p.birth_date)}), matched by name and birth date."
           if p.existing_patient_id is not None else
           f"Creates a new patient <b>{html.escape(p.patient_name)}</b> "
           f"(born {format_date(p.birth_date)}).")
    rows = "".join(f"<tr><td>{KIND_LABELS[k]}</td><td align='right'>{p.to_create[k]}</td>"
                   f"<td align='right'>{p.already_on_record[k]}</td></tr>" for k in KINDS)
    skipped = "".join(f"<li>{html.escape(s)}</li>" for s in p.skipped)
    return (f"<p>{who}</p><table cellpadding='4'><tr><th align='left'>Record</th>"
            f"<th>New</th><th>Already there (skipped)</th></tr>{rows}</table>"
            + (f"<p><b>Not imported:</b></p><ul>{skipped}</ul>" if skipped else ""))


def document_html(doc: DocumentSummary | None) -> str:
    """A C-CDA's type, date and author, and its medication lists (which go into the chart)."""
    if doc is None:
        return ""
    head = ", ".join(x for x in (doc.document_type, format_date(doc.date) if doc.date else "",
                                 doc.author, doc.organisation) if x)
    lists = "".join(f"<li>{html.escape(label)}: {n}"
                    + (" (into the chart)" if kind in doc.charted else "") + "</li>"
                    for kind, label, n in doc.lists)
    return f"<p>C-CDA document: {html.escape(head)}</p><ul>{lists}</ul>"


class FhirImportDialog(QDialog):
    """After accept: ``result``. A bundle that cannot be read shows its reason and cannot be
    imported."""

    def __init__(self, service: FhirImportService, path: str, today: date,
                 patient_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service, self.today, self.patient_id = service, today, patient_id
        self.result: ImportResult | None = None
        self.setWindowTitle("Import FHIR bundle")
        self.file_label = QLabel(f"File: {html.escape(path)}")
        self.file_label.setWordWrap(True)
        self.body = QTextBrowser()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(error_style())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.import_button.setText("&Import")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        for w in (self.file_label, self.body, self.error, self.buttons):
            lay.addWidget(w)
        self.resize(620, 480)
        self.plan = None
        try:  # a FHIR bundle or a C-CDA document, told from the content
            from mmsdesk.services.record_import import read_plan

            _format, self.plan, self.document = read_plan(path)
            self.preview = service.preview(self.plan, patient_id)
            self.body.setHtml(document_html(self.document) + preview_html(self.preview))
        except ImportRefused as exc:
            self.show_refusal(str(exc))

    def show_refusal(self, message: str) -> None:
        self.body.setHtml("<p>This file cannot be imported. Nothing was written.</p>")
        self.error.setText(message)
        self.import_button.setEnabled(False)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.plan is None:
            return
        try:
            self.result = self.service.commit(self.plan, self.today, self.patient_id)
        except ImportRefused as exc:
            self.show_refusal(str(exc))
            return
        self.accept()
