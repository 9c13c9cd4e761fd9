"""A field for what a USB or Bluetooth barcode scanner types: it behaves as a keyboard and
ends each code with Enter. Enter here reads the code and never presses the dialog's default
button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# GS1's group separator (FNC1), as a scanner types it: ASCII 29, or Ctrl+] on a keyboard. Text
# fields drop control characters, so it is written as <GS>, which the code reader takes.
GS_SHOWN = "<GS>"


def is_group_separator(event: QKeyEvent) -> bool:
    return event.text() == "\x1d" or (
        event.key() == Qt.Key.Key_BracketRight
        and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier))


class ScanField(QLineEdit):
    """Emits ``scanned(text)`` on Enter with what was typed, then clears itself for the next
    package."""

    scanned = Signal(str)

    def __init__(self, name: str = "Scan",
                 placeholder: str = "scan a package barcode, or type an NDC, then Enter") -> None:
        super().__init__()
        self.setPlaceholderText(placeholder)
        self.setAccessibleName(name)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in ENTER_KEYS:
            event.accept()
            text = self.text()
            self.clear()
            if text.strip():
                self.scanned.emit(text)
            return
        if is_group_separator(event):
            event.accept()
            self.insert(GS_SHOWN)
            return
        super().keyPressEvent(event)
