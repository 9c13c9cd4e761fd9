"""Team mode: the window on the practice's PostgreSQL server (a real throwaway cluster). No
file lock, no data-file passphrase; the file-only features disabled, saying why; the server's
password asked in a dialog when nothing else gives it; and a colleague's saves (another
process on the same database) reach the patient list and the open chart within a poll."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtWidgets import QApplication, QInputDialog

from mmsdesk.services.patients import PatientService
from mmsdesk.ui.app_events import AppEvents
from mmsdesk.ui.main_window import MainWindow
from mmsdesk.ui.team_window import ChangePoller, attach_server, connect
from tests.conftest import REPO, run_cli


@pytest.fixture
def server_window(qtbot, pg_database):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    store = connect(pg_database, window)
    assert store is not None
    attach_server(window, store, AppEvents(window))
    yield window
    window.change_poller.timer.stop()
    store.close()


def _colleague(address: str, code: str) -> None:
    """Another person's app: a separate process saving on the same database."""
    res = subprocess.run(
        [sys.executable, "-c", "from mmsdesk.store.server import open_server\n"
         f"store = open_server({address!r}, ask=False)\n{code}"],
        capture_output=True, text=True, timeout=120, cwd=REPO)
    assert res.returncode == 0, res.stderr


def test_the_window_opens_on_the_server_with_file_features_disabled(server_window):
    window = server_window
    assert window.patient_list is not None and window.ctx.store.where.startswith("postgresql://")
    actions = {a.text(): a for a in window.file_menu.actions()}
    for text in ("&Back up now…", "Change &passphrase…", "&Lock now"):
        assert not actions[text].isEnabled()
        assert "database server" in actions[text].toolTip()
    assert window.file_menu.toolTipsVisible()
    assert isinstance(window.change_poller, ChangePoller)
    assert window.change_poller.timer.isActive() and window.change_poller.timer.interval() == 3000


def test_a_colleagues_saves_reach_the_patient_list_and_the_open_chart(
        qtbot, server_window, pg_database):
    window = server_window
    poller = window.change_poller
    assert window.patient_list.model.rowCount() == 0
    assert poller.poll() is False  # nothing changed: nothing published

    window.show_dashboard()
    assert window.dashboard.reviews.rowCount() == 0 and window.dashboard.follow_ups.rowCount() == 0
    res = run_cli("--database", pg_database, "demo")  # a colleague loads the demo patients
    assert res.returncode == 0, res.stderr
    assert window.patient_list.model.rowCount() == 0  # not before the poll
    poller.timer.timeout.emit()
    assert window.patient_list.model.rowCount() == 12
    assert window.dashboard.reviews.rowCount() + window.dashboard.follow_ups.rowCount() > 0

    pid = next(r.id for r in PatientService(window.ctx.store).list_rows()
               if r.last_name == "Johnson")
    chart = window.open_patient(pid)
    meds = chart.pages["Medications"]
    first = meds.active_model.rows[0]
    _colleague(pg_database,
               "from mmsdesk.services.medications import MedicationService\n"
               "from datetime import date\n"
               "s = MedicationService(store)\n"
               f"d = s.get_input({first.id})\n"
               "d.indication = 'changed by a colleague'\n"
               f"s.update({first.id}, d, date(2026, 11, 24))\n")
    assert meds.active_model.rows[0].indication != "changed by a colleague"
    poller.timer.timeout.emit()
    assert next(r for r in meds.active_model.rows if r.id == first.id).indication == \
        "changed by a colleague"
    assert poller.poll() is False  # each change once


def test_our_own_saves_are_not_published_twice_and_a_hidden_window_does_not_poll(
        qtbot, server_window, pg_database):
    window = server_window
    seen = []
    window.ctx.events.data_changed.connect(seen.append)
    window.hide()
    run_cli("--database", pg_database, "demo")
    window.change_poller.timer.timeout.emit()
    assert seen == []  # hidden: no query, nothing published
    window.show()
    window.change_poller.timer.timeout.emit()
    assert len(seen) == 1


