"""Backups: consistent encrypted copies, checked after writing, rotated 7 daily/4 weekly/12 monthly.

A backup is made with ``VACUUM INTO`` through the store's own connection, so it is encrypted
with the store's key (a plain store gives a plain copy). It is then attached back (SQLCipher
uses the main database's key for it), integrity-checked and compared table by table. The key
file is copied beside each backup: it holds only wrapped keys, and lets a backup be restored
on another laptop with the passphrase (as it was then) or the recovery key.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from mmsdesk.store.crypto import KeyFile, WrongPassphrase, fsync_dir, keyfile_path
from mmsdesk.store.engine import Store, StoreError, is_plain_sqlite

log = logging.getLogger(__name__)

AUTO_KINDS = ("daily", "exit")
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
_STAMP = "%Y%m%d-%H%M%S"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    kind: str


def default_folder(store: Store) -> Path:
    return store.path.parent / "backups"


def _counts(raw: object, schema: str) -> dict[str, int]:
    names = [r[0] for r in raw.execute(  # type: ignore[attr-defined]
        f"SELECT name FROM {schema}.sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()]
    return {n: raw.execute(f'SELECT count(*) FROM {schema}."{n}"').fetchone()[0]  # type: ignore[attr-defined]
            for n in names}


def check_copy(engine: Engine, copy: Path) -> dict[str, int]:
    """Attach ``copy`` with the store's key, integrity-check it, compare row counts."""
    raw = engine.raw_connection()
    try:
        conn = raw.driver_connection
        conn.execute("ATTACH DATABASE ? AS bk", (str(copy),))  # type: ignore[union-attr]
        try:
            check = [r[0] for r in conn.execute("PRAGMA bk.integrity_check").fetchall()]  # type: ignore[union-attr]
            if check != ["ok"]:
                raise StoreError(f"The backup {copy.name} failed its integrity check.")
            theirs, ours = _counts(conn, "bk"), _counts(conn, "main")
            if theirs != ours:
                raise StoreError(f"The backup {copy.name} does not match the store.")
            return theirs
        finally:
            conn.execute("DETACH DATABASE bk")  # type: ignore[union-attr]
    finally:
        raw.close()


