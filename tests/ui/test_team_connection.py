"""Settings ▸ Practice connection (team mode): makes, tests and saves the address of the
practice's PostgreSQL server (the real throwaway cluster); the password is never saved."""

from __future__ import annotations

import os

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


def test_the_connection_is_made_tested_and_saved_without_its_password(qtbot, store, pg_database):
    from tests import pgcluster

    dlg = _dialog(qtbot, store)
    form = dlg.connection
    assert not form.use_server.isChecked() and not form.test_button.isEnabled()
    _fill(qtbot, form, pg_database)
    click(qtbot, form.test_button)  # the password from PGPASSWORD
    assert form.result.text().startswith("✓ Connected to postgresql://")
    if os.environ.get("MMSDESK_SHOTS"):
        dlg.grab().save(os.path.join(os.environ["MMSDESK_SHOTS"], "connection.png"))

    type_into(qtbot, form.password, "not-the-password")
    click(qtbot, form.test_button)
    assert "refused the password for user" in form.result.text()
    form.password.clear()
    type_into(qtbot, form.password, pgcluster.PASSWORD)

    form.ca_file.clear()
    type_into(qtbot, form.ca_file, SYSTEM_CAS)
    click(qtbot, form.test_button)
    assert "could not be verified" in form.result.text()
    assert "not signed by a CA this computer trusts" in form.result.text()
    form.ca_file.clear()
    type_into(qtbot, form.ca_file, make_url(pg_database).query["sslrootcert"])

    form.port.setValue(1)  # nothing listens there
    click(qtbot, form.test_button)
    assert "cannot be reached" in form.result.text()
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
