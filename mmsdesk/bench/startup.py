"""Window start: process start to the main window shown, against a bare PySide6 window."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from mmsdesk.bench import BenchContext, Figure, median

RUNS = 5
BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1280, 760); w.show()
def shown():
    print("MMSDESK_SHOWN", flush=True); app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


def _time_until(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Milliseconds from process start to the window shown, and to its pages ready."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    assert proc.stdout is not None
    shown = None
    for line in proc.stdout:
        if "MMSDESK_SHOWN" in line:
            shown = (time.perf_counter() - start) * 1000
        if "MMSDESK_READY" in line or ("MMSDESK_SHOWN" in line and "-c" in cmd):
            ready = (time.perf_counter() - start) * 1000
            proc.wait(timeout=60)
            assert shown is not None
            return shown, ready
    err = proc.stderr.read() if proc.stderr else ""
    proc.wait(timeout=60)
    raise RuntimeError(f"window never reported ready: {err.strip()[-300:]}")


def demo_store_folder(ctx: BenchContext) -> Path:
    folder = ctx.folder("demo")
    if not (folder / "mmsdesk.sqlite3").exists():
        env = bench_env(folder)
        subprocess.run([sys.executable, "-m", "mmsdesk", "demo"], env=env, check=True,
                       capture_output=True)
    return folder


def bench_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["MMSDESK_DATA_DIR"] = str(data_dir)
    env["MMSDESK_EXIT_WHEN_SHOWN"] = "1"
    env.setdefault("MMSDESK_PASSPHRASE", "bench passphrase, encrypted store")
    return env


def bench_window_start(ctx: BenchContext) -> list[Figure]:
    folder = demo_store_folder(ctx)
    env = bench_env(folder)
    app_cmd = [sys.executable, "-m", "mmsdesk"]
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    _time_until(bare_cmd, env)  # warm the file cache for both
    _time_until(app_cmd, env)
    app_times, ready_times, bare_times = [], [], []
    for _ in range(RUNS):  # interleaved, so machine noise hits both alike
        bare_times.append(_time_until(bare_cmd, env)[0])
        shown, ready = _time_until(app_cmd, env)
        app_times.append(shown)
        ready_times.append(ready)
    app_ms, bare_ms = median(app_times), median(bare_times)
    return [
        Figure("window_start_ms", app_ms, "ms"),
        Figure("bare_window_start_ms", bare_ms, "ms"),
        Figure("window_start_ratio", app_ms / bare_ms, "x", target=1.5),
        # Shown -> store open and patient list filled (not in the target; reported).
        Figure("window_ready_ms", median(ready_times), "ms"),
    ]


BENCHMARKS = {"window_start": bench_window_start}
