"""Tampering with an encrypted store outside MMS Desk (with its key): a cut tail, an emptied
trail and an appended forgery are reported by `audit verify` (the sealed head); direct edits
of a patient or a medicine and a deleted patient by `audit verify --deep`, naming the record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlcipher3.dbapi2 as sqlcipher

from mmsdesk.store.audit import row_hash
from mmsdesk.store.crypto import sqlcipher_key_pragma
from mmsdesk.store.vault import unlock_key
from tests.conftest import run_cli

PASS = "correct horse battery staple"


@pytest.fixture(scope="module")
def demo_copy(tmp_path_factory):
    """One demo practice; each test works on its own copy."""
    import os

    base = tmp_path_factory.mktemp("demo") / "d"
    env = {"MMSDESK_DATA_DIR": str(base), "MMSDESK_PASSPHRASE": PASS, "MMSDESK_KDF": "fast"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        assert run_cli("--data-dir", str(base), "demo").returncode == 0
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return base


def _copy(src: Path, dest: Path) -> Path:
    import shutil

    shutil.copytree(src, dest)
    # a copy is a new data file: its first opening seals it (and says so)
    assert run_cli("--data-dir", str(dest), "audit", "verify").returncode == 0
    return dest


def _sql(data: Path, *statements: tuple[str, tuple]) -> None:
    path = data / "mmsdesk.sqlite3"
    con = sqlcipher.connect(str(path))
    con.execute(sqlcipher_key_pragma(unlock_key(path, PASS)))
    con.execute("PRAGMA foreign_keys=OFF")
    for sql, params in statements:
        con.execute(sql, params)
    con.commit()
    con.close()


def _verify(data: Path, *extra: str):
    return run_cli("--data-dir", str(data), "audit", "verify", *extra)


def _last_id(data: Path) -> int:
    out = json.loads(_verify(data, "--json").stdout)
    return int(out["entries_checked"])


def test_an_untouched_practice_verifies_deep(demo_copy, tmp_path):
    data = _copy(demo_copy, tmp_path / "d")
    out = _verify(data, "--deep")
    assert out.returncode == 0, out.stderr
    assert "records match their last entry" in out.stdout
    # writing through the app keeps it so (the seal follows each commit)
    assert run_cli("--data-dir", str(data), "demo", "--into-existing").returncode == 0
    again = _verify(data, "--deep", "--json")
    assert again.returncode == 0, again.stdout
    assert json.loads(again.stdout)["records"] == []


@pytest.mark.parametrize("cut", [1, 100])
def test_a_cut_tail_is_reported(demo_copy, tmp_path, cut):
    data = _copy(demo_copy, tmp_path / "d")
    n = _last_id(data)
    _sql(data, ("DELETE FROM audit_event WHERE id > ?", (n - cut,)))
    out = _verify(data)
    assert out.returncode == 4
    assert f"the last {cut} audit entries were removed" in out.stderr
    assert f"entries {n - cut + 1} to {n}" in out.stderr


def test_an_emptied_trail_is_reported(demo_copy, tmp_path):
    data = _copy(demo_copy, tmp_path / "d")
    n = _last_id(data)
    _sql(data, ("DELETE FROM audit_event", ()))
    out = _verify(data)
    assert out.returncode == 4, out.stdout
    assert f"all audit entries were removed (the seal names entry {n}" in out.stderr


def test_an_appended_forgery_with_a_valid_hash_is_reported(demo_copy, tmp_path):
    data = _copy(demo_copy, tmp_path / "d")
    n = _last_id(data)
    path = data / "mmsdesk.sqlite3"
    con = sqlcipher.connect(str(path))
    con.execute(sqlcipher_key_pragma(unlock_key(path, PASS)))
    con.row_factory = sqlcipher.Row
    last = dict(con.execute("SELECT * FROM audit_event ORDER BY id DESC LIMIT 1").fetchone())
    forged = {**last, "id": n + 1, "action": "print", "entity": "document", "detail": "forged",
              "prev_hash": last["row_hash"]}
    forged["row_hash"] = row_hash(forged)
    cols = ", ".join(forged)
    con.execute(f"INSERT INTO audit_event ({cols}) VALUES ({', '.join('?' * len(forged))})",
                tuple(forged.values()))
    con.commit()
    con.close()
    out = _verify(data)
    assert out.returncode == 4
    assert f"audit entries {n + 1} to {n + 1} were added outside MMS Desk" in out.stderr


def test_a_cut_tail_stays_reported_after_later_writes(demo_copy, tmp_path):
    data = _copy(demo_copy, tmp_path / "d")
    n = _last_id(data)
    _sql(data, ("DELETE FROM audit_event WHERE id > ?", (n - 3,)))
    assert run_cli("--data-dir", str(data), "demo", "--into-existing").returncode == 0
    out = _verify(data)
    assert out.returncode == 4 and "the last 3 audit entries were removed" in out.stderr


def test_a_deleted_seal_file_is_noted(demo_copy, tmp_path):
    data = _copy(demo_copy, tmp_path / "d")
    (data / "mmsdesk.sqlite3.audit-head").unlink()
    out = _verify(data)
    assert out.returncode == 0
    assert "the head seal was made on" in out.stderr and "would not show" in out.stderr


def test_direct_edits_and_a_deleted_patient_are_named_by_deep(demo_copy, tmp_path):
    data = _copy(demo_copy, tmp_path / "d")
    assert _verify(data).returncode == 0
    _sql(data,
         ("UPDATE patient SET last_name = 'Forged' WHERE id = 2", ()),
         ("UPDATE medication_component SET amount = 500 WHERE id = "
          "(SELECT min(id) FROM medication_component WHERE medication_id = "
          "(SELECT min(id) FROM medication_entry WHERE patient_id = 3))", ()),
         ("UPDATE medication_entry SET brand = 'Forged' WHERE id = "
          "(SELECT max(id) FROM medication_entry WHERE patient_id = 4)", ()),
         ("DELETE FROM patient WHERE id = 5", ()))
    shallow = _verify(data)
    assert shallow.returncode == 0  # the chain itself was not touched
    out = _verify(data, "--deep", "--json")
    assert out.returncode == 4
    lines = json.loads(out.stdout)["records"]
    text = "\n".join(lines)
    assert "patient 2: was changed outside MMS Desk" in text
    assert "patient 5: was deleted outside MMS Desk" in text
    assert any(ln.startswith("medication_component ") and "(patient 3)" in ln for ln in lines)
    assert any(ln.startswith("medication_entry ") and "(patient 4)" in ln for ln in lines)
    assert "Forged" not in out.stdout
    plain = _verify(data, "--deep")
    assert "records changed outside MMS Desk" in plain.stderr
    assert "record: patient 2: was changed outside MMS Desk" in plain.stdout
