"""A form layout that shows each validation message right under its field."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from mmsdesk.ui.widgets.theme import error_border, error_style

ERROR_STYLE = "color: #b00020;"  # light theme only: use theme.error_style()
INVALID_PROPERTY = "invalid"


class FieldForm(QFormLayout):
    """QFormLayout whose rows carry an error label; keys match validator field names."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._fields: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}

    def add_field(self, key: str, label: str, widget: QWidget, help_text: str = "") -> QWidget:
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        err = QLabel()
        err.setObjectName(f"error_{key}")
        err.setStyleSheet(error_style())
        err.setWordWrap(True)
        err.hide()
        box.addWidget(err)
        lab = QLabel(label)
        lab.setBuddy(widget)
        widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        if help_text:
            widget.setToolTip(help_text)
            widget.setAccessibleDescription(help_text)
        self.addRow(lab, holder)
        self._fields[key] = widget
        self._errors[key] = err
        return widget

    def field(self, key: str) -> QWidget:
        return self._fields[key]

    def error_text(self, key: str) -> str:
        lab = self._errors[key]
        return lab.text() if not lab.isHidden() else ""

    def show_errors(self, errors: dict[str, str]) -> None:
        first: QWidget | None = None
        for key, lab in self._errors.items():
            msg = errors.get(key, "")
            lab.setText(msg)
            lab.setVisible(bool(msg))
            w = self._fields[key]
            w.setProperty(INVALID_PROPERTY, bool(msg))
            w.setStyleSheet(error_border() if msg else "")
            if msg:
                w.setAccessibleDescription(msg)
                if first is None:
                    first = w
        if first is not None:
            first.setFocus()

    def clear_errors(self) -> None:
        self.show_errors({})


def combo(items: dict[str, str], parent: QWidget | None = None) -> QComboBox:
    """A combo box whose item data are the stored codes and whose texts are the labels."""
    box = QComboBox(parent)
    for value, label in items.items():
        box.addItem(label, str(value))
    return box


def select_data(box: QComboBox, value: object) -> None:
    """Choose ``value``; a stored value the choices do not list (an import's "food;medication")
    is added as a choice of its own, so opening and saving a record never changes it."""
    i = box.findData(value)
    if i < 0 and isinstance(value, str) and value:
        box.addItem(value.replace(";", ", ").replace("-", " ").capitalize(), value)
        i = box.count() - 1
    box.setCurrentIndex(max(i, 0))


def text_lines_height(widget: QWidget, lines: int) -> int:
    """The height of ``lines`` lines of text in ``widget``'s font (follows the system font
    size and high-DPI scaling, unlike a height in pixels), with the frame's margins."""
    return widget.fontMetrics().lineSpacing() * lines + 2 * widget.fontMetrics().descent() + 12


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to ``width`` x ``height``, or to 90 % of the screen's free area when smaller
    (a 1366x768 laptop at 125 % scaling has about 1090x580 logical pixels)."""
    from PySide6.QtGui import QGuiApplication

    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    free = screen.availableGeometry()
    window.resize(min(width, int(free.width() * 0.9)), min(height, int(free.height() * 0.9)))
