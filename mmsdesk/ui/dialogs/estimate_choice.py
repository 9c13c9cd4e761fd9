"""The document preview's choice for a Good Faith Estimate: the visit's own, or one for a
follow-up the patient has planned (given before it takes place), with the rule's warning
when it is given late."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from mmsdesk.services import estimates
from mmsdesk.services.validation import ValidationError
from mmsdesk.store import Store


class EstimateChoiceBar(QWidget):
    """"Estimate for: [the visit chosen | 12/08/2026 · Follow-up: INR result …]" and, under
    it, the warning of an estimate given after its deadline.

    Signals:
        choice_changed(): another estimate was chosen.
    """

    choice_changed = Signal()

    def __init__(self, store: Store, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.patient_id = store, patient_id
        self.combo = QComboBox()
        self.combo.setAccessibleName("Estimate for")
        label = QLabel("Estimate &for:")
        label.setBuddy(self.combo)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #b00020; font-weight: bold")
        self.note.setAccessibleName("Estimate deadline")
        self.note.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(label)
        row.addWidget(self.combo, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(row)
        lay.addWidget(self.note)
        self.reload()
        self.combo.currentIndexChanged.connect(self._on_combo_changed)

    def reload(self) -> None:
        keep = self.follow_up_id
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("The visit chosen", None)
        for f in estimates.planned_follow_ups(self.store, self.patient_id):
            issued = f" (given {f.estimate_issued_on:%m/%d/%Y})" if f.estimate_issued_on else ""
            self.combo.addItem(f"Planned: {f.label}{issued}", f.id)
        self.combo.setCurrentIndex(max(0, self.combo.findData(keep)))
        self.combo.blockSignals(False)

    @property
    def follow_up_id(self) -> int | None:
        if not hasattr(self, "combo"):
            return None
        fid = self.combo.currentData()
        return int(fid) if fid is not None else None

    def show_deadline(self, today: date) -> None:
        """After the estimate was rendered (and so issued): say when it was given late."""
        self.reload()  # "(given …)" beside one just issued
        text = ""
        if self.follow_up_id is not None:
            try:
                text = estimates.issue_follow_up_estimate(self.store, self.patient_id,
                                                          self.follow_up_id, today).warning()
            except (ValidationError, LookupError):
                text = ""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    @Slot()
    def _on_combo_changed(self) -> None:
        self.choice_changed.emit()
