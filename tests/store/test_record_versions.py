"""Two people, one chart: every editable record has a version, and a save over a version
someone else saved meanwhile is refused whole, naming who and when (migration 0007).
Two real connections on each engine (SQLite file, PostgreSQL server)."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel, select

from mmsdesk.models import MedicationEntry, Patient, Visit
from mmsdesk.store import Store
from mmsdesk.store import migrate as migrate_mod
from mmsdesk.store.audit import ACTOR, verify_chain
from mmsdesk.store.conflicts import RecordChanged
from mmsdesk.store.engine import SCHEMA_HEAD, make_engine
from tests.conftest import both_engines, med_entry

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"
RELEASED_0006 = FIXTURES / "schema_0006_kept_from_sources.sqlite3"


def pytest_generate_tests(metafunc):
    both_engines(metafunc)


def _second_handle(store):
    """Another connection to the same data, as a second person's app would have."""
    from mmsdesk.store.server import ServerStore, open_server

    if isinstance(store, ServerStore):
        return open_server(store.url.render_as_string(hide_password=False), ask=False)
    return Store.open(store.path)


def _chart(store) -> int:
    with store.session() as s:
        p = Patient(first_name="José", last_name="Müller", date_of_birth=date(1944, 5, 6))
        s.add(p)
        s.flush()
        s.add(med_entry(p.id, "Lisinopril 10 mg tablet", "lisinopril",
                        indication="blood pressure"))
    with store.session() as s:
        return s.exec(select(MedicationEntry.id)).one()


def test_a_new_record_is_version_1_and_each_save_adds_one(store):
    mid = _chart(store)
    with store.session() as s:
        med = s.get(MedicationEntry, mid)
        assert med.version == 1
        med.indication = "high blood pressure"
    with store.session() as s:
        med = s.get(MedicationEntry, mid)
        assert med.version == 2
        med.indication = "high blood pressure"  # the same value: no save, no new version
    with store.session() as s:
        assert s.get(MedicationEntry, mid).version == 2


def test_simultaneous_edits_of_one_medication_one_wins_the_other_is_refused(store):
    mid = _chart(store)
    other = _second_handle(store)
    try:
        with pytest.raises(RecordChanged) as refused:
            with store.session() as mine:
                my_med = mine.get(MedicationEntry, mid)  # both read version 1
                with other.session() as theirs:
                    their_med = theirs.get(MedicationEntry, mid)
                    their_med.notes = "twice daily from now on"  # saved first: wins
                my_med.indication = "kidney protection"  # saved second: refused
        message = str(refused.value)
        assert message.startswith(f"This medication entry was changed by {ACTOR} at ")
        assert message.endswith("UTC: reload it (your change was not saved, theirs is kept).")
        assert refused.value.entity == "medication_entry" and not refused.value.deleted
        # both versions, side by side: (field, mine, theirs) where they differ
        assert set(refused.value.differences) == {
            ("indication", "kidney protection", "blood pressure"),
            ("notes", "", "twice daily from now on")}
        with store.session() as s:  # nothing lost: their save whole, mine not half-written
            med = s.get(MedicationEntry, mid)
            assert (med.notes, med.indication, med.version) == (
                "twice daily from now on", "blood pressure", 2)
        with store.session() as s:  # reloaded, my change goes in over theirs
            med = s.get(MedicationEntry, mid)
            med.indication = "kidney protection"
        with other.session() as s:
            med = s.get(MedicationEntry, mid)
            assert (med.notes, med.indication, med.version) == (
                "twice daily from now on", "kidney protection", 3)
        with store.engine.connect() as conn:
            assert verify_chain(conn).ok
    finally:
        other.close()


def test_an_edit_of_a_record_deleted_meanwhile_says_deleted(store):
    mid = _chart(store)
    other = _second_handle(store)
    try:
        with pytest.raises(RecordChanged, match=rf"was deleted by {ACTOR} at .* UTC: reload"):
            with store.session() as mine:
                my_med = mine.get(MedicationEntry, mid)
                with other.session() as theirs:
                    theirs.delete(theirs.get(MedicationEntry, mid))
                my_med.notes = "taken with food"
        with store.session() as s:
            assert s.get(MedicationEntry, mid) is None
    finally:
        other.close()


def test_a_detached_copy_saved_after_someone_else_is_refused(store):
    """The way a screen keeps a record between reading it and saving it."""
    mid = _chart(store)
    with store.session() as s:
        kept = s.get(MedicationEntry, mid)  # the screen's copy (version 1)
    other = _second_handle(store)
    try:
        with other.session() as s:
            s.get(MedicationEntry, mid).notes = "changed on the other laptop"
        kept.notes = "changed here"
        with pytest.raises(RecordChanged, match="medication entry was changed by"):
            with store.session() as s:
                s.add(kept)
    finally:
        other.close()
    with store.session() as s:
        assert s.get(MedicationEntry, mid).notes == "changed on the other laptop"


@pytest.mark.sqlite_only
def test_the_0006_fixture_is_the_released_schema(engine_kind):
    con = sqlite3.connect(RELEASED_0006)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == \
            "0006_kept_from_sources"
        assert con.execute("SELECT count(*) FROM visit WHERE status='draft'").fetchone()[0] == 1
        assert con.execute("SELECT count(*) FROM label_photo").fetchone()[0] == 1
        cols = {r[1] for r in con.execute("PRAGMA table_info(medication_entry)")}
        assert "version" not in cols
    finally:
        con.close()


@pytest.mark.sqlite_only
def test_0007_gives_every_row_version_1_goes_down_and_up_again(tmp_path, engine_kind):
    path = tmp_path / RELEASED_0006.name
    shutil.copy(RELEASED_0006, path)
    with Store.open(path) as store:
        assert migrate_mod.current_revision(store.engine) == SCHEMA_HEAD
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
            for table in ("patient", "medication_entry", "visit", "label_photo"):
                versions = {r[0] for r in conn.exec_driver_sql(f"SELECT version FROM {table}")}
                assert versions == {1}, table
        from mmsdesk.services.visits.service import VisitService

        svc = VisitService(store)
        with store.session() as s:
            draft_id = s.exec(select(Visit.id).where(Visit.status == "draft")).one()
        draft = svc.load_draft(draft_id)
        draft.collect.reason = "Reviewed after the upgrade"
        svc.save_draft(draft)  # the released draft resumes and saves under versions
        with store.session() as s:
            assert s.get(Visit, draft_id).version == 2
    engine = make_engine(path)
    migrate_mod.downgrade(engine, "0006_kept_from_sources")
    engine.dispose()
    con = sqlite3.connect(path)
    assert "version" not in {r[1] for r in con.execute("PRAGMA table_info(visit)")}
    con.close()
    with Store.open(path) as store, store.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
