"""Shows the recovery key once, at set-up, to be printed or written down."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class RecoveryKeyDialog(QDialog):
    def __init__(self, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your recovery key")
        box = QVBoxLayout(self)
        intro = QLabel(
            "Your practice data is now encrypted. Write down or print this recovery key and "
            "keep it somewhere safe, away from the laptop. If you forget your passphrase, it "
            "is the only way to open your data. It will not be shown again.")
        intro.setWordWrap(True)
        box.addWidget(intro)
        self.key = QLineEdit(recovery_key)
        self.key.setReadOnly(True)
        self.key.setAccessibleName("Recovery key")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(14)
        font.setWeight(QFont.Weight.Bold)
        self.key.setFont(font)
        self.key.setMinimumWidth(self.key.fontMetrics().horizontalAdvance(recovery_key) + 24)
        box.addWidget(self.key)
        buttons = QDialogButtonBox()
        buttons.addButton("I have written it down", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        box.addWidget(buttons)
