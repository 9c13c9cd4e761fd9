"""Shows the recovery key once, at set-up, to be printed or written down."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

RECOVERY_INTRO = (
    "Write down or print this recovery key and keep it somewhere safe, away from the laptop. "
    "If you forget your passphrase, it is the only way to open your data. It will not be "
    "shown again.")


def recovery_key_field(recovery_key: str) -> QLineEdit:
    """The key, read-only, in a large fixed-width font (also used by the first-run wizard)."""
    field = QLineEdit(recovery_key)
    field.setReadOnly(True)
    field.setAccessibleName("Recovery key")
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(max(font.pointSizeF(), QFont().pointSizeF()) * 1.4)
    font.setWeight(QFont.Weight.Bold)
    field.setFont(font)
    field.setMinimumWidth(field.fontMetrics().horizontalAdvance(recovery_key) + 24)
    return field


class RecoveryKeyDialog(QDialog):
    def __init__(self, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your recovery key")
        box = QVBoxLayout(self)
        intro = QLabel("Your practice data is now encrypted. " + RECOVERY_INTRO)
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.key = recovery_key_field(recovery_key)
        box.addWidget(self.key)
        buttons = QDialogButtonBox()
        buttons.addButton("I have written it down", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        box.addWidget(buttons)
