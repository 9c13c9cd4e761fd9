"""Opening the SQLite store: pragmas, integrity check, migrations to head.

Every connection runs with WAL, ``synchronous=FULL`` and ``foreign_keys=ON`` so that a record
reported as committed survives a killed process or a power cut, and a child row can never
point at a missing parent.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from mmsdesk.store.errors import StoreError
from mmsdesk.store.who import Who

log = logging.getLogger(__name__)

# The newest migration's revision id. Checked against Alembic's head by a test; lets a store
# that is already current open without importing Alembic at all (window start time).
SCHEMA_HEAD = "0008_practice_people"




def _apply_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


SQLITE_HEADER = b"SQLite format 3\x00"
# SQLCipher prints its own lines on stderr for every page that fails to decrypt (a damaged
# file, a wrong key): the error reaches the user once, as one sentence, never as that noise.
QUIET_SQLCIPHER = "PRAGMA cipher_log_level = NONE"


def is_plain_sqlite(path: Path) -> bool:
    """True when ``path`` is an unencrypted SQLite file (SQLCipher files have no header)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_HEADER
    except OSError:
        return False


def make_engine(path: Path, key: bytes | bytearray | None = None, **kwargs: Any) -> Engine:
    """An engine on the store file with the store's pragmas on every connection.

    With ``key`` the file is opened through SQLCipher with that raw 256-bit key, which is set
    as the first statement of every connection and lives only in this engine's memory.
    """
    if key is None:
        engine = create_engine(f"sqlite:///{path}", **kwargs)
    else:
        import sqlcipher3.dbapi2 as sqlcipher

        from mmsdesk.store.crypto import sqlcipher_key_blob

        # The key reaches SQLCipher as a mutable buffer (sqlite3_key), overwritten by
        # forget_key() when the store locks. Copies Python cannot reach: SQLCipher's own
        # (freed by it when each connection closes), and the immutable bytes the key was
        # unwrapped into (cryptography's AESGCM returns bytes; dropped, never overwritten).
        blob = sqlcipher_key_blob(key)

        def connect() -> Any:
            conn = sqlcipher.connect(str(path), check_same_thread=False)
            conn.execute(QUIET_SQLCIPHER)
            conn.set_key(blob)
            return conn

        engine = create_engine(f"sqlite:///{path}", creator=connect, module=sqlcipher, **kwargs)
        _KEY_BLOBS[engine] = blob
    event.listen(engine, "connect", _apply_pragmas)
    return engine


_KEY_BLOBS: weakref.WeakKeyDictionary[Engine, bytearray] = weakref.WeakKeyDictionary()


def forget_key(engine: Engine) -> None:
    """Overwrite the key buffer ``engine`` connects with (after disposing of it)."""
    from mmsdesk.store.crypto import wipe

    wipe(_KEY_BLOBS.pop(engine, None))


def quick_check(engine: Engine) -> None:
    with engine.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
    if rows != ["ok"]:
        raise StoreError(f"The data file failed its integrity check ({'; '.join(rows[:3])}).")


def stored_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the store, or None for a store without one."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            has_table = conn.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).first()
        else:
            from sqlalchemy import inspect

            has_table = inspect(conn).has_table("alembic_version")
        if not has_table:
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return row[0] if row else None


