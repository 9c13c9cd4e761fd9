"""Shared set-up for the visit service tests: a patient with a prescriber and three medicines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from mmsdesk.models import Prescriber
from mmsdesk.services.medications import MedicationInput, MedicationService
from mmsdesk.services.patients import PatientInput, PatientService
from mmsdesk.store import Store
from tests.conftest import TODAY

NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


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
