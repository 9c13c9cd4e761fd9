"""The unlock screen: passphrase, first-time set-up, and recovery with the recovery key."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.ui.widgets.theme import error_style


class UnlockMode(Enum):
    UNLOCK = "unlock"  # an encrypted store: passphrase
    SETUP = "setup"  # no store yet, or an unencrypted one: choose a passphrase
    RECOVER = "recover"  # forgotten passphrase: recovery key and a new passphrase


_TEXT = {
    UnlockMode.UNLOCK: ("MMS Desk is locked",
                        "Enter your passphrase to open your practice data."),
    UnlockMode.SETUP: ("Protect your practice data",
                       "Choose a passphrase. Your data file is encrypted with it; without it "
                       "(or the recovery key shown next) nobody can read the file."),
    UnlockMode.RECOVER: ("Forgotten passphrase",
                         "Type the recovery key you printed at set-up, then choose a new "
                         "passphrase."),
}


class UnlockPage(QWidget):
    """A centred card with the fields of the current mode.

    Signals:
        submitted(mode, secret, new_passphrase): secret is the passphrase (unlock, set-up) or
            the recovery key (recover); new_passphrase is the confirmed new one (set-up,
            recover) or "".
    """

    submitted = Signal(object, str, str)

    def __init__(self, mode: UnlockMode = UnlockMode.UNLOCK, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unlockPage")
        self.setAutoFillBackground(True)
        self.mode = mode
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setFixedWidth(max(460, card.fontMetrics().averageCharWidth() * 62))  # system font
        box = QVBoxLayout(card)
        self.title = QLabel()
        title_font = self.title.font()  # relative to the system font size
        title_font.setPointSizeF(title_font.pointSizeF() * 1.8)
        title_font.setWeight(title_font.Weight.DemiBold)
        self.title.setFont(title_font)
        self.message = QLabel()
        self.message.setWordWrap(True)
        box.addWidget(self.title)
        box.addWidget(self.message)
        form = QFormLayout()
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_label = QLabel()
        self.secret_label.setBuddy(self.secret)
        self.new = QLineEdit()
        self.new.setEchoMode(QLineEdit.EchoMode.Password)
        self.new.setAccessibleName("New passphrase")
        self.new_label = QLabel("&New passphrase:")
        self.new_label.setBuddy(self.new)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName("Repeat the passphrase")
        self.confirm_label = QLabel("&Repeat it:")
        self.confirm_label.setBuddy(self.confirm)
        form.addRow(self.secret_label, self.secret)
        form.addRow(self.new_label, self.new)
        form.addRow(self.confirm_label, self.confirm)
        box.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("unlockError")
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        self.error.hide()
        box.addWidget(self.error)
        self.button = QPushButton()
        self.button.setDefault(True)
        self.button.clicked.connect(self._on_button_clicked)
        box.addWidget(self.button)
        self.recover_button = QPushButton("Forgot the passphrase? Use the recovery key…")
        self.recover_button.setFlat(True)
        self.recover_button.clicked.connect(self._on_recover_button_clicked)
        box.addWidget(self.recover_button)
        for field in (self.secret, self.new, self.confirm):
            field.returnPressed.connect(self._on_field_return_pressed)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self._wait_left = 0
        self._wait_timer = QTimer(self)
        self._wait_timer.setInterval(1000)
        self._wait_timer.timeout.connect(self._on_wait_timer_timeout)
        self.set_mode(mode)

    def set_mode(self, mode: UnlockMode) -> None:
        self.mode = mode
        title, message = _TEXT[mode]
        self.title.setText(title)
        self.message.setText(message)
        secret_label = {UnlockMode.UNLOCK: "&Passphrase:", UnlockMode.SETUP: "&Passphrase:",
                        UnlockMode.RECOVER: "&Recovery key:"}[mode]
        self.secret_label.setText(secret_label)
        self.secret.setAccessibleName(secret_label.replace("&", "").rstrip(":"))
        self.secret.setEchoMode(QLineEdit.EchoMode.Normal if mode is UnlockMode.RECOVER
                                else QLineEdit.EchoMode.Password)
        self.confirm_label.setText("&Repeat it:")
        two = mode is not UnlockMode.UNLOCK
        self.confirm.setVisible(two)
        self.confirm_label.setVisible(two)
        recover = mode is UnlockMode.RECOVER
        self.new.setVisible(recover)
        self.new_label.setVisible(recover)
        self.recover_button.setVisible(mode is UnlockMode.UNLOCK)
        self.button.setText({UnlockMode.UNLOCK: "&Unlock", UnlockMode.SETUP: "&Encrypt and open",
                             UnlockMode.RECOVER: "&Set new passphrase and open"}[mode])
        self.clear()

    def clear(self) -> None:
        for field in (self.secret, self.new, self.confirm):
            field.clear()
        self.error.hide()
        self.secret.setFocus()

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.secret.selectAll()
        self.secret.setFocus()

    def wait(self, seconds: int, message: str) -> None:
        """Refuse input for ``seconds`` after repeated failures, counting down."""
        self._wait_left = seconds
        self._wait_message = message
        self._set_inputs_enabled(False)
        self._show_wait()
        self._wait_timer.start()

    @property
    def waiting(self) -> bool:
        return self._wait_left > 0

    def _show_wait(self) -> None:
        self.error.setText(f"{self._wait_message} Try again in {self._wait_left} s.")
        self.error.show()

    def _set_inputs_enabled(self, enabled: bool) -> None:
        for w in (self.secret, self.new, self.confirm, self.button, self.recover_button):
            w.setEnabled(enabled)

    @Slot()
    def _on_wait_timer_timeout(self) -> None:
        self._wait_left -= 1
        if self._wait_left > 0:
            self._show_wait()
            return
        self._wait_timer.stop()
        self._set_inputs_enabled(True)
        self.error.setText(self._wait_message)
        self.secret.setFocus()

    @Slot()
    def _on_recover_button_clicked(self) -> None:
        self.set_mode(UnlockMode.RECOVER)

    @Slot()
    def _on_field_return_pressed(self) -> None:
        """Return goes on to the next empty field, and submits from the last one."""
        fields = [f for f in (self.secret, self.new, self.confirm) if not f.isHidden()]
        sender = self.sender()
        if sender in fields and sender.text():  # type: ignore[union-attr]
            later = fields[fields.index(sender) + 1:]  # type: ignore[arg-type]
            empty = next((f for f in later if not f.text()), None)
            if empty is not None:
                empty.setFocus()
                return
        self._on_button_clicked()

    @Slot()
    def _on_button_clicked(self) -> None:
        if self.waiting:
            return
        secret = self.secret.text()
        if not secret:
            self.show_error("Type the recovery key." if self.mode is UnlockMode.RECOVER
                            else "Type your passphrase.")
            return
        if self.mode is UnlockMode.UNLOCK:
            self.submitted.emit(self.mode, secret, "")
            return
        new = self.new.text() if self.mode is UnlockMode.RECOVER else secret
        if new != self.confirm.text():
            self.show_error("The two passphrases differ.")
            return
        self.submitted.emit(self.mode, secret, new)
