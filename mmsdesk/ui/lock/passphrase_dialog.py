"""File ▸ Change passphrase…: re-wrap the data file's key with a new passphrase, or (the old
passphrase may be known to someone) re-encrypt the data under a new key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.store.crypto import KeyProblem
from mmsdesk.store.engine import Store, StoreError
from mmsdesk.store.vault import change_passphrase, rotate_key, unlock_key
from mmsdesk.ui.widgets.theme import error_style


def _secret(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class ChangePassphraseDialog(QDialog):
    """Nothing changes until the current passphrase is right and the new one is typed twice."""

    def __init__(self, store_path: Path, parent: QWidget | None = None,
                 store: Store | None = None) -> None:
        super().__init__(parent)
        self.store_path = store_path
        self.store = store  # the open store, closed and reopened around a new key
        self.recovery_key: str | None = None  # a new one, after a new key
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
        self.new_key = QCheckBox("&My old passphrase may be known to someone: re-encrypt the "
                                 "data under a new key (a new recovery key is shown once)")
        self.new_key.setAccessibleName("Re-encrypt under a new key")
        self.new_key.setEnabled(store is not None)
        form.addRow(self.new_key)
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
        if self.new_key.isChecked() and self.store is not None:
            self._rotate()
            return
        try:
            change_passphrase(self.store_path, self.new.text(),
                              old_passphrase=self.current.text())
        except KeyProblem as exc:
            self._fail(f"{exc} Nothing was changed.")
            return
        super().accept()

    def _rotate(self) -> None:
        assert self.store is not None
        try:
            unlock_key(self.store_path, self.current.text())  # checked before closing anything
        except KeyProblem as exc:
            self._fail(f"{exc} Nothing was changed.")
            return
        self.store.lock()  # every connection closed while the file is swapped
        try:
            self.recovery_key = rotate_key(self.store_path, self.new.text(),
                                           old_passphrase=self.current.text())
            secret = self.new.text()
        except (KeyProblem, StoreError) as exc:
            self._fail(f"{exc} Nothing was changed.")
            secret = self.current.text()
        key = unlock_key(self.store_path, secret)
        self.store.unlock(key)
        key[:] = bytes(len(key))
        if self.recovery_key is not None:
            super().accept()
