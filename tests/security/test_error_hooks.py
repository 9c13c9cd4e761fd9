"""Every error reaches the log: uncaught exceptions in the main thread, in other threads and in
Qt event handlers as type and location (never their message, which can hold patient data);
hard crashes through faulthandler; the window shows a short dialog naming the log folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from tests.conftest import REPO

SECRET = "Jane Quixote 1950-02-03 warfarin"

CHILD = r"""
import sys, threading
from mmsdesk.logs import install_error_hooks, setup_logging
setup_logging()
install_error_hooks()
if sys.argv[1] == "crash":
    import faulthandler
    faulthandler._sigsegv()
t = threading.Thread(target=lambda: {}[SECRET], name="worker")
t.start(); t.join()
if sys.argv[1] == "qt":
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    def slot():
        raise ValueError(SECRET)
    QTimer.singleShot(0, slot)
    QTimer.singleShot(200, app.quit)
    app.exec()
    sys.exit(0)
raise RuntimeError(SECRET)
"""


def _run(tmp_path: Path, mode: str) -> tuple[subprocess.CompletedProcess[str], str]:
    logs = tmp_path / f"logs-{mode}"
    env = dict(os.environ, PYTHONPATH=str(REPO), MMSDESK_LOG_DIR=str(logs),
               QT_QPA_PLATFORM="offscreen")
    code = f"SECRET = {SECRET!r}\n" + CHILD
    proc = subprocess.run([sys.executable, "-c", code, mode], capture_output=True, text=True,
                          env=env, timeout=120)
    text = "".join(f.read_text(encoding="utf-8", errors="replace")
                   for f in sorted(logs.glob("*")) if f.is_file())
    return proc, text


def test_uncaught_errors_in_threads_and_main_are_logged_without_their_message(tmp_path):
    proc, log = _run(tmp_path, "main")
    assert proc.returncode == 1
    assert "unhandled in thread worker: KeyError" in log
    assert "unhandled RuntimeError at" in log
    assert SECRET not in log and SECRET not in proc.stderr
    assert "internal error (RuntimeError)" in proc.stderr


def test_an_error_in_a_qt_event_handler_is_logged(tmp_path):
    proc, log = _run(tmp_path, "qt")
    assert "unhandled ValueError at" in log and "slot" in log, (log, proc.stderr)
    assert SECRET not in log


def test_a_hard_crash_leaves_its_traceback_in_the_crash_log(tmp_path):
    proc, log = _run(tmp_path, "crash")
    assert proc.returncode != 0
    assert "Fatal Python error" in log and "Segmentation fault" in log
    assert SECRET not in log


def test_the_window_shows_a_short_dialog_naming_the_log_folder(qtbot, tmp_path):
    from mmsdesk import paths
    from mmsdesk.ui.app import error_dialog_hook
    from mmsdesk.ui.main_window import MainWindow
    from tests.ui.test_visit_wizard import drive

    window = MainWindow()
    qtbot.addWidget(window)
    logged: list[type] = []
    hook = error_dialog_hook(window, lambda kind, exc, tb: logged.append(kind))
    seen: dict[str, str] = {}

    def read(box: QMessageBox) -> None:
        seen["text"] = box.text()
        box.accept()

    drive(QMessageBox, read)
    try:
        raise ValueError(SECRET)
    except ValueError as exc:
        hook(ValueError, exc, exc.__traceback__)
    assert logged == [ValueError]
    assert "ValueError" in seen["text"] and str(paths.log_dir()) in seen["text"]
    assert SECRET not in seen["text"]
