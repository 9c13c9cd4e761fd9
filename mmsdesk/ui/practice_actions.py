"""File ▸ Settings… (Ctrl+,) and File ▸ Open demo practice, added to the main window's menu.

Like the lock and backup actions, these sit in the File menu above Quit and are enabled once
the store is open (the lock disables them with every other action while locked).
"""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QObject, QProcess, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QLabel, QLineEdit, QMainWindow, QMessageBox

from mmsdesk import paths

log = logging.getLogger(__name__)


def demo_command() -> tuple[str, list[str]]:
    """The program and arguments that open the demo practice in a second window."""
    args = [] if getattr(sys, "frozen", False) else ["-m", "mmsdesk"]
    args += ["--data-dir", str(paths.practice_data_dir()), "--demo"]
    return sys.executable, args


class PracticeActions(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.settings_action = QAction("&Settings…", window)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self._on_settings_action_triggered)
        self.demo_action = QAction("Open d&emo practice", window)
        self.demo_action.setStatusTip("A second window with 12 fictional patients, kept apart "
                                      "from your practice")
        self.demo_action.triggered.connect(self._on_demo_action_triggered)
        # team mode: another person of the practice takes the keyboard (shown once it has people)
        self.switch_action = QAction("S&witch person…", window)
        self.switch_action.setStatusTip("Another person of the practice signs in; open visit "
                                        "windows are saved and closed first")
        self.switch_action.triggered.connect(self._on_switch_action_triggered)
        self.switch_action.setVisible(False)
        self.who_label = QLabel()
        self.who_label.setAccessibleName("Person signed in")
        self.who_label.hide()
        window.statusBar().addPermanentWidget(self.who_label)
        for act in (self.settings_action, self.demo_action, self.switch_action):
            act.setEnabled(False)
        file_menu = getattr(window, "file_menu", None)
        if file_menu is not None:
            quit_action = file_menu.actions()[-1]
            file_menu.insertAction(quit_action, self.demo_action)
            file_menu.insertAction(quit_action, self.switch_action)
            file_menu.insertAction(quit_action, self.settings_action)
            file_menu.insertSeparator(quit_action)
        load_demo = getattr(window, "demo_action", None)  # File > Load demo patients…
        if load_demo is not None and not paths.is_demo():
            load_demo.setVisible(False)  # fictional patients go to the demo practice, not here
        if paths.is_demo():
            self.demo_action.setVisible(False)
            label = QLabel("Demo practice: fictional patients")
            label.setAccessibleName("Demo practice: fictional patients")
            window.statusBar().addPermanentWidget(label)
        window.attached.connect(self._on_window_attached)  # type: ignore[attr-defined]

    @Slot()
    def _on_window_attached(self) -> None:
        self.settings_action.setEnabled(True)
        self.demo_action.setEnabled(not paths.is_demo())
        self.show_who()

    def show_who(self) -> None:
        """Who is signed in, in the status bar; Switch person… while the practice has people."""
        ctx = getattr(self.window, "ctx", None)
        who = getattr(ctx.store, "who", None) if ctx is not None else None
        # on a laptop holding charts taken along, the person who took them (no one to switch to)
        switch = who is not None and who.person_id is not None
        self.switch_action.setVisible(switch)
        self.switch_action.setEnabled(switch)
        self.who_label.setVisible(who is not None)
        if who is not None:
            away = "" if switch else ", charts taken along"
            self.who_label.setText(f"Signed in: {who.name} ({who.role}{away})")

    def switch_person(self) -> bool:
        """Save and close the open visit windows (their work is the person's who did it), then
        ask who signs in. False when a visit could not be saved or the sign-in was closed: the
        person signed in stays."""
        from mmsdesk.ui.lock.sign_in_dialog import SignInDialog
        from mmsdesk.ui.visit.wizard import open_wizards

        for wizard in list(open_wizards().values()):
            if not wizard.close():
                return False
        dlg = SignInDialog(self.window.ctx.store, self.window)  # type: ignore[attr-defined]
        dlg.setWindowTitle("Switch person")
        switched = dlg.exec() == dlg.DialogCode.Accepted
        self.show_who()
        return switched

    @Slot()
    def _on_switch_action_triggered(self) -> None:
        self.switch_person()

    def open_settings(self, tab: str | None = None):  # type: ignore[no-untyped-def]
        """The Settings dialog (window-modal); returns it so tests can drive it."""
        from mmsdesk.services.practice import PracticeService
        from mmsdesk.ui.setup.settings_dialog import SettingsDialog

        ctx = self.window.ctx  # type: ignore[attr-defined]
        dlg = SettingsDialog(PracticeService(ctx.store), self.window)
        if tab:
            dlg.show_tab(tab)
        dlg.accepted.connect(lambda: self._apply(dlg))
        dlg.finished.connect(dlg.deleteLater)
        dlg.open()
        return dlg

    def _apply(self, dlg) -> None:  # type: ignore[no-untyped-def]
        ctx = self.window.ctx  # type: ignore[attr-defined]
        if dlg.change is not None:
            ctx.events.publish(dlg.change)
        lock = getattr(self.window, "lock_controller", None)
        if lock is not None and "MMSDESK_LOCK_MINUTES" not in os.environ:
            minutes = dlg.settings.lock_minutes
            lock.idle_timer.setInterval(int(minutes * 60_000))
            if minutes > 0 and not lock.locked:
                lock.idle_timer.start()
            elif minutes == 0:
                lock.idle_timer.stop()
        self.window.statusBar().showMessage("Settings saved.", 5000)

    @Slot()
    def _on_settings_action_triggered(self) -> None:
        self.open_settings()

    @Slot()
    def _on_demo_action_triggered(self) -> None:
        if not paths.demo_store_path().exists() and not self._create_demo():
            return
        program, args = demo_command()
        if not QProcess.startDetached(program, args)[0]:
            QMessageBox.warning(self.window, "Open demo practice",
                                "The demo practice could not be started.")
            return
        self.window.statusBar().showMessage("The demo practice opens in a second window.", 5000)

    def _create_demo(self) -> bool:
        """Make the demo practice now, encrypted with a passphrase the pharmacist types."""
        from mmsdesk.services.demo import load_demo
        from mmsdesk.store import StoreError
        from mmsdesk.store.crypto import KeyProblem
        from mmsdesk.store.vault import open_encrypted

        text, ok = QInputDialog.getText(
            self.window, "Create the demo practice",
            "The demo practice (12 fictional patients) is kept in its own encrypted folder.\n"
            "Choose its passphrase (your usual one is fine):", QLineEdit.EchoMode.Password)
        if not ok:
            return False
        try:
            with open_encrypted(paths.demo_store_path(), text).store as demo:
                load_demo(demo, unfinished_visit=True)
        except (KeyProblem, StoreError, OSError) as exc:
            QMessageBox.warning(self.window, "Create the demo practice", str(exc))
            return False
        log.info("demo practice created")
        return True
