"""Take along, bring back (#22 item 4): charts from a real PostgreSQL practice database to a
laptop's own SQLite store, edited offline, written back one transaction per patient; a chart
changed on the server meanwhile is shown side by side and settled, never merged silently."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from mmsdesk.models import AuditEvent, MedicationEntry, Patient, Visit
from mmsdesk.models.practice_people import PatientHold
from mmsdesk.services import take_along as ta
from mmsdesk.services.medications import MedicationService
from mmsdesk.services.visits.service import VisitService
from mmsdesk.store import Store
from mmsdesk.store.audit import verify_chain
from mmsdesk.store.server import open_server
from tests.conftest import TODAY
from tests.services.test_visits import _full_draft
from tests.services.visit_helpers import NOW, Chart, make_bob, make_chart

UNTIL = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)


@pytest.fixture
def server(pg_database):
    s = open_server(pg_database, ask=False)
    yield s
    s.close()


@pytest.fixture
def laptop(tmp_path):
    s = Store.open(tmp_path / "laptop" / "mmsdesk.sqlite3")
    yield s
    s.close()


def _local_id(store, model, uuid: str) -> int:
    with store.session() as s:
        return s.execute(select(model.id).where(model.uuid == uuid)).scalar_one()


def _uuid(store, model, ident: int) -> str:
    with store.session() as s:
        return s.get(model, ident).uuid


def _dose_change(store, med_id: int, strength: str) -> None:
    meds = MedicationService(store)
    data, version = meds.get_for_edit(med_id)
    meds.update(med_id, dataclasses.replace(data, strength=strength), TODAY,
                expected_version=version)


def _counts(store, pid: int) -> dict[str, int]:
    with store.session() as s:
        return {"meds": s.execute(select(func.count()).select_from(MedicationEntry)
                                  .where(MedicationEntry.patient_id == pid)).scalar_one(),
                "visits": s.execute(select(func.count()).select_from(Visit)
                                    .where(Visit.patient_id == pid)).scalar_one()}


def test_take_along_edit_offline_bring_back_with_a_conflict_settled(server, laptop):
    from mmsdesk.models import Prescriber

    jose = make_chart(server)
    bob = make_bob(server)
    jose_uuid, bob_uuid = _uuid(server, Patient, jose.patient_id), _uuid(server, Patient,
                                                                         bob.patient_id)
    taken = ta.take_along(server, laptop, [jose.patient_id, bob.patient_id], UNTIL,
                          device="laptop-1")
    assert sorted(taken) == sorted([jose_uuid, bob_uuid])

    # held on the server: others read the chart and see who holds it until when
    info = ta.held_by(server, jose.patient_id)
    assert info is not None and info.device == "laptop-1"
    assert info.text.startswith(f"Held by {info.holder} until 2026-11-25 18:00 UTC")
    assert {h.patient_id for h in ta.holds(server)} == {jose.patient_id, bob.patient_id}
    # a second take along of a held chart is refused naming the holder
    with pytest.raises(ta.TakeAlongRefused, match=f"held by {info.holder} until"):
        ta.take_along(server, laptop, [jose.patient_id], UNTIL)
    # the manifest beside the laptop's store holds no patient data
    manifest = (laptop.path.parent / ta.MANIFEST).read_text()
    assert "Müller" not in manifest and "Metoprolol" not in manifest

    # on the laptop: the same records under new ids, same uuids
    lj = _local_id(laptop, Patient, jose_uuid)
    lb = _local_id(laptop, Patient, bob_uuid)
    assert _counts(laptop, lj) == {"meds": 3, "visits": 0}
    assert _counts(laptop, lb) == {"meds": 2, "visits": 0}
    with laptop.session() as s:
        doc = s.execute(select(Prescriber).where(Prescriber.last_name == "Ruiz")).scalar_one()
        med = {m.uuid: m for m in s.execute(select(MedicationEntry)
                                             .where(MedicationEntry.patient_id == lj)).scalars()}
    metoprolol_uuid = _uuid(server, MedicationEntry, jose.metoprolol)
    lisinopril_uuid = _uuid(server, MedicationEntry, jose.lisinopril)
    assert med[metoprolol_uuid].prescriber_id == doc.id
    assert len(med[metoprolol_uuid].components) == 1

    # away: a dose change for Bob, a complete CMR for José, on the laptop's store
    lbox = _local_id(laptop, MedicationEntry, _uuid(server, MedicationEntry, bob.doxazosin))
    _dose_change(laptop, lbox, "8 mg")
    lchart = Chart(lj, doc.id, _local_id(laptop, MedicationEntry, metoprolol_uuid),
                   _local_id(laptop, MedicationEntry, lisinopril_uuid),
                   _local_id(laptop, MedicationEntry, _uuid(server, MedicationEntry,
                                                            jose.simvastatin)))
    draft = _full_draft(laptop, lchart)
    VisitService(laptop).complete(draft, now=NOW + timedelta(minutes=45))

    # meanwhile at the office, a colleague changes José's lisinopril on the server
    _dose_change(server, jose.lisinopril, "20 mg")
    before = _counts(server, jose.patient_id)

    result = ta.bring_back(server, laptop)
    # Bob comes back whole; José is not written, his differences side by side
    assert result.brought_back == [bob_uuid] and not result.refused
    assert _counts(server, jose.patient_id) == before
    assert ta.held_by(server, bob.patient_id) is None
    assert MedicationService(server).get(bob.doxazosin).strength == "8 mg"
    # the colleague's new strength replaced lisinopril's component and added an event: the
    # laptop still has the component as taken; each record side by side
    assert {d.patient_uuid for d in result.differences} == {jose_uuid}
    assert sorted((d.table, d.field, d.laptop, d.server) for d in result.differences) == [
        ("medication_component", ta.RECORD, "absent", "present"),
        ("medication_component", ta.RECORD, "present", "absent"),
        ("medication_event", ta.RECORD, "absent", "present")]
    assert sorted(d.label for d in result.differences) == [
        "ingredient lisinopril 10 mg of Lisinopril 10 MG Oral Tablet",
        "ingredient lisinopril 20 mg of Lisinopril 10 MG Oral Tablet",
        f"medication history changed {TODAY} of Lisinopril 10 MG Oral Tablet"]
    with server.session() as s:
        lisinopril = s.get(MedicationEntry, jose.lisinopril)
        assert {c.uuid for c in lisinopril.components} <= {d.key for d in result.differences}
    assert ta.held_by(server, jose.patient_id) is not None
    # Bob's copies left the laptop; José's stay until settled
    with laptop.session() as s:
        assert s.execute(select(Patient).where(Patient.uuid == bob_uuid)).first() is None

    # settle: every difference needs a choice
    with pytest.raises(ta.TakeAlongRefused, match="Choose"):
        ta.settle(server, laptop, jose_uuid, {})
    ta.settle(server, laptop, jose_uuid, {d.choice_key: "server" for d in result.differences})
    again = ta.bring_back(server, laptop)
    assert again.ok and again.brought_back == [jose_uuid]
    assert _counts(server, jose.patient_id) == {"meds": 4, "visits": 1}  # aspirin added
    rows = {m.ingredients: m for m in MedicationService(server).list_for_patient(
        jose.patient_id)}
    assert rows[("lisinopril",)].strength == "20 mg"  # the colleague's, as settled
    assert rows[("metoprolol",)].strength == "50 mg"  # the CMR's, from the laptop
    assert rows[("simvastatin",)].status == "stopped"
    with server.session() as s:
        v = s.execute(select(Visit).where(Visit.patient_id == jose.patient_id)).scalar_one()
        assert v.status == "complete"
        holds = s.execute(select(PatientHold)).scalars().all()
        assert all(h.released_at is not None for h in holds)
        assert verify_chain(s.connection()).ok
        actions = [a for (a,) in s.execute(select(AuditEvent.action))]
        assert actions.count("bring back") == 2 and actions.count("take along") == 2
    with laptop.session() as s:
        assert verify_chain(s.connection()).ok
        assert s.execute(select(func.count()).select_from(Patient)).scalar_one() == 0
    assert json.loads((laptop.path.parent / ta.MANIFEST).read_text())["patients"] == {}


def test_release_by_holder_or_with_a_reason(server, laptop):
    bob = make_bob(server)
    ta.take_along(server, laptop, [bob.patient_id], UNTIL, device="laptop-2")
    # the holder (the same login here) releases without a reason
    info = ta.release(server, bob.patient_id)
    assert info.device == "laptop-2" and ta.held_by(server, bob.patient_id) is None
    # the laptop's copy is then not written back
    result = ta.bring_back(server, laptop)
    assert result.refused and "released" in result.refused[0] and not result.brought_back

    with server.session() as s:  # someone else's hold: a reason is needed, and recorded
        s.add(PatientHold(patient_id=bob.patient_id, holder_name="Dana Ortiz",
                          device="laptop-9"))
    with pytest.raises(ta.TakeAlongRefused, match="Say why"):
        ta.release(server, bob.patient_id)
    ta.release(server, bob.patient_id, reason="Dana's laptop was lost")
    with server.session() as s:
        h = s.execute(select(PatientHold).where(PatientHold.holder_name == "Dana Ortiz")
                      ).scalar_one()
        assert h.release_reason == "Dana's laptop was lost" and h.released_by


def test_field_by_field_settling_deletions_and_a_record_added_on_the_server(server, laptop):
    from mmsdesk.models import Allergy

    bob = make_bob(server)
    with server.session() as s:
        s.add(Allergy(patient_id=bob.patient_id, substance="penicillin", reaction="hives"))
    bob_uuid = _uuid(server, Patient, bob.patient_id)
    ta.take_along(server, laptop, [bob.patient_id], UNTIL)
    lb = _local_id(laptop, Patient, bob_uuid)
    with laptop.session() as s:  # offline: new phone and email, the allergy deleted
        p = s.get(Patient, lb)
        p.phone, p.email = "555-0101", "bob@example.org"
        s.delete(s.execute(select(Allergy).where(Allergy.patient_id == lb)).scalar_one())
    with server.session() as s:  # meanwhile: another phone, and a new allergy
        s.get(Patient, bob.patient_id).phone = "555-0199"
        s.add(Allergy(patient_id=bob.patient_id, substance="codeine", reaction="nausea"))

    result = ta.bring_back(server, laptop)
    assert not result.brought_back
    got = sorted((d.table, d.field, d.laptop, d.server) for d in result.differences)
    # the record the server changed, every field where the two differ (the email too: what
    # was taken along is not kept field by field, only its hash), and the codeine allergy
    # the laptop does not have; nothing else (no engine noise: times, numbers)
    assert got == [("allergy", ta.RECORD, "absent", "present"),
                   ("patient", "email", "bob@example.org", ""),
                   ("patient", "phone", "555-0101", "555-0199")]
    assert {d.label for d in result.differences} == {"patient Bob Stone",
                                                      "allergy codeine"}
    with server.session() as s:  # nothing of Bob written
        p = s.get(Patient, bob.patient_id)
        assert (p.phone, p.email) == ("555-0199", "")
        assert s.execute(select(func.count()).select_from(Allergy)).scalar_one() == 2
    choices = {d.choice_key: "server" if d.table == "allergy" else "laptop"
               for d in result.differences}
    ta.settle(server, laptop, bob_uuid, choices)
    assert ta.bring_back(server, laptop).brought_back == [bob_uuid]
    with server.session() as s:
        p = s.get(Patient, bob.patient_id)
        assert (p.phone, p.email) == ("555-0101", "bob@example.org")  # hers, as chosen
        allergies = s.execute(select(Allergy.substance)).scalars().all()
        assert allergies == ["codeine"]  # penicillin deleted offline; codeine kept
        assert verify_chain(s.connection()).ok


def test_a_bring_back_that_fails_midway_writes_nothing_of_that_patient(server, laptop,
                                                                       monkeypatch):
    from mmsdesk.services import chart_rows

    jose, bob = make_chart(server), make_bob(server)
    ta.take_along(server, laptop, [jose.patient_id, bob.patient_id], UNTIL)
    for pid in (jose.patient_id, bob.patient_id):
        uuid = _uuid(server, Patient, pid)
        with laptop.session() as s:
            p = s.get(Patient, _local_id(laptop, Patient, uuid))
            p.phone = "555-0123"
    with laptop.session() as s:
        lj = _local_id(laptop, Patient, _uuid(server, Patient, jose.patient_id))
        s.delete(s.execute(select(MedicationEntry).where(MedicationEntry.patient_id == lj)
                           ).scalars().first())
    real_delete = chart_rows.Writer.delete

    def dies(self, row):  # the connection drops in the middle of José's transaction
        if self.session.bind.dialect.name == "postgresql":
            raise ConnectionError("server closed the connection")
        return real_delete(self, row)

    monkeypatch.setattr(chart_rows.Writer, "delete", dies)
    jose_uuid = _uuid(server, Patient, jose.patient_id)
    with pytest.raises(ConnectionError):
        ta.bring_back(server, laptop, [jose_uuid])
    monkeypatch.undo()
    with server.session() as s:
        phones = {p.id: p.phone for p in s.execute(select(Patient)).scalars()}
    # José's update was flushed before the failure, and rolled back with it
    assert phones[jose.patient_id] == ""
    assert ta.held_by(server, jose.patient_id) is not None
    result = ta.bring_back(server, laptop)  # again: both come back whole
    assert result.ok and sorted(result.brought_back) == sorted(
        [jose_uuid, _uuid(server, Patient, bob.patient_id)])
    assert ta.holds(server) == []
    assert _counts(server, jose.patient_id)["meds"] == 2
    with server.session() as s:
        assert {p.phone for p in s.execute(select(Patient)).scalars()} == {"555-0123"}


def test_a_bring_back_stopped_before_clearing_the_laptop_clears_it_next_time(server, laptop,
                                                                             monkeypatch):
    bob = make_bob(server)
    bob_uuid = _uuid(server, Patient, bob.patient_id)
    ta.take_along(server, laptop, [bob.patient_id], UNTIL)
    _dose_change(laptop, _local_id(laptop, MedicationEntry, _uuid(server, MedicationEntry,
                                                                    bob.doxazosin)), "8 mg")
    from mmsdesk.services import chart_rows

    real_delete = chart_rows.Writer.delete

    def cut(self, row):  # the laptop's clearing, after the server's commit
        if self.session.bind.dialect.name == "sqlite":
            raise OSError("power cut")
        return real_delete(self, row)

    monkeypatch.setattr(chart_rows.Writer, "delete", cut)
    with pytest.raises(OSError):  # the server's transaction committed, the laptop's did not
        ta.bring_back(server, laptop)
    monkeypatch.undo()
    assert ta.held_by(server, bob.patient_id) is None
    assert _counts(laptop, _local_id(laptop, Patient, bob_uuid))["meds"] == 2
    # the next bring back sees the server has the chart as the laptop has it: clears it
    result = ta.bring_back(server, laptop)
    assert result.refused == [] and result.brought_back == [bob_uuid]
    assert json.loads((laptop.path.parent / ta.MANIFEST).read_text())["patients"] == {}
    assert MedicationService(server).get(bob.doxazosin).strength == "8 mg"
    with laptop.session() as s:
        assert s.execute(select(func.count()).select_from(Patient)).scalar_one() == 0


def test_holds_and_audit_name_the_signed_in_person_and_a_technician_cannot_release(
        server, laptop):
    from mmsdesk.models import AuditEvent
    from mmsdesk.services import people

    bob = make_bob(server)
    people.add_person(server, login="ana", name="Ana Ruiz", passphrase="ana's long phrase")
    people.add_person(server, login="tom", name="Tom Lee", role="technician",
                      passphrase="tom's long phrase")
    people.sign_in(server, "ana", "ana's long phrase")
    ta.take_along(server, laptop, [bob.patient_id], UNTIL)
    assert ta.held_by(server, bob.patient_id).holder == "Ana Ruiz"

    people.sign_in(server, "tom", "tom's long phrase")
    with pytest.raises(ta.TakeAlongRefused, match="Only Ana Ruiz or a pharmacist"):
        ta.release(server, bob.patient_id, reason="needed at the office")
    with pytest.raises(ta.TakeAlongRefused, match="held by Ana Ruiz until"):
        ta.take_along(server, laptop, [bob.patient_id], UNTIL)

    people.sign_in(server, "ana", "ana's long phrase")
    assert ta.bring_back(server, laptop).ok
    with server.session() as s:
        actors = {a: who for a, who in s.execute(
            select(AuditEvent.action, AuditEvent.actor)
            .where(AuditEvent.action.in_(["take along", "bring back"])))}
        assert actors == {"take along": "Ana Ruiz", "bring back": "Ana Ruiz"}
        hold = s.execute(select(PatientHold)).scalar_one()
        assert (hold.released_by, hold.release_reason) == ("Ana Ruiz", "")
        ana = next(p for p in people.list_people(server) if p.login == "ana")
        assert hold.person_id == ana.id


def test_the_demo_practice_goes_and_comes_back_unchanged(server, laptop):
    """Every kind of record the demo has (caregivers, PGx, fills, offers, translations,
    photos, visits with drafts...) survives the trip: nothing to settle, nothing rewritten."""
    from mmsdesk.services.chart_rows import read_chart
    from mmsdesk.services.demo import load_demo

    load_demo(server, TODAY)
    with server.session() as s:
        pids = s.execute(select(Patient.id)).scalars().all()
        before = {pid: read_chart(s, pid) for pid in pids}
        audit_rows = s.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    kinds = {t for chart in before.values() for (t, _) in chart}
    assert len(kinds) >= 15, sorted(kinds)
    ta.take_along(server, laptop, pids, UNTIL)
    with laptop.session() as s:
        on_laptop = {t for p in s.execute(select(Patient.id)).scalars()
                     for (t, _) in read_chart(s, p)}
    assert on_laptop == kinds
    result = ta.bring_back(server, laptop)
    assert result.ok and len(result.brought_back) == len(pids)
    with server.session() as s:
        after = {pid: read_chart(s, pid) for pid in pids}
        written = s.execute(select(AuditEvent.action, AuditEvent.entity)
                            .where(AuditEvent.id > audit_rows)).all()
    assert {pid: {k: r.hash for k, r in c.items()} for pid, c in after.items()} == {
        pid: {k: r.hash for k, r in c.items()} for pid, c in before.items()}
    # only the holds and the take along / bring back entries: no record rewritten
    assert {e for _, e in written} == {"patient_hold", "patient"}
    assert {a for a, e in written if e == "patient"} == {"take along", "bring back"}


def test_a_dose_changed_on_both_sides_is_settled_whole_never_added_together(server, laptop):
    bob = make_bob(server)
    ta.take_along(server, laptop, [bob.patient_id], UNTIL)
    local = _local_id(laptop, MedicationEntry, _uuid(server, MedicationEntry, bob.doxazosin))
    _dose_change(laptop, local, "8 mg")
    _dose_change(server, bob.doxazosin, "2 mg")
    diffs = ta.bring_back(server, laptop).differences
    # both new ingredients are shown (the laptop's 8 mg too, though the server never had it)
    assert sorted((d.label, d.laptop, d.server) for d in diffs
                  if d.table == "medication_component") == [
        ("ingredient doxazosin 2 mg of Doxazosin 4 mg tablet", "absent", "present"),
        ("ingredient doxazosin 8 mg of Doxazosin 4 mg tablet", "present", "absent")]
    ta.settle(server, laptop, _uuid(server, Patient, bob.patient_id),
              {d.choice_key: "laptop" for d in diffs})  # hers, whole
    assert ta.bring_back(server, laptop).ok
    assert MedicationService(server).get(bob.doxazosin).strength == "8 mg"


def test_a_prescriber_added_offline_comes_back_with_the_medicine_that_names_her(server,
                                                                                 laptop):
    from mmsdesk.models import Prescriber

    bob = make_bob(server)
    ta.take_along(server, laptop, [bob.patient_id], UNTIL)
    med_uuid = _uuid(server, MedicationEntry, bob.apixaban)
    with laptop.session() as s:
        doc = Prescriber(first_name="Lena", last_name="Park", credentials="MD")
        s.add(doc)
        s.flush()
        s.execute(select(MedicationEntry).where(MedicationEntry.uuid == med_uuid)
                  ).scalar_one().prescriber_id = doc.id
    assert ta.bring_back(server, laptop).ok
    with server.session() as s:
        med = s.get(MedicationEntry, bob.apixaban)
        assert s.get(Prescriber, med.prescriber_id).last_name == "Park"


def test_a_technician_cannot_bring_back_a_visit_completed_away(server, laptop):
    from mmsdesk.services import people

    jose = make_chart(server)
    people.add_person(server, login="ana", name="Ana Ruiz", passphrase="ana's long phrase")
    people.add_person(server, login="tom", name="Tom Lee", role="technician",
                      passphrase="tom's long phrase")
    people.sign_in(server, "tom", "tom's long phrase")
    (uuid,) = ta.take_along(server, laptop, [jose.patient_id], UNTIL)  # he may prepare
    with laptop.session() as s:
        from mmsdesk.models import Prescriber

        doc = s.execute(select(Prescriber)).scalar_one()
    ids = [_local_id(laptop, MedicationEntry, _uuid(server, MedicationEntry, m))
           for m in (jose.metoprolol, jose.lisinopril, jose.simvastatin)]
    draft = _full_draft(laptop, Chart(_local_id(laptop, Patient, uuid), doc.id, *ids))
    from mmsdesk.store.who import NotPermitted

    with pytest.raises(NotPermitted, match="Tom Lee is signed in as a technician"):
        VisitService(laptop).complete(draft, now=NOW + timedelta(minutes=45))  # away too
    # a copy completed with nobody named (a laptop of an earlier version): the server refuses
    laptop.sign_in(None)
    VisitService(laptop).complete(draft, now=NOW + timedelta(minutes=45))
    result = ta.bring_back(server, laptop)
    assert not result.brought_back and "only by a pharmacist" in result.refused[0]
    assert _counts(server, jose.patient_id) == {"meds": 3, "visits": 0}
    people.sign_in(server, "ana", "ana's long phrase")
    assert ta.bring_back(server, laptop).brought_back == [uuid]
    assert _counts(server, jose.patient_id)["visits"] == 1


def test_three_charts_a_cmr_completed_away_and_one_changed_at_the_office(server, laptop):
    """The issue's scenario: three demo patients taken along, a full CMR completed on the
    laptop for the first, the third's phone changed on the server meanwhile. Bringing back
    lands the first two whole (the CMR with its problems, recommendations and follow-up) and
    shows the third for settling, its server record untouched; settled, it comes back too."""
    from mmsdesk.bench.visits import _cmr_draft
    from mmsdesk.models import DrugTherapyProblem, FollowUp, Recommendation
    from mmsdesk.services.demo import load_demo
    from mmsdesk.services.patients import PatientService

    load_demo(server, TODAY)
    with server.session() as s:
        a, b, c = s.execute(select(Patient.id).order_by(Patient.id).limit(3)).scalars().all()
    uuids = {p: _uuid(server, Patient, p) for p in (a, b, c)}
    ta.take_along(server, laptop, [a, b, c], UNTIL, device="laptop-2")
    before_b = _counts(server, b)

    away = VisitService(laptop)
    draft = _cmr_draft(away, laptop, _local_id(laptop, Patient, uuids[a]))
    away.complete(draft, now=NOW + timedelta(minutes=50))
    with laptop.session() as s:
        problems = s.execute(select(func.count()).select_from(DrugTherapyProblem).where(
            DrugTherapyProblem.patient_id == _local_id(laptop, Patient, uuids[a]))).scalar_one()

    office = PatientService(server)
    detail = office.get(c)
    detail.data.phone = "(555) 010-0199"
    office.update(c, detail.data)
    with server.session() as s:
        phone_c = s.get(Patient, c).phone

    result = ta.bring_back(server, laptop)
    assert sorted(result.brought_back) == sorted([uuids[a], uuids[b]])
    assert {d.patient_uuid for d in result.differences} == {uuids[c]}
    with server.session() as s:
        cmr = s.execute(select(Visit).where(Visit.patient_id == a, Visit.service == "cmr",
                                            Visit.visit_date == TODAY)).scalar_one()
        assert cmr.status == "complete"
        assert s.execute(select(func.count()).select_from(DrugTherapyProblem).where(
            DrugTherapyProblem.patient_id == a)).scalar_one() == problems > 0
        assert s.execute(select(func.count()).select_from(Recommendation).where(
            Recommendation.visit_id == cmr.id)).scalar_one() > 0
        assert s.execute(select(FollowUp).where(FollowUp.visit_id == cmr.id)).scalars().all()
        assert s.get(Patient, c).phone == phone_c  # the office's change stands, unmerged
    assert _counts(server, b) == before_b
    assert ta.held_by(server, a) is None and ta.held_by(server, b) is None
    assert ta.held_by(server, c) is not None

    ta.settle(server, laptop, uuids[c], {d.choice_key: "server" for d in result.differences})
    again = ta.bring_back(server, laptop)
    assert again.ok and again.brought_back == [uuids[c]]
    with server.session() as s:
        assert s.get(Patient, c).phone == "(555) 010-0199"
        assert verify_chain(s.connection()).ok
