"""Migration 0008 (the people of a practice, the charts they take along, a follow-up's Good
Faith Estimate) from every released schema: up to head, down one step and up again."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel, select

from mmsdesk.models import FollowUp, Patient, PatientHold, Person
from mmsdesk.store import Store
from mmsdesk.store import migrate as migrate_mod
from mmsdesk.store.engine import SCHEMA_HEAD, make_engine

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"
PREVIOUS = "0007_record_versions"


def _tables(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        con.close()


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.sqlite3")), ids=lambda p: p.name)
def test_0008_upgrades_reverses_and_upgrades_again(tmp_path, fixture):
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    with Store.open(path) as store:
        assert migrate_mod.current_revision(store.engine) == SCHEMA_HEAD
        with store.session() as s:
            patient = s.exec(select(Patient).order_by(Patient.id)).first()
            ana = Person(login="ana", name="Ana Ruiz, PharmD", passphrase_hash="scrypt$x")
            s.add(ana)
            s.flush()
            s.add(PatientHold(patient_id=patient.id, person_id=ana.id, holder_name=ana.name,
                              device="laptop-2", until=datetime(2026, 12, 5, 18, tzinfo=UTC)))
            s.add(FollowUp(patient_id=patient.id, due_on=date(2026, 12, 20),
                           estimate_issued_on=date(2026, 12, 4), estimate_json='{"lines": []}'))
    assert {"person", "patient_hold"} <= _tables(path)

    engine = make_engine(path)
    migrate_mod.downgrade(engine, PREVIOUS)
    assert migrate_mod.current_revision(engine) == PREVIOUS
    engine.dispose()
    assert not {"person", "patient_hold"} & _tables(path)

    with Store.open(path) as store:
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
        with store.session() as s:
            planned = s.exec(select(FollowUp).where(FollowUp.due_on == date(2026, 12, 20))).one()
            assert planned.estimate_issued_on is None and planned.estimate_json == ""
            assert s.exec(select(Person)).all() == []
