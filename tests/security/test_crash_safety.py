"""Crash safety: a writer process killed (SIGKILL) 50 times at random moments loses nothing.

Each child opens the real encrypted store and writes visits, each with two drug therapy
problems in the same transaction, printing a visit's uuid only after its commit returned.
The parent kills it at a random moment. Afterwards every reported visit is present with both
of its problems, no visit is half-written, and the integrity and audit checks pass.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from mmsdesk.store.audit import verify_chain
from mmsdesk.store.vault import open_encrypted
from tests.conftest import REPO

PASS = "correct horse battery staple"
KILLS = 50

WRITER = r"""
import sys
from datetime import date
from mmsdesk.models import DrugTherapyProblem, Visit
from mmsdesk.store.vault import open_encrypted
store = open_encrypted(sys.argv[1], sys.argv[2], create=False).store
print("READY", flush=True)
while True:
    with store.session() as s:
        v = Visit(patient_id=1, service="cmr", visit_date=date(2026, 11, 24), reason="x" * 500)
        s.add(v)
        s.flush()
        for cat in ("adherence", "dosage_too_high"):
            s.add(DrugTherapyProblem(patient_id=1, visit_id=v.id, category=cat,
                                     identified_on=date(2026, 11, 24)))
        uuid = v.uuid
    print(uuid, flush=True)
"""


@pytest.mark.slow
def test_sigkill_during_writes_never_loses_a_committed_visit(tmp_path: Path):
    path = tmp_path / "mmsdesk.sqlite3"
    from mmsdesk.models import Patient

    with open_encrypted(path, PASS).store as store, store.session() as s:
        from datetime import date

        s.add(Patient(first_name="Crash", last_name="Test", date_of_birth=date(1950, 1, 1)))
    env = dict(os.environ, PYTHONPATH=str(REPO))
    rnd = random.Random(7)
    reported: list[str] = []
    for _ in range(KILLS):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), PASS], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "READY", proc.stderr.read() if proc.stderr else ""
        # wait for the first commit, so each kill lands in the stream of writes however
        # slow the machine is (a fixed sleep fell before any commit on a loaded machine)
        first = proc.stdout.readline().strip()
        assert len(first) == 36, first
        time.sleep(rnd.uniform(0.0, 0.12))
        proc.send_signal(signal.SIGKILL)
        out, _err = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        # A line cut by the kill is not a report of a commit.
        reported += [first] + [line for line in out.split("\n")[:-1] if len(line) == 36]
    assert len(reported) >= KILLS  # every kill came after at least one commit
    with open_encrypted(path, PASS, create=False).store as store:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            present = {r[0] for r in conn.execute(text("SELECT uuid FROM visit"))}
            per_visit = conn.execute(text(
                "SELECT v.id, count(p.id) FROM visit v LEFT JOIN drug_therapy_problem p "
                "ON p.visit_id = v.id GROUP BY v.id")).fetchall()
            assert verify_chain(conn).ok
    missing = [u for u in reported if u not in present]
    assert missing == []
    assert {n for _, n in per_visit} == {2}  # never half a transaction
    # At most one visit per kill was committed but not yet reported when the kill came.
    assert len(present) - len(reported) <= KILLS
