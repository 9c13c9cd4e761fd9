"""Allergies, conditions, observations (unit and range checks), PGx, goals for trend lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import select

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.models import Goal, Observation
from mmsdesk.services.acknowledgements import AcknowledgementService
from mmsdesk.services.care_team import CareTeamService, PharmacyInput, PrescriberInput
from mmsdesk.services.medications import MedicationInput, MedicationService
from mmsdesk.services.patients import PatientInput, PatientService
from mmsdesk.services.record import (
    AllergyInput,
    ConditionInput,
    ObservationInput,
    PgxInput,
    RecordService,
)
from mmsdesk.services.validation import ValidationError
from tests.conftest import TODAY


@pytest.fixture
def patient(store):
    pid, _ = PatientService(store).create(PatientInput("Ольга", "Иванова", date(1938, 2, 23)), TODAY)
    return pid


def test_observation_wrong_unit_is_refused_at_the_unit_field(store, patient):
    svc = RecordService(store)
    with pytest.raises(ValidationError) as exc:
        svc.add(patient, ObservationInput("weight", 70, "mg", TODAY), TODAY)
    assert set(exc.value.errors) == {"unit"}
    assert "Body weight is not recorded in mg; use kg" in exc.value.errors["unit"]
    with store.session() as s:
        assert s.exec(select(Observation)).all() == []


def test_observation_out_of_range_and_conversion(store, patient):
    svc = RecordService(store)
    with pytest.raises(ValidationError) as exc:
        svc.add(patient, ObservationInput("a1c", 45, "%", TODAY), TODAY)
    assert "outside the plausible range" in exc.value.errors["value"]
    with pytest.raises(ValidationError) as exc:
        svc.add(patient, ObservationInput("a1c", 7, "%", date(2027, 1, 1)), TODAY)
    assert "taken_on" in exc.value.errors
    svc.add(patient, ObservationInput("weight", 154, "lb", TODAY), TODAY)
    [item] = svc.items(patient, ObservationInput)
    assert item.data.unit == "kg" and item.data.value == pytest.approx(69.85, abs=0.01)


def test_allergy_condition_pgx_round_trip(store, patient):
    svc = RecordService(store)
    aid, change = svc.add(patient, AllergyInput("Penicillin", reaction="hives",
                                                severity="moderate"), TODAY)
    assert change.touches("allergies")
    with pytest.raises(ValidationError) as exc:
        svc.add(patient, ConditionInput("Diabetes", icd10_code="E11-9"), TODAY)
    assert "icd10_code" in exc.value.errors
    with pytest.raises(ValidationError) as exc:
        svc.add(patient, ConditionInput("Diabetes", icd10_code="E11.99"), TODAY)
    assert exc.value.errors["icd10_code"] == "E11.99 is not in the ICD-10-CM code set."
    svc.add(patient, ConditionInput("Type 2 diabetes", icd10_code="e11.9"), TODAY)
    assert svc.items(patient, ConditionInput)[0].data.icd10_code == "E11.9"
    with pytest.raises(ValidationError) as exc:
        svc.add(patient, PgxInput("", ""), TODAY)
    assert set(exc.value.errors) == {"gene", "phenotype"}
    svc.add(patient, PgxInput("cyp2c19", "*2/*2", "Poor Metabolizer"), TODAY)
    assert svc.items(patient, PgxInput)[0].data.gene == "CYP2C19"
    svc.update(aid, AllergyInput("Penicillin", reaction="anaphylaxis", severity="severe"), TODAY)
    assert svc.items(patient, AllergyInput)[0].data.reaction == "anaphylaxis"
    svc.delete(AllergyInput, aid)
    assert svc.items(patient, AllergyInput) == []


def test_goal_targets(store, patient):
    with store.session() as s:
        s.add(Goal(patient_id=patient, measure="a1c", comparator="<", target_value=7.0,
                   target="A1c below 7%"))
        s.add(Goal(patient_id=patient, measure="a1c", target_value=6.5, status="met"))
        s.add(Goal(patient_id=patient, measure="walk daily", target="walk"))
    targets = RecordService(store).goal_targets(patient)
    assert list(targets) == ["a1c"] and targets["a1c"][0].value == 7.0


def test_care_team_add_inline_and_link(store, patient):
    svc = CareTeamService(store)
    with pytest.raises(ValidationError) as exc:
        svc.add_prescriber(PrescriberInput("Patel", npi="1234567890"))
    assert "check digit" in exc.value.errors["npi"]
    prid, _ = svc.add_prescriber(PrescriberInput("Patel", "Anita", "MD", npi="1234567893"),
                                 patient_id=patient, role="primary care")
    phid, _ = svc.add_pharmacy(PharmacyInput("Main Street Pharmacy"), patient_id=patient)
    svc.add_caregiver(patient, "Lucía", "daughter", "(555) 310-8890", True)
    team = svc.team(patient)
    assert [p.display_name for p in team.prescribers] == ["Anita Patel, MD"]
    assert team.prescribers[0].role == "primary care"
    assert [p.name for p in team.pharmacies] == ["Main Street Pharmacy"]
    assert team.caregivers[0].name == "Lucía"
    svc.unlink_prescriber(patient, prid)
    svc.unlink_pharmacy(patient, phid)
    assert svc.team(patient).prescribers == [] and len(svc.all_prescribers()) == 1


@dataclass(frozen=True)
class FakeAlert:
    key: str
    detail: str
    drugs: tuple[str, ...]


def test_acknowledgement_hides_until_inputs_change(store, patient):
    def filler(entry):
        entry.match = "exact"
        entry.set_components((Component(entry.text_given.lower()),))

    meds = MedicationService(store, filler=filler)
    w, _ = meds.add(patient, MedicationInput("warfarin"), TODAY)
    meds.add(patient, MedicationInput("ibuprofen"), TODAY)
    alert = FakeAlert("ddi:warfarin-nsaid:ibuprofen;warfarin", "bleeding risk", ("ibuprofen", "warfarin"))
    acks = AcknowledgementService(store)
    with pytest.raises(ValidationError):
        acks.acknowledge(patient, alert, "   ")
    acks.acknowledge(patient, alert, "Short course; patient told to watch for bleeding")
    shown, hidden = acks.split(patient, [alert])
    assert shown == [] and hidden[0][1].reason.startswith("Short course")
    data = meds.get_input(w)
    data.directions_text = "Take 1½ tablets by mouth every evening"
    meds.update(w, data, TODAY)  # the warfarin dose changed: the alert comes back
    shown, hidden = acks.split(patient, [alert])
    assert shown == [alert] and hidden == []


def test_allergy_renamed_loses_the_old_code_keeps_its_category(store, patient):
    svc = RecordService(store)
    aid, _ = svc.add(patient, AllergyInput("Penicillin", substance_code="7980",
                                           category="medication", criticality="high"), TODAY)
    [item] = svc.items(patient, AllergyInput)
    assert (item.data.category, item.data.criticality) == ("medication", "high")
    svc.update(aid, AllergyInput("penicillin", reaction="hives", substance_code="7980",
                                 category="medication", criticality="high"), TODAY)
    assert svc.items(patient, AllergyInput)[0].data.substance_code == "7980"
    svc.update(aid, AllergyInput("Amoxicillin", substance_code="7980", category="medication"),
               TODAY)
    assert svc.items(patient, AllergyInput)[0].data.substance_code == ""
    with pytest.raises(ValidationError) as exc:
        svc.add(patient, AllergyInput("Peanut", category="food;pollen", criticality="moderate"),
                TODAY)
    assert set(exc.value.errors) == {"category", "criticality"}
