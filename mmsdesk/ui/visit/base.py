"""What every visit page shares: lazy building, the draft it edits, change notification
(autosave) and the service's messages for its step."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from mmsdesk.services.visits.draft import STEP_LABELS, VisitDraft
from mmsdesk.ui.widgets.form import ERROR_STYLE

if TYPE_CHECKING:
    from mmsdesk.ui.visit.wizard import VisitWizard

FOCUS_STYLE = ("QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QSpinBox:focus, "
               "QDateEdit:focus, QDoubleSpinBox:focus, QTableView:focus, QListWidget:focus "
               "{ border: 2px solid #e0a100; }")


class VisitPage(QWizardPage):
    """One step of the visit. Subclasses set ``step`` and implement ``build()`` (called once,
    when the page is first shown) and ``load()`` (fill the widgets from the draft)."""

    step = ""
    subtitle = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(STEP_LABELS[self.step])
        self.setSubTitle(self.subtitle)
        self.built = False
        self._loading = False
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.messages = QLabel()
        self.messages.setStyleSheet(ERROR_STYLE)
        self.messages.setWordWrap(True)
        self.messages.setAccessibleName(f"{STEP_LABELS[self.step]}: still to do")
        self.messages.hide()

    # -- the wizard and its draft
    def visit(self) -> VisitWizard:
        return self.wizard()  # type: ignore[return-value]

    @property
    def draft(self) -> VisitDraft:
        return self.visit().draft

    def ensure_built(self) -> None:
        if self.built:
            return
        self.built = True
        from mmsdesk.models.enums import SERVICE_LABELS
        from mmsdesk.services.visits.checks import LIGHT, step_weight
        from mmsdesk.ui.chart.patient_header import PatientHeader

        # the chart's header at the top of every step: allergies, kidney, weight (issue 20)
        self.patient_header = PatientHeader(self.visit().ctx, self.draft.patient_id, compact=True)
        self.body.addWidget(self.patient_header)
        service = self.draft.service
        if step_weight(service, self.step) == LIGHT:
            note = QLabel(f"A {SERVICE_LABELS.get(service, service).split(' (')[0].lower()} "
                          "needs little here: fill in what helps, or go on.")
            note.setWordWrap(True)
            font = note.font()
            font.setItalic(True)
            note.setFont(font)
            note.setAccessibleName("This step is optional for this service")
            self.body.addWidget(note)
        self.build()
        self.body.addWidget(self.messages)
        self.reload()

    def reload(self) -> None:
        self._loading = True
        try:
            self.load()
        finally:
            self._loading = False
        self.show_messages()

    def initializePage(self) -> None:  # noqa: N802 (Qt override)
        self.ensure_built()

    def build(self) -> None:
        raise NotImplementedError

    def entered(self) -> None:
        """The page became the current step again (after its first build)."""

    def load(self) -> None:
        raise NotImplementedError

    def changed(self) -> None:
        """Widgets call this after writing into the draft: autosave, re-validate."""
        if self._loading:
            return
        self.visit().mark_changed()
        self.show_messages()
        self.completeChanged.emit()

    # -- validation through the service
    def problems(self) -> list[str]:
        wizard = self.wizard()
        return wizard.validate_step(self.step) if wizard is not None else []  # type: ignore[attr-defined]

    def show_messages(self, extra: list[str] | None = None) -> None:
        msgs = (extra or []) + self.problems()
        self.messages.setText("To finish this step: " + " · ".join(msgs) if msgs else "")
        self.messages.setVisible(bool(msgs))

    def isComplete(self) -> bool:  # noqa: N802 (Qt override)
        if self.problems():
            return False
        wizard = self.wizard()  # the last step's Complete: not for a technician (team mode)
        return not (wizard is not None and self.nextId() == -1
                    and not getattr(wizard, "may_complete", True))

    def validatePage(self) -> bool:  # noqa: N802 (Qt override)
        wizard = self.wizard()
        if wizard is not None and getattr(wizard, "walking", False):
            return True
        self.show_messages()
        return not self.problems()


# -- small widget helpers
def named(widget: Any, name: str) -> Any:
    widget.setAccessibleName(name)
    widget.setObjectName(name.lower().replace(" ", "_").replace("'", ""))
    return widget


def text_box(name: str, placeholder: str = "", *, height: int = 0) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setPlaceholderText(placeholder)
    if height:
        box.setMinimumHeight(height)
        box.setMaximumHeight(height * 2)
    return named(box, name)


def line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    return named(edit, name)


def choice(name: str, items: dict[str, str], blank: str = "") -> QComboBox:
    box = QComboBox()
    if blank:
        box.addItem(blank, "")
    for value, label in items.items():
        box.addItem(label, str(value))
    return named(box, name)


def set_choice(box: QComboBox, value: object) -> None:
    box.setCurrentIndex(max(box.findData(value), 0))


def reset_layout(widget: QWidget) -> QVBoxLayout:
    """Empty ``widget`` (its layout and the widgets in it) and give it a fresh layout."""
    old = widget.layout()
    if old is not None:
        for child in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            child.hide()
            child.deleteLater()
        QWidget().setLayout(old)  # the old layout goes with a throwaway widget
    lay = QVBoxLayout(widget)
    lay.setContentsMargins(0, 0, 0, 0)
    return lay


def on_text(edit: QLineEdit | QPlainTextEdit, setter: Callable[[str], None],
            page: VisitPage) -> None:
    """Write the text into the draft (through ``setter``) on every edit."""
    if isinstance(edit, QPlainTextEdit):
        edit.textChanged.connect(lambda: (setter(edit.toPlainText()), page.changed()))
    else:
        edit.textEdited.connect(lambda t: (setter(t), page.changed()))


def heading(text: str) -> QLabel:
    label = QLabel(f"<b>{text}</b>")
    return label


YES_NO = {"yes": "Yes", "no": "No", "unknown": "Unknown"}
