"""Unlock screen, first-time set-up, wrong passphrases, idle lock with unsaved input kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from mmsdesk.services.demo import load_demo
from mmsdesk.services.patients import PatientService
from mmsdesk.store.vault import StoreState, open_encrypted, store_state
from mmsdesk.ui.app_events import AppEvents
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.dialogs.patient_form import PatientDialog
from mmsdesk.ui.lock.lock_controller import LockController, failure_delay
from mmsdesk.ui.lock.recovery_dialog import RecoveryKeyDialog
from mmsdesk.ui.lock.unlock_page import UnlockMode
from mmsdesk.ui.main_window import MainWindow
from tests.conftest import TODAY
from tests.ui.typing import type_text

PASS = "correct horse battery staple"


def _window(qtbot, path: Path, idle_ms: int = 0) -> tuple[MainWindow, LockController]:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    def opened(store) -> None:  # type: ignore[no-untyped-def]
        window.attach(AppContext(store=store, events=AppEvents(), today=lambda: TODAY))

    ctl = LockController(window, path, opened, idle_ms=idle_ms)
    ctl.start()
    return window, ctl


def _submit(qtbot, page, text: str) -> None:
    page.secret.clear()
    type_text(qtbot, page.secret, text)
    qtbot.keyClick(page.secret, Qt.Key.Key_Return)


@pytest.fixture
def encrypted_demo(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "mmsdesk.sqlite3"
    with open_encrypted(path, PASS).store as store:
        load_demo(store, TODAY)
    return path


def test_first_start_opens_the_setup_wizard(qtbot, tmp_path):
    """An empty data folder opens the first-run wizard (tests/ui/test_setup_wizard.py walks
    it: passphrase checks, recovery key, encrypted store); the unlock page is not shown."""
    from mmsdesk.ui.setup.wizard import SetupWizard

    path = tmp_path / "data" / "mmsdesk.sqlite3"
    window, ctl = _window(qtbot, path)
    assert isinstance(ctl.wizard, SetupWizard) and ctl.wizard.isVisible()
    assert window.stack.currentWidget() is ctl.not_set_up and window.ctx is None
    ctl.wizard.reject()
    assert not path.exists()


def test_scripted_first_start_creates_the_encrypted_store_directly(qtbot, tmp_path):
    """MMSDESK_PASSPHRASE (bench, scripted runs): no wizard, the store is made at once."""
    path = tmp_path / "data" / "mmsdesk.sqlite3"
    window = MainWindow()
    qtbot.addWidget(window)
    ctl = LockController(window, path, lambda store: window.attach(
        AppContext(store=store, events=AppEvents(window), today=lambda: TODAY)), idle_ms=0)
    ctl.start(PASS)
    assert ctl.wizard is None and window.ctx is not None
    assert store_state(path) is StoreState.ENCRYPTED
    dlg = next(w for w in QApplication.topLevelWidgets() if isinstance(w, RecoveryKeyDialog))
    assert len(dlg.key.text().split("-")) == 8
    dlg.accept()
    window.ctx.store.close()


def test_wrong_passphrase_message_and_growing_delay(qtbot, encrypted_demo):
    window, ctl = _window(qtbot, encrypted_demo)
    page = ctl.page
    assert page.mode is UnlockMode.UNLOCK
    _submit(qtbot, page, "wrong one")
    assert page.error.text().startswith("Wrong passphrase.") and page.secret.isEnabled()
    _submit(qtbot, page, "wrong two")
    assert not page.waiting
    _submit(qtbot, page, "wrong three")  # third failure: input refused for a while
    assert page.waiting and not page.secret.isEnabled() and "Try again in 1 s" in page.error.text()
    assert [failure_delay(n) for n in range(1, 8)] == [0, 0, 1, 2, 4, 8, 16]
    qtbot.waitUntil(lambda: page.secret.isEnabled(), timeout=3000)
    _submit(qtbot, page, PASS)
    assert window.ctx is not None and ctl.failures == 0
    assert window.patient_list.model.rowCount() == 12


def test_idle_lock_hides_data_and_keeps_unsaved_input(qtbot, encrypted_demo, tmp_path):
    window, ctl = _window(qtbot, encrypted_demo, idle_ms=400)
    _submit(qtbot, ctl.page, PASS)
    assert window.ctx is not None
    store = window.ctx.store
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    seen: dict[str, object] = {}

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, PatientDialog)
        type_text(qtbot, dlg.first_name, "Zoë")
        type_text(qtbot, dlg.last_name, "Ødegård")
        type_text(qtbot, dlg.date_of_birth, "03/04/1941")
        qtbot.waitUntil(lambda: ctl.locked, timeout=5000)  # no input: the idle lock comes
        seen["store_locked"] = store.locked
        seen["list_visible"] = window.patient_list.isVisible()
        seen["page_current"] = window.stack.currentWidget() is ctl.page
        seen["fields_enabled"] = dlg.first_name.isEnabled()
        seen["titles"] = (window.windowTitle(), dlg.windowTitle())
        cover = next(c for c in ctl._covers if c.parentWidget() is dlg)
        seen["cover_visible"] = cover.isVisible()
        dlg.grab().save(str(tmp_path / "locked-dialog.png"))
        window.grab().save(str(tmp_path / "locked-window.png"))
        _submit(qtbot, cover, "wrong passphrase")
        seen["wrong"] = cover.error.text()
        _submit(qtbot, cover, PASS)
        seen["after"] = (ctl.locked, store.locked, dlg.first_name.text(), dlg.last_name.text(),
                         dlg.date_of_birth.text(), dlg.first_name.isEnabled())
        qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save),
                         Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, drive)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert seen["store_locked"] and seen["page_current"] and seen["cover_visible"]
    assert not seen["list_visible"] and not seen["fields_enabled"]
    assert seen["titles"] == ("MMS Desk (locked)", "MMS Desk (locked)")
    assert str(seen["wrong"]).startswith("Wrong passphrase.")
    assert seen["after"] == (False, False, "Zoë", "Ødegård", "03/04/1941", True)
    # The form saved into the reopened store, and the window shows the chart again.
    assert any(r.last_name == "Ødegård" for r in PatientService(store).list_rows())
    assert window.windowTitle() != "MMS Desk (locked)"


def test_lock_now_action_and_actions_disabled_while_locked(qtbot, encrypted_demo):
    window, ctl = _window(qtbot, encrypted_demo, idle_ms=60_000)
    _submit(qtbot, ctl.page, PASS)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert ctl.locked and window.ctx.store.locked
    assert not window.new_patient_action.isEnabled() and window.quit_action.isEnabled()
    # Navigation (menus and toolbar) cannot bring a patient screen back while locked.
    window.patients_action.trigger()
    assert window.stack.currentWidget() is ctl.page
    assert not any(a.isEnabled() for a in window.findChildren(type(window.patients_action))
                   if a.menu() is None and a.text() not in {"&Quit", "&About MMS Desk"})
    _submit(qtbot, ctl.page, PASS)
    assert not ctl.locked and window.new_patient_action.isEnabled()
    assert window.stack.currentWidget() not in (ctl.page, None)


def test_forgotten_passphrase_recovery_key_sets_a_new_one(qtbot, tmp_path):
    path = tmp_path / "data" / "mmsdesk.sqlite3"
    first = open_encrypted(path, PASS)
    load_demo(first.store, TODAY)
    first.store.close()
    window, ctl = _window(qtbot, path)
    page = ctl.page
    qtbot.mouseClick(page.recover_button, Qt.MouseButton.LeftButton)
    assert page.mode is UnlockMode.RECOVER and page.new.isVisibleTo(page)
    type_text(qtbot, page.secret, "AAAA-" * 7 + "AAAA")
    type_text(qtbot, page.new, "my new passphrase")
    type_text(qtbot, page.confirm, "my new passphrase")
    qtbot.keyClick(page.confirm, Qt.Key.Key_Return)
    assert "recovery key does not open" in page.error.text() and window.ctx is None
    page.clear()
    type_text(qtbot, page.secret, first.recovery_key.lower())
    type_text(qtbot, page.new, "my new passphrase")
    type_text(qtbot, page.confirm, "my new passphrase")
    qtbot.keyClick(page.confirm, Qt.Key.Key_Return)
    assert window.ctx is not None
    window.ctx.store.close()
    open_encrypted(path, "my new passphrase").store.close()


def test_unencrypted_store_is_encrypted_at_first_start(qtbot, tmp_path):
    from mmsdesk.store import Store

    path = tmp_path / "data" / "mmsdesk.sqlite3"
    with Store.open(path) as plain:
        load_demo(plain, TODAY)
    window, ctl = _window(qtbot, path)
    assert ctl.page.mode is UnlockMode.SETUP
    type_text(qtbot, ctl.page.secret, PASS)
    type_text(qtbot, ctl.page.confirm, PASS)
    qtbot.keyClick(ctl.page.confirm, Qt.Key.Key_Return)
    assert window.ctx is not None and store_state(path) is StoreState.ENCRYPTED
    assert len(PatientService(window.ctx.store).list_rows()) == 12
    for w in QApplication.topLevelWidgets():
        if isinstance(w, RecoveryKeyDialog):
            w.accept()


def test_change_passphrase_dialog(qtbot, encrypted_demo, tmp_path):
    from mmsdesk.store.crypto import keyfile_path
    from mmsdesk.ui.lock.passphrase_dialog import ChangePassphraseDialog

    window, ctl = _window(qtbot, encrypted_demo)
    _submit(qtbot, ctl.page, PASS)
    assert ctl.passphrase_action.isEnabled()
    before = keyfile_path(encrypted_demo).read_bytes()
    seen = {}

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, ChangePassphraseDialog)
        type_text(qtbot, dlg.current, "not the passphrase")
        type_text(qtbot, dlg.new, "a new passphrase")
        type_text(qtbot, dlg.confirm, "a new passphrase")
        dlg.accept()
        seen["wrong"] = dlg.error.text()
        seen["unchanged"] = keyfile_path(encrypted_demo).read_bytes() == before
        dlg.current.clear()
        type_text(qtbot, dlg.current, PASS)
        dlg.grab().save(str(tmp_path / "change-passphrase.png"))
        dlg.accept()

    QTimer.singleShot(0, drive)
    ctl.passphrase_action.trigger()
    assert seen["wrong"].startswith("Wrong passphrase.") and seen["unchanged"]
    assert keyfile_path(encrypted_demo).read_bytes() != before
    window.ctx.store.close()
    open_encrypted(encrypted_demo, "a new passphrase").store.close()


def test_idle_minutes_default_settings_file_and_environment(tmp_path, monkeypatch):
    import json

    from mmsdesk import paths
    from mmsdesk.ui.app import lock_minutes

    monkeypatch.delenv("MMSDESK_LOCK_MINUTES", raising=False)
    assert lock_minutes() == 5.0
    paths.config_dir().mkdir(parents=True, exist_ok=True)
    (paths.config_dir() / "settings.json").write_text(json.dumps({"lock_minutes": 2}))
    assert lock_minutes() == 2.0
    monkeypatch.setenv("MMSDESK_LOCK_MINUTES", "0.5")
    assert lock_minutes() == 0.5
    monkeypatch.setenv("MMSDESK_LOCK_MINUTES", "soon")  # not a number: the file's value
    assert lock_minutes() == 2.0


def test_idle_lock_off_stays_off_after_an_unlock(qtbot, encrypted_demo):
    """Idle time 0 means never: locking by hand and unlocking must not lock again at once."""
    window, ctl = _window(qtbot, encrypted_demo, idle_ms=0)
    _submit(qtbot, ctl.page, PASS)
    assert not ctl.locked
    ctl.lock()
    _submit(qtbot, ctl.page, PASS)
    assert not ctl.locked
    qtbot.wait(300)
    assert not ctl.locked and not ctl.idle_timer.isActive()


def test_idle_lock_turned_on_later_counts_from_the_last_input(qtbot, encrypted_demo):
    """Settings can switch the idle lock on after the unlock: input keeps pushing it back."""
    window, ctl = _window(qtbot, encrypted_demo, idle_ms=0)
    _submit(qtbot, ctl.page, PASS)
    ctl.idle_timer.setInterval(600)
    ctl.idle_timer.start()
    for _ in range(4):
        qtbot.wait(250)
        qtbot.keyClick(window, Qt.Key.Key_Shift)
    assert not ctl.locked
    qtbot.waitUntil(lambda: ctl.locked, timeout=3000)
