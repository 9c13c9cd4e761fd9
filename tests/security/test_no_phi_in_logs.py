"""No patient data in logs: drive the window and the CLI over demo data, then scan the logs.

Names, dates of birth and medicine names of the 12 demo patients must appear in no file of
the log folder, in UTF-8 or UTF-16, whatever the case.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from mmsdesk import logs
from tests.conftest import TODAY, run_cli
from tests.security.phi import demo_phi_terms, find_terms
from tests.ui.typing import type_text

PASS = "correct horse battery staple"


def _scan(folder: Path) -> tuple[int, list[str]]:
    terms = demo_phi_terms()
    everything = terms["names"] + terms["dobs"] + terms["medicines"]
    size, found = 0, []
    for f in folder.rglob("*"):
        if f.is_file():
            blob = f.read_bytes()
            size += len(blob)
            found += [f"{f.name}: {t}" for t in find_terms(blob, everything)]
    return size, found


@pytest.fixture
def debug_log(tmp_path: Path):
    """This process's mmsdesk logger writing at DEBUG into the test's log folder."""
    root = logging.getLogger("mmsdesk")
    saved = list(root.handlers)
    for h in saved:
        root.removeHandler(h)
    was = logs._configured
    logs._configured = False
    logs.setup_logging(logging.DEBUG)
    yield Path(os.environ["MMSDESK_LOG_DIR"])
    for h in list(root.handlers):
        root.removeHandler(h)
        h.close()
    for h in saved:
        root.addHandler(h)
    logs._configured = was


def test_cli_over_demo_data_logs_no_phi(tmp_path):
    data = str(tmp_path / "data")
    steps = [
        ("demo",), ("patients", "list", "--json"), ("audit", "verify"),
        ("audit", "list", "--patient", "1"), ("backup",), ("backup", "--to", str(tmp_path / "u")),
        ("demo",),  # refused: the store has patients
        ("patients", "list"),
    ]
    for args in steps:
        run_cli("--data-dir", data, *args)
    assert run_cli("--data-dir", data, "patients", "list",
                   env={"MMSDESK_PASSPHRASE": "wrong passphrase"}).returncode == 3
    backup = next((tmp_path / "u").glob("*.sqlite3"))
    assert run_cli("--data-dir", data, "restore", str(backup), "--into",
                   str(tmp_path / "r")).returncode == 0
    # The real window over the same data (start, unlock, list shown, exit).
    win = run_cli("--data-dir", data, env={"MMSDESK_EXIT_WHEN_SHOWN": "1"})
    assert "MMSDESK_READY" in win.stdout, win.stderr
    size, found = _scan(Path(os.environ["MMSDESK_LOG_DIR"]))
    assert size > 0 and found == []


def test_window_driven_over_demo_data_logs_no_phi(qtbot, debug_log, tmp_path):
    from mmsdesk.store.backup import backup_now
    from mmsdesk.store.vault import open_encrypted
    from mmsdesk.ui.app_events import AppEvents
    from mmsdesk.ui.context import AppContext
    from mmsdesk.ui.dialogs.patient_form import PatientDialog
    from mmsdesk.ui.lock.lock_controller import LockController
    from mmsdesk.ui.main_window import MainWindow

    path = tmp_path / "data" / "mmsdesk.sqlite3"
    from mmsdesk.services.demo import load_demo

    with open_encrypted(path, PASS).store as store:
        load_demo(store, TODAY)
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()

    def opened(store) -> None:  # type: ignore[no-untyped-def]
        window.attach(AppContext(store=store, events=AppEvents(), today=lambda: TODAY))

    ctl = LockController(window, path, opened, idle_ms=60_000)
    ctl.start()
    for attempt in ("wrong one", "Müller", PASS):  # a name typed as a passphrase
        ctl.page.secret.clear()
        type_text(qtbot, ctl.page.secret, attempt)
        qtbot.keyClick(ctl.page.secret, Qt.Key.Key_Return)
    assert window.ctx is not None
    from mmsdesk.services.patients import PatientService

    for row in PatientService(window.ctx.store).list_rows():
        chart = window.open_patient(row.id)
        for i in range(chart.tabs.count()):
            chart.tabs.setCurrentIndex(i)
            QApplication.processEvents()

    def bad_form() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, PatientDialog)
        type_text(qtbot, dlg.first_name, "José")
        type_text(qtbot, dlg.last_name, "Müller")
        type_text(qtbot, dlg.date_of_birth, "02/31/1944")
        dlg.accept()  # refused at the field
        dlg.reject()

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTimer.singleShot(0, bad_form)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    ctl.lock()
    ctl.page.secret.clear()
    type_text(qtbot, ctl.page.secret, PASS)
    qtbot.keyClick(ctl.page.secret, Qt.Key.Key_Return)
    assert not ctl.locked
    backup_now(window.ctx.store, tmp_path / "usb")
    try:  # an unhandled error whose message holds patient data
        raise ValueError("could not save José Müller born 1944-03-12 on Warfarin")
    except ValueError as exc:
        logs.log_exception_safely(exc, exc.__traceback__)
    for h in logging.getLogger("mmsdesk").handlers:
        h.flush()
    size, found = _scan(debug_log)
    text = (debug_log / "mmsdesk.log").read_text("utf-8")
    assert "unlock refused" in text and "locked" in text and "unhandled ValueError" in text
    assert size > 0 and found == []
