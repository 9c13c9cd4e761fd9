"""Audit trail: automatic rows for create/update/delete, hashes only, chain verification."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select, text
from sqlmodel import select as sm_select

from mmsdesk.models import Allergy, AuditEvent, Patient
from mmsdesk.services.patients import PatientInput, PatientService
from mmsdesk.store.audit import content_hash, events_for_patient, record_event, verify_chain
from tests.conftest import TODAY, both_engines


def pytest_generate_tests(metafunc):
    """The trail is kept the same way on SQLite and on PostgreSQL: every test runs on both."""
    both_engines(metafunc)


def _events(store) -> list[AuditEvent]:
    with store.session() as s:
        return list(s.exec(sm_select(AuditEvent).order_by(AuditEvent.id)).all())


def _chain(store):
    with store.engine.connect() as conn:
        return verify_chain(conn)


def test_create_update_delete_are_recorded_with_hashes_never_contents(store):
    svc = PatientService(store)
    pid, _ = svc.create(PatientInput("Ольга", "Иванова", date(1938, 2, 23)), TODAY)
    with store.session() as s:
        s.add(Allergy(patient_id=pid, substance="Penicillin", reaction="hives"))
    detail = svc.get(pid)
    detail.data.phone = "(555) 123-4567"
    svc.update(pid, detail.data, TODAY)
    with store.session() as s:
        s.delete(s.exec(sm_select(Allergy)).one())
    events = _events(store)
    summary = [(e.action, e.entity, e.patient_id) for e in events]
    assert summary == [("create", "patient", pid), ("create", "allergy", pid),
                       ("update", "patient", pid), ("delete", "allergy", pid)]
    create, _, update, delete = events
    assert create.after_hash and not create.before_hash
    assert update.before_hash == create.after_hash != update.after_hash
    assert delete.before_hash and not delete.after_hash
    assert all(e.entity_id for e in events)
    for e in events:  # no contents anywhere in the audit rows
        row = " ".join(str(v) for v in e.model_dump().values())
        for secret in ("Иванова", "Ольга", "1938-02-23", "Penicillin", "hives", "(555) 123-4567"):
            assert secret not in row
    with store.session() as s:
        p = s.get(Patient, pid)
        cols = {c.key: getattr(p, c.key) for c in Patient.__table__.columns}
    assert update.after_hash == content_hash(cols)  # the hash is of the record as stored
    assert _chain(store).ok and _chain(store).rows == 4


def test_unchanged_save_records_nothing_and_rollback_leaves_no_row(store):
    svc = PatientService(store)
    pid, _ = svc.create(PatientInput("Ann", "Lee", date(1950, 1, 1)), TODAY)
    n = len(_events(store))
    with store.session() as s:
        p = s.get(Patient, pid)
        p.first_name = "Ann"  # same value
    assert len(_events(store)) == n
    try:
        with store.session() as s:
            s.add(Allergy(patient_id=pid, substance="Sulfa"))
            s.flush()
            raise RuntimeError("user cancelled")
    except RuntimeError:
        pass
    assert len(_events(store)) == n  # the audit row went with the rolled-back change


def test_bulk_statement_and_document_events_are_recorded(store):
    now = Patient(first_name="A", last_name="B", date_of_birth=date(1940, 1, 1))
    rows = [{**now.model_dump(exclude={"id"}), "uuid": f"u{i}"} for i in range(3)]
    with store.session() as s:
        s.execute(insert(Patient), rows)
        pid = s.execute(select(Patient.id).limit(1)).scalar()
        record_event(s, "print", "document", patient_id=pid, detail="pml")
    events = _events(store)
    assert [(e.action, e.entity, e.detail) for e in events] == [
        ("create", "patient", "bulk statement, 3 rows"), ("print", "document", "pml")]
    with store.session() as s:
        assert [e.detail for e in events_for_patient(s, pid)] == ["pml"]
    assert _chain(store).ok


def test_altered_or_removed_row_is_detected(demo_store):
    assert _chain(demo_store).ok and _chain(demo_store).rows > 100
    with demo_store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_event SET action='read' WHERE id=40"))
    report = _chain(demo_store)
    assert not report.ok and report.first_bad_id == 40 and "altered" in report.problem
    with demo_store.engine.begin() as conn:  # a forger who also recomputes that row's hash
        conn.execute(text("UPDATE audit_event SET action='create' WHERE id=40"))
        conn.execute(text("DELETE FROM audit_event WHERE id=41"))
    report = _chain(demo_store)
    assert report.first_bad_id == 42 and "removed" in report.problem
