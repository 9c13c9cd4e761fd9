"""The installer build: PyInstaller one-folder build into a temporary folder, then the built
binary's --version and --self-test (window offscreen, temporary store, CMR PDF).

About 40 s of build on two cores; CI runs it with the rest of the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from mmsdesk import __version__
from tests.conftest import REPO

pytest.importorskip("PyInstaller", reason="pyinstaller is in the 'build' extra")


@pytest.mark.slow
def test_one_folder_build_runs_version_and_self_test(tmp_path):
    started = time.perf_counter()
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build"),
         str(REPO / "build_installer.spec")],
        cwd=tmp_path, capture_output=True, text=True, timeout=1200)
    assert build.returncode == 0, build.stderr[-3000:]
    seconds = time.perf_counter() - started
    app = tmp_path / "dist" / "mmsdesk"
    exe = app / ("mmsdesk.exe" if os.name == "nt" else "mmsdesk")
    internal = app / "_internal"
    # Every resource is in the bundle, as data beside the code.
    for rel in ("resources/fonts/NotoSans-Regular.ttf", "resources/knowledge/screening",
                "resources/demo/demo_patients.json", "resources/icons/mmsdesk.svg",
                "mmsdesk/store/migrations/env.py", "mmsdesk/store/migrations/versions"):
        assert (internal / rel).exists(), rel
    assert list(internal.rglob("libqoffscreen*")) or list(internal.rglob("qoffscreen*.dll"))

    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # self-test forces it
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True,
                             timeout=60, env=env)
    assert version.returncode == 0 and version.stdout.strip() == f"MMS Desk {__version__}"

    test = subprocess.run([str(exe), "--self-test"], capture_output=True, text=True,
                          timeout=300, env=env)
    lines = test.stdout.strip().splitlines()
    assert test.returncode == 0, test.stdout + test.stderr
    assert len(lines) == 1 and lines[0].startswith("self-test ok: "), test.stdout
    assert "CMR written summary PDF" in lines[0] and "12 demo patients" in lines[0]
    assert "read back by QtPdf" in lines[0] and "Spanish large-print PML" in lines[0]
    assert "label photo read" in lines[0]  # RapidOCR's models and onnxruntime are bundled
    assert "PostgreSQL driver psycopg loaded" in lines[0]  # team mode's driver is bundled
    assert "keyring backend " in lines[0]  # the OS keyring for the server password is bundled
    assert list(internal.rglob("keyring-*.dist-info"))  # its backends are found by entry points
    assert list(internal.rglob("ch_PP-OCRv4_rec_infer.onnx"))
    print(f"installer built in {seconds:.0f} s; {lines[0]}")
