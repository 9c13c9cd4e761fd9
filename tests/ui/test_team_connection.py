"""Settings ▸ Practice connection (team mode): makes, tests and saves the address of the
practice's PostgreSQL server (the real throwaway cluster); the password is never saved."""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy.engine import make_url

from mmsdesk import settings
from mmsdesk.services.practice import PracticeService
from mmsdesk.ui.setup.settings_dialog import SettingsDialog
from tests.ui.test_visit_wizard import click, pick, type_into

SYSTEM_CAS = "/etc/ssl/certs/ca-certificates.crt"  # real CAs, none of which signed the test server


def _dialog(qtbot, store) -> SettingsDialog:
    dlg = SettingsDialog(PracticeService(store))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.show_tab("Practice connection")
    qtbot.waitExposed(dlg)
    return dlg


def _fill(qtbot, form, address: str) -> None:
    url = make_url(address)
    click(qtbot, form.use_server)
    for w, text in ((form.host, url.host), (form.database, url.database),
                    (form.user, url.username), (form.ca_file, url.query["sslrootcert"])):
        w.clear()
        type_into(qtbot, w, text)
    form.port.setValue(url.port)
    pick(qtbot, form.sslmode, "verify-full")


def _test(qtbot, form) -> str:
    """Click Test connection: at once "Testing…" and the button disabled (the test runs off
    the GUI thread), then the result."""
    with qtbot.waitSignal(form.tested, timeout=30_000):
        click(qtbot, form.test_button)
        assert form.result.text() == "Testing…" and not form.test_button.isEnabled()
    assert form.test_button.isEnabled()
    return form.result.text()


def test_the_connection_is_made_tested_and_saved_without_its_password(qtbot, store, pg_database):
    from tests import pgcluster

    dlg = _dialog(qtbot, store)
    form = dlg.connection
    assert not form.use_server.isChecked() and not form.test_button.isEnabled()
    _fill(qtbot, form, pg_database)
    assert _test(qtbot, form).startswith("✓ Connected to postgresql://")  # from PGPASSWORD
    if os.environ.get("MMSDESK_SHOTS"):
        dlg.grab().save(os.path.join(os.environ["MMSDESK_SHOTS"], "connection.png"))

    type_into(qtbot, form.password, "not-the-password")
    assert "refused the password for user" in _test(qtbot, form)
    form.password.clear()
    type_into(qtbot, form.password, pgcluster.PASSWORD)

    form.ca_file.clear()
    type_into(qtbot, form.ca_file, SYSTEM_CAS)
    assert "could not be verified" in _test(qtbot, form)
    assert "not signed by a CA this computer trusts" in form.result.text()
    form.ca_file.clear()
    type_into(qtbot, form.ca_file, make_url(pg_database).query["sslrootcert"])

    form.port.setValue(1)  # nothing listens there
    assert "cannot be reached" in _test(qtbot, form)
    form.port.setValue(make_url(pg_database).port)

    click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))
    saved = settings.load().practice_database
    assert make_url(saved).query["sslmode"] == "verify-full"
    assert make_url(saved).database == make_url(pg_database).database
    assert pgcluster.PASSWORD not in settings.settings_path().read_text()

    again = _dialog(qtbot, store)  # the next time: as saved
    assert again.connection.use_server.isChecked()
    assert again.connection.address() == saved
    from mmsdesk.store.server import open_server

    open_server(saved, ask=False).close()  # the saved address opens the practice database


def test_unticking_the_server_goes_back_to_the_data_file(qtbot, store, pg_database):
    settings.save(settings.load().with_changes(practice_database=pg_database))
    dlg = _dialog(qtbot, store)
    click(qtbot, dlg.connection.use_server)
    click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))
    assert settings.load().practice_database == ""


def test_a_server_that_does_not_answer_keeps_nothing_waiting(qtbot, store, pg_database,
                                                              monkeypatch):
    """The test runs off the GUI thread: against a server that takes the connection and never
    answers, the window keeps handling events (a timer ticks, the dialog repaints) while the
    form says Testing… with its button disabled; then the result, and the button back."""
    import socket

    from PySide6.QtCore import QTimer

    from mmsdesk.store import server

    monkeypatch.setattr(server, "CONNECT_TIMEOUT", 2)  # libpq's least
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)  # the kernel accepts the connection; nobody ever answers it
    try:
        dlg = _dialog(qtbot, store)
        form = dlg.connection
        _fill(qtbot, form, pg_database)
        form.port.setValue(silent.getsockname()[1])
        ticks = []
        timer = QTimer()
        timer.timeout.connect(lambda: ticks.append(form.result.text()))
        timer.start(50)
        click(qtbot, form.test_button)
        assert form.result.text() == "Testing…" and not form.test_button.isEnabled()
        qtbot.waitUntil(lambda: len(ticks) >= 10, timeout=1500)  # the GUI thread is free
        assert set(ticks) == {"Testing…"} and not form.test_button.isEnabled()
        qtbot.waitUntil(form.test_button.isEnabled, timeout=15_000)
        timer.stop()
        assert "cannot be reached" in form.result.text(), form.result.text()
    finally:
        silent.close()
    form.port.setValue(make_url(pg_database).port)
    assert _test(qtbot, form).startswith("✓ Connected to postgresql://")


