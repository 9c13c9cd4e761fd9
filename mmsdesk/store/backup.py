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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from mmsdesk.store.crypto import (
    KeyFile,
    WrongPassphrase,
    fsync_dir,
    keyfile_copy_path,
    keyfile_path,
)
from mmsdesk.store.engine import QUIET_SQLCIPHER, Store, StoreError, is_plain_sqlite

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
    return write_backup(store.engine, store.path, folder or default_folder(store),
                        encrypted=store.encrypted, kind=kind, now=now)


def write_backup(engine: Engine, store_path: Path, folder: Path, *, encrypted: bool,
                 kind: str, now: datetime | None = None) -> Path:
    """A checked backup and its key file, written as a pair that is never half there.

    Both are written under temporary names, fsynced and checked (the copy's integrity and
    row counts against the store, the key file read back); then each gets its final name by
    a link that fails rather than overwrite (so two backups never share a name), the key
    file first and the data file last. A kill leaves at most a ``.partial`` leftover, which
    the next backup into the folder removes, or a key file whose backup never appeared.
    """
    from mmsdesk.store.migrate import vacuum_into

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(f"{store_path.stem}-*.partial"):
        _remove_if_abandoned(old)
    stamp = (now or datetime.now()).strftime(_STAMP)
    base = f"{store_path.stem}-{stamp}-{kind}"
    tmp = folder / f"{base}.{os.getpid()}.sqlite3.partial"
    tmp_keys = folder / f"{base}.{os.getpid()}.keys.partial"
    keys = keyfile_path(store_path)
    with_keys = encrypted and keys.exists()
    try:
        vacuum_into(engine, tmp)
        _fsync(tmp)
        check_copy(engine, tmp)
        if with_keys:
            shutil.copyfile(keys, tmp_keys)
            _fsync(tmp_keys)
            KeyFile.load(tmp_keys)  # reads back whole (raises when the copy is damaged)
        dest = _claim_names(folder, base, tmp, tmp_keys if with_keys else None)
    finally:
        tmp.unlink(missing_ok=True)
        tmp_keys.unlink(missing_ok=True)
    fsync_dir(folder)
    log.info("backup written (%s, %d bytes)", kind, dest.stat().st_size)
    return dest


def _remove_if_abandoned(partial: Path) -> None:
    """Remove a ``.partial`` left by a killed backup (its writer, named in it, is gone)."""
    from mmsdesk.store.lock import process_alive

    try:
        pid = int(partial.name.split(".")[-3])
    except (ValueError, IndexError):
        pid = 0
    if pid != os.getpid() and process_alive(pid):
        return  # another process (a second practice's window) is writing it now
    partial.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _place(src: Path, dest: Path) -> bool:
    """Give ``src``'s file the name ``dest`` unless it is taken (False then)."""
    try:
        os.link(src, dest)
        return True
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links (FAT on a USB stick)
        if dest.exists():
            return False
        shutil.copyfile(src, dest)
        _fsync(dest)
        return True


def _claim_names(folder: Path, base: str, data: Path, keys: Path | None) -> Path:
    n = 0
    while True:
        dest = folder / (f"{base}.sqlite3" if n == 0 else f"{base}-{n}.sqlite3")
        n += 1
        if dest.exists():
            continue
        if keys is not None and not _place(keys, keyfile_path(dest)):
            continue
        if _place(data, dest):
            return dest
        if keys is not None:
            keyfile_path(dest).unlink(missing_ok=True)


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
        kind = parts[2:]
        if len(kind) > 1 and kind[-1].isdigit():  # "-1": a second backup in the same second
            kind = kind[:-1]
        out.append(BackupInfo(p, taken, "-".join(kind)))
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
    if auto:  # the newest, just written and checked, is never rotated away
        keep.add(auto[0].path)
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
    if not path.is_file():
        raise StoreError(f"{path.name} is a folder, not a backup file.")
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
    conn.execute(QUIET_SQLCIPHER)
    try:
        if key is not None:
            conn.execute(sqlcipher_key_pragma(key))
        try:
            check = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if check != ["ok"]:
                raise StoreError(f"The backup {path.name} failed its integrity check.")
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            if "patient" not in tables or "alembic_version" not in tables:
                raise StoreError(f"The file {path.name} is not an MMS Desk backup.")
            schema = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            patients = conn.execute("SELECT count(*) FROM patient").fetchone()[0]
        except sqlcipher.Error as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise StoreError(f"The backup {path.name} cannot be read ({reason}).") from exc
    finally:
        conn.close()
    return BackupCheck(path, encrypted, schema[0] if schema else None, patients, key, used)


