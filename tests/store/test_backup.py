"""Backups: encrypted, checked after writing, rotated; restore checks and never overwrites."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from mmsdesk.services.demo import load_demo
from mmsdesk.store import StoreError
from mmsdesk.store.backup import (
    BackupInfo,
    auto_backup,
    backup_now,
    check_backup,
    list_backups,
    restore_into,
    rotate,
    rotation_keep,
)
from mmsdesk.store.crypto import keyfile_path
from mmsdesk.store.vault import StoreState, open_encrypted, store_state
from tests.conftest import TODAY
from tests.security.phi import demo_phi_terms, find_terms

PASS = "correct horse battery staple"


@pytest.fixture
def enc_store(tmp_path: Path):
    store = open_encrypted(tmp_path / "data" / "mmsdesk.sqlite3", PASS).store
    load_demo(store, TODAY)
    yield store
    store.close()


def test_backup_is_encrypted_checked_and_holds_no_names(enc_store, tmp_path):
    usb = tmp_path / "usb"
    path = backup_now(enc_store, usb)
    assert path.parent == usb and store_state(path) is StoreState.ENCRYPTED
    assert keyfile_path(path).exists() and not list(usb.glob("*.partial"))
    terms = demo_phi_terms()
    assert find_terms(path.read_bytes(), terms["names"] + terms["medicines"]) == []
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(path).execute("SELECT * FROM patient").fetchall()
    check = check_backup(path, PASS)
    assert check.patients == 12 and check.encrypted and check.schema
    with pytest.raises(StoreError, match="does not unlock"):
        check_backup(path, "wrong passphrase")


def test_every_automatic_backup_is_encrypted(enc_store):
    names = demo_phi_terms()["names"]
    daily = auto_backup(enc_store)
    assert daily is not None and store_state(daily) is StoreState.ENCRYPTED
    assert find_terms(daily.read_bytes(), names) == []
    assert auto_backup(enc_store) is None  # once a day
    exit_backup = auto_backup(enc_store, on_exit=True)  # exit: always
    assert exit_backup is not None
    # One automatic backup per day survives the rotation: the newest.
    assert [b.path for b in list_backups(enc_store.path.parent / "backups")] == [exit_backup]
    assert not daily.exists()
    assert store_state(exit_backup) is StoreState.ENCRYPTED
    assert find_terms(exit_backup.read_bytes(), names) == []


def test_damaged_backup_is_refused_with_its_name(enc_store, tmp_path):
    path = backup_now(enc_store, tmp_path / "b")
    data = bytearray(path.read_bytes())
    data[5000:9000] = b"\xff" * 4000
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=path.name):
        check_backup(path, PASS)


def test_restore_into_new_folder_and_never_over_an_existing_store(enc_store, tmp_path):
    path = backup_now(enc_store, tmp_path / "b")
    check = check_backup(path, PASS)
    with pytest.raises(StoreError, match="already a data file"):
        restore_into(check, enc_store.path)
    target = tmp_path / "restored" / "mmsdesk.sqlite3"
    restored = restore_into(check, target)
    from mmsdesk.services.patients import PatientService

    assert len(PatientService(restored).list_rows()) == 12
    restored.close()
    open_encrypted(target, PASS).store.close()  # the key file came along


def _infos(days: int) -> list[BackupInfo]:
    start = datetime(2026, 11, 24, 18, 0)
    return [BackupInfo(Path(f"b{i}"), start - timedelta(days=i), "daily") for i in range(days)]


def test_rotation_keeps_7_daily_4_weekly_12_monthly():
    backups = _infos(500)
    keep = rotation_keep(backups)
    kept = sorted((b.taken_at.date() for b in backups if b.path in keep), reverse=True)
    assert kept[:7] == [date(2026, 11, 24) - timedelta(days=i) for i in range(7)]
    # The newest of each of the last 12 months (Nov 2026 back to Dec 2025) is kept.
    months = {(d.year, d.month) for d in kept}
    assert len(months) == 12 and (2025, 12) in months and (2025, 11) not in months
    # Each of the 4 most recent ISO weeks has its newest backup kept: Sundays before this week.
    assert {date(2026, 11, 22), date(2026, 11, 15), date(2026, 11, 8)} <= set(kept)
    assert len(kept) == len(set(kept)) <= 7 + 4 + 12
    assert len(rotation_keep(_infos(3))) == 3


def test_rotate_deletes_only_old_automatic_backups(tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    start = datetime(2026, 11, 24, 18, 0)
    for i in range(60):
        stamp = (start - timedelta(days=i)).strftime("%Y%m%d-%H%M%S")
        (folder / f"mmsdesk-{stamp}-daily.sqlite3").write_bytes(b"x")
    (folder / "mmsdesk-20200101-120000-manual.sqlite3").write_bytes(b"x")
    (folder / "mmsdesk-before-0002_x-20200101-120000.sqlite3").write_bytes(b"x")
    removed = rotate(folder)
    left = sorted(p.name for p in folder.iterdir())
    assert len(removed) == 60 - (len(left) - 2)
    assert "mmsdesk-20200101-120000-manual.sqlite3" in left
    assert "mmsdesk-before-0002_x-20200101-120000.sqlite3" in left
    assert "mmsdesk-20261124-180000-daily.sqlite3" in left
    assert 7 <= len(left) - 2 <= 12
