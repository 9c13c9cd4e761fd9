"""Start a visit: which service, how (home, video, telephone, clinic) and who pays."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from mmsdesk.models.enums import SERVICE_LABELS, Modality, PayerType
from mmsdesk.ui.widgets.form import FieldForm, combo, select_data

MODALITY_LABELS: dict[str, str] = {
    Modality.HOME: "Home visit",
    Modality.VIDEO: "Video",
    Modality.TELEPHONE: "Telephone",
    Modality.CLINIC: "Clinic",
}
PAYER_LABELS: dict[str, str] = {
    PayerType.SELF_PAY: "Self-pay",
    PayerType.MEDICARE_PART_D: "Medicare Part D plan (MTM program)",
    PayerType.OTHER: "Other payer",
}


class StartVisitDialog(QDialog):
    """Asks for the service, modality and payer; read ``service()``, ``modality()`` and
    ``payer()`` after it is accepted."""

    def __init__(self, patient_name: str, *, service: str = "cmr", modality: str = "home",
                 payer: str = "self_pay", note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Start visit")
        head = QLabel(f"New visit for <b>{patient_name}</b>"
                      + (f"<br>{note}" if note else ""))
        head.setWordWrap(True)
        self.form = FieldForm()
        self.service_box = self.form.add_field("service", "&Service:", combo(SERVICE_LABELS))
        self.modality_box = self.form.add_field("modality", "&How:", combo(MODALITY_LABELS))
        self.payer_box = self.form.add_field("payer", "&Payer:", combo(PAYER_LABELS))
        select_data(self.service_box, service)
        select_data(self.modality_box, modality)
        select_data(self.payer_box, payer)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Start visit")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addLayout(self.form)
        lay.addWidget(self.buttons)
        self.resize(520, 0)
        self.service_box.setFocus()

    def service(self) -> str:
        return str(self.service_box.currentData())

    def modality(self) -> str:
        return str(self.modality_box.currentData())

    def payer(self) -> str:
        return str(self.payer_box.currentData())
