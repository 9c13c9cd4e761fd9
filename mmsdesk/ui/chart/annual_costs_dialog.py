"""Enter the estimated annual cost of each Part D medicine (for the MTM cost threshold)."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.eligibility import part_d_costs, set_annual_costs
from mmsdesk.ui.context import AppContext

NOT_ENTERED = -1.0  # the spin box's minimum, shown as "not entered"


class AnnualCostsDialog(QDialog):
    def __init__(self, ctx: AppContext, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Annual Part D drug costs")
        self.ctx, self.patient_id = ctx, patient_id
        self.change: ChangeSet | None = None
        self.boxes: dict[int, QDoubleSpinBox] = {}
        form = QFormLayout()
        rows = part_d_costs(ctx.store, patient_id)
        for r in rows:
            box = QDoubleSpinBox()
            box.setRange(NOT_ENTERED, 9_999_999)
            box.setDecimals(0)
            box.setPrefix("$")
            box.setSpecialValueText("not entered")
            box.setValue(r.annual_cost if r.annual_cost is not None else NOT_ENTERED)
            box.setAccessibleName(f"Annual cost of {r.name}")
            self.boxes[r.medication_id] = box
            form.addRow(r.name, box)
        note = QLabel("The plan's estimated yearly cost of each covered medicine (from the plan's "
                      "drug price tool or the pharmacy's claims). Leave 'not entered' when "
                      "unknown." if rows else "No active Part D medicines.")
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addLayout(form)
        lay.addWidget(self.buttons)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        costs = {mid: (None if box.value() <= NOT_ENTERED else box.value())
                 for mid, box in self.boxes.items()}
        self.change = set_annual_costs(self.ctx.store, self.patient_id, costs)
        self.accept()
