"""Profile-conformant export: every resource declares its profile (US Core 6.1.0, SMP 1.0.0) and
carries that profile's required and must-support elements; each bundle validates with a
maintained validator (fhir.resources, R4B models, whose resources here are R4's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from mmsdesk.interop import fhir_profiles as prof
from mmsdesk.interop.fhir_bundle import parse_bundle
from mmsdesk.models import Observation
from mmsdesk.services.fhir_export import export_bundle
from mmsdesk.services.fhir_import import FhirImportService
from mmsdesk.services.patients import PatientService
from tests.conftest import TODAY, shared_data

r4_bundle = pytest.importorskip("fhir.resources.R4B.bundle")

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBS_CAT = "http://terminology.hl7.org/CodeSystem/observation-category"


def _get(res: dict[str, Any], path: str) -> list[Any]:
    """Every value at a dotted path (lists are walked)."""
    values: list[Any] = [res]
    for key in path.split("."):
        nxt: list[Any] = []
        for v in values:
            item = v.get(key) if isinstance(v, dict) else None
            if isinstance(item, list):
                nxt += item
            elif item is not None:
                nxt.append(item)
        values = nxt
    return values


def _category(code: str) -> Callable[[dict[str, Any]], bool]:
    return lambda r: any(c.get("system") == OBS_CAT and c.get("code") == code
                         for c in _get(r, "category.coding"))


def _vital(loinc: str, unit: str) -> list[Any]:
    return ["status", "subject.reference", "effectiveDateTime", _category("vital-signs"),
            lambda r: (LOINC, loinc) in {(c["system"], c["code"]) for c in _get(r, "code.coding")},
            lambda r: _get(r, "valueQuantity.system") == [UCUM]
            and _get(r, "valueQuantity.code") == [unit]]


def _bp_components(r: dict[str, Any]) -> bool:
    by_code = {c["code"]["coding"][0]["code"]: c for c in r.get("component", [])}
    return set(by_code) == {prof.BP_SYSTOLIC, prof.BP_DIASTOLIC} and all(
        c.get("dataAbsentReason") or c["valueQuantity"]["code"] == "mm[Hg]"
        for c in by_code.values())


# profile -> what a resource declaring it must have: a dotted path that must hold a value, or a
# check. Required (1..) elements and the must-support ones we always know.
MUST_SUPPORT: dict[str, list[Any]] = {
    prof.PATIENT: ["identifier.system", "identifier.value", "name.family", "gender",
                   "birthDate"],
    prof.ALLERGY: ["clinicalStatus.coding.code", "verificationStatus.coding.code", "code.text",
                   "patient.reference"],
    # the category slice us-core (1..1, required binding to us-core-problem-or-health-concern:
    # problem-list-item from THO's code system, health-concern from US Core's own)
    prof.CONDITION: ["clinicalStatus.coding.code", "code.text", "subject.reference",
                     lambda r: {(c["system"], c["code"]) for c in _get(r, "category.coding")}
                     & {(prof.CONDITION_CATEGORY, "problem-list-item"),
                        (prof.US_CORE_CONDITION_CATEGORY, "health-concern")}],
    prof.MEDICATION: ["code.text"],
    prof.SMP_MEDICATION: ["code.text", "status"],
    prof.SMP_MEDICATION_STATEMENT: ["status", "medicationReference.reference",
                                    "subject.reference"],
    # US Core 6.1.0 MedicationRequest: status, intent (required bindings), medication[x] and
    # subject 1..1; category's us-core slice, reported[x], dosageInstruction.text must-support
    # (sent whenever the chart has directions)
    prof.MEDICATION_REQUEST: [
        lambda r: r.get("status") in {"active", "on-hold", "cancelled", "completed",
                                      "entered-in-error", "stopped", "draft", "unknown"},
        lambda r: r.get("intent") in {"proposal", "plan", "order", "original-order",
                                      "reflex-order", "filler-order", "instance-order", "option"},
        lambda r: bool(r.get("medicationReference", {}).get("reference")
                       or r.get("medicationCodeableConcept")),
        "subject.reference",
        # structured directions always come with their text
        lambda r: all(d.get("text") for d in r.get("dosageInstruction", [])
                      if d.get("timing") or d.get("doseAndRate")),
        lambda r: "reportedBoolean" in r or "reportedReference" in r,
        # us-core-21: an order (order, original-, reflex-, filler-, instance-order) names its
        # requester
        lambda r: not r.get("intent", "").endswith("order") or bool(r.get("requester")),
        lambda r: bool({"inpatient", "outpatient", "community", "discharge"}
                       & set(_get(r, "category.coding.code")))],
    prof.LAB: ["status", "code.coding.code", "subject.reference", "effectiveDateTime",
               _category("laboratory"),
               lambda r: bool(r.get("valueQuantity") or r.get("valueCodeableConcept"))],
    prof.SIMPLE_OBSERVATION: ["status", "code.coding.code", "subject.reference", "category"],
    prof.VITAL_PROFILES["29463-7"]: _vital("29463-7", "kg"),
    prof.VITAL_PROFILES["8302-2"]: _vital("8302-2", "cm"),
    prof.VITAL_PROFILES["39156-5"]: _vital("39156-5", "kg/m2"),
    prof.VITAL_PROFILES["8867-4"]: _vital("8867-4", "/min"),
    prof.BLOOD_PRESSURE: ["status", "subject.reference", "effectiveDateTime",
                          _category("vital-signs"),
                          lambda r: _get(r, "code.coding.code") == [prof.BP_PANEL],
                          _bp_components, lambda r: "valueQuantity" not in r],
    # the eCare Plan (PhCP 1.0.0 on US Core 6.1.0)
    prof.PHCP_COMPOSITION: ["status", "type.coding.code", "subject.reference", "date",
                            "author.reference", "title", "section.code.coding.code",
                            "section.text.div"],
    prof.PHCP_MEDICATION_THERAPY_CONDITION: [
        "clinicalStatus.coding.code", "code.coding.code", "subject.reference",
        lambda r: _get(r, "category.coding") == [prof.HEALTH_CONCERN]],
    prof.CARE_PLAN: ["text.status", "text.div", "status", "intent", "subject.reference",
                     lambda r: "assess-plan" in _get(r, "category.coding.code")],
    prof.CARE_TEAM: ["status", "subject.reference", "participant.role.text",
                     "participant.member.reference"],
    prof.GOAL: ["lifecycleStatus", "description.text", "subject.reference"],
    prof.PRACTITIONER: ["identifier.system", "identifier.value", "name.family"],
    # the Standardized Medication Profile (SMP 1.0.0) and its action plan
    prof.SMP_MEDICATION_LIST: ["status", "mode", "code.coding.code", "subject.reference",
                               "source.reference", "date",
                               lambda r: bool(r.get("entry") or r.get("emptyReason"))],
    prof.CLINICAL_DOCUMENT: ["status", "type.coding.code", "subject.reference", "date",
                             "author.reference", "title", "section.text.div"],
}


def check_profiles(bundle: dict[str, Any]) -> list[str]:
    """Every resource declares a known profile and has what it requires; the problems found."""
    problems = []
    for i, entry in enumerate(bundle["entry"]):
        res = entry["resource"]
        declared = _get(res, "meta.profile")
        if not declared:
            problems.append(f"entry {i} {res['resourceType']}: no meta.profile")
        for url in declared:
            if url not in MUST_SUPPORT:
                problems.append(f"entry {i}: unknown profile {url}")
                continue
            for need in MUST_SUPPORT[url]:
                ok = bool(_get(res, need)) if isinstance(need, str) else bool(need(res))
                if not ok:
                    problems.append(f"entry {i} {url.rsplit('/', 1)[-1]}: {need}")
    return problems


def validate(bundle: dict[str, Any]) -> None:
    r4_bundle.Bundle.model_validate(bundle)  # raises on any structural or type error
    assert check_profiles(bundle) == []


def test_every_demo_patient_exports_profiled_resources_that_validate(demo_store):
    seen: set[str] = set()
    for row in PatientService(demo_store).list_rows():
        bundle = export_bundle(demo_store, row.id)
        validate(bundle)
        seen |= {u for e in bundle["entry"] for u in _get(e["resource"], "meta.profile")}
    assert {prof.PATIENT, prof.CONDITION, prof.MEDICATION, prof.SMP_MEDICATION,
            prof.SMP_MEDICATION_STATEMENT,
            prof.LAB, prof.BLOOD_PRESSURE, prof.ALLERGY} <= seen


def test_the_validator_and_the_table_catch_a_broken_resource(demo_store):
    bundle = export_bundle(demo_store, PatientService(demo_store).list_rows()[0].id)
    condition = next(e["resource"] for e in bundle["entry"]
                     if e["resource"]["resourceType"] == "Condition")
    del condition["category"]
    assert any("us-core-condition" in p for p in check_profiles(bundle))
    condition["onsetDateTime"] = "not a date"
    with pytest.raises(ValueError):
        r4_bundle.Bundle.model_validate(bundle)


def test_a_days_blood_pressure_is_one_panel_that_imports_back(demo_store):
    pid = PatientService(demo_store).list_rows()[0].id
    bundle = export_bundle(demo_store, pid)
    obs = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    loincs = {c["code"] for o in obs for c in o["code"]["coding"]}
    assert prof.BP_SYSTOLIC not in loincs and prof.BP_DIASTOLIC not in loincs
    panels = [o for o in obs if o["code"]["coding"][0]["code"] == prof.BP_PANEL]
    with demo_store.session() as s:
        stored = list(s.execute(select(Observation).where(
            Observation.patient_id == pid,
            Observation.measure.in_(("bp_systolic", "bp_diastolic")))).scalars())
    assert len(panels) == len({o.taken_on for o in stored}) > 0
    parsed = parse_bundle(bundle)
    back = sorted((o.loinc, o.value, o.date) for o in parsed.observations
                  if o.loinc in (prof.BP_SYSTOLIC, prof.BP_DIASTOLIC))
    assert back == sorted(({"bp_systolic": prof.BP_SYSTOLIC}.get(o.measure, prof.BP_DIASTOLIC),
                           o.value, o.taken_on) for o in stored)


def test_ingredients_carry_their_rxnorm_ingredient_code(demo_store):
    bundle = export_bundle(demo_store, PatientService(demo_store).list_rows()[0].id)
    codes = {i["itemCodeableConcept"]["text"]: c["code"]
             for e in bundle["entry"] if e["resource"]["resourceType"] == "Medication"
             for i in e["resource"].get("ingredient", [])
             for c in i["itemCodeableConcept"].get("coding", [])}
    assert codes.get("metformin") == "6809"  # RxNorm IN metformin


def test_every_synthea_bundle_imported_then_exported_validates(demo_store):
    bundles = sorted(p for p in shared_data("synthea-r4").glob("*.json")
                     if not p.name.startswith("TRUNCATED"))
    assert bundles
    svc = FhirImportService(demo_store)
    for path in bundles:
        result = svc.import_file(path, TODAY)
        bundle = export_bundle(demo_store, result.patient_id)
        assert len(bundle["entry"]) > 1, path.name
        validate(bundle)
