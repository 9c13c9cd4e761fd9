"""scripts/setup.sh on a busy machine: apt waits for the dpkg lock, only missing packages are
installed, nothing at all when none is missing; --runtime asks only for the app's libraries.

apt-get and dpkg-query are stand-ins on PATH that record their arguments (no real apt runs)."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

FAKE_DPKG_QUERY = """#!/bin/sh
# installed unless named in $MISSING_PKGS
pkg="$3"
case " $MISSING_PKGS " in *" $pkg "*) exit 1;; esac
printf 'install ok installed'
"""
FAKE_APT = """#!/bin/sh
echo "$@" >> "$APT_LOG"
"""


def _run(tmp_path: Path, missing: str, *args: str) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in (("dpkg-query", FAKE_DPKG_QUERY), ("apt-get", FAKE_APT)):
        f = bin_dir / name
        f.write_text(body, encoding="utf-8")
        f.chmod(f.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "apt.log"
    log.unlink(missing_ok=True)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", APT_LOG=str(log),
               MISSING_PKGS=missing, MMSDESK_SKIP_PIP="1", MMSDESK_SKIP_APT="0")
    proc = subprocess.run(["bash", str(REPO / "scripts" / "setup.sh"), *args], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="apt part runs as root")
def test_setup_installs_only_what_is_missing_and_waits_for_the_dpkg_lock(tmp_path):
    calls = _run(tmp_path, "poppler-utils libegl1")
    assert len(calls) == 2
    update, install = calls
    assert update.startswith("-o DPkg::Lock::Timeout=600 update")
    assert install.startswith("-o DPkg::Lock::Timeout=600 install")
    assert install.split()[-2:] == ["libegl1", "poppler-utils"]
    assert _run(tmp_path, "") == []  # nothing missing: apt is not even asked
    runtime = _run(tmp_path, "poppler-utils xvfb libgl1", "--runtime")
    assert runtime[-1].split()[-1] == "libgl1"  # the test tools are not the app's business
    assert _run(tmp_path, "poppler-utils xvfb", "--runtime") == []
