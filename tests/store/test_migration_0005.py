"""Migration 0005 (billing codes, who received the documents, the Good Faith Estimate, the
practice's tax id) from every released schema: up to head, down one step and up again."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel, select

from mmsdesk.models import PharmacistProfile, Visit
from mmsdesk.store import Store
from mmsdesk.store import migrate as migrate_mod
from mmsdesk.store.engine import SCHEMA_HEAD, make_engine

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"
NEW_VISIT = {"diagnosis_codes", "recipient", "recipient_name", "recipient_relation",
             "delivery_method", "delivered_on", "estimate_issued_on", "estimate_json"}


def _columns(path: Path, table: str) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
    finally:
        con.close()


def test_the_0004_fixture_is_the_released_schema():
    path = FIXTURES / "schema_0004_medication_components.sqlite3"
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == \
        "0004_medication_components"
    con.close()
    assert not NEW_VISIT & _columns(path, "visit")


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.sqlite3")), ids=lambda p: p.name)
def test_0005_upgrades_reverses_and_upgrades_again_from_each_released_schema(tmp_path, fixture):
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    with Store.open(path) as store:
        assert migrate_mod.current_revision(store.engine) == SCHEMA_HEAD
        with store.session() as s:
            s.add(PharmacistProfile(name="Ana Ruiz", tin="12-3456789"))
            visits = s.exec(select(Visit)).all()
            for v in visits:
                v.recipient, v.recipient_name, v.recipient_relation = (
                    "caregiver", "Lucía Müller", "daughter")
                v.delivery_method, v.delivered_on = "mail", date(2026, 11, 25)
                v.diagnosis_codes = "I10;E11.9"
                v.estimate_issued_on, v.estimate_json = date(2026, 11, 20), '{"lines": []}'
            n_visits = len(visits)
    assert NEW_VISIT <= _columns(path, "visit") and "tin" in _columns(path, "pharmacist_profile")

    engine = make_engine(path)
    migrate_mod.downgrade(engine, "0004_medication_components")
    assert migrate_mod.current_revision(engine) == "0004_medication_components"
    engine.dispose()
    assert not NEW_VISIT & _columns(path, "visit")
    assert "tin" not in _columns(path, "pharmacist_profile")
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM visit").fetchone()[0] == n_visits
    assert con.execute("SELECT name FROM pharmacist_profile").fetchall() == [("Ana Ruiz",)]
    con.close()

    with Store.open(path) as store:
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
        with store.session() as s:
            assert all(v.recipient == "" and v.delivered_on is None and v.estimate_json == ""
                       for v in s.exec(select(Visit)).all())
            assert s.exec(select(PharmacistProfile)).one().tin == ""
