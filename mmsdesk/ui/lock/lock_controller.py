"""Unlock at start, lock after idle minutes, unlock again: the window's data behind a passphrase.

Locking closes the store's connections and drops the key; every patient screen is hidden
(the main window shows the unlock page, other open windows are covered and disabled) but
kept alive, so a half-filled form is still there, unchanged, after the unlock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from mmsdesk.store import Store, StoreError, attempts
from mmsdesk.store.attempts import FREE_ATTEMPTS, MAX_DELAY_S, TooSoon, failure_delay  # noqa: F401
from mmsdesk.store.crypto import KeyProblem, WrongPassphrase
from mmsdesk.store.vault import (
    StoreState,
    change_passphrase,
    open_encrypted,
    store_state,
    unlock_key,
)
from mmsdesk.ui.lock.recovery_dialog import RecoveryKeyDialog
from mmsdesk.ui.lock.unlock_page import UnlockMode, UnlockPage

log = logging.getLogger(__name__)

DEFAULT_IDLE_MINUTES = 5
_INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                 QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.ShortcutOverride}


class LockController(QObject):
    """Owns the unlock page of ``window`` and its idle timer.

    ``on_opened(store)`` is called once, when the store is first unlocked (the app attaches
    its pages there). ``idle_ms`` is the idle time before the lock (0: never).
    """

    def __init__(self, window: QMainWindow, store_path: Path,
                 on_opened: Callable[[Store], None], idle_ms: int, *,
                 first_run_wizard: bool = True) -> None:
        super().__init__(window)
        self.first_run_wizard = first_run_wizard  # an empty folder opens the set-up wizard
        self.wizard = None
        self.window = window
        self.store_path = store_path
        self.on_opened = on_opened
        self.store: Store | None = None
        self.failures = 0
        self.locked = False
        self.page = UnlockPage()
        self.page.submitted.connect(self._on_page_submitted)
        self._covers: list[UnlockPage] = []
        self._disabled: list[QWidget | QAction] = []
        self._titles: dict[QWidget, str] = {}
        self._before_lock: QWidget | None = None
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(idle_ms)
        self.idle_timer.timeout.connect(self._on_idle_timer_timeout)
        self.lock_action = QAction("&Lock now", window)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setEnabled(False)
        self.lock_action.triggered.connect(self.lock)
        window.addAction(self.lock_action)
        self.passphrase_action = QAction("Change &passphrase…", window)
        self.passphrase_action.setEnabled(False)
        self.passphrase_action.triggered.connect(self._on_passphrase_action_triggered)
        file_menu = getattr(window, "file_menu", None)
        if file_menu is not None:
            file_menu.insertAction(file_menu.actions()[-1], self.lock_action)
            file_menu.insertAction(file_menu.actions()[-1], self.passphrase_action)

    # -- start
    def start(self, passphrase: str | None = None) -> None:
        """Show the unlock (or set-up) page; with ``passphrase`` (scripted runs) try it first."""
        state = store_state(self.store_path)
        if state is StoreState.MISSING and self.first_run_wizard and not passphrase:
            self.show_setup_wizard()
            return
        mode = UnlockMode.UNLOCK if state is StoreState.ENCRYPTED else UnlockMode.SETUP
        self.page.set_mode(mode)
        stack = self.window.stack  # type: ignore[attr-defined]
        stack.addWidget(self.page)
        stack.setCurrentWidget(self.page)
        self.page.secret.setFocus()
        if passphrase:
            self._submit(self.page, UnlockMode.UNLOCK if state is StoreState.ENCRYPTED
                         else UnlockMode.SETUP, passphrase, passphrase)

    # -- lock
    @Slot()
    def lock(self) -> None:
        """Hide every patient screen, close the store's connections, drop the key."""
        if self.store is None or self.locked:
            return
        self.locked = True
        self.idle_timer.stop()
        self.store.lock()
        stack = self.window.stack  # type: ignore[attr-defined]
        self._before_lock = stack.currentWidget()
        self.page.set_mode(UnlockMode.UNLOCK)
        stack.setCurrentWidget(self.page)
        self._disabled = [a for a in self.window.findChildren(QAction)
                          if a.isEnabled() and a.menu() is None
                          and a.text() not in {"&Quit", "&About MMS Desk"}]
        for act in self._disabled:
            act.setEnabled(False)
        self._titles = {self.window: self.window.windowTitle()}
        self.window.setWindowTitle("MMS Desk (locked)")
        for top in QApplication.topLevelWidgets():
            if top is not self.window and top.isVisible() and top.isWindow() and not top.inherits("QMenu"):
                self._cover(top)
        target = QApplication.activeModalWidget()
        cover = next((c for c in self._covers if c.parentWidget() is target), None)
        (cover or self.page).secret.setFocus()
        log.info("locked")

    def _cover(self, top: QWidget) -> None:
        """Disable the window's contents (kept intact) and lay an unlock page over them."""
        for child in top.findChildren(QWidget, options=_direct_children()):
            if child.isEnabled():
                child.setEnabled(False)
                self._disabled.append(child)
        cover = UnlockPage(UnlockMode.UNLOCK, top)
        cover.recover_button.hide()
        cover.setGeometry(top.rect())
        cover.raise_()
        cover.show()
        cover.submitted.connect(self._on_page_submitted)
        self._covers.append(cover)
        self._titles[top] = top.windowTitle()
        top.setWindowTitle("MMS Desk (locked)")

    def _resume(self) -> None:
        for cover in self._covers:
            cover.hide()
            cover.deleteLater()
        self._covers = []
        for item in self._disabled:
            item.setEnabled(True)
        self._disabled = []
        for top, title in self._titles.items():
            top.setWindowTitle(title)
        self._titles = {}
        if self._before_lock is not None:
            self.window.stack.setCurrentWidget(self._before_lock)  # type: ignore[attr-defined]
        self.locked = False
        self._restart_idle_timer()
        log.info("unlocked")

    # -- submitting
    @Slot(object, str, str)
    def _on_page_submitted(self, mode: UnlockMode, secret: str, new: str) -> None:
        page = self.sender()
        self._submit(page if isinstance(page, UnlockPage) else self.page, mode, secret, new)

    def _submit(self, page: UnlockPage, mode: UnlockMode, secret: str, new: str) -> None:
        try:
            if mode is UnlockMode.RECOVER:
                change_passphrase(self.store_path, new, recovery_key=secret)
                secret = new
            if self.store is not None:
                key = unlock_key(self.store_path, secret)
                self.store.unlock(key)
                key[:] = bytes(len(key))
                self.failures = 0
                self._resume()
                return
            unlocked = open_encrypted(self.store_path, secret)
        except TooSoon as exc:  # the delay after earlier wrong tries (perhaps before a restart)
            page.wait(exc.seconds, str(exc))
            return
        except WrongPassphrase as exc:
            self.failures = attempts.failures(self.store_path)  # counted beside the store
            log.info("unlock refused (%d in a row)", self.failures)
            delay = failure_delay(self.failures)
            message = f"{exc} Check Caps Lock and the keyboard layout."
            if delay:
                page.wait(delay, message)
            else:
                page.show_error(message)
            return
        except (KeyProblem, StoreError) as exc:
            page.show_error(str(exc))
            return
        self.failures = 0
        if unlocked.recovery_key:
            dlg = RecoveryKeyDialog(unlocked.recovery_key, self.window)
            dlg.finished.connect(dlg.deleteLater)
            dlg.open()
        self._opened(unlocked.store)

    # -- first run
    def show_setup_wizard(self) -> None:
        """The first-run wizard over the window; a "not set up" page stays behind it."""
        from mmsdesk.ui.setup.wizard import NotSetUpPage, SetupWizard

        stack = self.window.stack  # type: ignore[attr-defined]
        if getattr(self, "not_set_up", None) is None:
            self.not_set_up = NotSetUpPage()
            self.not_set_up.setup_requested.connect(self.show_setup_wizard)
            stack.addWidget(self.not_set_up)
        stack.setCurrentWidget(self.not_set_up)
        if self.wizard is not None and self.wizard.isVisible():
            return
        self.wizard = SetupWizard(self.store_path, parent=self.window)
        self.wizard.finished.connect(self._on_wizard_finished)
        self.wizard.open()

    @Slot(int)
    def _on_wizard_finished(self, result: int) -> None:
        wizard, self.wizard = self.wizard, None
        if wizard is None:
            return
        wizard.deleteLater()
        if result and wizard.result is not None:
            self._opened(wizard.result.store)
        else:
            self.not_set_up.button.setFocus()

    def _opened(self, store: Store) -> None:
        self.store = store
        self.lock_action.setEnabled(True)
        self.passphrase_action.setEnabled(True)
        self.on_opened(store)
        # Installed whatever the idle time: Settings can turn the idle lock on later.
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        self._restart_idle_timer()

    def _restart_idle_timer(self) -> None:
        """Count idle time again from now; an idle time of 0 means never lock."""
        if self.idle_timer.interval() > 0:
            self.idle_timer.start()
        else:
            self.idle_timer.stop()

    @Slot()
    def _on_passphrase_action_triggered(self) -> None:
        from mmsdesk.ui.lock.passphrase_dialog import ChangePassphraseDialog

        dlg = ChangePassphraseDialog(self.store_path, self.window, self.store)
        if dlg.exec():
            self.window.statusBar().showMessage(
                "Passphrase changed." if dlg.recovery_key is None
                else "Passphrase changed; the data is now encrypted under a new key.", 5000)
            if dlg.recovery_key is not None:  # shown once, like at set-up
                shown = RecoveryKeyDialog(dlg.recovery_key, self.window)
                shown.finished.connect(shown.deleteLater)
                shown.open()
        dlg.deleteLater()

    # -- idle
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if not self.locked and event.type() in _INPUT_EVENTS:
            self._restart_idle_timer()
        return False

    @Slot()
    def _on_idle_timer_timeout(self) -> None:
        self.lock()


def _direct_children():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.FindChildOption.FindDirectChildrenOnly
