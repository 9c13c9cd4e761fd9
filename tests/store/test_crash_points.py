"""Crash points: each store operation stopped at each of its steps, then the next start.

The harness (tests/store/crashpoints.py) runs creating a store, upgrading every released
schema fixture, backup, restore over the current data and key rotation, stopping the process
(``os._exit``) before every DDL statement, commit and file step and one plain statement in
ten. After each stop the next start must open a whole store, old or new, with every committed
row, intact integrity, foreign keys and audit chain, and every listed backup must open.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures" / "stores"


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="the harness forks one child per kill point")
def test_every_crash_point_leaves_a_store_that_opens_whole(tmp_path: Path):
    env = dict(os.environ, PYTHONPATH=str(REPO), MMSDESK_KDF="fast")
    proc = subprocess.run([sys.executable, "-m", "tests.store.crashpoints", "all",
                           str(tmp_path / "runs")], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = {r["operation"]: r for r in map(json.loads, proc.stdout.splitlines())}
    print("\n".join(json.dumps({k: v for k, v in r.items() if k != "failures"})
                    for r in results.values()))
    fixtures = {f"upgrade {f.stem.removeprefix('schema_')}"
                for f in FIXTURES.glob("schema_*.sqlite3")}
    assert {"create", "backup", "restore over current"} | fixtures <= set(results)
    assert results["create"]["ddl"] > 20
    for name, r in results.items():
        assert r["failures"] == [], (name, r["failures"][:5])
        # (the newest fixture is already at head until a migration follows it: nothing to cut)
        assert r["killed_at"] > 0 or name.startswith("upgrade"), name
    for name in ("create", "backup", "restore over current", "key rotation"):
        assert results[name]["full_next_starts"] > 0, name
