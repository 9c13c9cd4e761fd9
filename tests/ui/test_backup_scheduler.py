"""The window's automatic backups: daily while open, on exit, never while locked."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from mmsdesk.services.demo import load_demo
from mmsdesk.store.backup import list_backups
from mmsdesk.store.vault import StoreState, open_encrypted, store_state, unlock_key
from mmsdesk.ui.backup_scheduler import BackupScheduler
from tests.conftest import TODAY

PASS = "correct horse battery staple"


def test_daily_and_exit_backups_and_none_while_locked(qtbot, tmp_path):
    path = tmp_path / "data" / "mmsdesk.sqlite3"
    store = open_encrypted(path, PASS).store
    load_demo(store, TODAY)
    window = QMainWindow()
    qtbot.addWidget(window)
    scheduler = BackupScheduler(window, store)
    folder = path.parent / "backups"
    scheduler.daily()
    scheduler.daily()  # once a day
    assert [b.kind for b in list_backups(folder)] == ["daily"]
    store.lock()
    scheduler.on_exit()  # locked: the key is not in memory, nothing is written
    assert len(list_backups(folder)) == 1
    store.unlock(unlock_key(path, PASS))
    scheduler.on_exit()
    backups = list_backups(folder)
    assert [b.kind for b in backups] == ["exit"]  # the newest of the day is kept
    assert store_state(backups[0].path) is StoreState.ENCRYPTED
    store.close()
