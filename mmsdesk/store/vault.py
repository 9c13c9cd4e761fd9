"""Opening the encrypted store: set-up, unlock, passphrase change, and converting a plain store.

The one entry point is :func:`open_encrypted`. It creates a new encrypted store, unlocks an
existing one, or converts an existing unencrypted store on its first unlock (encrypted copy,
verified table by table, atomic swap, old file overwritten then removed).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from mmsdesk.store import attempts
from mmsdesk.store.crypto import (
    KeyFile,
    KeyFileError,
    KeyProblem,
    WrongPassphrase,
    fsync_dir,
    keyfile_copy_path,
    keyfile_path,
    sqlcipher_key_pragma,
    wipe,
)
from mmsdesk.store.engine import Store, StoreError, is_plain_sqlite

log = logging.getLogger(__name__)


class StoreState(Enum):
    MISSING = "missing"
    PLAIN = "plain"
    ENCRYPTED = "encrypted"


def store_state(path: Path) -> StoreState:
    if not path.exists() or path.stat().st_size == 0:
        return StoreState.MISSING
    return StoreState.PLAIN if is_plain_sqlite(path) else StoreState.ENCRYPTED


@dataclass
class Unlocked:
    """An open encrypted store, and the recovery key to show once when one was just made."""

    store: Store
    recovery_key: str | None = None
    converted: bool = False


@dataclass
class NewKey:
    """A database key made before its store exists: the first-run wizard shows the recovery
    key and writes nothing until the pharmacist finishes; then ``open_encrypted(prepared=)``."""

    keyfile: KeyFile
    key: bytes
    recovery_key: str


def new_key(passphrase: str) -> NewKey:
    """A fresh random key wrapped by ``passphrase`` (KeyProblem when it is too short)."""
    return NewKey(*KeyFile.create(passphrase))


def unlock_key(path: Path, passphrase: str | None = None, *,
               recovery_key: str | None = None) -> bytearray:
    """The database key of the store at ``path``, from the passphrase or the recovery key.

    Raises :class:`~mmsdesk.store.crypto.WrongPassphrase`, ``KeyFileError``, or
    :class:`~mmsdesk.store.attempts.TooSoon` while the delay after wrong tries runs (kept
    beside the store: it survives a restart and holds for the window and the command line).
    """
    path = Path(path)
    from mmsdesk.store.recovery import recover

    recover(path)  # a restore or key change cut after its journal: its key file is the one
    kf = load_keyfile(path)
    attempts.check(path)
    try:
        key = (kf.unlock_with_recovery(recovery_key) if recovery_key is not None
               else kf.unlock(passphrase or ""))
    except WrongPassphrase:
        attempts.failed(path)
        raise
    attempts.succeeded(path)
    return bytearray(key)  # the immutable ``key`` cannot be overwritten; it is dropped here


def load_keyfile(path: Path) -> KeyFile:
    """The store's key file, or its second copy when the first is missing or damaged."""
    kpath, copy = keyfile_path(path), keyfile_copy_path(path)
    try:
        return KeyFile.load(kpath)
    except KeyFileError:
        if not copy.exists():
            raise
        log.warning("key file unreadable or missing; its second copy is used")
        return KeyFile.load(copy)


def mirror_keyfile(path: Path) -> None:
    """After an unlock: put back a lost key file from its copy, or refresh the copy."""
    kpath, copy = keyfile_path(path), keyfile_copy_path(path)
    try:
        current = KeyFile.load(kpath)
    except KeyFileError:
        if copy.exists():
            KeyFile.load(copy).save(kpath)
            log.info("key file restored from its second copy")
        return
    if not copy.exists() or copy.read_text(encoding="utf-8") != current.to_json():
        current.save(copy)


