"""`mmsdesk audit verify` on a real encrypted store, before and after a row altered by hand."""

from __future__ import annotations

import json

import sqlcipher3.dbapi2 as sqlcipher

from mmsdesk.store.crypto import sqlcipher_key_pragma
from mmsdesk.store.vault import unlock_key
from tests.conftest import run_cli

PASS = "correct horse battery staple"


def test_audit_verify_detects_a_row_altered_by_hand(tmp_path):
    data = tmp_path / "d"
    assert run_cli("--data-dir", str(data), "demo").returncode == 0
    ok = run_cli("--data-dir", str(data), "audit", "verify")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("Audit trail intact:")
    path = data / "mmsdesk.sqlite3"
    con = sqlcipher.connect(str(path))
    con.execute(sqlcipher_key_pragma(unlock_key(path, PASS)))
    victim = con.execute("SELECT id FROM audit_event WHERE entity='medication_entry' "
                         "ORDER BY id LIMIT 1 OFFSET 5").fetchone()[0]
    con.execute("UPDATE audit_event SET after_hash = ? WHERE id = ?", ("0" * 64, victim))
    con.commit()
    con.close()
    bad = run_cli("--data-dir", str(data), "audit", "verify")
    assert bad.returncode == 4
    assert bad.stderr.strip().startswith(f"mmsdesk: audit trail BROKEN: entry {victim} was altered")
    as_json = json.loads(run_cli("--data-dir", str(data), "audit", "verify", "--json").stdout)
    assert as_json["ok"] is False and as_json["first_bad_entry"] == victim


def test_audit_list_shows_a_patients_entries_without_contents(tmp_path):
    data = tmp_path / "d"
    assert run_cli("--data-dir", str(data), "demo").returncode == 0
    out = run_cli("--data-dir", str(data), "audit", "list", "--patient", "1", "--json")
    rows = json.loads(out.stdout)
    assert rows and all(r["patient_id"] == 1 for r in rows)
    assert {r["action"] for r in rows} == {"create"}
    assert "Müller" not in out.stdout and "Warfarin" not in out.stdout
