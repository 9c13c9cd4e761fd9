"""MedicationInput carries strength per unit of use and the directions' daily amount, from the
store's MedicationEntry and from FHIR bundles; PatientContext carries dated labs and death."""

from __future__ import annotations

from datetime import date

import pytest

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.screening import MedicationInput, PatientContext
from mmsdesk.clinical.screening.inputs import medication_input
from mmsdesk.clinical.sig import Directions
from mmsdesk.models import MedicationComponent, MedicationEntry, Observation, Patient
from mmsdesk.services.screening import context_for_patient
from tests.conftest import TODAY


def test_old_callers_still_build_a_medication_input():
    m = MedicationInput("warfarin", ("warfarin",))
    assert m.components == () and m.daily_amount is None and m.amount_of("warfarin") == (
        None, None, "")


@pytest.mark.parametrize(("components", "directions", "per_dose", "per_day"), [
    # Norco 10/325: 1 tablet q6h as needed -> up to 4 a day
    ((Component("hydrocodone", 10, "mg"), Component("acetaminophen", 325, "mg")),
     Directions(1, "tablet", "oral", "q6h", as_needed=True), 325, 1300),
    # 2 tablets of 500 mg three times a day
    ((Component("acetaminophen", 500, "mg"),), Directions(2, "tablet", "oral", "tid"), 1000, 3000),
    # dose written as a mass: 1000 mg of a 500 mg tablet, twice a day
    ((Component("acetaminophen", 500, "mg"),), Directions(1000, "mg", "oral", "bid"), 1000, 2000),
    # a liquid: 160 mg/5 mL, 10 mL four times a day
    ((Component("acetaminophen", 160, "mg", 5, "ml"),), Directions(10, "mL", "oral", "qid"),
     320, 1280),
    # daily with two chosen times counts twice
    ((Component("acetaminophen", 650, "mg"),),
     Directions(1, "tablet", "oral", "daily", ("morning", "evening")), 650, 1300),
    # no frequency: no daily amount
    ((Component("acetaminophen", 500, "mg"),), Directions(1, "tablet"), 500, None),
    # no strength: nothing known
    ((Component("acetaminophen"),), Directions(1, "tablet", "oral", "bid"), None, None),
])
def test_amount_of_an_ingredient(components, directions, per_dose, per_day):
    m = medication_input("x", [c.ingredient for c in components], components=components,
                         directions=directions)
    dose, day, _ = m.amount_of("acetaminophen")
    assert dose == (pytest.approx(per_dose) if per_dose is not None else None)
    assert day == (pytest.approx(per_day) if per_day is not None else None)


def test_store_entry_fills_components_directions_and_dated_labs(store):
    with store.session() as s:
        p = Patient(first_name="Ada", last_name="Test", date_of_birth=date(1930, 3, 1),
                    sex="female", deceased_date=date(2020, 1, 5))
        s.add(p)
        s.flush()
        s.add_all([
            MedicationEntry(patient_id=p.id, text_given="Norco 10/325", match="exact",
                            dose_amount=2, dose_unit="tablet", frequency="q6h", as_needed=True,
                            components=[MedicationComponent(ingredient="hydrocodone", amount=10,
                                                            unit="mg", position=0),
                                        MedicationComponent(ingredient="acetaminophen",
                                                            amount=325, unit="mg", position=1)]),
            Observation(patient_id=p.id, measure="sodium", value=129, taken_on=date(2019, 6, 1)),
            Observation(patient_id=p.id, measure="weight", value=51, taken_on=date(2019, 7, 1)),
        ])
        pid = p.id
    with store.session() as s:
        ctx = context_for_patient(s, pid, TODAY)
    m = ctx.medications[0]
    assert m.components == (("hydrocodone", 10, "mg"), ("acetaminophen", 325, "mg"))
    assert m.as_needed and m.amount_of("acetaminophen")[:2] == (650, 2600)
    assert ctx.sodium == 129 and ctx.lab_date("sodium") == date(2019, 6, 1)
    assert ctx.weight_kg == 51 and ctx.lab_date("weight_kg") == date(2019, 7, 1)
    assert ctx.deceased and ctx.deceased_on == date(2020, 1, 5)
    assert ctx.age == 89  # the age at death, not 96 today


def test_patient_context_lab_date_unknown():
    assert PatientContext(potassium=5.0).lab_date("potassium") is None


@pytest.mark.parametrize(("text", "per_day"), [
    ("Take 2 tablets by mouth every 4 hours as needed for pain, at most 8 a day", 4000),
    ("Take 2 tablets by mouth every 4 hours as needed for pain", 6000),
    ("Take 1000 mg by mouth three times a day", 3000),
    ("take 2 tabs po q6h prn", None),  # not every word read: not guessed
])
def test_written_directions_are_read_only_when_understood(text, per_day):
    m = medication_input("Tylenol ES", ["acetaminophen"],
                         components=(Component("acetaminophen", 500, "mg"),),
                         directions_text=text)
    day = m.amount_of("acetaminophen")[1]
    assert day == (pytest.approx(per_day) if per_day is not None else None)


def test_structured_directions_win_over_the_text():
    m = medication_input("Tylenol ES", ["acetaminophen"],
                         components=(Component("acetaminophen", 500, "mg"),),
                         directions=Directions(1, "tablet", "oral", "bid"),
                         directions_text="Take 2 tablets every 4 hours")
    assert m.amount_of("acetaminophen")[1] == 1000


def test_fhir_dosage_text_feeds_the_acetaminophen_total(tmp_path):
    import json

    from tests.conftest import run_cli

    entries = [{"resource": {"resourceType": "Patient", "birthDate": "1940-01-01",
                             "gender": "female"}}]
    for text, sig in [("Hydrocodone Bitartrate 10 MG / Acetaminophen 325 MG Oral Tablet",
                       "Take 2 tablets by mouth every 4 hours as needed for pain"),
                      ("Acetaminophen 500 MG Oral Tablet", "Take 2 tablets by mouth twice a day")]:
        entries.append({"resource": {"resourceType": "MedicationRequest", "status": "active",
                                     "intent": "order", "authoredOn": "2026-11-01",
                                     "medicationCodeableConcept": {"text": text},
                                     "dosageInstruction": [{"text": sig}]}})
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": entries}), encoding="utf-8")
    out = run_cli("screen", str(path), "--today", "2026-12-04")
    assert out.returncode == 0, out.stderr
    [a] = [a for a in json.loads(out.stdout)["alerts"] if a["rule_id"] == "dose-apap-day"]
    assert "5,900 mg a day" in a["detail"]