def open_encrypted(path: Path, passphrase: str | None = None, *, recovery_key: str | None = None,
                   create: bool = True, migrate: bool = True,
                   prepared: NewKey | None = None) -> Unlocked:
    """Open the store at ``path`` encrypted: create, unlock or convert as its state requires.

    ``prepared`` (from :func:`new_key`) is the key a new store is created with.
    """
    path = Path(path)
    from mmsdesk.store.recovery import recover

    recover(path)  # before the store's state and key file are read
    state = store_state(path)
    kpath = keyfile_path(path)
    if state is StoreState.MISSING:
        if not create:
            raise StoreError(f"No MMS Desk data file at {path}.")
        path.parent.mkdir(parents=True, exist_ok=True)
        kf, key, recovery = ((prepared.keyfile, prepared.key, prepared.recovery_key) if prepared
                             else KeyFile.create(passphrase or ""))
        # The key file goes into place just before the data file: an encrypted store never
        # lacks its key file, and a creation that was cut leaves no store at all.
        ktmp = kpath.with_name(kpath.name + ".creating")
        kf.save(ktmp)
        store = Store.open(path, key=key, migrate=migrate, companions=((ktmp, kpath),))
        log.info("new encrypted store created")
        mirror_keyfile(path)
        return Unlocked(store, recovery)
    if state is StoreState.PLAIN:
        recovery = None
        if kpath.exists():  # a conversion interrupted earlier: keep that key (and recovery key)
            key = unlock_key(path, passphrase, recovery_key=recovery_key)
        else:
            kf, raw, recovery = KeyFile.create(passphrase or "")
            key = bytearray(raw)
            kf.save(kpath)
        encrypt_plain_file(path, key)
        for old in sorted((path.parent / "backups").glob("*.sqlite3")):
            if is_plain_sqlite(old):  # earlier plain backups hold the same patient data
                encrypt_plain_file(old, key)
        store = Store.open(path, key=key, migrate=migrate)
        log.info("unencrypted store converted to an encrypted one")
        return Unlocked(store, recovery, converted=True)
    if not kpath.exists() and not keyfile_copy_path(path).exists():
        raise StoreError(f"The data file {path.name} is not a readable store: it is damaged, or "
                         f"encrypted and its key file {kpath.name} is missing.")
    key = unlock_key(path, passphrase, recovery_key=recovery_key)
    try:
        store = Store.open(path, key=key, create=False, migrate=migrate)
    finally:
        wipe(key)
    mirror_keyfile(path)
    return Unlocked(store)


def change_passphrase(path: Path, new_passphrase: str, *, old_passphrase: str | None = None,
                      recovery_key: str | None = None) -> None:
    """Re-wrap the database key with a new passphrase; the database is not re-encrypted."""
    kpath = keyfile_path(path)
    kf = load_keyfile(path)
    key = unlock_key(path, old_passphrase, recovery_key=recovery_key)
    kf.with_new_passphrase(bytes(key), new_passphrase).save(kpath)
    wipe(key)
    mirror_keyfile(path)
    log.info("passphrase changed")


def rotate_key(path: Path, new_passphrase: str, *, old_passphrase: str | None = None,
               recovery_key: str | None = None) -> str:
    """Re-encrypt the data under a new random key (a passphrase that may have leaked, with an
    old key file, then opens nothing current). Returns the new recovery key, to show once.

    The store must be closed and its lock held. The data is exported (``sqlcipher_export``)
    into ``<store>.incoming`` under the new key, checked (integrity, table by table), and the
    new key file, its second copy and the data file are swapped in under a journal
    (:mod:`mmsdesk.store.recovery`): a kill at any step leaves the old pair or the new one.
    The old file's bytes are overwritten once the new one is in place. Backups keep their own
    key files and open as before.
    """
    import sqlcipher3.dbapi2 as sqlcipher

    from mmsdesk.store.recovery import commit_swap, incoming, recover

    path = Path(path)
    recover(path)
    if store_state(path) is not StoreState.ENCRYPTED:
        raise StoreError(f"The data file at {path} is not encrypted; nothing was changed.")
    old_key = unlock_key(path, old_passphrase, recovery_key=recovery_key)
    kf, new, recovery = KeyFile.create(new_passphrase)
    tmp = incoming(path)
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    conn = sqlcipher.connect(str(path))
    try:
        conn.execute(sqlcipher_key_pragma(old_key))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = _table_counts(conn)
        conn.execute("ATTACH DATABASE ? AS rekeyed KEY ?", (str(tmp), f"x'{new.hex()}'"))
        conn.execute("SELECT sqlcipher_export('rekeyed')")
        conn.execute("DETACH DATABASE rekeyed")
    finally:
        conn.close()
        wipe(old_key)
    enc = sqlcipher.connect(str(tmp))
    try:
        enc.execute(sqlcipher_key_pragma(new))
        check = [r[0] for r in enc.execute("PRAGMA integrity_check").fetchall()]
        same = _table_counts(enc) == counts
    finally:
        enc.close()
    if check != ["ok"] or not same:
        tmp.unlink(missing_ok=True)
        raise StoreError("The re-encrypted copy failed its check; nothing was changed.")
    kpath, copy = keyfile_path(path), keyfile_copy_path(path)
    kf.save(incoming(kpath))
    kf.save(incoming(copy))
    size = path.stat().st_size
    with open(path, "rb+") as old:  # the old inode stays reachable to be overwritten
        commit_swap(path, [(incoming(kpath), kpath), (incoming(copy), copy), (tmp, path)],
                    "new key")
        _overwrite(old, size)
    log.info("data re-encrypted under a new key")
    return recovery


