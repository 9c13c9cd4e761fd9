"""Team mode on a practice server: after the idle minutes, the person signed in is signed out.

The laptop's idle lock closes its data file; a window on the server has no file to close, so
it signs its person out instead: open visit windows are saved under that person and closed,
other windows closed, the main window's pages hidden, and the next person signs in (the same
one again, or a colleague). Closing the sign-in quits MMS Desk; the data stay on the server.
The same happens at once when a colleague deactivates the person's account (the window's
change poller notices within a poll).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow

from mmsdesk.store import StoreError
from mmsdesk.ui.lock.lock_controller import _INPUT_EVENTS

log = logging.getLogger(__name__)
DEACTIVATED = ("The practice deactivated your account or changed its role: sign in again, or "
               "as someone else.")


class IdleSignOut(QObject):
    def __init__(self, window: QMainWindow, idle_ms: int) -> None:
        super().__init__(window)
        self.window = window
        self.quit: Callable[[], None] = QApplication.quit
        self.signed_out = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(idle_ms)
        self.timer.timeout.connect(self._on_timer_timeout)
        if idle_ms > 0:
            QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in _INPUT_EVENTS and not self.signed_out:
            self.timer.start()
        return False

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.sign_out()

    @Slot()
    def sign_out_deactivated(self) -> bool:
        """The practice deactivated the signed-in person's account (seen by the window's
        change poller): out at once; the store already refuses their writes, so a visit's
        last unsaved keystrokes are dropped rather than keep the window open."""
        if self.signed_out:
            return False
        return self.sign_out(DEACTIVATED, deactivated=True)

    def sign_out(self, notice: str = "", *, deactivated: bool = False) -> bool:
        """Sign the person out and ask who signs in; True once someone has."""
        from mmsdesk.ui.lock.sign_in_dialog import SignInDialog
        from mmsdesk.ui.visit.wizard import open_wizards

        store = self.window.ctx.store  # type: ignore[attr-defined]
        if store.who is None:  # a practice with no people: nobody to sign out
            return True
        for wizard in list(open_wizards().values()):
            if deactivated:
                try:
                    if wizard.dirty:
                        wizard.save_now()
                except StoreError:  # refused: the account is no longer active
                    log.info("a visit's last changes were dropped: account deactivated")
                # close on the draft as last saved: its person may no longer write
                wizard.save_timer.stop()
                wizard._dirty = False  # noqa: SLF001
            if not wizard.close():  # not saved yet (the server is away): try again later
                self._restart()
                return False
        for widget in QApplication.topLevelWidgets():
            if widget is not self.window and widget.isWindow() and widget.isVisible():
                widget.close()
        pages = self.window.centralWidget()
        pages.hide()
        self.signed_out = True
        store.sign_in(None)
        dlg = SignInDialog(store, self.window, notice)
        dlg.setWindowTitle("Signed out: sign in" if notice else
                           "Signed out after idle minutes: sign in")
        if dlg.exec() != QDialog.DialogCode.Accepted:
            self.quit()
            return False
        self.signed_out = False
        pages.show()
        actions = getattr(self.window, "practice_actions", None)
        if actions is not None:
            actions.show_who()
        self._restart()
        return True

    def _restart(self) -> None:
        if self.timer.interval() > 0:  # no idle minutes: only a deactivation signs out
            self.timer.start()
