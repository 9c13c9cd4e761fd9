"""A bring back killed (SIGKILL) inside a patient's server transaction leaves that patient as
before on the server (nothing of it written, still held, the laptop's copy kept); the next
bring back writes it whole (#22: as before or as after, per patient)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from sqlalchemy import func, select

from mmsdesk.models import Allergy, AuditEvent, Patient
from mmsdesk.services import take_along as ta
from mmsdesk.store import Store
from mmsdesk.store.audit import verify_chain
from mmsdesk.store.server import open_server
from tests.conftest import REPO
from tests.services.test_take_along import UNTIL
from tests.services.visit_helpers import make_bob

CHILD = """
import sys, time
from mmsdesk.services import chart_rows, take_along as ta
from mmsdesk.store import Store
from mmsdesk.store.server import open_server

def hang(self, row):  # the updates are flushed; the deletion is next: stop here
    print("inside", flush=True)
    time.sleep(600)

chart_rows.Writer.delete = hang
server = open_server(sys.argv[1], ask=False)
laptop = Store.open(sys.argv[2])
ta.bring_back(server, laptop)
"""


def test_a_bring_back_killed_midway_leaves_the_patient_as_before(pg_database, tmp_path):
    laptop_path = tmp_path / "laptop" / "mmsdesk.sqlite3"
    with open_server(pg_database, ask=False) as server, Store.open(laptop_path) as laptop:
        bob = make_bob(server)
        with server.session() as s:
            s.add(Allergy(patient_id=bob.patient_id, substance="penicillin"))
        ta.take_along(server, laptop, [bob.patient_id], UNTIL)
        with laptop.session() as s:  # offline: a new phone, the allergy removed
            p = s.execute(select(Patient)).scalar_one()
            p.phone = "555-0142"
            s.delete(s.execute(select(Allergy)).scalar_one())
        with server.session() as s:
            audit_before = s.execute(select(func.count()).select_from(AuditEvent)).scalar_one()

    env = dict(os.environ, PYTHONPATH=str(REPO))
    child = subprocess.Popen([sys.executable, "-c", CHILD, pg_database, str(laptop_path)],
                             cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    try:
        line = child.stdout.readline()
        assert line.strip() == "inside", child.stderr.read()
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)

    with open_server(pg_database, ask=False) as server, Store.open(laptop_path) as laptop:
        with server.session() as s:  # as before: the flushed phone rolled back with the rest
            assert s.get(Patient, bob.patient_id).phone == ""
            assert s.execute(select(func.count()).select_from(Allergy)).scalar_one() == 1
            assert s.execute(select(func.count()).select_from(AuditEvent)).scalar_one() \
                == audit_before
        assert ta.held_by(server, bob.patient_id) is not None
        result = ta.bring_back(server, laptop)  # as after
        assert result.ok and len(result.brought_back) == 1
        with server.session() as s:
            assert s.get(Patient, bob.patient_id).phone == "555-0142"
            assert s.execute(select(func.count()).select_from(Allergy)).scalar_one() == 0
            assert verify_chain(s.connection()).ok
