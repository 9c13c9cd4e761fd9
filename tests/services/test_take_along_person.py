"""Take along (#22): the person who took the charts along is the one working on the laptop's
store (its audit rows name them, a technician stays a technician there), and the server's audit
rows for what comes back name them too, whoever brings it back."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from mmsdesk.models import AuditEvent, MedicationEntry, Patient, Prescriber
from mmsdesk.services import people
from mmsdesk.services import take_along as ta
from mmsdesk.services.medications import MedicationService
from mmsdesk.services.visits.service import VisitService
from mmsdesk.store import Store
from mmsdesk.store.audit import ACTOR
from mmsdesk.store.server import open_server
from mmsdesk.store.who import NotPermitted
from tests.conftest import TODAY
from tests.services.test_take_along import UNTIL
from tests.services.test_visits import _full_draft
from tests.services.visit_helpers import NOW, Chart, make_bob, make_chart

ANA, LEE, TOM = "ana's long phrase", "lee's long phrase", "tom's long phrase"


@pytest.fixture
def server(pg_database):
    s = open_server(pg_database, ask=False)
    people.add_person(s, login="ana", name="Ana Ruiz", passphrase=ANA)
    people.add_person(s, login="lee", name="Lee Park", passphrase=LEE)
    people.add_person(s, login="tom", name="Tom Lee", role="technician", passphrase=TOM)
    yield s
    s.close()


@pytest.fixture
def laptop_path(tmp_path):
    return tmp_path / "laptop" / "mmsdesk.sqlite3"


def _uuid(store, model, ident: int) -> str:
    with store.session() as s:
        return s.get(model, ident).uuid


def _local_id(store, model, uuid: str) -> int:
    with store.session() as s:
        return s.execute(select(model.id).where(model.uuid == uuid)).scalar_one()


def _last_audit(store) -> int:
    with store.session() as s:
        return s.execute(select(func.max(AuditEvent.id))).scalar() or 0


def _actors(store, after: int, *entities: str) -> set[str]:
    with store.session() as s:
        return set(s.execute(select(AuditEvent.actor).where(
            AuditEvent.id > after, AuditEvent.entity.in_(entities))).scalars())


def test_work_away_is_audited_under_the_person_who_took_it_along(server, laptop_path):
    bob = make_bob(server)
    people.sign_in(server, "ana", ANA)
    with Store.open(laptop_path) as laptop:
        ta.take_along(server, laptop, [bob.patient_id], UNTIL)
    manifest = json.loads((laptop_path.parent / ta.MANIFEST).read_text())
    ana_uuid = next(p for p in people.list_people(server) if p.login == "ana").id
    with server.session() as s:
        from mmsdesk.models.practice_people import Person

        ana_uuid = s.get(Person, ana_uuid).uuid
    assert manifest["person"] == {"uuid": ana_uuid, "login": "ana", "name": "Ana Ruiz",
                                  "role": "pharmacist"}

    # the laptop's store opened again, as the window and the commands open it
    with Store.open(laptop_path) as laptop:
        assert laptop.who is None
        who = ta.sign_in_taker(laptop)
        assert laptop.who == who and (who.name, who.role) == ("Ana Ruiz", "pharmacist")
        assert who.person_id is None  # no person row on the laptop
        mark = _last_audit(laptop)
        med = _local_id(laptop, MedicationEntry, _uuid(server, MedicationEntry, bob.doxazosin))
        meds = MedicationService(laptop)
        data, version = meds.get_for_edit(med)
        meds.update(med, dataclasses.replace(data, strength="8 mg"), TODAY,
                    expected_version=version)
        assert _actors(laptop, mark, "medication_entry", "medication_component",
                       "medication_event") == {"Ana Ruiz"} != {ACTOR}

    # Lee brings it back: the records Ana changed away are hers on the server too
    people.sign_in(server, "lee", LEE)
    mark = _last_audit(server)
    with Store.open(laptop_path) as laptop:
        result = ta.bring_back(server, laptop)
        assert result.ok
        # the laptop's copies were cleared under her name as well
        assert _actors(laptop, 0, "patient") == {"Ana Ruiz"}
    assert _actors(server, mark, "medication_entry", "medication_component",
                   "medication_event") == {"Ana Ruiz"}
    with server.session() as s:
        rows = dict(s.execute(select(AuditEvent.action, AuditEvent.actor).where(
            AuditEvent.id > mark, AuditEvent.entity.in_(["patient", "patient_hold"]))).all())
    assert rows == {"bring back": "Lee Park", "update": "Lee Park"}  # the hold's release
    assert MedicationService(server).get(bob.doxazosin).strength == "8 mg"
    # nothing left away: the laptop is nobody's again
    manifest = json.loads((laptop_path.parent / ta.MANIFEST).read_text())
    assert manifest == {"patients": {}}
    with Store.open(laptop_path) as laptop:
        assert ta.sign_in_taker(laptop) is None and laptop.who is None


def test_a_technician_who_took_a_chart_along_is_a_technician_away(server, laptop_path):
    jose = make_chart(server)
    people.sign_in(server, "tom", TOM)
    with Store.open(laptop_path) as laptop:
        (uuid,) = ta.take_along(server, laptop, [jose.patient_id], UNTIL)
    with Store.open(laptop_path) as laptop:
        ta.sign_in_taker(laptop)
        with laptop.session() as s:
            doc = s.execute(select(Prescriber)).scalar_one().id
        ids = [_local_id(laptop, MedicationEntry, _uuid(server, MedicationEntry, m))
               for m in (jose.metoprolol, jose.lisinopril, jose.simvastatin)]
        draft = _full_draft(laptop, Chart(_local_id(laptop, Patient, uuid), doc, *ids))
        with pytest.raises(NotPermitted, match="Tom Lee is signed in as a technician"):
            VisitService(laptop).complete(draft, now=NOW + timedelta(minutes=45))
        # another person cannot take charts along to this laptop meanwhile
        bob = make_bob(server)
        people.sign_in(server, "ana", ANA)
        with pytest.raises(ta.TakeAlongRefused, match="holds charts Tom Lee took along"):
            ta.take_along(server, laptop, [bob.patient_id], UNTIL)
    assert ta.held_by(server, bob.patient_id) is None


def test_a_store_with_people_of_its_own_is_never_signed_in_from_a_manifest(tmp_path):
    """The manifest is a file beside the data, not a passphrase: a store whose people sign
    in (a practice's own data file) ignores one naming a pharmacist."""
    path = tmp_path / "office" / "mmsdesk.sqlite3"
    with Store.open(path) as store:
        people.add_person(store, login="ana", name="Ana Ruiz", passphrase=ANA)
    (path.parent / ta.MANIFEST).write_text(json.dumps({
        "patients": {"a-patient": {}},
        "person": {"uuid": "", "login": "ana", "name": "Ana Ruiz", "role": "pharmacist"}}))
    with Store.open(path) as store:
        assert ta.sign_in_taker(store) is None and store.who is None
