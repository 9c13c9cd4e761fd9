"""After the unlock: unfinished visits are offered for resuming, each at its saved step."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.models.enums import SERVICE_LABELS
from mmsdesk.services.visits.draft import STEP_LABELS
from mmsdesk.services.visits.service import DraftSummary


class ResumeVisitsDialog(QDialog):
    """Lists the drafts; after accept, ``chosen()`` is the draft to open."""

    def __init__(self, drafts: Sequence[DraftSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Resume a visit")
        self.drafts = list(drafts)
        head = QLabel(f"{len(self.drafts)} visit{'s were' if len(self.drafts) > 1 else ' was'} "
                      "not finished. Everything entered was saved; resume where you stopped?")
        head.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Unfinished visits")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSpacing(2)
        for d in self.drafts:
            item = QListWidgetItem(
                f"{d.patient_name} — {SERVICE_LABELS.get(d.service, d.service)}, "
                f"{d.visit_date:%m/%d/%Y}\n    stopped at {STEP_LABELS.get(d.step, d.step)}"
                f" · saved {d.updated_at:%m/%d/%Y %H:%M}")
            item.setData(Qt.ItemDataRole.UserRole, d.visit_id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _i: self.accept())
        self.buttons = QDialogButtonBox()
        self.resume_button = self.buttons.addButton("&Resume visit",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.later_button = self.buttons.addButton("&Later", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        note = QLabel("Unfinished visits also stay on the dashboard under \"Unfinished visits\".")
        note.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(self.list, 1)
        lay.addWidget(note)
        lay.addWidget(self.buttons)
        self.resize(680, 360)
        self.list.setFocus()

    def chosen(self) -> DraftSummary | None:
        row = self.list.currentRow()
        return self.drafts[row] if 0 <= row < len(self.drafts) else None
