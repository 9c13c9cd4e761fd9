"""The store: pragmas, migrations from every released schema, newer-version refusal."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel, select

from mmsdesk.models import Allergy, MedicationEntry, Patient
from mmsdesk.store import Store, StoreError
from mmsdesk.store import migrate as migrate_mod
from mmsdesk.store.engine import SCHEMA_HEAD, make_engine

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"


def pytest_generate_tests(metafunc):
    """Tests of the store that are not about the SQLite file also run on PostgreSQL."""
    from tests.conftest import both_engines

    both_engines(metafunc)


def test_schema_head_constant_matches_alembic_head():
    # The fast path in Store.open trusts SCHEMA_HEAD; a new migration must update it.
    assert migrate_mod.head_revision() == SCHEMA_HEAD


def test_single_migration_head():
    assert len(migrate_mod.script_directory().get_heads()) == 1


@pytest.mark.sqlite_only
def test_new_store_has_pragmas_and_matches_models(store):
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_foreign_keys_enforced(store):
    with pytest.raises(Exception), store.session() as s:  # noqa: B017
        s.add(Allergy(patient_id=9999, substance="Penicillin"))


def _store_at_first_migration(path: Path) -> None:
    engine = make_engine(path)
    migrate_mod.upgrade(engine, "0001_patient_record")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO patient (uuid, first_name, middle_name, last_name, preferred_name, "
            "date_of_birth, sex, preferred_language, phone, email, address_line1, address_line2,"
            " city, state, postal_code, country, payer_type, plan_name, member_id, payer_other,"
            " notes, created_at, updated_at) VALUES ('u-1', 'Ольга', '', 'Иванова', '', "
            "'1938-02-23', 'female', 'en', '', '', '', '', '', '', '', 'US', 'self_pay', '', '',"
            " '', '', '2024-01-01 00:00:00', '2024-01-01 00:00:00')")
        conn.exec_driver_sql(
            "INSERT INTO medication_entry (uuid, patient_id, text_given, display_name, "
            "ingredients, rxnorm_code, product, brand, strength, dose_form, route, match, "
            "directions, dose_unit, frequency, times_of_day, as_needed, as_needed_reason, "
            "indication, kind, status, stop_reason, source, part_d, notes, created_at, updated_at)"
            " VALUES ('m-1', 1, 'Donepezil 10 MG', '', 'donepezil', '', '', '', '', '', '', "
            "'exact', 'Take 1 tablet at bedtime', '', '', '', 0, '', 'for memory', 'prescription',"
            " 'active', '', 'bottle', 1, '', '2024-01-01 00:00:00', '2024-01-01 00:00:00')")
    engine.dispose()


def test_upgrade_from_first_migration_keeps_data_and_backs_up(tmp_path):
    path = tmp_path / "old.sqlite3"
    _store_at_first_migration(path)
    with Store.open(path) as store, store.session() as s:
        p = s.exec(select(Patient)).one()
        assert (p.first_name, p.last_name, p.date_of_birth) == ("Ольга", "Иванова", date(1938, 2, 23))
        med = s.exec(select(MedicationEntry)).one()
        assert med.patient_id == p.id and med.indication == "for memory"
        assert migrate_mod.current_revision(store.engine) == SCHEMA_HEAD
    backups = list((tmp_path / "backups").glob("old-*-before-upgrade.sqlite3"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001_patient_record"
    assert con.execute("SELECT last_name FROM patient").fetchone()[0] == "Иванова"
    con.close()


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.sqlite3")), ids=lambda p: p.name)
def test_every_released_schema_upgrades_to_head(tmp_path, fixture):
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    before = sqlite3.connect(path).execute("SELECT count(*) FROM patient").fetchone()[0]
    with Store.open(path) as store:
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
        with store.session() as s:
            assert len(s.exec(select(Patient)).all()) == before > 0


def test_store_from_newer_version_is_refused_unchanged(tmp_path):
    path = tmp_path / "newer.sqlite3"
    Store.open(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version of MMS Desk"):
        Store.open(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_damaged_file_gives_clear_error(tmp_path):
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="junk.sqlite3"):
        Store.open(path)