def backup_now(store: Store, folder: Path | None = None, *, kind: str = "manual",
               now: datetime | None = None) -> Path:
    """Write a checked backup of ``store`` into ``folder``; returns its path."""
    from mmsdesk.store.migrate import vacuum_into

    folder = Path(folder) if folder else default_folder(store)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime(_STAMP)
    dest = folder / f"{store.path.stem}-{stamp}-{kind}.sqlite3"
    n = 1
    while dest.exists():
        dest = folder / f"{store.path.stem}-{stamp}-{kind}-{n}.sqlite3"
        n += 1
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        vacuum_into(store.engine, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        check_copy(store.engine, tmp)
        os.replace(tmp, dest)
        keys = keyfile_path(store.path)
        if store.encrypted and keys.exists():
            shutil.copyfile(keys, keyfile_path(dest))
        fsync_dir(folder)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    log.info("backup written (%s, %d bytes)", kind, dest.stat().st_size)
    return dest


def list_backups(folder: Path, stem: str = "mmsdesk") -> list[BackupInfo]:
    """Backups in ``folder`` written by :func:`backup_now`, newest first."""
    out = []
    for p in folder.glob(f"{stem}-*.sqlite3"):
        parts = p.stem[len(stem) + 1:].split("-")
        if len(parts) < 3:
            continue
        try:
            taken = datetime.strptime(f"{parts[0]}-{parts[1]}", _STAMP)
        except ValueError:
            continue
        out.append(BackupInfo(p, taken, parts[2]))
    return sorted(out, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def rotation_keep(backups: list[BackupInfo]) -> set[Path]:
    """The automatic backups to keep: newest of each of the last 7 days, 4 weeks, 12 months."""
    keep: set[Path] = set()
    for size, key in ((KEEP_DAILY, lambda d: d.isoformat()),
                      (KEEP_WEEKLY, lambda d: tuple(d.isocalendar())[:2]),
                      (KEEP_MONTHLY, lambda d: (d.year, d.month))):
        seen: list[object] = []
        for b in backups:  # newest first
            k = key(b.taken_at.date())
            if k not in seen:
                seen.append(k)
                if len(seen) > size:
                    break
                keep.add(b.path)
    return keep


def rotate(folder: Path, stem: str = "mmsdesk") -> list[Path]:
    """Delete automatic backups beyond the rotation; manual and pre-migration ones stay."""
    auto = [b for b in list_backups(folder, stem) if b.kind in AUTO_KINDS]
    keep = rotation_keep(auto)
    removed = []
    for b in auto:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            keyfile_path(b.path).unlink(missing_ok=True)
            removed.append(b.path)
    if removed:
        log.info("backup rotation removed %d old backups", len(removed))
    return removed


def auto_backup(store: Store, *, on_exit: bool = False, today: date | None = None,
                now: datetime | None = None) -> Path | None:
    """The automatic backup: on exit always, otherwise once a day. Then rotate."""
    folder = default_folder(store)
    today = today or (now or datetime.now()).date()
    if not on_exit and any(b.taken_at.date() == today and b.kind in AUTO_KINDS
                           for b in list_backups(folder, store.path.stem)):
        return None
    path = backup_now(store, folder, kind="exit" if on_exit else "daily", now=now)
    rotate(folder, store.path.stem)
    return path


# -- restoring
@dataclass(frozen=True)
class BackupCheck:
    """What a backup file holds, once its key is known and its checks passed."""

    path: Path
    encrypted: bool
    schema: str | None
    patients: int
    key: bytearray | None
    keyfile: Path | None


def check_backup(path: Path, passphrase: str | None = None, *, recovery_key: str | None = None,
                 keyfiles: tuple[Path, ...] = ()) -> BackupCheck:
    """Open a backup read-only with the first key file whose key opens it; check it."""
    import sqlcipher3.dbapi2 as sqlcipher

    from mmsdesk.store.crypto import sqlcipher_key_pragma

    if not path.exists():
        raise StoreError(f"No backup file at {path}.")
    encrypted = not is_plain_sqlite(path)
    key: bytearray | None = None
    used: Path | None = None
    if encrypted:
        tried = False
        for kf_path in (keyfile_path(path), *keyfiles):
            if not kf_path.exists():
                continue
            tried = True
            kf = KeyFile.load(kf_path)
            try:
                key = bytearray(kf.unlock_with_recovery(recovery_key) if recovery_key
                                else kf.unlock(passphrase or ""))
            except WrongPassphrase:
                continue
            used = kf_path
            break
        if key is None:
            raise StoreError(f"Cannot open the backup {path.name}: "
                             + ("the passphrase or recovery key does not unlock it."
                                if tried else "its key file is missing."))
    uri = f"file:{path}?mode=ro"
    conn = sqlcipher.connect(uri, uri=True)
    try:
        if key is not None:
            conn.execute(sqlcipher_key_pragma(key))
        try:
            check = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        except sqlcipher.DatabaseError as exc:
            raise StoreError(f"The backup {path.name} cannot be read ({exc}).") from exc
        if check != ["ok"]:
            raise StoreError(f"The backup {path.name} failed its integrity check.")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "patient" not in tables or "alembic_version" not in tables:
            raise StoreError(f"The file {path.name} is not an MMS Desk backup.")
        schema = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        patients = conn.execute("SELECT count(*) FROM patient").fetchone()[0]
    finally:
        conn.close()
    return BackupCheck(path, encrypted, schema[0] if schema else None, patients, key, used)


def restore_into(check: BackupCheck, target: Path, *, replace: bool = False) -> Store:
    """Copy a checked backup to ``target`` and open it (migrating it if older).

    ``target`` must not exist unless ``replace`` (the caller has asked for confirmation and
    made a backup of the current store, and the current store is closed).
    """
    if target.exists() and target.stat().st_size > 0 and not replace:
        raise StoreError(f"There is already a data file at {target}; nothing was changed.")
    wal = Path(f"{target}-wal")
    if replace and wal.exists() and wal.stat().st_size > 0:
        raise StoreError("The current data file is still in use; close MMS Desk and try again.")
    Path(f"{target}-shm").unlink(missing_ok=True)
    wal.unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".restoring")
    shutil.copyfile(check.path, tmp)
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    if check.keyfile is not None and check.keyfile != keyfile_path(target):
        shutil.copyfile(check.keyfile, keyfile_path(target))
    os.replace(tmp, target)
    fsync_dir(target.parent)
    log.info("backup restored into a new data file")
    return Store.open(target, create=False, key=check.key)
