"""screen_patient reads the stored record: active medications, latest labs, conditions, PGx."""

from __future__ import annotations

from datetime import date

from mmsdesk.models import Allergy, Condition, Observation, Patient, PgxResult
from mmsdesk.services.screening import context_for_patient, screen_patient
from tests.conftest import TODAY, med_entry


def _patient(store) -> int:
    with store.session() as s:
        p = Patient(first_name="Ada", last_name="Test", date_of_birth=date(1944, 3, 1),
                    sex="female")
        s.add(p)
        s.flush()
        pid = p.id
        s.add_all([
            med_entry(pid, "Coumadin 5 mg", "warfarin"),
            med_entry(pid, "Advil", "ibuprofen"),
            med_entry(pid, "Bactrim", "sulfamethoxazole;trimethoprim", status="stopped"),
            med_entry(pid, "metformin 500", "metformin"),
            Observation(patient_id=pid, measure="egfr", value=55, taken_on=date(2025, 1, 1)),
            Observation(patient_id=pid, measure="egfr", value=27, taken_on=date(2026, 10, 1)),
            Condition(patient_id=pid, name="Congestive heart failure", icd10_code="I50.9"),
            Condition(patient_id=pid, name="Seizures", status="resolved"),
            Allergy(patient_id=pid, substance="PCN"),
            PgxResult(patient_id=pid, gene="CYP2C9", phenotype="Poor metabolizer"),
        ])
    return pid


def test_context_reads_the_record(store):
    pid = _patient(store)
    with store.session() as s:
        ctx = context_for_patient(s, pid, TODAY)
    assert ctx.age == 82 and ctx.sex == "female" and ctx.egfr == 27
    assert [m.ingredients for m in ctx.medications] == [("warfarin",), ("ibuprofen",),
                                                          ("metformin",)]
    assert ctx.conditions == ("Congestive heart failure",) and "I50.9" in ctx.condition_codes
    assert ctx.allergies == ("PCN",) and ctx.pgx == (("CYP2C9", "Poor metabolizer"),)


def test_screen_patient_alerts(store):
    pid = _patient(store)
    result = screen_patient(store, pid, TODAY)
    found = {(a.kind, a.drugs) for a in result.alerts}
    assert ("interaction", ("warfarin", "ibuprofen")) in found or \
        ("interaction", ("ibuprofen", "warfarin")) in found
    assert ("renal", ("metformin",)) in found and ("pgx", ("warfarin",)) in found
    assert ("beers", ("ibuprofen",)) in found  # heart failure + NSAID at 82
    assert not [a for a in result.alerts if "sulfamethoxazole" in a.drugs]  # stopped
    assert result.knowledge_base["version"]
    keys = [a.key for a in result.alerts]
    assert len(keys) == len(set(keys))


def test_demo_patient_alerts_follow_the_record(demo_store):
    from mmsdesk.services.medications import MedicationInput, MedicationService
    from mmsdesk.services.patients import PatientService

    pid = next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Müller")
    alerts = screen_patient(demo_store, pid, TODAY).alerts
    rules = {a.rule_id for a in alerts}
    # José takes warfarin, ibuprofen (Advil), amiodarone, digoxin, lisinopril, spironolactone.
    # Ibuprofen and its partners (warfarin, lisinopril, spironolactone...) are one NSAID alert.
    # Lisinopril with spironolactone is the one hyperkalaemia alert (measured.lab_alerts).
    assert {"nsaid-partners", "warfarin-amiodarone", "digoxin-amiodarone",
            "hyperkalaemia"} <= rules
    (k,) = [a for a in alerts if a.rule_id == "hyperkalaemia"]
    assert {"lisinopril", "spironolactone"} <= set(k.drugs)
    assert any(line.startswith("Potassium") for line in k.evidence), k.evidence
    (nsaid,) = [a for a in alerts if a.rule_id == "nsaid-partners"]
    assert {"ibuprofen", "lisinopril", "spironolactone", "warfarin"} <= set(nsaid.drugs)
    assert any(line.startswith("warfarin + ibuprofen") or line.startswith("ibuprofen + warfarin")
               for line in nsaid.evidence), nsaid.evidence
    meds = MedicationService(demo_store)
    ibuprofen = next(r for r in meds.list_for_patient(pid) if r.name.startswith("Ibuprofen"))
    meds.stop(ibuprofen.id, TODAY, "switched to acetaminophen", TODAY)
    rules = {a.rule_id for a in screen_patient(demo_store, pid, TODAY).alerts}
    assert "nsaid-partners" not in rules and "warfarin-amiodarone" in rules
    meds.add(pid, MedicationInput("Zzyzx herbal tonic"), TODAY)
    with demo_store.session() as s:
        ctx = context_for_patient(s, pid, TODAY)
    assert "Zzyzx herbal tonic" not in [m.text for m in ctx.active()]  # nothing to screen