def test_the_servers_password_is_asked_in_a_dialog_and_a_wrong_one_said(
        qtbot, pg_database, monkeypatch, tmp_path):
    from PySide6.QtCore import QTimer

    from tests import pgcluster

    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.pgpass
    answers, asked = ["wrong", pgcluster.PASSWORD], []

    def answer() -> None:  # each password question, as the person answers it
        dlg = QApplication.activeModalWidget()
        if isinstance(dlg, QInputDialog) and dlg.isVisible():
            asked.append(dlg.labelText())
            dlg.setTextValue(answers.pop(0))
            dlg.accept()

    timer = QTimer()
    timer.timeout.connect(answer)
    timer.start(50)
    store = connect(pg_database)
    timer.stop()
    assert store is not None
    store.close()
    assert len(asked) == 2 and asked[0].startswith("Password for postgresql://")
    assert "refused the password" in asked[1]


def test_mmsdesk_database_opens_the_window_on_the_server(pg_database):
    shown = {"MMSDESK_EXIT_WHEN_SHOWN": "1", "QT_QPA_PLATFORM": "offscreen"}
    res = run_cli("--database", pg_database, env=shown)
    assert res.returncode == 0 and "MMSDESK_READY" in res.stdout, res.stderr


def test_the_saved_practice_connection_is_used_at_the_next_start(pg_database):
    from mmsdesk import settings

    settings.save(settings.load().with_changes(practice_database=pg_database))
    shown = {"MMSDESK_EXIT_WHEN_SHOWN": "1", "QT_QPA_PLATFORM": "offscreen"}
    res = run_cli(env=shown)
    assert res.returncode == 0 and "MMSDESK_READY" in res.stdout, res.stderr
    from tests import pgcluster

    assert pgcluster.PASSWORD not in settings.settings_path().read_text()  # an address only
    assert settings.load().practice_database == pg_database


def test_the_audit_trail_checks_out_on_the_server(qtbot, server_window, pg_database):
    """The audit head's seal file is the laptop's; on the server the chain itself is checked
    (no crash, no seal asked for)."""
    window = server_window
    run_cli("--database", pg_database, "demo")
    window.change_poller.poll()
    pid = PatientService(window.ctx.store).list_rows()[0].id
    chart = window.open_patient(pid)
    chart.tabs.setCurrentWidget(chart.pages["Audit trail"])
    page = chart.pages["Audit trail"]
    page.refresh()
    assert page.status.text().startswith("History intact"), page.status.text()
    page.deep_button.click()
    assert page.status.text().startswith("History intact"), page.status.text()


def test_the_audit_trail_shows_the_newest_entries_removed_on_the_server(
        qtbot, server_window, pg_cluster, pg_database):
    """The chain left after a cut still links: the page says what this computer saw is
    gone, naming the newest missing entry (the demo loaded by a command on this computer)."""
    from sqlalchemy import make_url, text

    window = server_window
    run_cli("--database", pg_database, "demo")
    window.change_poller.poll()
    pid = PatientService(window.ctx.store).list_rows()[0].id
    chart = window.open_patient(pid)
    chart.tabs.setCurrentWidget(chart.pages["Audit trail"])
    page = chart.pages["Audit trail"]
    page.refresh()
    assert page.status.text().startswith("History intact"), page.status.text()
    assert "a cut of entries it never saw would not show" in page.status.toolTip()
    with window.ctx.store.engine.connect() as conn:
        newest = conn.execute(text("SELECT max(id) FROM audit_event")).scalar_one()
    pg_cluster.sql(f"DELETE FROM audit_event WHERE id > {newest - 3}",
                   database=make_url(pg_database).database)
    page.refresh()
    assert page.status.text().startswith(
        "History BROKEN: the audit trail ends before a link this computer has seen "
        f"(id {newest} at "), page.status.text()
    assert page.status.text().endswith(
        "rows were removed. Restore a backup or keep a copy of the database as evidence.")


def test_a_window_on_the_laptops_file_does_not_poll(main_window):
    assert getattr(main_window, "change_poller", None) is None
    assert main_window.windowTitle() == "MMS Desk"
