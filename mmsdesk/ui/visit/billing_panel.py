"""Time and billing beside the steps: the visit timer, the minutes billed, the CPT codes the
time suggests (99605/99606/99607) and the service's price for a self-paying patient."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

if TYPE_CHECKING:
    from mmsdesk.ui.visit.wizard import VisitWizard


def _billing() -> Any:
    try:
        from mmsdesk.services import billing
    except ImportError:  # pragma: no cover - lands with the visit services
        return None
    return billing


class BillingPanel(QGroupBox):
    """Signals:
        changed(): the timer, the minutes or the new-patient flag changed the draft.
    """

    changed = Signal()

    def __init__(self, wizard: VisitWizard) -> None:
        super().__init__("Time and billing")
        self.wizard = wizard
        self.elapsed = QLabel()
        self.elapsed.setAccessibleName("Time since the visit started")
        self.timer_button = QPushButton()
        self.timer_button.clicked.connect(self._on_timer_button_clicked)
        self.minutes = QSpinBox()
        self.minutes.setRange(0, 600)
        self.minutes.setSuffix(" min")
        self.minutes.setSpecialValueText("from the timer")
        self.minutes.setAccessibleName("Minutes billed")
        self.minutes.setToolTip("Minutes spent face to face; leave at 'from the timer' to use "
                                "the timer")
        self.minutes.valueChanged.connect(self._on_minutes_value_changed)
        self.new_patient = QCheckBox("New patient")
        self.new_patient.setToolTip("First visit with the practice (CPT 99605 instead of 99606)")
        self.new_patient.toggled.connect(self._on_new_patient_toggled)
        self.cpt = QLabel()
        self.cpt.setWordWrap(True)
        self.cpt.setAccessibleName("Suggested CPT codes")
        self.price = QLabel()
        self.price.setWordWrap(True)
        self.price.setAccessibleName("Price")
        self.diagnoses = QLineEdit()
        self.diagnoses.setAccessibleName("Diagnosis codes billed (ICD-10-CM)")
        self.diagnoses.setToolTip("ICD-10-CM codes of the conditions this visit addressed, "
                                  "separated by ';'. Empty: the patient's coded conditions.")
        self.diagnoses.setText(wizard.draft.diagnosis_codes)
        self.diagnoses.setPlaceholderText(self._default_codes() or "for example: I10; E11.9")
        self.diagnoses.textEdited.connect(self._on_diagnoses_text_edited)
        self.diagnoses_note = QLabel()
        self.diagnoses_note.setWordWrap(True)
        self.diagnoses_note.setStyleSheet("color: #b00020")
        self.diagnoses_note.setAccessibleName("Diagnosis codes problem")
        self.diagnoses_note.hide()
        self.elapsed.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.timer_button)
        row.addStretch(1)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Billed", self.minutes)
        # no Alt letter: every one is taken on some step; Tab reaches the field
        icd = QLabel("Diagnoses billed (ICD-10-CM):")
        icd.setBuddy(self.diagnoses)
        form.addRow(icd, self.diagnoses)
        lay = QVBoxLayout(self)
        lay.addWidget(self.elapsed)
        lay.addLayout(row)
        lay.addLayout(form)
        lay.addWidget(self.new_patient)
        lay.addWidget(self.cpt)
        lay.addWidget(self.price)
        lay.addWidget(self.diagnoses_note)
        draft = wizard.draft
        self.minutes.blockSignals(True)
        self.minutes.setValue(draft.minutes or 0)
        self.minutes.blockSignals(False)
        self.new_patient.blockSignals(True)
        self.new_patient.setChecked(bool(draft.is_new_patient))
        self.new_patient.blockSignals(False)
        self.tick = QTimer(self)
        self.tick.setInterval(15_000)
        self.tick.timeout.connect(self.refresh)
        self.tick.start()
        self.refresh()

    def timer_minutes(self) -> int:
        from mmsdesk.services.visits.service import timer_minutes

        d = self.wizard.draft
        return timer_minutes(d.started_at, d.ended_at or self.wizard.now()) or 0

    def billed_minutes(self) -> int:
        return self.wizard.draft.minutes or self.timer_minutes()

    def update_draft(self) -> None:
        """Stop the timer at completion if it still runs."""
        d = self.wizard.draft
        if d.started_at is not None and d.ended_at is None:
            d.ended_at = self.wizard.now()

    @Slot()
    def refresh(self) -> None:
        d = self.wizard.draft
        running = d.started_at is not None and d.ended_at is None
        minutes = self.timer_minutes()
        state = "running" if running else ("stopped" if d.started_at else "not started")
        self.elapsed.setText(f"Timer: {minutes} min ({state})")
        self.timer_button.setText("Stop timer" if running else "Restart timer")
        self.timer_button.setAccessibleName("Stop the visit timer" if running
                                            else "Restart the visit timer")
        billing = _billing()
        if billing is None:
            self.cpt.setText("CPT: billing not available")
            return
        lines = billing.suggest_cpt(self.billed_minutes(), bool(d.is_new_patient))
        self.cpt.setText("CPT: " + (", ".join(
            f"{c.code}×{c.units}" if c.units > 1 else c.code for c in lines) or "none yet"))
        self.cpt.setToolTip("\n".join(f"{c.code} ×{c.units}: {c.description}" for c in lines))
        if d.payer_type == "self_pay":
            price = _price(billing, self.wizard)
            self.price.setText(f"Self-pay price: ${price:,.2f}" if price is not None
                               else "Self-pay price: not set")
        else:
            self.price.setText("Billed to the payer")

    @Slot()
    def _on_timer_button_clicked(self) -> None:
        d = self.wizard.draft
        if d.started_at is not None and d.ended_at is None:
            d.ended_at = self.wizard.now()
        else:  # restart: count from now, keeping the minutes already spent
            spent = self.timer_minutes()
            now = self.wizard.now()
            d.started_at = now - timedelta(minutes=spent)
            d.ended_at = None
        self.refresh()
        self.changed.emit()

    @Slot(int)
    def _on_minutes_value_changed(self, value: int) -> None:
        self.wizard.draft.minutes = value or None
        self.refresh()
        self.changed.emit()

    def _default_codes(self) -> str:
        """The codes billed when none are typed: the patient's coded active conditions."""
        try:
            with self.wizard.ctx.store.session() as s:
                return "; ".join(code for code, _ in _billing().diagnoses(
                    s, self.wizard.draft.patient_id))
        except Exception:  # noqa: BLE001 - a hint only
            return ""

    @Slot(str)
    def _on_diagnoses_text_edited(self, text: str) -> None:
        """Read at the field: a code that is not ICD-10-CM is said under it."""
        problem = _billing().diagnosis_codes_problem(text)
        self.diagnoses_note.setText(problem or "")
        self.diagnoses_note.setVisible(bool(problem))
        self.wizard.draft.diagnosis_codes = text.strip()
        self.changed.emit()

    @Slot(bool)
    def _on_new_patient_toggled(self, checked: bool) -> None:
        self.wizard.draft.is_new_patient = checked
        self.refresh()
        self.changed.emit()


def _price(billing: Any, wizard: Any) -> float | None:
    try:
        value = billing.service_price(wizard.ctx.store, wizard.draft.service)
    except Exception:  # noqa: BLE001 - a missing catalogue must not stop the visit
        return None
    return float(value) if isinstance(value, int | float) else None
