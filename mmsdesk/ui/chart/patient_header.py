"""The patient header: name, age, sex, weight, kidney function with its date, the allergies
(or "no known allergies", or "allergies not asked" in warning colours) and the open problems.
The chart shows it at the top; every visit step shows the same, compact."""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.chart_header import (
    LISTED,
    NOT_ASKED,
    ChartHeader,
    chart_header,
    record_no_known_allergies,
)
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.widgets.theme import WARNING, is_dark, readable

WATCHED = (changes.DEMOGRAPHICS, changes.ALLERGIES, changes.OBSERVATIONS, changes.PROBLEMS,
           changes.VISITS)


def banner_style(kind: str) -> str:
    """Allergies listed: red on pale red; not asked: dark amber on pale yellow (both bordered,
    so the state does not rest on colour alone: the words say it too)."""
    if kind == LISTED:
        fg, bg = readable(WARNING).name(), "#3a1d1f" if is_dark() else "#fde7e9"
    elif kind == NOT_ASKED:
        fg, bg = ("#ffd479", "#3a3117") if is_dark() else ("#6b4e00", "#fff4ce")
    else:
        return "padding: 2px 6px;"
    return (f"color: {fg}; background: {bg}; border: 1px solid {fg}; border-radius: 3px;"
            " padding: 2px 6px; font-weight: bold;")


class PatientHeader(QWidget):
    """Signals:
        problems_requested(): the open-problems count was clicked (open the Problems page).
    """

    problems_requested = Signal()

    def __init__(self, ctx: AppContext, patient_id: int, compact: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id = patient_id
        self.header: ChartHeader | None = None
        self.name_label = QLabel()
        font = QFont(self.name_label.font())
        font.setPointSizeF(font.pointSizeF() * (1.15 if compact else 1.4))
        font.setBold(True)
        self.name_label.setFont(font)
        self.name_label.setAccessibleName("Patient name")
        self.facts_label = QLabel()
        self.facts_label.setAccessibleName("Patient facts")
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kidney_label = QLabel()
        self.kidney_label.setAccessibleName("Kidney function")
        self.allergy_label = QLabel()
        self.allergy_label.setWordWrap(True)
        self.allergy_label.setAccessibleName("Allergies")
        self.nka_button = QPushButton("No known allergies")
        self.nka_button.setToolTip("Record that the patient was asked and has no known allergies")
        self.nka_button.clicked.connect(self._on_nka_button_clicked)
        self.problems_label = QLabel()
        self.problems_label.setAccessibleName("Open problems")
        self.problems_label.linkActivated.connect(self._on_problems_label_link_activated)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.name_label)
        top.addSpacing(10)
        top.addWidget(self.facts_label, 1)
        top.addWidget(self.problems_label)
        second = QHBoxLayout()
        second.setContentsMargins(0, 0, 0, 0)
        second.addWidget(self.kidney_label)
        second.addSpacing(10)
        second.addWidget(self.allergy_label, 1)
        second.addWidget(self.nka_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addLayout(second)
        ctx.events.data_changed.connect(self._on_events_data_changed)
        self.refresh()

    def refresh(self) -> None:
        self.header = chart_header(self.ctx.store, self.patient_id, self.ctx.today())
        self._show()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and self.header is not None:
            self._show()  # light or dark theme: the warning colours follow
        super().changeEvent(event)

    def _show(self) -> None:
        h = self.header
        assert h is not None
        self.name_label.setText(h.name)
        age = f"{h.age} y" if h.age is not None else "age unknown"
        died = f" · died {h.deceased_on:%m/%d/%Y}" if h.deceased_on else ""
        held = f" · {h.held}" if h.held else ""
        self.facts_label.setText(f"{age} · {h.sex} · {h.weight}{died}{held}")
        self.kidney_label.setText(h.kidney)
        self.kidney_label.setStyleSheet("" if h.kidney_known
                                        else f"color: {readable(WARNING).name()};")
        self.allergy_label.setText(h.allergy_text)
        self.allergy_label.setStyleSheet(banner_style(h.allergy_state))
        self.nka_button.setVisible(h.allergy_state == NOT_ASKED)
        high = f", {h.high_priority_problems} high" if h.high_priority_problems else ""
        text = f"{h.open_problems} open problem{'s' if h.open_problems != 1 else ''}{high}"
        self.problems_label.setText(f'<a href="problems">{html.escape(text)}</a>'
                                    if h.open_problems else text)

    @Slot(str)
    def _on_problems_label_link_activated(self, _link: str) -> None:
        self.problems_requested.emit()

    @Slot()
    def _on_nka_button_clicked(self) -> None:
        try:
            change = record_no_known_allergies(self.ctx.store, self.patient_id, self.ctx.today())
        except ValueError:
            self.refresh()
            return
        self.ctx.events.publish(change)

    @Slot(object)
    def _on_events_data_changed(self, change: ChangeSet) -> None:
        if (not change.patient_ids or self.patient_id in change.patient_ids) \
                and change.touches(*WATCHED):
            self.refresh()