class Store:
    """An open store. Create with :meth:`open`; use :meth:`session` for units of work.

    An encrypted store can be *locked* (connections closed, key dropped from memory) and
    *unlocked* again with the key; the Store object stays the same, so screens and services
    that hold it keep working after the unlock.
    """

    def __init__(self, path: Path, engine: Engine, *, encrypted: bool = False) -> None:
        self.path = path
        self._engine: Engine | None = engine
        self.encrypted = encrypted
        self.who: Who | None = None

    def sign_in(self, who: Who | None) -> None:
        """The person working on this store from now on (None: nobody, the sole proprietor's
        laptop): every audit row written through it names them; services read their role."""
        from mmsdesk.store import audit

        self.who = who
        if self._engine is not None:
            audit.set_actor(self._engine, who.name if who else None,
                            who.person_id if who else None, who.role if who else "")

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise StoreError("MMS Desk is locked; unlock it to reach the data.")
        return self._engine

    @property
    def locked(self) -> bool:
        return self._engine is None

    @property
    def where(self) -> str:
        """Where the data is, to show: the file's path (a server store names its address)."""
        return str(self.path)

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True, migrate: bool = True,
             key: bytes | bytearray | None = None,
             companions: tuple[tuple[Path, Path], ...] = ()) -> Store:
        """Open (and if needed create) the store at ``path``, upgraded to the current schema.

        Without ``key`` the file is plain SQLite (tests, ``--no-encryption``); with ``key`` it
        is a SQLCipher file encrypted with that key. An older store is copied to a dated
        backup before it is upgraded. A store written by a newer version is refused, unchanged.
        A new store is built whole under a temporary name; ``companions`` (temporary name,
        final name: its key file) are renamed into place just before it.
        """
        path = Path(path)
        from mmsdesk.store.recovery import recover

        recover(path)  # finish or undo a restore or key change that was cut
        existed = path.exists() and path.stat().st_size > 0
        if not existed and not create:
            raise StoreError(f"No MMS Desk data file at {path}.")
        if existed and key is not None and is_plain_sqlite(path):
            raise StoreError(f"The data file {path.name} is not encrypted.")
        if existed and key is None and not is_plain_sqlite(path) and _keyfile_exists(path):
            raise StoreError(f"The data file {path.name} is encrypted; unlock it first.")
        path.parent.mkdir(parents=True, exist_ok=True)
        if not existed and migrate:
            build_new(path, key, companions)
            existed = True
        else:
            for src, dest in companions:
                src.replace(dest)
        engine = _open_checked(path, key, existed, migrate)
        return cls(path, engine, encrypted=key is not None)

    def lock(self) -> None:
        """Close every connection and forget the key (the caller drops its copy too)."""
        if self._engine is not None:
            from mmsdesk.store import audit_seal

            audit_seal.detach(self._engine)
            self._engine.dispose()
            forget_key(self._engine)
            self._engine = None

    def unlock(self, key: bytes | bytearray | None) -> None:
        """Reopen after :meth:`lock` with the key (None for a plain store)."""
        if self._engine is None:
            self._engine = _open_checked(self.path, key, True, False)
            self.sign_in(getattr(self, "who", None))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error.

        A save over a record that someone else saved meanwhile is refused whole with a
        :class:`~mmsdesk.store.conflicts.RecordChanged` naming who and when."""
        from sqlalchemy.orm.exc import StaleDataError

        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except StaleDataError as exc:
                from mmsdesk.store import conflicts

                seen = conflicts.noted(session)
                session.rollback()
                raise conflicts.explain(self.engine, seen) from exc
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.lock()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def build_new(path: Path, key: bytes | bytearray | None,
              companions: tuple[tuple[Path, Path], ...] = ()) -> None:
    """Create a store at head under a temporary name, check it, then rename it into place.

    A kill at any step leaves either no store (the temporary file is cleared at the next
    creation) or a whole one: there is never a half-built schema under the store's name.
    The companions (its key file) are renamed first, the data file last.
    """
    import os

    from mmsdesk.store import migrate as migrate_mod
    from mmsdesk.store.crypto import fsync_dir

    tmp = path.with_name(path.name + ".creating")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
        leftover.unlink(missing_ok=True)
    engine = make_engine(tmp, key)
    try:
        migrate_mod.upgrade_to_head(engine, None, backup=False)
        quick_check(engine)
        with engine.connect() as conn:  # everything into the data file itself
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    wal = Path(f"{tmp}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError("The new data file could not be completed; nothing was created.")
    for side in (wal, Path(f"{tmp}-shm")):
        side.unlink(missing_ok=True)
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    for src, dest in companions:
        os.replace(src, dest)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def _keyfile_exists(path: Path) -> bool:
    from mmsdesk.store.crypto import keyfile_path

    return keyfile_path(path).exists()


def _open_checked(path: Path, key: bytes | bytearray | None, existed: bool,
                  migrate: bool) -> Engine:
    engine = make_engine(path, key)
    try:
        if existed:
            quick_check(engine)
        upgraded = migrate and (not existed or stored_revision(engine) != SCHEMA_HEAD)
        if upgraded:
            from mmsdesk.store import migrate as migrate_mod

            migrate_mod.upgrade_to_head(engine, path, backup=existed)
        from mmsdesk.store import audit_seal

        audit_seal.attach(engine, path, key, upgraded=upgraded)
    except StoreError:
        engine.dispose()
        forget_key(engine)
        raise
    except Exception as exc:  # a damaged or foreign file, or the wrong key
        engine.dispose()
        forget_key(engine)
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise StoreError(f"Could not open the data file {path.name}: {reason}.") from exc
    return engine


# Session events every store needs, registered with the engine's first import: the audit trail,
# the seal of its head, the versions a flush saves over, and the refusal of text that cannot
# be stored.
from mmsdesk.store import audit as _audit  # noqa: E402, F401
from mmsdesk.store import audit_seal as _audit_seal  # noqa: E402, F401
from mmsdesk.store import conflicts as _conflicts  # noqa: E402, F401
from mmsdesk.store import guard as _guard  # noqa: E402, F401

__all__ = ["SCHEMA_HEAD", "Store", "StoreError"]
