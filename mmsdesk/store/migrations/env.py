"""Alembic environment for MMS Desk: the engine comes from the caller, never from an ini file."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import mmsdesk.models  # noqa: F401  (registers every table on the metadata)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:  # `alembic` command line during development
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        # Foreign keys off for the migration (must be outside a transaction in SQLite).
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        try:
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,
                transactional_ddl=True,
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
                bad = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if bad:
                    raise RuntimeError(
                        f"migration left {len(bad)} rows pointing at missing parents "
                        f"(first in table {bad[0][0]}); nothing was changed"
                    )
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")


if context.is_offline_mode():
    raise SystemExit("MMS Desk migrations run online only")
run_migrations_online()
