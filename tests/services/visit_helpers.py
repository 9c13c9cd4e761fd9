"""Shared set-up for the visit service tests: a patient with a prescriber and three medicines;
another (Bob Stone) with doxazosin and apixaban, and a recommendation faxed to Dr Okafor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from mmsdesk.models import Prescriber, Recommendation
from mmsdesk.services.medications import MedicationInput, MedicationService
from mmsdesk.services.patients import PatientInput, PatientService
from mmsdesk.store import Store
from tests.conftest import TODAY

NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
SENT = TODAY - timedelta(days=20)  # a recommendation faxed to the prescriber
REPLY = TODAY - timedelta(days=3)  # the prescriber's faxed reply


@dataclass
class Chart:
    patient_id: int
    prescriber_id: int
    metoprolol: int
    lisinopril: int
    simvastatin: int


def make_chart(store: Store, payer: str = "medicare_part_d") -> Chart:
    pid, _ = PatientService(store).create(
        PatientInput("José", "Müller", date(1943, 5, 14), payer_type=payer,
                     member_id="M123" if payer == "medicare_part_d" else ""), TODAY)
    with store.session() as s:
        doc = Prescriber(first_name="Ana", last_name="Ruiz", credentials="MD")
        s.add(doc)
        s.flush()
        doc_id = doc.id
    meds = MedicationService(store)
    ids = [meds.add(pid, MedicationInput(text, directions_text=sig, prescriber_id=doc_id,
                                         started=date(2024, 1, 1)), TODAY)[0]
           for text, sig in (("Metoprolol tartrate 25 MG Oral Tablet", "1 tablet twice a day"),
                             ("Lisinopril 10 MG Oral Tablet", "1 tablet every morning"),
                             ("Simvastatin 40 MG Oral Tablet", "1 tablet at bedtime"))]
    assert doc_id is not None
    return Chart(pid, doc_id, *ids)


# -- a prescriber's reply (tests/services/test_prescriber_replies.py, tests/ui/)
@dataclass
class Bob:
    patient_id: int
    okafor: int
    doxazosin: int
    apixaban: int


def make_bob(store) -> Bob:
    pid, _ = PatientService(store).create(PatientInput("Bob", "Stone", date(1941, 3, 2)), TODAY)
    with store.session() as s:
        doc = Prescriber(first_name="Chidi", last_name="Okafor", credentials="MD")
        s.add(doc)
        s.flush()
        doc_id = doc.id
    meds = MedicationService(store)
    dox = meds.add(pid, MedicationInput("Doxazosin 4 mg tablet", directions_text="1 tablet at "
                                        "bedtime", prescriber_id=doc_id,
                                        started=date(2024, 1, 1)), TODAY)[0]
    apx = meds.add(pid, MedicationInput("Eliquis 5 mg tablet", directions_text="1 tablet twice "
                                        "a day", prescriber_id=doc_id,
                                        started=date(2024, 1, 1)), TODAY)[0]
    return Bob(pid, doc_id, dox, apx)


def sent_recommendation(store, bob: Bob, intervention: str, **change) -> int:
    with store.session() as s:
        rec = Recommendation(patient_id=bob.patient_id, intervention=intervention,
                             prescriber_id=bob.okafor, text="As discussed", sent_on=SENT,
                             sent_method="fax", **change)
        s.add(rec)
        s.flush()
        return rec.id
