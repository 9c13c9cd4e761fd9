"""Screening over the stored record: only active medicines count, as the dictionary resolved them."""

from __future__ import annotations

from mmsdesk.services.medications import MedicationInput, MedicationService
from mmsdesk.services.patients import PatientService
from mmsdesk.services.screening import screen_patient
from tests.conftest import TODAY


def test_demo_patient_alerts_follow_the_record(demo_store):
    pid = next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Müller")
    rules = {a.rule_id for a in screen_patient(demo_store, pid, TODAY).alerts}
    # José takes warfarin, ibuprofen (Advil), amiodarone, digoxin, lisinopril, spironolactone.
    assert {"ddi-vka-nsaid", "ddi-vka-amiodarone", "ddi-digoxin-amiodarone",
            "ddi-acei-spironolactone"} <= rules
    meds = MedicationService(demo_store)
    ibuprofen = next(r for r in meds.list_for_patient(pid) if r.name.startswith("Ibuprofen"))
    meds.stop(ibuprofen.id, TODAY, "switched to acetaminophen", TODAY)
    rules = {a.rule_id for a in screen_patient(demo_store, pid, TODAY).alerts}
    assert "ddi-vka-nsaid" not in rules and "ddi-vka-amiodarone" in rules
    meds.add(pid, MedicationInput("Zzyzx herbal tonic"), TODAY)
    assert screen_patient(demo_store, pid, TODAY).risk_profile["unrecognised"] >= 1
