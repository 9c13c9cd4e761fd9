"""File ▸ Change passphrase…: re-wrap the data file's key with a new passphrase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.store.crypto import KeyProblem
from mmsdesk.store.vault import change_passphrase
from mmsdesk.ui.widgets.theme import error_style


def _secret(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class ChangePassphraseDialog(QDialog):
    """Nothing changes until the current passphrase is right and the new one is typed twice."""

    def __init__(self, store_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store_path = store_path
        self.setWindowTitle("Change passphrase")
        intro = QLabel("The data stays encrypted with the same key; only the passphrase that "
                       "opens it changes. Your recovery key keeps working. Backups made "
                       "earlier open with the passphrase of their day or the recovery key.")
        intro.setWordWrap(True)
        self.current = _secret("Current passphrase")
        self.new = _secret("New passphrase")
        self.confirm = _secret("Repeat the new passphrase")
        form = QFormLayout()
        form.addRow("&Current passphrase:", self.current)
        form.addRow("&New passphrase:", self.new)
        form.addRow("&Repeat it:", self.confirm)
        self.error = QLabel()
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(480)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def accept(self) -> None:
        if self.new.text() != self.confirm.text():
            self._fail("The two new passphrases differ.")
            return
        try:
            change_passphrase(self.store_path, self.new.text(),
                              old_passphrase=self.current.text())
        except KeyProblem as exc:
            self._fail(f"{exc} Nothing was changed.")
            return
        super().accept()
