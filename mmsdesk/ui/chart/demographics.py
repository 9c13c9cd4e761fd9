"""Chart page: who the patient is, how to reach them and who pays."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.patients import LANGUAGES, PatientService
from mmsdesk.services.validation import format_date
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.dialogs.patient_form import PAYER_LABELS, SEX_LABELS, PatientDialog


class DemographicsPage(QWidget):
    title = "Demographics"

    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id = patient_id
        self.service = PatientService(ctx.store)
        self.edit_button = QPushButton("&Edit patient…")
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self._labels: dict[str, QLabel] = {}

        ident = self._group("Patient", ["Name", "Preferred name", "Date of birth", "Sex",
                                        "Preferred language", "Date of death"])
        contact = self._group("Contact", ["Phone", "Email", "Address"])
        payer = self._group("Payer", ["Payer", "Plan", "Member ID", "MTM enrolled on"])
        self.caregivers = QLabel()
        self.caregivers.setWordWrap(True)
        self.caregivers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        cg_box = QGroupBox("Caregivers")
        QVBoxLayout(cg_box).addWidget(self.caregivers)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        notes_box = QGroupBox("Notes")
        QVBoxLayout(notes_box).addWidget(self.notes)

        grid = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(ident)
        left.addWidget(payer)
        left.addStretch()
        right = QVBoxLayout()
        right.addWidget(contact)
        right.addWidget(cg_box)
        right.addWidget(notes_box)
        right.addStretch()
        grid.addLayout(left, 1)
        grid.addLayout(right, 1)

        inner = QWidget()
        v = QVBoxLayout(inner)
        top = QHBoxLayout()
        top.addStretch()
        top.addWidget(self.edit_button)
        v.addLayout(top)
        v.addLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Patient details")  # a Tab stop: arrows scroll the read-only text
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self.refresh()

    def _group(self, title: str, names: list[str]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for name in names:
            lab = QLabel()
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._labels[name] = lab
            form.addRow(f"{name}:", lab)
        return box

    def value(self, name: str) -> str:
        return self._labels[name].text()

    def refresh(self) -> None:
        d = self.service.get(self.patient_id).data
        full = " ".join(p for p in (d.first_name, d.middle_name, d.last_name) if p)
        address = ", ".join(p for p in (d.address_line1, d.address_line2, d.city,
                                        f"{d.state} {d.postal_code}".strip()) if p)
        values = {
            "Name": full, "Preferred name": d.preferred_name,
            "Date of birth": format_date(d.date_of_birth),
            "Sex": SEX_LABELS.get(d.sex, d.sex), "Preferred language": LANGUAGES.get(d.preferred_language, ""),
            "Date of death": format_date(d.deceased_date), "Phone": d.phone, "Email": d.email,
            "Address": address, "Payer": PAYER_LABELS.get(d.payer_type, d.payer_type),
            "Plan": d.plan_name or d.payer_other, "Member ID": d.member_id,
            "MTM enrolled on": format_date(d.mtm_enrolled_on),
        }
        for k, v in values.items():
            self._labels[k].setText(v or "—")
        self.caregivers.setText("\n".join(
            f"{c.name} ({c.relationship or 'relationship not given'}) {c.phone}"
            + ("  · emergency contact" if c.is_emergency_contact else "")
            for c in d.caregivers) or "None recorded")
        self.notes.setText(d.notes or "—")

    @Slot()
    def _on_edit_clicked(self) -> None:
        dlg = PatientDialog(self.service, self.patient_id, self.ctx.today(), self)
        accepted = dlg.exec()
        change = dlg.change
        dlg.deleteLater()  # a finished modal dialog left alive crashes Qt at interpreter exit
        if accepted and change is not None:
            self.ctx.events.publish(change)

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if self.patient_id in change.patient_ids and change.touches(changes.DEMOGRAPHICS):
            self.refresh()