def _fake_keyring(monkeypatch, *, priority: float = 1, refuse: bool = False) -> dict:
    """A stand-in for the keyring package (not a dependency of MMS Desk), with the module
    functions MMS Desk calls; returns what it holds."""
    import sys
    import types

    held: dict = {}
    backend = types.SimpleNamespace(priority=priority)

    def set_password(service: str, name: str, password: str) -> None:
        if refuse:
            raise RuntimeError("the keyring is locked")
        held[(service, name)] = password

    fake = types.ModuleType("keyring")
    fake.get_keyring = lambda: backend
    fake.get_password = lambda service, name: held.get((service, name))
    fake.set_password = set_password
    fake.delete_password = lambda service, name: held.pop((service, name))
    monkeypatch.setitem(sys.modules, "keyring", fake)
    return held


def test_the_password_is_kept_in_the_keyring_when_ticked_and_removed_when_unticked(
        qtbot, store, pg_database, monkeypatch, tmp_path):
    from mmsdesk.store import StoreError
    from mmsdesk.store.server import KEYRING_SERVICE, open_server, safe_url
    from tests import pgcluster

    held = _fake_keyring(monkeypatch)
    dlg = _dialog(qtbot, store)
    form = dlg.connection
    assert not form.remember.isEnabled()  # the data file: no server password
    _fill(qtbot, form, pg_database)
    assert form.remember.isEnabled() and not form.remember.isChecked()
    click(qtbot, form.remember)
    type_into(qtbot, form.password, pgcluster.PASSWORD)
    click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))
    assert not dlg.isVisible()
    saved = settings.load().practice_database
    assert held == {(KEYRING_SERVICE, safe_url(saved)): pgcluster.PASSWORD}
    assert pgcluster.PASSWORD not in settings.settings_path().read_text()

    monkeypatch.delenv("PGPASSWORD")  # from now on the keyring is the only source
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.pgpass
    open_server(saved, ask=False).close()  # the password read back from the keyring

    again = _dialog(qtbot, store)
    assert again.connection.remember.isChecked()  # it is there
    click(qtbot, again.buttons.button(QDialogButtonBox.StandardButton.Ok))  # kept as it is
    assert held == {(KEYRING_SERVICE, safe_url(saved)): pgcluster.PASSWORD}
    again = _dialog(qtbot, store)
    click(qtbot, again.connection.remember)
    click(qtbot, again.buttons.button(QDialogButtonBox.StandardButton.Ok))
    assert held == {}
    with pytest.raises(StoreError, match="refused the password|no password"):
        open_server(saved, ask=False).close()


def test_a_keyring_that_refuses_says_so_and_nothing_is_saved(qtbot, store, pg_database,
                                                             monkeypatch):
    _fake_keyring(monkeypatch, refuse=True)
    dlg = _dialog(qtbot, store)
    form = dlg.connection
    _fill(qtbot, form, pg_database)
    click(qtbot, form.remember)
    type_into(qtbot, form.password, "the password")
    click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))
    assert dlg.isVisible() and dlg.error.isVisible()
    assert dlg.error.text() == ("Nothing was saved: This computer's keyring did not keep the "
                                "password (the keyring is locked).")
    assert settings.load().practice_database == ""
    form.password.clear()  # ticked, no password typed and none kept: asked for
    click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))
    assert "Type the password to keep in the keyring" in dlg.error.text()
    click(qtbot, form.remember)  # unticked: nothing to remove; saved
    click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))
    assert not dlg.isVisible() and settings.load().practice_database


@pytest.mark.parametrize("keyring", ["not installed", "no keyring service"])
def test_without_a_usable_keyring_the_box_is_disabled_saying_why(qtbot, store, pg_database,
                                                                 monkeypatch, keyring):
    import sys

    if keyring == "not installed":
        monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring fails
    else:
        _fake_keyring(monkeypatch, priority=0)  # keyring's "fail" backend: no service here
    dlg = _dialog(qtbot, store)
    form = dlg.connection
    _fill(qtbot, form, pg_database)
    assert form.host.isEnabled() and not form.remember.isEnabled()
    assert ("package is not installed" if keyring == "not installed"
            else "no keyring service") in form.remember.toolTip()
    click(qtbot, dlg.buttons.button(QDialogButtonBox.StandardButton.Ok))
    assert not dlg.isVisible() and settings.load().practice_database  # saved all the same
