"""The window on the practice's database server (team mode).

What differs from the laptop's data file: no file lock and no passphrase of a data file (the
server's password comes from PGPASSWORD, ~/.pgpass or the keyring, else a dialog asks for it
at start and it is kept in memory only); the features that need a data file (backups, the
passphrase, the idle lock that closes the file) are shown disabled, saying why; and a
:class:`ChangePoller` follows what colleagues save, so the patient list, the open chart and
the dashboard refresh (they listen to ``ctx.events``), and signs its person out when a
colleague deactivates their account.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMainWindow, QMessageBox

from mmsdesk import APP_NAME
from mmsdesk.services.others_changes import ChangeFeed
from mmsdesk.store import Store, StoreError
from mmsdesk.ui.app_events import AppEvents

log = logging.getLogger(__name__)

POLL_MS = 3000
ON_SERVER = ("The practice's data is on a database server: {what} is the server's job "
             "(its administrator backs it up, e.g. with pg_dump, and encrypts its disk).")
FILE_ONLY = {
    "&Back up now…": "backing it up",
    "Change &passphrase…": "the passphrase of a data file",
    "&Lock now": "locking a data file",
}


def connect(address: str, parent: QMainWindow | None = None) -> Store | None:
    """Open the practice database at ``address``; ask for the password when no PGPASSWORD,
    ~/.pgpass or keyring gives one. None when the person gives up (the reason was shown)."""
    from mmsdesk.store.server import open_server, safe_url

    password: str | None = None
    refused = ""
    while True:
        try:
            return open_server(address, password=password, ask=False)
        except StoreError as exc:
            message = str(exc)
            if "refused the password" not in message:
                QMessageBox.warning(parent, APP_NAME, message)
                return None
            if password is not None:
                refused = message + "\n\n"
        text, ok = QInputDialog.getText(
            parent, APP_NAME, f"{refused}Password for {safe_url(address)}:",
            QLineEdit.EchoMode.Password)
        if not ok:
            return None
        password = text


def mark_file_only_actions(window: QMainWindow) -> list[QAction]:
    """The window's data-file actions, disabled, each saying why (tooltips show in menus)."""
    file_menu = getattr(window, "file_menu", None)
    if file_menu is not None:
        file_menu.setToolTipsVisible(True)
    marked = []
    for text, what in FILE_ONLY.items():
        act = next((a for a in window.findChildren(QAction) if a.text() == text), None)
        if act is None and file_menu is not None:
            act = QAction(text, window)
            file_menu.insertAction(file_menu.actions()[-1], act)
        if act is None:
            continue
        act.setEnabled(False)
        act.setToolTip(ON_SERVER.format(what=what))
        act.setStatusTip(act.toolTip())
        marked.append(act)
    return marked


class ChangePoller(QObject):
    """Every few seconds while the window shows and the app is active: what colleagues saved
    (one indexed query on the audit trail when nothing changed), published on ``events``; and,
    while a person is signed in, whether the practice still has them active (one primary-key
    lookup).

    Signals:
        person_deactivated: the signed-in person's account was deactivated (or removed).
    """

    person_deactivated = Signal()

    def __init__(self, window: QMainWindow, store: Store, events: AppEvents,
                 interval_ms: int = POLL_MS) -> None:
        super().__init__(window)
        self.window = window
        self.events = events
        self.feed = ChangeFeed(store)
        self.unreachable = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.timer.start()
        app = QApplication.instance()
        if app is not None:
            app.applicationStateChanged.connect(self._on_app_state_changed)  # type: ignore[attr-defined]

    def watching(self) -> bool:
        return self.window.isVisible() and not self.window.isMinimized()

    @Slot()
    def _on_timer_timeout(self) -> None:
        if self.watching():
            self.poll()
            if not self.unreachable:
                self.check_person()

    def check_person(self) -> bool:
        """False (and ``person_deactivated`` emitted) when the signed-in person is no longer
        an active person of the practice; True otherwise, or when the server cannot say."""
        from mmsdesk.services import people

        try:
            active = people.still_active(self.feed.store)
        except Exception as exc:  # noqa: BLE001 - the network may drop: ask again next poll
            log.warning("person check failed (%s)", type(exc).__name__)
            return True
        if not active:
            log.info("the signed-in person's account is no longer active: signing out")
            self.person_deactivated.emit()
        return active

    @Slot(Qt.ApplicationState)
    def _on_app_state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.timer.start()
            self._on_timer_timeout()  # catch up at once on coming back
        else:
            self.timer.stop()

    def poll(self) -> bool:
        """Publish what others changed since the last poll; True when something was."""
        try:
            change = self.feed.poll()
        except Exception as exc:  # noqa: BLE001 - the network may drop: say so, retry later
            if not self.unreachable:
                log.warning("change feed unreachable (%s)", type(exc).__name__)
                self.window.statusBar().showMessage(
                    "The practice database cannot be reached: colleagues' changes will show "
                    "when it can.")
            self.unreachable = True
            return False
        if self.unreachable:
            self.unreachable = False
            self.window.statusBar().clearMessage()
        if change is None:
            return False
        self.events.publish(change)
        return True


def deactivation_shown(window: QMainWindow, exc: BaseException) -> bool:
    """A write refused because the practice deactivated the person signed in, before the
    window's poll noticed (``sys.excepthook``): they are signed out at once, saying why, rather
    than shown an error. False for any other error, or a window not on a server."""
    from mmsdesk.store.who import NotPermitted

    poller = getattr(window, "change_poller", None)
    if not isinstance(exc, NotPermitted) or not isinstance(poller, ChangePoller):
        return False
    return not poller.check_person()  # signs out (person_deactivated) when no longer active


def attach_server(window: QMainWindow, store: Store, events: AppEvents) -> ChangePoller:
    """Attach the window's pages to the server ``store``, with the file-only features
    disabled and the change poller running."""
    from mmsdesk.ui.context import AppContext

    window.attach(AppContext(store=store, events=events))  # type: ignore[attr-defined]
    window.setWindowTitle(f"MMS Desk — {store.where}")  # type: ignore[attr-defined]
    mark_file_only_actions(window)
    from mmsdesk.ui.take_along_actions import add_take_along_actions

    add_take_along_actions(window)  # File ▸ Take along… / Bring back…
    window.change_poller = ChangePoller(window, store, events)  # type: ignore[attr-defined]
    from mmsdesk import settings
    from mmsdesk.ui.lock.idle_sign_out import IdleSignOut

    window.idle_sign_out = IdleSignOut(  # type: ignore[attr-defined]
        window, int(settings.lock_minutes() * 60_000))
    window.change_poller.person_deactivated.connect(  # type: ignore[attr-defined]
        window.idle_sign_out.sign_out_deactivated)  # type: ignore[attr-defined]
    return window.change_poller  # type: ignore[attr-defined,no-any-return]
