"""Opening the SQLite store: pragmas, integrity check, migrations to head.

Every connection runs with WAL, ``synchronous=FULL`` and ``foreign_keys=ON`` so that a record
reported as committed survives a killed process or a power cut, and a child row can never
point at a missing parent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

log = logging.getLogger(__name__)

# The newest migration's revision id. Checked against Alembic's head by a test; lets a store
# that is already current open without importing Alembic at all (window start time).
SCHEMA_HEAD = "0002_visits_practice_audit"


class StoreError(Exception):
    """A store problem to show the user as one clear sentence."""


def _apply_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def make_engine(path: Path, **kwargs: Any) -> Engine:
    """An engine on a plain SQLite file with the store's pragmas on every connection."""
    engine = create_engine(f"sqlite:///{path}", **kwargs)
    event.listen(engine, "connect", _apply_pragmas)
    return engine


def quick_check(engine: Engine) -> None:
    with engine.connect() as conn:
        rows = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
    if rows != ["ok"]:
        raise StoreError(f"The data file failed its integrity check ({'; '.join(rows[:3])}).")


def stored_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the store, or None for a store without one."""
    with engine.connect() as conn:
        has_table = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
        ).first()
        if not has_table:
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return row[0] if row else None


class Store:
    """An open store. Create with :meth:`open`; use :meth:`session` for units of work."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True, migrate: bool = True) -> Store:
        """Open (and if needed create) the store at ``path``, upgraded to the current schema.

        An older store is copied to a dated backup before it is upgraded. A store written by a
        newer version of MMS Desk is refused, unchanged.
        """
        path = Path(path)
        existed = path.exists() and path.stat().st_size > 0
        if not existed and not create:
            raise StoreError(f"No MMS Desk data file at {path}.")
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = make_engine(path)
        try:
            if existed:
                quick_check(engine)
            if migrate and (not existed or stored_revision(engine) != SCHEMA_HEAD):
                from mmsdesk.store import migrate as migrate_mod

                migrate_mod.upgrade_to_head(engine, path, backup=existed)
        except StoreError:
            engine.dispose()
            raise
        except Exception as exc:  # a damaged or foreign file
            engine.dispose()
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
            raise StoreError(f"Could not open the data file {path.name}: {reason}.") from exc
        return cls(path, engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
