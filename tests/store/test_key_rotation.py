"""Key rotation: `passphrase change --new-key` re-encrypts the data under a new random key.

After it, the old passphrase with any older key file (and the old recovery key) opens nothing
current; backups made before keep opening with their own key files; the new passphrase and
the new recovery key open the data with every row."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mmsdesk.store import StoreError
from mmsdesk.store.backup import check_backup
from mmsdesk.store.crypto import KeyFile, WrongPassphrase, keyfile_copy_path, keyfile_path
from mmsdesk.store.engine import Store
from mmsdesk.store.vault import open_encrypted, unlock_key
from tests.conftest import run_cli

PASS = "correct horse battery staple"
NEW = "a brand new passphrase"


def _patients(store: Store) -> int:
    with store.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM patient").scalar()


def test_new_key_locks_out_the_old_passphrase_and_old_key_files(tmp_path: Path):
    data = tmp_path / "data"
    path = data / "mmsdesk.sqlite3"
    first = run_cli("--data-dir", str(data), "demo")
    assert first.returncode == 0, first.stderr
    old_recovery = re.search(r"([A-Z2-7]{4}(?:-[A-Z2-7]{4}){7})", first.stderr).group(1)
    backup = run_cli("--data-dir", str(data), "backup")
    assert backup.returncode == 0, backup.stderr
    backup_path = Path(backup.stdout.strip().split(": ", 1)[1])
    old_keyfiles = [keyfile_path(path).read_text(encoding="utf-8"),
                    keyfile_copy_path(path).read_text(encoding="utf-8")]
    # A plain passphrase change first: the old key file still held the same data key then.
    changed = run_cli("--data-dir", str(data), "passphrase", "change",
                      env={"MMSDESK_NEW_PASSPHRASE": "an intermediate one"})
    assert changed.returncode == 0, changed.stderr
    old_keyfiles.append(keyfile_path(path).read_text(encoding="utf-8"))

    out = run_cli("--data-dir", str(data), "passphrase", "change", "--new-key",
                  env={"MMSDESK_PASSPHRASE": "an intermediate one",
                       "MMSDESK_NEW_PASSPHRASE": NEW})
    assert out.returncode == 0, out.stderr
    new_recovery = re.search(r"([A-Z2-7]{4}(?:-[A-Z2-7]{4}){7})", out.stdout).group(1)
    assert new_recovery != old_recovery

    # Every older key file still unwraps its old key with its passphrase, which opens nothing.
    for text, secret in zip(old_keyfiles, (PASS, PASS, "an intermediate one"), strict=True):
        old_key = KeyFile.from_json(text).unlock(secret)
        with pytest.raises(StoreError):
            Store.open(path, key=old_key, create=False).close()
    with pytest.raises(WrongPassphrase):
        unlock_key(path, PASS)
    with pytest.raises(WrongPassphrase):
        unlock_key(path, recovery_key=old_recovery)
    # The new passphrase and the new recovery key open every row; the second copy is new too.
    with open_encrypted(path, NEW, create=False).store as store:
        assert _patients(store) == 12
    with open_encrypted(path, recovery_key=new_recovery, create=False).store as store:
        assert _patients(store) == 12
    KeyFile.load(keyfile_copy_path(path)).unlock(NEW)
    # The backup made before opens with its own key file and the passphrase of its day.
    assert check_backup(backup_path, PASS).patients == 12
    assert not list(data.glob("*.incoming")) and not list(data.glob("*.swap"))


def test_a_key_change_cut_after_its_journal_is_finished_by_the_next_unlock(tmp_path, monkeypatch):
    from mmsdesk.store import recovery
    from mmsdesk.store.vault import rotate_key

    path = tmp_path / "data" / "mmsdesk.sqlite3"
    with open_encrypted(path, PASS).store as store:
        from datetime import date

        from mmsdesk.models import Patient

        with store.session() as s:
            s.add(Patient(first_name="Cut", last_name="Rotation", date_of_birth=date(1950, 1, 1)))

    def killed(*_args: object) -> None:
        raise SystemExit("killed after the journal")

    monkeypatch.setattr(recovery, "_finish", killed)
    with pytest.raises(SystemExit):
        rotate_key(path, NEW, old_passphrase=PASS)
    monkeypatch.undo()
    assert recovery.journal_path(path).exists()
    # The next start reads the new key file only after finishing the swap.
    with open_encrypted(path, NEW, create=False).store as store:
        assert _patients(store) == 1
    with pytest.raises(WrongPassphrase):
        unlock_key(path, PASS)
