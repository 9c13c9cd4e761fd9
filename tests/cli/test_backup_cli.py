"""`mmsdesk backup` and `mmsdesk restore` end to end on encrypted stores."""

from __future__ import annotations

import json
from pathlib import Path

from mmsdesk.store.vault import StoreState, store_state
from tests.conftest import run_cli
from tests.security.phi import demo_phi_terms, find_terms


def _patients(data: Path) -> list[dict]:
    out = run_cli("--data-dir", str(data), "patients", "list", "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_backup_to_folder_then_restore_into_new_folder(tmp_path):
    data, usb = tmp_path / "data", tmp_path / "usb"
    assert run_cli("--data-dir", str(data), "demo").returncode == 0
    out = run_cli("--data-dir", str(data), "backup", "--to", str(usb))
    assert out.returncode == 0, out.stderr
    backup = Path(out.stdout.strip().split(": ", 1)[1])
    assert backup.parent == usb and store_state(backup) is StoreState.ENCRYPTED
    assert find_terms(backup.read_bytes(), demo_phi_terms()["names"]) == []
    new = tmp_path / "restored"
    res = run_cli("--data-dir", str(data), "restore", str(backup), "--into", str(new))
    assert res.returncode == 0, res.stderr
    assert "integrity ok, 12 patients" in res.stdout
    assert len(_patients(new)) == 12
    # Restoring into a folder that already has data is refused, nothing changed.
    again = run_cli("--data-dir", str(data), "restore", str(backup), "--into", str(new))
    assert again.returncode == 2 and "already a data file" in again.stderr


def test_replace_current_needs_confirmation_and_backs_up_first(tmp_path):
    data = tmp_path / "data"
    assert run_cli("--data-dir", str(data), "demo").returncode == 0
    backup = Path(run_cli("--data-dir", str(data), "backup").stdout.strip().split(": ", 1)[1])
    # New data after the backup; restoring over the current store loses it, so it asks.
    assert run_cli("--data-dir", str(data), "demo", "--into-existing").returncode == 0
    assert len(_patients(data)) == 24
    refused = run_cli("--data-dir", str(data), "restore", str(backup), "--replace-current")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert len(_patients(data)) == 24
    done = run_cli("--data-dir", str(data), "restore", str(backup), "--replace-current", "--yes")
    assert done.returncode == 0, done.stderr
    assert len(_patients(data)) == 12
    safety = list((data / "backups").glob("*-before-restore.sqlite3"))
    assert len(safety) == 1
    back = run_cli("--data-dir", str(tmp_path / "x"), "restore", str(safety[0]), "--into",
                   str(tmp_path / "safety"))
    assert back.returncode == 0, back.stderr
    assert len(_patients(tmp_path / "safety")) == 24


def test_restore_of_a_non_backup_is_one_line_error(tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 5000)
    out = run_cli("restore", str(junk), "--into", str(tmp_path / "n"))
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1
    assert "junk.sqlite3" in out.stderr
