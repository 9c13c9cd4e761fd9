"""One store, one process: a window holds the store; a second window and a writing command
are refused with a message; a killed holder's lock is taken at the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from mmsdesk.store.lock import ALREADY_OPEN, holder, release
from tests.conftest import REPO, run_cli

FAST = {"MMSDESK_LOCK_WAIT": "0.5"}


def _demo(data: Path) -> Path:
    out = run_cli("--data-dir", str(data), "demo")
    assert out.returncode == 0, out.stderr
    backup = run_cli("--data-dir", str(data), "backup", "--to", str(data.parent / "usb"))
    assert backup.returncode == 0, backup.stderr
    return Path(backup.stdout.strip().split(": ", 1)[1])


def test_window_holds_the_store_then_restore_succeeds_after_it_closes(qtbot, tmp_path):
    from mmsdesk.ui.app import claim_store
    from mmsdesk.ui.main_window import MainWindow

    data = tmp_path / "data"
    backup = _demo(data)
    path = data / "mmsdesk.sqlite3"
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert claim_store(path, window)
    assert holder(path) == os.getpid()
    before = path.stat().st_mtime_ns
    try:
        # A second window: refused with the message, and the first is asked to come forward.
        second = run_cli("--data-dir", str(data), env={"MMSDESK_EXIT_WHEN_SHOWN": "1"})
        assert second.returncode == 3
        assert ALREADY_OPEN in second.stderr
        qtbot.waitUntil(lambda: getattr(window, "raised_by_second_start", False), timeout=5000)
        # Writing commands wait a little, then say so; nothing is changed.
        restore = run_cli("--data-dir", str(data), "restore", str(backup), "--replace-current",
                          "--yes", env=FAST)
        assert restore.returncode == 2, restore.stderr
        assert ALREADY_OPEN in restore.stderr and f"process {os.getpid()}" in restore.stderr
        for args in (("backup",), ("passphrase", "change"), ("demo",)):
            out = run_cli("--data-dir", str(data), *args, env=FAST)
            assert out.returncode == 2 and ALREADY_OPEN in out.stderr, (args, out.stderr)
        # Commands that only read work beside the window (they took 5 s, then were refused).
        for args in (("meds", "--patient", "1", "--json"), ("patients", "list", "--json"),
                     ("audit", "verify")):
            out = run_cli("--data-dir", str(data), *args, env=FAST)
            assert out.returncode == 0, (args, out.stderr)
            assert holder(path) == os.getpid()  # still the window's
        assert path.stat().st_mtime_ns == before
        assert not (data / "backups").exists() or not any(
            "before-restore" in p.name for p in (data / "backups").iterdir())
    finally:
        release(path)  # the window closes
    restore = run_cli("--data-dir", str(data), "restore", str(backup), "--replace-current",
                      "--yes")
    assert restore.returncode == 0, restore.stderr
    assert "over the current data" in restore.stdout


def test_a_killed_window_leaves_a_lock_the_next_start_takes(tmp_path):
    data = tmp_path / "data"
    backup = _demo(data)
    path = data / "mmsdesk.sqlite3"
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, "-m", "mmsdesk", "--data-dir", str(data)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while holder(path) != proc.pid:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the window never took the store"
            time.sleep(0.1)
        refused = run_cli("--data-dir", str(data), "restore", str(backup), "--replace-current",
                          "--yes", env=FAST)
        assert refused.returncode == 2 and ALREADY_OPEN in refused.stderr
        assert f"process {proc.pid}" in refused.stderr
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert Path(f"{path}.lock").exists()  # left behind by the kill, held by no one
    assert holder(path) is None
    out = run_cli("--data-dir", str(data), "restore", str(backup), "--replace-current", "--yes")
    assert out.returncode == 0, out.stderr
