"""Automatic backups while the window runs (daily, and on exit) and File > Back up now…."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox

from mmsdesk.store import Store, StoreError

log = logging.getLogger(__name__)

CHECK_EVERY_MS = 60 * 60 * 1000  # hourly: a laptop left open past midnight still gets its daily
FIRST_CHECK_MS = 5000  # after the window settles


class BackupScheduler(QObject):
    def __init__(self, window: QMainWindow, store: Store) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self._on_timer_timeout)
        self.timer.start()
        QTimer.singleShot(FIRST_CHECK_MS, self._on_timer_timeout)
        self.backup_action = QAction("&Back up now…", window)
        self.backup_action.triggered.connect(self._on_backup_action_triggered)
        file_menu = getattr(window, "file_menu", None)
        if file_menu is not None:
            file_menu.insertAction(file_menu.actions()[-1], self.backup_action)

    def daily(self) -> None:
        if self.store.locked:
            return
        from mmsdesk.store.backup import auto_backup

        try:
            if auto_backup(self.store) is not None:
                self.extra_copy("daily")
        except (StoreError, OSError) as exc:
            log.error("daily backup failed: %s", type(exc).__name__)

    def on_exit(self) -> None:
        """The exit backup (skipped while locked: the key is not in memory then)."""
        if self.store.locked:
            log.info("exit backup skipped: locked")
            return
        from mmsdesk.store.backup import auto_backup

        try:
            auto_backup(self.store, on_exit=True)
            self.extra_copy("exit")
        except (StoreError, OSError) as exc:
            log.error("exit backup failed: %s", type(exc).__name__)

    def extra_copy(self, kind: str) -> Path | None:
        """Also write the automatic backup to the extra folder of the settings (a USB stick),
        checked and rotated like the main one; a missing folder is logged, never fatal."""
        from mmsdesk import settings
        from mmsdesk.store.backup import backup_now, rotate

        folder = settings.load().backup_folder
        if not folder:
            return None
        target = Path(folder)
        if not target.is_dir():
            log.warning("extra backup folder not available; extra copy skipped")
            return None
        try:
            path = backup_now(self.store, target, kind=kind)
            rotate(target, self.store.path.stem)
        except (StoreError, OSError) as exc:
            log.error("extra backup copy failed: %s", type(exc).__name__)
            return None
        return path

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.daily()

    @Slot()
    def _on_backup_action_triggered(self) -> None:
        from mmsdesk.store.backup import backup_now

        folder = QFileDialog.getExistingDirectory(self.window, "Back up to folder")
        if not folder:
            return
        try:
            path = backup_now(self.store, Path(folder))
        except (StoreError, OSError) as exc:
            QMessageBox.warning(self.window, "Back up", f"The backup failed: {exc}")
            return
        self.window.statusBar().showMessage(f"Backup written and checked: {path}", 8000)
