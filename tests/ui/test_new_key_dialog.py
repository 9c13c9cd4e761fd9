"""The window's passphrase dialog: 'my old passphrase may be known to someone' re-encrypts the
data under a new key while the window stays open, and shows the new recovery key once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit

from mmsdesk.services.patients import PatientService
from mmsdesk.store.crypto import KeyFile, WrongPassphrase, keyfile_path
from mmsdesk.store.engine import Store, StoreError
from mmsdesk.store.vault import unlock_key
from mmsdesk.ui.lock.recovery_dialog import RecoveryKeyDialog
from tests.ui.test_lock import PASS, _submit, _window, encrypted_demo  # noqa: F401
from tests.ui.test_visit_wizard import click
from tests.ui.typing import type_text

NEW = "a new passphrase"


def test_new_key_tick_box_reencrypts_and_the_window_keeps_working(qtbot, encrypted_demo):  # noqa: F811
    from mmsdesk.ui.lock.passphrase_dialog import ChangePassphraseDialog

    window, ctl = _window(qtbot, encrypted_demo)
    _submit(qtbot, ctl.page, PASS)
    old_keyfile = keyfile_path(encrypted_demo).read_text(encoding="utf-8")
    seen: dict[str, object] = {}

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, ChangePassphraseDialog)
        type_text(qtbot, dlg.current, PASS)
        type_text(qtbot, dlg.new, NEW)
        type_text(qtbot, dlg.confirm, NEW)
        click(qtbot, dlg.new_key)
        dlg.accept()
        seen["recovery"] = dlg.recovery_key

    QTimer.singleShot(0, drive)
    ctl.passphrase_action.trigger()
    assert isinstance(seen["recovery"], str)
    qtbot.waitUntil(lambda: any(isinstance(w, RecoveryKeyDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5000)
    for w in QApplication.topLevelWidgets():
        if isinstance(w, RecoveryKeyDialog) and w.isVisible():
            texts = [c.text() for c in w.findChildren(QLabel) + w.findChildren(QLineEdit)]
            assert any(seen["recovery"] in t for t in texts), texts
            w.accept()
    # The open window reads and writes the re-encrypted data.
    assert len(PatientService(window.ctx.store).list_rows()) == 12
    old_key = KeyFile.from_json(old_keyfile).unlock(PASS)
    with pytest.raises(StoreError):
        Store.open(encrypted_demo, key=old_key, create=False).close()
    with pytest.raises(WrongPassphrase):
        unlock_key(encrypted_demo, PASS)
    window.ctx.store.close()
