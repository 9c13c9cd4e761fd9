"""Reliability of the store's files: the pre-upgrade copy is a real backup, backups get unique
names as pairs, restore never overwrites another store's key file, a cut swap is finished or
undone at the next start, rotation keeps the newest backup."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from mmsdesk.store import StoreError
from mmsdesk.store.backup import (
    backup_now,
    check_backup,
    list_backups,
    restore_into,
    rotate,
)
from mmsdesk.store.crypto import KeyFile, keyfile_path
from mmsdesk.store.engine import SCHEMA_HEAD, stored_revision
from mmsdesk.store.recovery import incoming, journal_path, recover
from mmsdesk.store.vault import encrypt_plain_file, open_encrypted

PASS = "correct horse battery staple"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"


def _old_encrypted_store(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "mmsdesk.sqlite3"
    path.parent.mkdir(parents=True)
    shutil.copyfile(FIXTURES / "schema_0002_visits_practice_audit.sqlite3", path)
    kf, key, _recovery = KeyFile.create(PASS)
    kf.save(keyfile_path(path))
    encrypt_plain_file(path, key)
    return path


def test_pre_upgrade_copy_keeps_its_key_file_is_listed_and_restores_elsewhere(tmp_path):
    path = _old_encrypted_store(tmp_path)
    with open_encrypted(path, PASS, create=False).store as store:
        assert stored_revision(store.engine) == SCHEMA_HEAD
    [info] = list_backups(path.parent / "backups", "mmsdesk")
    assert info.kind == "before-upgrade"
    assert keyfile_path(info.path).exists()
    # Another laptop: only the backup folder; the store and its key file are gone.
    usb = tmp_path / "usb"
    shutil.copytree(path.parent / "backups", usb)
    shutil.rmtree(path.parent)
    check = check_backup(usb / info.path.name, PASS)
    assert check.schema == "0002_visits_practice_audit" and check.patients == 12
    target = tmp_path / "other-laptop" / "mmsdesk.sqlite3"
    with restore_into(check, target) as restored:
        assert stored_revision(restored.engine) == SCHEMA_HEAD  # upgraded on restore


def test_two_backups_in_the_same_second_get_their_own_names_and_key_files(tmp_path):
    path = tmp_path / "data" / "mmsdesk.sqlite3"
    now = datetime(2026, 11, 24, 18, 0, 0)
    with open_encrypted(path, PASS).store as store:
        first = backup_now(store, kind="exit", now=now)
        second = backup_now(store, kind="exit", now=now)
    assert first != second
    for b in (first, second):
        assert keyfile_path(b).exists()
        check_backup(b, PASS)
    listed = list_backups(path.parent / "backups")
    assert {b.path for b in listed} == {first, second}
    assert {b.kind for b in listed} == {"exit"}
    assert not list((path.parent / "backups").glob("*.partial"))


def test_restore_into_a_folder_holding_only_a_key_file_is_refused_and_it_is_kept(tmp_path):
    path = tmp_path / "data" / "mmsdesk.sqlite3"
    with open_encrypted(path, PASS).store as store:
        backup = backup_now(store, tmp_path / "usb")
    other = tmp_path / "other"
    other.mkdir()
    only_copy = other / "mmsdesk.sqlite3.keys"
    only_copy.write_text("the only wrapped copy of another store's key", encoding="utf-8")
    with pytest.raises(StoreError, match="already a data file or key file"):
        restore_into(check_backup(backup, PASS), other / "mmsdesk.sqlite3")
    assert only_copy.read_text(encoding="utf-8") == "the only wrapped copy of another store's key"
    assert sorted(p.name for p in other.iterdir()) == ["mmsdesk.sqlite3.keys"]


def test_a_cut_swap_is_finished_with_its_journal_and_cleared_without_it(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    store, keys = folder / "mmsdesk.sqlite3", folder / "mmsdesk.sqlite3.keys"
    store.write_bytes(b"old data")
    keys.write_bytes(b"old keys")
    # Prepared but no journal yet: the swap never began; the current pair stays.
    incoming(store).write_bytes(b"new data")
    incoming(keys).write_bytes(b"new keys")
    assert recover(store) == "cleared"
    assert (store.read_bytes(), keys.read_bytes()) == (b"old data", b"old keys")
    assert not incoming(store).exists() and not incoming(keys).exists()
    # Journal written, cut after the key file was renamed: the next start finishes it.
    incoming(store).write_bytes(b"new data")
    keys.write_bytes(b"new keys")
    journal_path(store).write_text(
        '{"reason": "restore", "files": [["mmsdesk.sqlite3.keys.incoming", '
        '"mmsdesk.sqlite3.keys"], ["mmsdesk.sqlite3.incoming", "mmsdesk.sqlite3"]]}',
        encoding="utf-8")
    assert recover(store) == "finished"
    assert (store.read_bytes(), keys.read_bytes()) == (b"new data", b"new keys")
    assert not journal_path(store).exists()
    assert recover(store) is None


def test_rotation_never_removes_the_newest_backup(tmp_path):
    path = tmp_path / "data" / "mmsdesk.sqlite3"
    folder = path.parent / "backups"
    start = datetime(2026, 11, 24, 18, 0)
    with open_encrypted(path, PASS).store as store:
        made = [backup_now(store, kind="daily", now=start - timedelta(days=400 + i))
                for i in range(3)]
    removed = rotate(folder)
    assert made[0] not in removed and made[0].exists() and keyfile_path(made[0]).exists()


def test_a_killed_backups_leftovers_go_and_a_running_ones_stay(tmp_path):
    import os

    path = tmp_path / "data" / "mmsdesk.sqlite3"
    folder = tmp_path / "usb"
    folder.mkdir()
    dead = folder / "mmsdesk-20261124-180000-exit.999999999.sqlite3.partial"
    running = folder / f"mmsdesk-20261124-180000-exit.{os.getppid()}.keys.partial"
    for f in (dead, running):
        f.write_bytes(b"half a backup")
    with open_encrypted(path, PASS).store as store:
        backup_now(store, folder)
    assert not dead.exists() and running.exists()


def test_restoring_a_backup_under_another_key_replaces_both_key_files(tmp_path):
    from mmsdesk.store.vault import rotate_key

    path = tmp_path / "data" / "mmsdesk.sqlite3"
    with open_encrypted(path, PASS).store as store:
        backup = backup_now(store, tmp_path / "usb")
    rotate_key(path, PASS, old_passphrase=PASS)
    restore_into(check_backup(backup, PASS), path, replace=True).close()
    keyfile_path(path).unlink()  # the first key file lost: its second copy must be the right one
    open_encrypted(path, PASS, create=False).store.close()
