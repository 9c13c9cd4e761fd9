"""`mmsdesk take-along / holds / bring-back / release-hold` against a real PostgreSQL practice
database, into an encrypted laptop data file (#22 item 4)."""

from __future__ import annotations

import dataclasses
import json

from mmsdesk.services.medications import MedicationService
from mmsdesk.store.server import open_server
from tests.conftest import TODAY, run_cli
from tests.services.visit_helpers import make_bob

PASS = {"MMSDESK_PASSPHRASE": "correct horse battery staple"}


def test_take_along_holds_bring_back_conflict_and_release(pg_database, tmp_path):
    with open_server(pg_database, ask=False) as server:
        bob = make_bob(server)
    laptop = ["--data-dir", str(tmp_path / "laptop")]
    db = ["--database", pg_database]

    took = run_cli(*laptop, "take-along", *db, "--patient", str(bob.patient_id),
                   "--until", "2026-11-25", "--json", env=PASS)
    assert took.returncode == 0, took.stderr
    assert json.loads(took.stdout)["until"].startswith("2026-11-25T23:59")
    again = run_cli(*laptop, "take-along", *db, "--patient", str(bob.patient_id),
                    "--until", "2026-11-25", env=PASS)
    assert again.returncode == 3 and "held by" in again.stderr
    held = run_cli("holds", *db, "--json")
    assert held.returncode == 0, held.stderr
    (h,) = json.loads(held.stdout)
    assert (h["patient_id"], h["patient"]) == (bob.patient_id, "Bob Stone")

    # a colleague changes Bob's doxazosin on the server meanwhile: bring back refuses, exit 3
    with open_server(pg_database, ask=False) as server:
        meds = MedicationService(server)
        data, version = meds.get_for_edit(bob.doxazosin)
        meds.update(bob.doxazosin, dataclasses.replace(data, strength="2 mg"), TODAY,
                    expected_version=version)
    back = run_cli(*laptop, "bring-back", *db, "--json", env=PASS)
    assert back.returncode == 3, back.stderr
    out = json.loads(back.stdout)
    assert out["brought_back"] == [] and out["differences"]
    assert {d["record"] for d in out["differences"]} >= {"medication_component"}

    # settle: the colleague's new component (server), everything else as on the laptop
    first = out["differences"][0]
    named = f"{first['record']}/{first['key']}/{first['field']}"
    vague = run_cli(*laptop, "settle", *db, "--patient", str(bob.patient_id),
                    "--choose", f"{named}=server", env=PASS)
    if len(out["differences"]) > 1:
        assert vague.returncode == 2 and "--keep" in vague.stderr
    settled = run_cli(*laptop, "settle", *db, "--patient", str(bob.patient_id),
                      "--keep", "server", env=PASS)
    assert settled.returncode == 0, settled.stderr
    back = run_cli(*laptop, "bring-back", *db, "--json", env=PASS)
    assert back.returncode == 0, back.stderr
    assert len(json.loads(back.stdout)["brought_back"]) == 1
    with open_server(pg_database, ask=False) as server:
        assert MedicationService(server).get(bob.doxazosin).strength == "2 mg"
    assert json.loads(run_cli("holds", *db, "--json").stdout) == []

    # take it again; the holder releases it without bringing it back; no hold is left
    assert run_cli(*laptop, "take-along", *db, "--patient", str(bob.patient_id),
                   "--until", "2026-11-26", env=PASS).returncode == 0
    rel = run_cli("release-hold", *db, "--patient", str(bob.patient_id))
    assert rel.returncode == 0, rel.stderr
    assert json.loads(run_cli("holds", *db, "--json").stdout) == []
    no_db = run_cli(*laptop, "bring-back", env=PASS)
    assert no_db.returncode == 2 and "--database" in no_db.stderr


def test_the_laptop_opened_by_the_commands_is_the_taker_s_a_technician_s_too(pg_database,
                                                                           tmp_path):
    import argparse

    import pytest

    from mmsdesk import paths
    from mmsdesk.commands.common import open_store
    from mmsdesk.services import documents, people
    from mmsdesk.store.lock import release
    from mmsdesk.store.who import NotPermitted

    with open_server(pg_database, ask=False) as server:
        bob = make_bob(server)
        people.add_person(server, login="ana", name="Ana Ruiz", passphrase="ana's long phrase")
        people.add_person(server, login="tom", name="Tom Lee", role="technician",
                          passphrase="tom's long phrase")
    laptop = ["--data-dir", str(tmp_path / "laptop")]
    took = run_cli(*laptop, "--user", "tom", "take-along", "--database", pg_database,
                   "--patient", str(bob.patient_id), "--until", "2026-11-25",
                   env={**PASS, "MMSDESK_USER_PASSPHRASE": "tom's long phrase"})
    assert took.returncode == 0, took.stderr

    # the laptop's commands work as Tom (no people there, so no passphrase of his asked)
    assert run_cli(*laptop, "patients", "list", env=PASS).returncode == 0
    other = run_cli(*laptop, "--user", "ana", "patients", "list", env=PASS)
    assert other.returncode == 2 and "charts Tom Lee took along" in other.stderr
    paths.set_data_dir(str(tmp_path / "laptop"))
    store = open_store(argparse.Namespace(user=None, no_encryption=False, database=None),
                       create=False, write=False)
    try:
        assert (store.who.name, store.who.role) == ("Tom Lee", "technician")
        with pytest.raises(NotPermitted, match="Tom Lee is signed in as a technician"):
            documents.check_may_issue(store, "cms-summary")
    finally:
        store.close()
        release(paths.store_path())
