"""Headless commands: encrypted by default, MMSDESK_PASSPHRASE, --no-encryption."""

from __future__ import annotations

import json

from mmsdesk.store.vault import StoreState, store_state
from tests.conftest import run_cli


def test_demo_into_empty_folder_creates_encrypted_store(tmp_path):
    data = tmp_path / "d"
    out = run_cli("--data-dir", str(data), "demo")
    assert out.returncode == 0, out.stderr
    assert "RECOVERY KEY" in out.stderr
    assert store_state(data / "mmsdesk.sqlite3") is StoreState.ENCRYPTED
    rows = json.loads(run_cli("--data-dir", str(data), "patients", "list", "--json").stdout)
    assert len(rows) == 12
    wrong = run_cli("--data-dir", str(data), "patients", "list",
                    env={"MMSDESK_PASSPHRASE": "wrong passphrase"})
    assert wrong.returncode == 3 and wrong.stderr.strip() == "mmsdesk: Wrong passphrase."


def test_without_passphrase_refuses_to_create_unencrypted_store(tmp_path):
    data = tmp_path / "d"
    out = run_cli("--data-dir", str(data), "demo", env={"MMSDESK_PASSPHRASE": ""})
    assert out.returncode == 2
    assert "--no-encryption" in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert not (data / "mmsdesk.sqlite3").exists()


def test_no_encryption_creates_plain_store_then_unlock_converts(tmp_path):
    data = tmp_path / "d"
    out = run_cli("--no-encryption", "--data-dir", str(data), "demo",
                  env={"MMSDESK_PASSPHRASE": ""})
    assert out.returncode == 0, out.stderr
    assert store_state(data / "mmsdesk.sqlite3") is StoreState.PLAIN
    listing = run_cli("--data-dir", str(data), "patients", "list", "--json")
    assert listing.returncode == 0, listing.stderr
    assert "RECOVERY KEY" in listing.stderr and len(json.loads(listing.stdout)) == 12
    assert store_state(data / "mmsdesk.sqlite3") is StoreState.ENCRYPTED


def test_passphrase_change_and_recovery_key(tmp_path):
    data = tmp_path / "d"
    first = run_cli("--data-dir", str(data), "demo")
    recovery = first.stderr.strip().splitlines()[-1].strip()
    assert len(recovery.split("-")) == 8
    before = (data / "mmsdesk.sqlite3").read_bytes()
    wrong = run_cli("--data-dir", str(data), "passphrase", "change",
                    env={"MMSDESK_PASSPHRASE": "not it at all", "MMSDESK_NEW_PASSPHRASE": "x" * 9})
    assert wrong.returncode == 3 and "Nothing was changed" in wrong.stderr
    ok = run_cli("--data-dir", str(data), "passphrase", "change",
                 env={"MMSDESK_NEW_PASSPHRASE": "second passphrase"})
    assert ok.returncode == 0, ok.stderr
    assert (data / "mmsdesk.sqlite3").read_bytes() == before  # not re-encrypted
    assert run_cli("--data-dir", str(data), "patients", "list").returncode == 3
    env2 = {"MMSDESK_PASSPHRASE": "second passphrase"}
    assert run_cli("--data-dir", str(data), "patients", "list", env=env2).returncode == 0
    # Forgotten passphrase: the recovery key sets a third one.
    rec = run_cli("--data-dir", str(data), "passphrase", "change", "--recovery-key", recovery,
                  env={"MMSDESK_PASSPHRASE": "", "MMSDESK_NEW_PASSPHRASE": "third passphrase"})
    assert rec.returncode == 0, rec.stderr
    env3 = {"MMSDESK_PASSPHRASE": "third passphrase"}
    assert len(json.loads(run_cli("--data-dir", str(data), "patients", "list", "--json",
                                  env=env3).stdout)) == 12
