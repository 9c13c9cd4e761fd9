"""Migration 0006 (allergy category and criticality, what a pharmacy fill reported, stored
translations, CMR offers, label photos) from every released schema: up to head, down one step
and up again, with the new records written and gone and the old ones kept."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel, select

from mmsdesk.models import (
    Allergy,
    FillRecord,
    LabelPhoto,
    MtmOffer,
    Patient,
    Pharmacy,
    TextTranslation,
)
from mmsdesk.store import Store
from mmsdesk.store import migrate as migrate_mod
from mmsdesk.store.engine import SCHEMA_HEAD, make_engine

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"
NEW_TABLES = {"text_translation", "mtm_offer", "label_photo"}
PREVIOUS = "0005_documents_billing_delivery"


def _schema(path: Path) -> tuple[set[str], dict[str, set[str]]]:
    con = sqlite3.connect(path)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        cols = {t: {r[1] for r in con.execute(f"PRAGMA table_info({t})")}
                for t in ("allergy", "fill_record", "pharmacy")}
        return tables, cols
    finally:
        con.close()


def test_the_0005_fixture_is_the_released_schema():
    path = FIXTURES / "schema_0005_documents_billing_delivery.sqlite3"
    con = sqlite3.connect(path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == PREVIOUS
    drafts = con.execute("SELECT count(*) FROM visit WHERE status='draft'").fetchone()[0]
    delivered = con.execute("SELECT count(*) FROM visit WHERE recipient='caregiver'").fetchone()[0]
    con.close()
    assert drafts == 1 and delivered == 1
    tables, cols = _schema(path)
    assert not NEW_TABLES & tables and "category" not in cols["allergy"]


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.sqlite3")), ids=lambda p: p.name)
def test_0006_upgrades_reverses_and_upgrades_again_from_each_released_schema(tmp_path, fixture):
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    with Store.open(path) as store:
        assert migrate_mod.current_revision(store.engine) == SCHEMA_HEAD
        with store.session() as s:
            patient = s.exec(select(Patient).order_by(Patient.id)).first()
            s.add(Allergy(patient_id=patient.id, substance="peanut", category="food",
                          criticality="high"))
            s.add(FillRecord(patient_id=patient.id, drug_text="lisinopril 10 mg tab",
                             fill_date=date(2026, 11, 2), days_supply=30, ndc="00093711101",
                             rx_number="RX1234567", prescriber_npi="1234567893",
                             prescriber_name="Ana Ruiz", sig="1 tab qd"))
            s.add(Pharmacy(name="Corner Drug", ncpdp="1234567"))
            s.add(TextTranslation(patient_id=patient.id, language="es",
                                  source_text="for sleep", text="para dormir"))
            s.add(MtmOffer(patient_id=patient.id, offered_on=date(2026, 2, 3), method="mail"))
            s.add(LabelPhoto(patient_id=patient.id, image=b"\x89PNG fake", line_key="k1"))
            n_patients = len(s.exec(select(Patient)).all())
    tables, cols = _schema(path)
    assert NEW_TABLES <= tables
    assert {"category", "criticality"} <= cols["allergy"] and "ncpdp" in cols["pharmacy"]
    assert {"ndc", "rx_number", "prescriber_npi", "prescriber_name", "sig"} <= cols["fill_record"]

    engine = make_engine(path)
    migrate_mod.downgrade(engine, PREVIOUS)
    assert migrate_mod.current_revision(engine) == PREVIOUS
    engine.dispose()
    tables, cols = _schema(path)
    assert not NEW_TABLES & tables and "category" not in cols["allergy"]
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM patient").fetchone()[0] == n_patients
    assert con.execute("SELECT count(*) FROM allergy WHERE substance='peanut'").fetchone()[0] == 1
    con.close()

    with Store.open(path) as store:
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
        with store.session() as s:
            peanut = s.exec(select(Allergy).where(Allergy.substance == "peanut")).one()
            assert peanut.category == "" and peanut.criticality == ""
            assert s.exec(select(TextTranslation)).all() == []
            assert s.exec(select(FillRecord).where(FillRecord.rx_number != "")).all() == []
