"""The step bar: Collect → Assess → Plan → Implement → Follow-up, any step a click away.

Steps a service does not need are drawn lighter (never hidden): a TMR focuses on one problem,
but the pharmacist can still open every step.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QButtonGroup, QLabel, QPushButton, QVBoxLayout, QWidget

from mmsdesk.services.visits.checks import LIGHT, step_weight
from mmsdesk.services.visits.draft import STEP_LABELS, STEPS

STYLE = """
QPushButton[step="true"] { text-align: left; padding: 6px 8px; border: 1px solid #b8c4d6;
    border-radius: 4px; background: #f4f7fb; color: #1a2b44; }
QPushButton[step="true"]:checked { background: #2b6cb0; color: white; border-color: #2b6cb0;
    font-weight: bold; }
QPushButton[step="true"][light="true"] { color: #5d6b80; background: #fbfcfd;
    border-style: dashed; }
QPushButton[step="true"][light="true"]:checked { color: white; background: #6a8fbf; }
QPushButton[step="true"]:focus { border: 2px solid #e0a100; }
"""


class StepBar(QWidget):
    """A vertical bar of step buttons; the current step is checked.

    Signals:
        step_selected(str): the user asked for this step.
    """

    step_selected = Signal(str)

    def __init__(self, service: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(STYLE)
        self.buttons: dict[str, QPushButton] = {}
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        heading = QLabel("<b>Steps</b>")
        lay.addWidget(heading)
        light = {s for s in STEPS if step_weight(service, s) == LIGHT}
        for n, step in enumerate(STEPS, 1):
            if n > 1:
                arrow = QLabel("↓")
                arrow.setAlignment(Qt.AlignmentFlag.AlignHCenter)
                arrow.setAccessibleName("then")
                lay.addWidget(arrow)
            button = QPushButton(f"{n}  {STEP_LABELS[step]}")
            button.setCheckable(True)
            button.setProperty("step", True)
            button.setProperty("light", step in light)
            button.setAccessibleName(f"Step {n}: {STEP_LABELS[step]}"
                                     + (" (optional for this service)" if step in light else ""))
            button.setToolTip(f"Optional for this service; open it when you need it (Alt+{n})"
                              if step in light else f"Go to {STEP_LABELS[step]} (Alt+{n})")
            button.clicked.connect(self._on_button_clicked)
            self.group.addButton(button)
            self.buttons[step] = button
            lay.addWidget(button)

    def light_steps(self) -> list[str]:
        return [s for s, b in self.buttons.items() if b.property("light")]

    def set_current(self, step: str) -> None:
        button = self.buttons.get(step)
        if button is not None and not button.isChecked():
            button.setChecked(True)

    def set_flags(self, problems: dict[str, Iterable[str]]) -> None:
        """Mark steps that still have something to fix (a dot after the name)."""
        for n, (step, button) in enumerate(self.buttons.items(), 1):
            todo = list(problems.get(step, ()))
            button.setText(f"{n}  {STEP_LABELS[step]}" + ("  •" if todo else ""))
            base = button.accessibleName().split(" — ")[0]
            button.setAccessibleName(base + (" — needs attention" if todo else ""))

    @Slot()
    def _on_button_clicked(self) -> None:
        button = self.sender()
        for step, b in self.buttons.items():
            if b is button:
                self.step_selected.emit(step)
                return
