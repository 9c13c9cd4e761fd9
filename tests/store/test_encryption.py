"""Encryption at rest: SQLCipher store, wrapped keys, recovery key, passphrase change, conversion."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlmodel import select

from mmsdesk.models import Patient
from mmsdesk.services.demo import load_demo
from mmsdesk.store import Store, StoreError
from mmsdesk.store.crypto import PRODUCTION, KeyFile, KeyProblem, WrongPassphrase, keyfile_path
from mmsdesk.store.vault import StoreState, change_passphrase, open_encrypted, store_state
from tests.conftest import TODAY
from tests.security.phi import demo_phi_terms, find_terms

PASS = "correct horse battery staple"


def _names(store: Store) -> set[str]:
    with store.session() as s:
        return {p.last_name for p in s.exec(select(Patient)).all()}


def test_new_store_is_encrypted_and_unreadable_without_key(tmp_path: Path):
    path = tmp_path / "mmsdesk.sqlite3"
    unlocked = open_encrypted(path, PASS)
    store = unlocked.store
    assert unlocked.recovery_key and len(unlocked.recovery_key.split("-")) == 8
    load_demo(store, TODAY)
    with store.engine.connect() as conn:  # the store's pragmas hold on SQLCipher connections too
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA cipher_version").scalar()
    # While open, the WAL holds recent pages: it must be encrypted too.
    terms = demo_phi_terms()
    wal = Path(f"{path}-wal")
    assert wal.exists() and wal.stat().st_size > 0
    assert find_terms(wal.read_bytes(), terms["names"] + terms["medicines"]) == []
    store.close()
    assert store_state(path) is StoreState.ENCRYPTED
    blob = path.read_bytes()
    assert find_terms(blob, terms["names"] + terms["medicines"] + terms["dobs"]) == []
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(path).execute("SELECT count(*) FROM patient").fetchone()
    # The key file holds only wrapped keys and KDF parameters.
    kf = json.loads(keyfile_path(path).read_text())
    assert set(kf) == {"format", "version", "cipher", "kdf", "passphrase", "recovery"}
    assert kf["kdf"]["name"] == "argon2id"


def test_plain_store_open_refuses_encrypted_file(tmp_path: Path):
    path = tmp_path / "mmsdesk.sqlite3"
    open_encrypted(path, PASS).store.close()
    with pytest.raises(StoreError, match="encrypted"):
        Store.open(path)


def test_wrong_passphrase_is_refused_and_recovery_key_unlocks(tmp_path: Path):
    path = tmp_path / "mmsdesk.sqlite3"
    first = open_encrypted(path, PASS)
    load_demo(first.store, TODAY)
    first.store.close()
    with pytest.raises(WrongPassphrase):
        open_encrypted(path, "not the passphrase")
    typed = first.recovery_key.lower().replace("-", " ")  # typed sloppily
    with open_encrypted(path, recovery_key=typed).store as store:
        assert "Müller" in _names(store)
    with pytest.raises(WrongPassphrase):
        open_encrypted(path, recovery_key="AAAA-" * 7 + "AAAA")


def test_change_passphrase_rewraps_without_reencrypting(tmp_path: Path):
    path = tmp_path / "mmsdesk.sqlite3"
    first = open_encrypted(path, PASS)
    load_demo(first.store, TODAY)
    first.store.close()
    before = path.read_bytes()
    change_passphrase(path, "a brand new passphrase", old_passphrase=PASS)
    assert path.read_bytes() == before  # the database itself was not touched
    with pytest.raises(WrongPassphrase):
        open_encrypted(path, PASS)
    with open_encrypted(path, "a brand new passphrase").store as store:
        assert len(_names(store)) >= 10
    # Forgotten passphrase: the recovery key sets a new one, and still works afterwards.
    change_passphrase(path, "third passphrase!", recovery_key=first.recovery_key)
    open_encrypted(path, "third passphrase!").store.close()
    with pytest.raises(KeyProblem, match="at least"):
        change_passphrase(path, "short", old_passphrase="third passphrase!")


def test_plain_store_is_converted_on_first_unlock(tmp_path: Path):
    path = tmp_path / "mmsdesk.sqlite3"
    with Store.open(path) as plain:
        load_demo(plain, TODAY)
        names = _names(plain)
    # An earlier (plain) migration backup holds the same data: it is encrypted as well.
    backups = tmp_path / "backups"
    backups.mkdir()
    (backups / "mmsdesk-before-x.sqlite3").write_bytes(path.read_bytes())
    assert store_state(path) is StoreState.PLAIN
    unlocked = open_encrypted(path, PASS)
    assert unlocked.converted and unlocked.recovery_key
    assert _names(unlocked.store) == names
    unlocked.store.close()
    terms = demo_phi_terms()
    for f in [path, *backups.iterdir()]:
        assert store_state(f) is StoreState.ENCRYPTED, f.name
        assert find_terms(f.read_bytes(), terms["names"]) == [], f.name
    assert not Path(f"{path}-wal").exists() or find_terms(
        Path(f"{path}-wal").read_bytes(), terms["names"]) == []
    assert not list(tmp_path.glob("*.encrypting*"))
    with open_encrypted(path, PASS).store as again:
        assert _names(again) == names


def test_interrupted_conversion_reuses_the_saved_key(tmp_path: Path):
    # The key file is written before the swap; a crash in between leaves plain store + key
    # file, and the next unlock must finish with that key (the recovery key already shown).
    path = tmp_path / "mmsdesk.sqlite3"
    Store.open(path).close()
    kf, _key, recovery = KeyFile.create(PASS)
    kf.save(keyfile_path(path))
    unlocked = open_encrypted(path, PASS)
    assert unlocked.converted and unlocked.recovery_key is None
    unlocked.store.close()
    open_encrypted(path, recovery_key=recovery).store.close()


def test_lock_drops_connections_and_unlock_reopens(tmp_path: Path):
    path = tmp_path / "mmsdesk.sqlite3"
    store = open_encrypted(path, PASS).store
    load_demo(store, TODAY)
    store.lock()
    assert store.locked
    with pytest.raises(StoreError, match="locked"), store.session():
        pass
    from mmsdesk.store.vault import unlock_key

    store.unlock(unlock_key(path, PASS))
    assert "Müller" in _names(store)
    store.close()


def test_production_kdf_is_a_sensible_argon2id_strength():
    # RFC 9106 second recommended option; tests use a cheaper setting recorded in each file.
    assert PRODUCTION.memory_kib >= 65536 and PRODUCTION.time_cost >= 3
    kf, key, _ = KeyFile.create(PASS, PRODUCTION)
    assert json.loads(kf.to_json())["kdf"]["memory_kib"] == PRODUCTION.memory_kib
    assert KeyFile.from_json(kf.to_json()).unlock(PASS) == key
