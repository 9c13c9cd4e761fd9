"""FHIR R4 export: structurally valid (fhirclient's R4 models), coded values from the R4 value
sets, stable ids, medication status and dates kept."""

from __future__ import annotations

import json
from datetime import date

import pytest

from mmsdesk.services.fhir_export import export_bundle
from mmsdesk.services.fhir_export import export_fhir as write_bundle
from mmsdesk.services.medications import MedicationService
from mmsdesk.services.patients import PatientService
from tests.conftest import TODAY

fhir_bundle = pytest.importorskip("fhirclient.models.bundle")

R4_CODES = {
    ("MedicationStatement", "status"): {"active", "completed", "entered-in-error", "intended",
                                        "stopped", "on-hold", "unknown", "not-taken"},
    ("Patient", "gender"): {"male", "female", "other", "unknown"},
    ("AllergyIntolerance", "criticality"): {"low", "high", "unable-to-assess"},
    ("AllergyIntolerance", "type"): {"allergy", "intolerance"},
    ("Observation", "status"): {"registered", "preliminary", "final", "amended", "corrected",
                                "cancelled", "entered-in-error", "unknown"},
}


def _muller(store) -> int:
    return next(r.id for r in PatientService(store).list_rows() if r.last_name == "Müller")


def test_every_demo_patient_exports_a_valid_r4_bundle(demo_store):
    for row in PatientService(demo_store).list_rows():
        bundle = export_bundle(demo_store, row.id)
        fhir_bundle.Bundle(bundle, strict=True)  # raises on a missing or mistyped element
        for entry in bundle["entry"]:
            res = entry["resource"]
            assert entry["fullUrl"] == f"urn:uuid:{res['id']}"
            for (rtype, key), allowed in R4_CODES.items():
                if res["resourceType"] == rtype and key in res:
                    assert res[key] in allowed, (rtype, key, res[key])
        text = json.dumps(bundle)
        assert '""' not in text and "[]" not in text and "{}" not in text


def test_stopped_medication_and_pgx_are_exported(demo_store, tmp_path):
    pid = _muller(demo_store)
    svc = MedicationService(demo_store)
    warfarin = next(r for r in svc.list_for_patient(pid) if r.name.startswith("Warfarin"))
    svc.stop(warfarin.id, date(2026, 11, 20), "bleeding gums", TODAY)
    out = tmp_path / "muller.json"
    n = write_bundle(demo_store, pid, out)
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert len(bundle["entry"]) == n
    patient = bundle["entry"][0]["resource"]
    assert patient["name"][0] == {"use": "official", "family": "Müller", "given": ["José"]}
    assert patient["birthDate"] == "1943-05-14"
    stmt = next(e["resource"] for e in bundle["entry"] if e["resource"]["id"] == warfarin.uuid)
    assert stmt["status"] == "stopped"
    assert stmt["effectivePeriod"] == {"start": "2019-03-01", "end": "2026-11-20"}
    assert stmt["statusReason"] == [{"text": "bleeding gums"}]
    assert stmt["dosage"][0]["text"] == "Take 1 tablet by mouth every evening"
    again = export_bundle(demo_store, pid)
    assert [e["fullUrl"] for e in again["entry"]] == [e["fullUrl"] for e in bundle["entry"]]


def test_each_component_is_a_medication_ingredient_with_its_strength_as_a_ratio(demo_store):
    pid = next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Kowalski")
    bundle = export_bundle(demo_store, pid)
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    sinemet = next(r for r in by_url.values() if r["resourceType"] == "MedicationStatement"
                   and r["medicationReference"]["display"].startswith("Carbidopa"))
    medication = by_url[sinemet["medicationReference"]["reference"]]
    assert medication["resourceType"] == "Medication"
    assert medication["code"]["text"] == "Carbidopa 25 mg / levodopa 100 mg tablet (Sinemet)"
    assert [(i["itemCodeableConcept"]["text"], i["strength"]["numerator"]["value"],
             i["strength"]["numerator"]["code"], i["strength"]["denominator"]["value"])
            for i in medication["ingredient"]] == [("carbidopa", 25, "mg", 1),
                                                   ("levodopa", 100, "mg", 1)]
    miralax = next(r for r in by_url.values() if r["resourceType"] == "Medication"
                   and "MiraLAX" in r["code"]["text"])
    assert miralax["ingredient"][0]["strength"]["numerator"] == {
        "value": 17, "unit": "g", "system": "http://unitsofmeasure.org", "code": "g"}
