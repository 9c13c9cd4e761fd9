"""The visit wizard across a lock: offered after the unlock, covered while locked, the typing
kept and saved once the store is open again."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from mmsdesk.services.demo import load_demo
from mmsdesk.services.patients import PatientService
from mmsdesk.services.visits.service import VisitService
from mmsdesk.store.vault import open_encrypted
from tests.conftest import TODAY
from tests.ui.test_lock import PASS, _submit, _window
from tests.ui.test_visit_wizard import click, type_into


@pytest.fixture
def encrypted_with_draft(tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "data" / "mmsdesk.sqlite3"
    with open_encrypted(path, PASS).store as store:
        load_demo(store, TODAY)
        pid = next(r.id for r in PatientService(store).list_rows() if r.last_name == "Johnson")
        draft = VisitService(store).start(pid, "tmr", "telephone", today=TODAY,
                                          now=datetime(2026, 11, 24, 9).astimezone())
        assert draft.visit_id is not None
        return path, draft.visit_id


def test_draft_offered_after_unlock_and_kept_across_a_lock(qtbot, encrypted_with_draft):
    from mmsdesk.ui.visit.wizard import open_wizards

    path, vid = encrypted_with_draft
    # An idle lock far away (idle_ms=0, "never", would lock again at once after an unlock:
    # LockController._resume starts the idle timer whatever its interval).
    window, ctl = _window(qtbot, path, idle_ms=600_000)
    assert window.resume_dialog is None  # nothing can be read before the unlock
    _submit(qtbot, ctl.page, PASS)
    qtbot.waitUntil(lambda: window.resume_dialog is not None, timeout=3000)
    click(qtbot, window.resume_dialog.resume_button)
    qtbot.waitUntil(lambda: vid in open_wizards(), timeout=3000)
    wizard = open_wizards()[vid]
    store = window.ctx.store
    reason = wizard.pages["collect"].reason
    type_into(qtbot, reason, "New dizziness")
    ctl.lock()  # before the autosave had its turn
    assert store.locked and wizard.windowTitle() == "MMS Desk (locked)"
    assert not reason.isEnabled()  # covered: nothing of the visit can be read or typed
    cover = next(c for c in ctl._covers if c.parentWidget() is wizard)
    assert cover.isVisible()
    qtbot.wait(400)  # the autosave comes while locked: kept for later, nothing lost
    assert wizard.dirty
    _submit(qtbot, cover, PASS)
    assert not store.locked and reason.isEnabled() and reason.text() == "New dizziness"
    qtbot.waitUntil(lambda: not wizard.dirty, timeout=3000)  # written soon after the unlock
    assert VisitService(store).load_draft(vid).collect.reason == "New dizziness"
    wizard.close()
