"""Sign in (team mode): once the practice has people, the window asks who is working right
after it opens the data; every audit row of the session names them, and their role decides
what they may complete or sign (services/people.py, store/who.py)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mmsdesk.services import people
from mmsdesk.store import Store
from mmsdesk.ui.widgets.theme import error_style


class SignInDialog(QDialog):
    """Accepted only once :func:`people.sign_in` took the login and passphrase; a wrong pair
    shows one sentence (and, after a few, how long to wait) and clears the passphrase."""

    def __init__(self, store: Store, parent: QWidget | None = None, notice: str = "") -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Sign in")
        self.notice = QLabel(notice)  # why the person was signed out, when they were
        self.notice.setWordWrap(True)
        self.notice.setVisible(bool(notice))
        intro = QLabel("This practice's data is shared by its people: sign in with your own "
                       "login and passphrase.")
        intro.setWordWrap(True)
        self.login = QLineEdit()
        self.login.setAccessibleName("Login")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        form = QFormLayout()
        form.addRow("&Login:", self.login)
        form.addRow("&Passphrase:", self.passphrase)
        self.error = QLabel()
        self.error.setStyleSheet(error_style())
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Sign in")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.notice)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.login.setFocus()

    def accept(self) -> None:
        try:
            people.sign_in(self.store, self.login.text(), self.passphrase.text())
        except people.SignInFailed as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.passphrase.clear()
            self.passphrase.setFocus()
            return
        super().accept()


def sign_in_if_needed(store: Store, parent: QWidget | None = None, *, user: str | None = None,
                      scripted: bool = False) -> bool:
    """True when the store may be used: it has no people (nobody signs in), or a person
    signed in. False when the person closed the sign-in.

    ``user`` (``--user LOGIN``) fills in the login; with ``MMSDESK_USER_PASSPHRASE`` set too
    (scripts, tests) it signs in without the dialog. ``scripted`` runs never show the dialog:
    without a right login and passphrase they get False."""
    import os

    if store.who is not None or not people.has_people(store):
        return True
    passphrase = os.environ.get(people.USER_PASSPHRASE_ENV)
    if user and passphrase:
        try:
            people.sign_in(store, user, passphrase)
            return True
        except people.SignInFailed:
            if scripted:
                return False
    if scripted:
        return False
    dialog = SignInDialog(store, parent)
    if user:
        dialog.login.setText(user)
        dialog.passphrase.setFocus()
    return dialog.exec() == QDialog.DialogCode.Accepted
