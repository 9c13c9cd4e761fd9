"""Take along (#22): a prescriber or pharmacy corrected on the laptop (a fax, an NPI) is written
back with the chart that refers to it, in that chart's one transaction; when the office changed
it meanwhile, nothing of it is overwritten: its fields are settled side by side."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from mmsdesk.models import (
    Allergy,
    AuditEvent,
    Patient,
    PatientPharmacy,
    PatientPrescriber,
    Pharmacy,
    Prescriber,
)
from mmsdesk.services import chart_rows
from mmsdesk.services import take_along as ta
from mmsdesk.store import Store
from mmsdesk.store.audit import verify_chain
from mmsdesk.store.server import open_server
from tests.services.test_take_along import UNTIL
from tests.services.visit_helpers import make_bob, make_chart


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


def _bob_with_pharmacy(server):
    bob = make_bob(server)
    with server.session() as s:
        shop = Pharmacy(name="Main Street Pharmacy", phone="555-0100", fax="555-0101")
        s.add(shop)
        s.flush()
        s.add(PatientPharmacy(patient_id=bob.patient_id, pharmacy_id=shop.id, is_primary=True))
        return bob, shop.id


def _set(store, model, ident_or_uuid, **values) -> None:
    with store.session() as s:
        obj = (s.get(model, ident_or_uuid) if isinstance(ident_or_uuid, int) else
               s.execute(select(model).where(model.uuid == ident_or_uuid)).scalar_one())
        for k, v in values.items():
            setattr(obj, k, v)


def _uuid(store, model, ident: int) -> str:
    with store.session() as s:
        return s.get(model, ident).uuid


def _get(store, model, ident: int):
    with store.session() as s:
        return s.get(model, ident)


def test_a_prescriber_and_a_pharmacy_corrected_away_are_written_back(server, laptop):
    bob, shop = _bob_with_pharmacy(server)
    ta.take_along(server, laptop, [bob.patient_id], UNTIL)
    okafor_uuid, shop_uuid = _uuid(server, Prescriber, bob.okafor), _uuid(server, Pharmacy, shop)
    # at the home visit: Dr Okafor's new phone and NPI, the pharmacy's new fax
    _set(laptop, Prescriber, okafor_uuid, phone="555-0170", npi="1234567893")
    _set(laptop, Pharmacy, shop_uuid, fax="555-0188")
    with server.session() as s:
        mark = s.execute(select(func.max(AuditEvent.id))).scalar()

    result = ta.bring_back(server, laptop)
    assert result.ok and len(result.brought_back) == 1
    doc, pharmacy = _get(server, Prescriber, bob.okafor), _get(server, Pharmacy, shop)
    assert (doc.phone, doc.npi) == ("555-0170", "1234567893")
    assert (pharmacy.phone, pharmacy.fax) == ("555-0100", "555-0188")
    with server.session() as s:
        written = s.execute(select(AuditEvent.action, AuditEvent.entity)
                            .where(AuditEvent.id > mark)).all()
        assert verify_chain(s.connection()).ok
    assert ("update", "prescriber") in written and ("update", "pharmacy") in written
    assert json.loads((laptop.path.parent / ta.MANIFEST).read_text()) == {"patients": {}}


def test_a_prescriber_changed_at_the_office_meanwhile_is_settled_not_overwritten(server,
                                                                                  laptop):
    bob, _ = _bob_with_pharmacy(server)
    bob_uuid = _uuid(server, Patient, bob.patient_id)
    ta.take_along(server, laptop, [bob.patient_id], UNTIL)
    okafor_uuid = _uuid(server, Prescriber, bob.okafor)
    _set(laptop, Prescriber, okafor_uuid, phone="555-0170")  # away
    _set(server, Prescriber, bob.okafor, fax="555-0199")  # at the office, meanwhile
    with laptop.session() as s:  # and a chart change: it waits with the prescriber
        s.get(Patient, s.execute(select(Patient.id)).scalar_one()).phone = "555-0142"

    result = ta.bring_back(server, laptop)
    assert not result.brought_back and not result.refused
    assert sorted((d.table, d.field, d.laptop, d.server, d.label)
                  for d in result.differences) == [
        ("prescriber", "fax", "", "555-0199", "prescriber Chidi Okafor MD"),
        ("prescriber", "phone", "555-0170", "", "prescriber Chidi Okafor MD")]
    assert {d.patient_uuid for d in result.differences} == {bob_uuid}
    doc = _get(server, Prescriber, bob.okafor)
    assert (doc.phone, doc.fax) == ("", "555-0199")  # nothing of Bob's written
    assert _get(server, Patient, bob.patient_id).phone == ""
    assert set(ta.differences(server, laptop, bob_uuid)) == set(result.differences)

    ta.settle(server, laptop, bob_uuid, {d.choice_key: "laptop" if d.field == "phone"
                                         else "server" for d in result.differences})
    again = ta.bring_back(server, laptop)
    assert again.ok and again.brought_back == [bob_uuid]
    doc = _get(server, Prescriber, bob.okafor)
    assert (doc.phone, doc.fax) == ("555-0170", "555-0199")
    assert _get(server, Patient, bob.patient_id).phone == "555-0142"


def test_a_prescriber_of_two_charts_is_written_once_and_a_correction_waits_for_the_next(
        server, laptop):
    bob, _ = _bob_with_pharmacy(server)
    jose = make_chart(server)
    with server.session() as s:  # Dr Okafor treats José too
        s.add(PatientPrescriber(patient_id=jose.patient_id, prescriber_id=bob.okafor))
    okafor_uuid = _uuid(server, Prescriber, bob.okafor)
    ta.take_along(server, laptop, [bob.patient_id], UNTIL)
    _set(laptop, Prescriber, okafor_uuid, fax="555-0177")
    # taking José along too copies the server's prescribers again, but not over a correction
    ta.take_along(server, laptop, [jose.patient_id], UNTIL)
    with laptop.session() as s:
        assert s.execute(select(Prescriber.fax).where(Prescriber.uuid == okafor_uuid)
                         ).scalar_one() == "555-0177"
    with server.session() as s:
        mark = s.execute(select(func.max(AuditEvent.id))).scalar()
    result = ta.bring_back(server, laptop)
    assert result.ok and len(result.brought_back) == 2
    assert _get(server, Prescriber, bob.okafor).fax == "555-0177"
    with server.session() as s:
        updates = s.execute(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.id > mark, AuditEvent.entity == "prescriber")).scalar_one()
    assert updates == 1


def test_a_bring_back_that_fails_midway_writes_neither_the_chart_nor_its_prescriber(
        server, laptop, monkeypatch):
    bob = make_bob(server)
    with server.session() as s:
        s.add(Allergy(patient_id=bob.patient_id, substance="penicillin"))
    ta.take_along(server, laptop, [bob.patient_id], UNTIL)
    _set(laptop, Prescriber, _uuid(server, Prescriber, bob.okafor), phone="555-0170")
    with laptop.session() as s:
        s.delete(s.execute(select(Allergy)).scalar_one())
    real_delete = chart_rows.Writer.delete

    def dies(self, row):  # after the prescriber's update, the allergy's deletion fails
        if self.session.bind.dialect.name == "postgresql":
            raise ConnectionError("server closed the connection")
        return real_delete(self, row)

    monkeypatch.setattr(chart_rows.Writer, "delete", dies)
    with pytest.raises(ConnectionError):
        ta.bring_back(server, laptop)
    monkeypatch.undo()
    assert _get(server, Prescriber, bob.okafor).phone == ""  # rolled back with the chart
    assert ta.held_by(server, bob.patient_id) is not None
    assert ta.bring_back(server, laptop).ok
    assert _get(server, Prescriber, bob.okafor).phone == "555-0170"
    with server.session() as s:
        assert s.execute(select(func.count()).select_from(Allergy)).scalar_one() == 0
