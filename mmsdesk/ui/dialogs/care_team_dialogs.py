"""Small dialogs to add a prescriber or a pharmacy (used inline from the medication dialog
and from the care team page)."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from mmsdesk.services.care_team import (
    PHARMACY_KINDS,
    CareTeamService,
    PharmacyInput,
    PrescriberInput,
)
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.validation import ValidationError
from mmsdesk.ui.widgets.form import FieldForm, combo


class _AddDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.created_id: int | None = None
        self.change: ChangeSet | None = None
        self.form = FieldForm()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.buttons)
        self.resize(460, 0)

    def _line(self, key: str, label: str, placeholder: str = "") -> QLineEdit:
        w = QLineEdit()
        w.setPlaceholderText(placeholder)
        self.form.add_field(key, label, w)
        return w

    def _save(self) -> tuple[int, ChangeSet]:
        raise LookupError  # replaced by subclasses

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            self.created_id, self.change = self._save()
        except ValidationError as exc:
            self.form.show_errors(exc.errors)
            return
        self.accept()


class PrescriberDialog(_AddDialog):
    """New prescriber; linked to ``patient_id`` when given. After accept: ``created_id``."""

    def __init__(self, service: CareTeamService, patient_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("New prescriber", parent)
        self.service, self.patient_id = service, patient_id
        self.first_name = self._line("first_name", "&First name:")
        self.last_name = self._line("last_name", "&Last name:")
        self.credentials = self._line("credentials", "Credentials:", "MD, DO, NP, PA…")
        self.specialty = self._line("specialty", "Specialty:")
        self.role = self._line("role", "Role for this patient:", "primary care, cardiology…")
        self.practice = self._line("practice", "Practice:")
        self.npi = self._line("npi", "NPI:", "10 digits")
        self.phone = self._line("phone", "Phone:", "(555) 123-4567")
        self.fax = self._line("fax", "Fax:", "(555) 123-4568")

    def _save(self) -> tuple[int, ChangeSet]:
        data = PrescriberInput(self.last_name.text(), self.first_name.text(),
                               self.credentials.text(), self.npi.text(), self.practice.text(),
                               self.specialty.text(), self.phone.text(), self.fax.text())
        return self.service.add_prescriber(data, self.patient_id, self.role.text())


class PharmacyDialog(_AddDialog):
    def __init__(self, service: CareTeamService, patient_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("New pharmacy", parent)
        self.service, self.patient_id = service, patient_id
        self.name = self._line("name", "&Name:")
        self.kind = combo(PHARMACY_KINDS)
        self.form.add_field("kind", "Kind:", self.kind)
        self.phone = self._line("phone", "Phone:", "(555) 123-4567")
        self.fax = self._line("fax", "Fax:", "(555) 123-4568")
        self.address = self._line("address", "Address:")
        self.npi = self._line("npi", "NPI:", "10 digits")

    def _save(self) -> tuple[int, ChangeSet]:
        data = PharmacyInput(self.name.text(), self.kind.currentData(), self.phone.text(),
                             self.fax.text(), self.address.text(), self.npi.text())
        return self.service.add_pharmacy(data, self.patient_id)
