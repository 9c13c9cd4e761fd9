"""Conformance against real StructureDefinitions (#21): every export (the record's FHIR bundle for
each demo patient and each Synthea patient imported, the eCare Plan of each completed demo CMR,
the SMP with and without its action plan) meets the FHIR R4 core definitions of its resources
and the core profiles under its US Core vital signs and documents (tests/interop/
structure_check.py; the files in tests/fixtures/fhir-r4-core). US Core, SMP and PhCP's own
definitions could not be had (the fixtures' README says why): test_fhir_profiles.py's table
holds their must-support elements."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import text

from mmsdesk.services.careplan_export import careplan_bundle
from mmsdesk.services.fhir_export import export_bundle
from mmsdesk.services.fhir_import import FhirImportService
from mmsdesk.services.patients import PatientService
from mmsdesk.services.smp_export import smp_bundle
from tests.conftest import TODAY, shared_data
from tests.interop import structure_check as sc

CORE = sc.CORE


def _exports(store) -> list[tuple[str, dict]]:
    pids = [r.id for r in PatientService(store).list_rows()]
    with store.session() as s:
        visits = s.execute(text("SELECT id, patient_id FROM visit WHERE service = 'cmr' "
                                "AND status = 'complete' ORDER BY id")).all()
    out = [(f"record {p}", export_bundle(store, p)) for p in pids]
    out += [(f"eCare Plan {v}", careplan_bundle(store, v)) for v, _ in visits]
    out += [(f"SMP {p}", smp_bundle(store, p, None, TODAY)) for p in pids]
    out += [(f"SMP+MAP {v}", smp_bundle(store, p, v, TODAY)) for v, p in visits]
    return out


def test_every_demo_export_meets_the_core_definitions(demo_store):
    held: set[str] = set()
    for name, bundle in _exports(demo_store):
        assert sc.check_bundle(bundle) == [], name
        assert sc.bindings_unchecked(bundle) == set(), name  # every required value set known
        held |= {u for e in bundle["entry"] for u in sc.profiles_for(e["resource"])}
    assert {CORE + r for r in ("Patient", "Medication", "MedicationStatement",
                               "MedicationRequest", "AllergyIntolerance", "Condition",
                               "Observation", "Practitioner", "CareTeam", "Goal", "CarePlan",
                               "Composition", "List", "bp", "bodyweight", "bodyheight",
                               "clinicaldocument")} <= held


def test_every_synthea_patient_exported_meets_the_core_definitions(demo_store):
    svc = FhirImportService(demo_store)
    paths = sorted(p for p in shared_data("synthea-r4").glob("*.json")
                   if not p.name.startswith("TRUNCATED"))
    assert paths
    for path in paths:
        bundle = export_bundle(demo_store, svc.import_file(path, TODAY).patient_id)
        assert sc.check_bundle(bundle) == [], path.name
        assert sc.bindings_unchecked(bundle) == set(), path.name


def _bp(demo_store) -> dict:
    bundle = export_bundle(demo_store, PatientService(demo_store).list_rows()[0].id)
    return next(e["resource"] for e in bundle["entry"]
                if e["resource"]["resourceType"] == "Observation"
                and e["resource"]["code"]["coding"][0]["code"] == "85354-9")


def _break(res: dict, how: str) -> None:
    if how == "status":
        res["status"] = "done"
    elif how == "no subject":
        del res["subject"]
    elif how == "systolic code":
        res["component"][0]["code"]["coding"][0]["code"] = "8459-0"
    elif how == "unit":
        res["component"][1]["valueQuantity"]["code"] = "mmHg"
    elif how == "panel value":
        res["valueQuantity"] = {"value": 120, "unit": "mm[Hg]"}
    elif how == "category":
        res["category"][0]["coding"][0]["code"] = "laboratory"


@pytest.mark.parametrize(("how", "words"), [
    ("status", "Observation.status 'done' not in http://hl7.org/fhir/ValueSet/observation-status"),
    ("no subject", "bp: Observation.subject needs 1, has 0"),  # 0..1 in the base, 1..1 in bp
    ("systolic code", "bp: Observation.component:SystolicBP needs 1, has 0"),
    ("unit", "bp: Observation.component:DiastolicBP.value[x].code is 'mmHg', fixed 'mm[Hg]'"),
    ("panel value", "bp: Observation.value[x]:valueQuantity must be absent"),
    ("category", "bp: Observation.category:VSCat needs 1, has 0"),
])
def test_the_checker_finds_each_kind_of_fault(demo_store, how, words):
    bp = _bp(demo_store)
    assert [p for u in sc.profiles_for(bp) for p in sc.check(bp, u)] == []
    broken = copy.deepcopy(bp)
    _break(broken, how)
    assert any(words in p for u in sc.profiles_for(broken) for p in sc.check(broken, u))


def test_required_bindings_are_read_from_the_bundled_value_sets():
    codes = sc.value_set_codes("http://hl7.org/fhir/ValueSet/medicationrequest-intent|4.0.1")
    assert codes and ("http://hl7.org/fhir/CodeSystem/medicationrequest-intent", "order") in codes
    assert {c for _, c in codes} >= {"proposal", "plan", "order"}
    request = {"resourceType": "MedicationRequest", "status": "active", "intent": "advice",
               "medicationCodeableConcept": {"text": "x"}, "subject": {"reference": "urn:x"}}
    assert any("MedicationRequest.intent 'advice'" in p
               for p in sc.check(request, CORE + "MedicationRequest"))
    assert sc.value_set_codes("http://hl7.org/fhir/ValueSet/not-bundled") is None
