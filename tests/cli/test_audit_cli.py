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


def test_audit_verify_on_a_server_names_the_newest_entry_removed(pg_cluster, pg_database,
                                                                 tmp_path):
    """Team mode: the newest entries deleted on the server leave a chain that links; this
    computer remembers what it saw (its data folder) and names the missing link."""
    from sqlalchemy import make_url

    from tests import pgcluster

    env = {"PGPASSWORD": pgcluster.PASSWORD, "MMSDESK_PASSPHRASE": ""}
    where = ("--data-dir", str(tmp_path / "d"), "--database", pg_database)
    assert run_cli(*where, "demo", env=env).returncode == 0
    ok = run_cli(*where, "audit", "verify", "--json", env=env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    newest = json.loads(ok.stdout)["entries_checked"]
    pg_cluster.sql(f"DELETE FROM audit_event WHERE id >= {newest - 2}",
                   database=make_url(pg_database).database)
    bad = run_cli(*where, "audit", "verify", env=env)
    assert bad.returncode == 4
    assert ("mmsdesk: audit trail BROKEN: the audit trail ends before a link this computer "
            f"has seen (id {newest} at ") in bad.stderr
    assert "rows were removed" in bad.stderr
    elsewhere = run_cli("--data-dir", str(tmp_path / "other"), "--database", pg_database,
                        "audit", "verify", env=env)  # a computer that never saw them
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert "a cut of entries it never saw would not show" in elsewhere.stderr
