"""Alembic, configured in code, with migrations shipped inside the package.

Migrations run with foreign keys switched off on their connection (SQLite silently deletes
ON DELETE CASCADE children when a batch migration recreates a parent table), inside one
transaction, and ``PRAGMA foreign_key_check`` must come back empty before the commit.
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from mmsdesk import paths
from mmsdesk.store.engine import StoreError

log = logging.getLogger(__name__)


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(paths.migrations_dir()))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    heads = script_directory().get_heads()
    if len(heads) != 1:
        raise StoreError(f"The app's migrations have {len(heads)} heads; expected one.")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_copy(engine: Engine, db_path: Path, reason: str) -> Path:
    """A checked backup of the store in ``backups/`` beside it, with its key file, listed
    and restorable like every backup (through an encrypted engine it stays encrypted)."""
    from mmsdesk.store.backup import write_backup
    from mmsdesk.store.engine import is_plain_sqlite

    return write_backup(engine, db_path, db_path.parent / "backups",
                        encrypted=not is_plain_sqlite(db_path), kind=reason)


def vacuum_into(engine: Engine, dest: Path) -> None:
    """A consistent, compacted copy of the store at ``dest`` (same encryption as the engine)."""
    raw = engine.raw_connection()
    try:
        raw.driver_connection.execute("VACUUM INTO ?", (str(dest),))  # type: ignore[union-attr]
    finally:
        raw.close()


def upgrade_to_head(engine: Engine, db_path: Path | None = None, *, backup: bool = True) -> bool:
    """Bring the store to the newest schema. Returns True when migrations ran."""
    script = script_directory()
    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return False
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        raise StoreError(
            "This data file was written by a newer version of MMS Desk "
            f"(schema {current}). Install the newer version to open it; nothing was changed."
        )
    if backup and current is not None and db_path is not None:
        dest = backup_copy(engine, db_path, "before-upgrade")
        log.info("store backed up before migration to %s", dest.name)
    upgrade(engine, head)
    return True


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)
