"""Safe migrations: a batch migration that recreates the patient table keeps every child row.

SQLite recreates a table for most ALTERs (copy, DROP, rename). With foreign keys on, the DROP
deletes every ON DELETE CASCADE child: allergies, medications, visits... The store's Alembic
environment switches foreign keys off on the migration connection and runs
``PRAGMA foreign_key_check`` before committing. These tests run real migration scripts
through that environment on a copy of the shipped migrations.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory

from mmsdesk import paths
from mmsdesk.services.demo import load_demo
from mmsdesk.store import Store
from mmsdesk.store import migrate as migrate_mod
from mmsdesk.store.engine import SCHEMA_HEAD, make_engine
from tests.conftest import TODAY

CHILD_TABLES = ("caregiver", "allergy", "condition", "observation", "medication_entry",
                "patient_prescriber", "patient_pharmacy", "pgx_result")

BATCH_PATIENT = '''
import sqlalchemy as sa
from alembic import op

revision = "{rev}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Recreates the patient table (copy, DROP, rename), as SQLite needs for most ALTERs.
    with op.batch_alter_table("patient", recreate="always") as batch:
        batch.add_column(sa.Column("nickname_test", sa.String(50), nullable=True))
    {extra}


def downgrade() -> None:
    with op.batch_alter_table("patient", recreate="always") as batch:
        batch.drop_column("nickname_test")
'''


def _scripts_with(tmp_path: Path, rev: str, extra: str = "") -> Path:
    folder = tmp_path / "migrations"
    shutil.copytree(paths.migrations_dir(), folder,
                    ignore=shutil.ignore_patterns("__pycache__"))
    down = ScriptDirectory(str(paths.migrations_dir())).get_current_head()
    (folder / "versions" / f"{rev}.py").write_text(
        BATCH_PATIENT.format(rev=rev, down=down, extra=extra), encoding="utf-8")
    return folder


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar() for t in
                ("patient", *CHILD_TABLES)}


def _upgrade(engine, folder: Path) -> None:
    cfg = migrate_mod.alembic_config(engine)
    cfg.set_main_option("script_location", str(folder))
    command.upgrade(cfg, "head")


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    path = tmp_path / "mmsdesk.sqlite3"
    with Store.open(path) as store:
        load_demo(store, TODAY)
    return path


def test_batch_migration_of_patient_table_keeps_every_child_row(tmp_path, demo_path):
    engine = make_engine(demo_path)
    before = _counts(engine)
    assert all(before[t] > 0 for t in ("patient", "allergy", "medication_entry", "caregiver"))
    _upgrade(engine, _scripts_with(tmp_path, "9001_batch_patient_test"))
    with engine.connect() as conn:
        assert migrate_mod.current_revision(engine) == "9001_batch_patient_test"
        cols = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(patient)")]
        assert "nickname_test" in cols  # the table really was rebuilt
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # back on afterwards
    assert _counts(engine) == before
    engine.dispose()


def test_the_same_migration_with_foreign_keys_on_would_delete_children(demo_path):
    # The control: proves the test above would fail if the environment left foreign keys on.
    engine = make_engine(demo_path)
    before = _counts(engine)
    with engine.begin() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        ops = Operations(MigrationContext.configure(conn, opts={"render_as_batch": True}))
        with ops.batch_alter_table("patient", recreate="always") as batch:
            batch.add_column(__import__("sqlalchemy").Column("x", __import__("sqlalchemy").Integer))
    after = _counts(engine)
    assert after["patient"] == before["patient"]
    assert after["allergy"] == 0 and after["medication_entry"] == 0
    engine.dispose()


def test_migration_leaving_orphans_is_rolled_back_whole(tmp_path, demo_path):
    extra = ('op.execute("INSERT INTO caregiver (uuid, patient_id, name, relationship, phone, '
             "is_emergency_contact, created_at, updated_at) VALUES ('orphan', 99999, 'x', '', "
             "'', 0, '2026-01-01', '2026-01-01')\")")
    engine = make_engine(demo_path)
    before = _counts(engine)
    with pytest.raises(RuntimeError, match="pointing at missing parents"):
        _upgrade(engine, _scripts_with(tmp_path, "9002_orphan_test", extra))
    assert migrate_mod.current_revision(engine) == SCHEMA_HEAD
    with engine.connect() as conn:
        cols = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(patient)")]
    assert "nickname_test" not in cols and _counts(engine) == before
    engine.dispose()


def test_older_store_is_backed_up_encrypted_before_migrating(tmp_path):
    from mmsdesk.store.vault import StoreState, open_encrypted, store_state

    path = tmp_path / "data" / "mmsdesk.sqlite3"
    store = open_encrypted(path, "correct horse battery staple").store
    load_demo(store, TODAY)
    store.close()
    engine = make_engine(path, key=_key(path))
    migrate_mod.downgrade(engine, "0002_visits_practice_audit")
    engine.dispose()
    reopened = open_encrypted(path, "correct horse battery staple").store
    assert migrate_mod.current_revision(reopened.engine) == SCHEMA_HEAD
    reopened.close()
    backups = list((path.parent / "backups").glob("mmsdesk-*-before-upgrade.sqlite3"))
    assert len(backups) == 1 and store_state(backups[0]) is StoreState.ENCRYPTED


def _key(path: Path) -> bytearray:
    from mmsdesk.store.vault import unlock_key

    return unlock_key(path, "correct horse battery staple")