def _table_counts(conn: sqlite3.Connection | object) -> dict[str, int]:
    cur = conn.execute(  # type: ignore[attr-defined]
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
    names = [r[0] for r in cur.fetchall()]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]  # type: ignore[attr-defined]
            for n in names}


def encrypt_plain_file(path: Path, key: bytes | bytearray) -> None:
    """Replace the plain SQLite file at ``path`` by an encrypted copy, safely.

    The copy is made with ``sqlcipher_export``, reopened with the key, integrity-checked and
    compared table by table; only then is it renamed over the original (atomic), and the
    original's bytes are overwritten before its last link goes.
    """
    import sqlcipher3.dbapi2 as sqlcipher

    tmp = path.with_name(path.name + ".encrypting")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    plain = sqlcipher.connect(str(path))  # no key: SQLCipher reads plain SQLite
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = _table_counts(plain)
        hexkey = bytes(key).hex()
        plain.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(tmp), f"x'{hexkey}'"))
        plain.execute("SELECT sqlcipher_export('encrypted')")
        plain.execute("DETACH DATABASE encrypted")
    finally:
        plain.close()
    enc = sqlcipher.connect(str(tmp))
    try:
        enc.execute(sqlcipher_key_pragma(key))
        check = [r[0] for r in enc.execute("PRAGMA integrity_check").fetchall()]
        if check != ["ok"] or _table_counts(enc) != counts:
            raise StoreError("Encrypting the data file failed its check; the original is unchanged.")
    finally:
        enc.close()
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    size = path.stat().st_size
    with open(path, "rb+") as old:  # keeps the old inode reachable after the rename
        os.replace(tmp, path)
        fsync_dir(path.parent)
        _overwrite(old, size)
    for side in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if side.exists():
            with open(side, "rb+") as fh:
                _overwrite(fh, side.stat().st_size)
            side.unlink()


def secure_remove(path: Path) -> None:
    """Overwrite a file's bytes, then remove it (best effort on SSDs and copy-on-write disks)."""
    if path.exists():
        with open(path, "rb+") as fh:
            _overwrite(fh, path.stat().st_size)
        path.unlink()


def _overwrite(fh: object, size: int) -> None:
    chunk = b"\0" * 65536
    fh.seek(0)  # type: ignore[attr-defined]
    left = size
    while left > 0:
        n = min(left, len(chunk))
        fh.write(chunk[:n])  # type: ignore[attr-defined]
        left -= n
    fh.flush()  # type: ignore[attr-defined]
    os.fsync(fh.fileno())  # type: ignore[attr-defined]


__all__ = ["KeyProblem", "NewKey", "StoreState", "Unlocked", "change_passphrase", "encrypt_plain_file",
           "new_key", "open_encrypted", "rotate_key", "secure_remove", "store_state", "unlock_key"]