def _holds_a_store(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if p.suffix in {".sqlite3", ".keys", ".db"} or p.name.endswith(".sqlite3.keys"))


def restore_into(check: BackupCheck, target: Path, *, replace: bool = False) -> Store:
    """Copy a checked backup to ``target`` and open it (migrating it if older).

    Without ``replace`` the target's folder must hold no store and no key file (a key file
    alone may be the only wrapped copy of another store's key). With ``replace`` (the caller
    has asked for confirmation, made a backup of the current store and closed it) the current
    pair stays in place until the new pair is complete and checked; the swap is journalled
    (:mod:`mmsdesk.store.recovery`), so a cut restore is finished at the next start.
    """
    from mmsdesk.store.recovery import commit_swap, incoming, recover

    target = Path(target)
    if not replace:
        found = _holds_a_store(target.parent)
        if found:
            raise StoreError(f"There is already a data file or key file in {target.parent} "
                             f"({', '.join(found[:3])}); choose an empty folder. Nothing was "
                             "changed.")
    elif target.exists():
        wal = Path(f"{target}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreError("The current data file is still in use; close MMS Desk and try "
                             "again.")
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    pairs: list[tuple[Path, Path]] = []
    new_keys = keyfile_path(target)
    if check.keyfile is not None and check.keyfile != new_keys:
        shutil.copyfile(check.keyfile, incoming(new_keys))
        KeyFile.load(incoming(new_keys))
        pairs.append((incoming(new_keys), new_keys))
        copy = keyfile_copy_path(target)  # the second copy follows the key file
        shutil.copyfile(check.keyfile, incoming(copy))
        pairs.append((incoming(copy), copy))
    shutil.copyfile(check.path, incoming(target))
    pairs.append((incoming(target), target))
    try:
        _check_file(incoming(target), check.key)
    except BaseException:
        for src, _dest in pairs:
            src.unlink(missing_ok=True)
        raise
    commit_swap(target, pairs, "restore")
    log.info("backup restored into a data file")
    return Store.open(target, create=False, key=check.key)


def _check_file(path: Path, key: bytearray | None) -> None:
    """The copied file opens with its key and passes the integrity check."""
    import sqlcipher3.dbapi2 as sqlcipher

    from mmsdesk.store.crypto import sqlcipher_key_pragma

    conn = sqlcipher.connect(f"file:{path}?mode=ro", uri=True)
    conn.execute(QUIET_SQLCIPHER)
    try:
        if key is not None:
            conn.execute(sqlcipher_key_pragma(key))
        check = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
    except sqlcipher.DatabaseError as exc:
        raise StoreError(f"The copy of the backup cannot be read ({exc}); nothing was "
                         "changed.") from exc
    finally:
        conn.close()
    if check != ["ok"]:
        raise StoreError("The copy of the backup failed its integrity check; nothing was "
                         "changed.")


def restore_over_current(check: BackupCheck, current: Path,
                         open_current: Callable[[], Store]) -> Path | None:
    """Back up the current data (``kind=before-restore``), close it, restore ``check`` over it.

    Returns the safety backup's path (None when there was no current data).
    """
    safety = None
    if current.exists() and current.stat().st_size > 0:
        with open_current() as store:
            safety = backup_now(store, kind="before-restore")
    restore_into(check, current, replace=True).close()
    return safety
