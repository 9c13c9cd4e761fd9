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
    if engine.dialect.name == "postgresql":
        _run_on_server(engine)
        return
    with engine.connect() as connection:
        # Foreign keys off for the migration (must be outside a transaction in SQLite).
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        # The Python driver opens a transaction only before INSERT/UPDATE/DELETE, so each
        # CREATE, DROP or ALTER would commit on its own and a kill between two of them would
        # leave half a schema. With its own transaction handling off, the migration's BEGIN
        # below covers every statement: all migrations commit together, or none does.
        driver = connection.connection.driver_connection
        isolation = driver.isolation_level  # type: ignore[union-attr]
        driver.isolation_level = None  # type: ignore[union-attr]
        try:
            _configure(connection)
            with context.begin_transaction():
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                context.run_migrations()
                bad = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if bad:
                    raise RuntimeError(
                        f"migration left {len(bad)} rows pointing at missing parents "
                        f"(first in table {bad[0][0]}); nothing was changed"
                    )
        finally:
            if not driver.in_transaction:  # type: ignore[union-attr]
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            driver.isolation_level = isolation  # type: ignore[union-attr]


def _configure(connection: object) -> None:
    """Both engines: every migration in one transaction, batch operations (SQLite rebuilds a
    table for an ALTER; PostgreSQL runs it as a plain ALTER), column types compared."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        transactional_ddl=True,
        transaction_per_migration=False,
        compare_type=True,
    )


def _run_on_server(engine: object) -> None:
    """PostgreSQL: DDL is transactional and foreign keys are checked as rows change, so the
    same migrations run unchanged in one transaction (batch operations become plain ALTERs).
    An advisory lock makes a second app that starts at the same moment wait, then find the
    schema already current."""
    with engine.connect() as connection:  # type: ignore[attr-defined]
        _configure(connection)
        with context.begin_transaction():
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7362001)")
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("MMS Desk migrations run online only")
run_migrations_online()
