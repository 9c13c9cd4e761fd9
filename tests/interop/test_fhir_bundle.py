"""parse_bundle over the real Synthea bundles, the truncated one, and PGx phenotype results."""

from __future__ import annotations

import json

import pytest

from mmsdesk.interop.fhir_bundle import BundleError, parse_bundle
from tests.conftest import shared_data


def _bundles():
    return sorted(p for p in shared_data("synthea-r4").glob("*.json")
                  if not p.name.startswith("TRUNCATED"))


def test_every_synthea_bundle_parses_with_patient_and_content():
    files = _bundles()
    assert len(files) >= 6
    for path in files:
        raw = json.loads(path.read_text(encoding="utf-8"))
        kinds = [e["resource"]["resourceType"] for e in raw["entry"]]
        b = parse_bundle(path)
        assert b.source == path.name
        assert b.patient is not None and b.patient.family and b.patient.birth_date
        assert len(b.medications) == sum(k in ("MedicationStatement", "MedicationRequest")
                                         for k in kinds)
        assert len(b.conditions) == kinds.count("Condition")
        assert len(b.allergies) == kinds.count("AllergyIntolerance")
        assert all(m.status for m in b.medications)
        assert all(o.loinc for o in b.observations)
        assert b.other_resources > 0  # Encounter, Claim... are counted, not read


def test_truncated_bundle_names_file_and_json_position():
    path = next(shared_data("synthea-r4").glob("TRUNCATED-*.json"))
    with pytest.raises(BundleError) as err:
        parse_bundle(path)
    msg = str(err.value)
    assert path.name in msg and "line" in msg and "column" in msg
    assert "\n" not in msg


def _obs(text, **value):
    return {"resource": {"resourceType": "Observation", "status": "final",
                         "code": {"text": text}, **value}}


def test_pgx_phenotype_from_code_text():
    bundle = {"resourceType": "Bundle", "entry": [
        _obs("CYP2C9 phenotype", valueCodeableConcept={"text": "Poor metabolizer"}),
        _obs("HLA-B*58:01 phenotype", valueString="Positive"),
        _obs("CYP2D6 genotype", valueString="*4/*4"),
        _obs("Body weight", valueQuantity={"value": 70, "unit": "kg"}),
        _obs("SLCO1B1 phenotype"),  # no value: nothing to record
    ]}
    b = parse_bundle(bundle)
    assert [(p.gene, p.phenotype, p.diplotype) for p in b.pgx] == [
        ("CYP2C9", "Poor metabolizer", ""), ("HLA-B*58:01", "Positive", ""),
        ("CYP2D6", "", "*4/*4")]
    assert b.observations == []  # no LOINC code: not a lab value


def test_bad_entry_is_named():
    bundle = {"resourceType": "Bundle", "entry": [
        {"resource": {"resourceType": "Patient"}},
        {"resource": {"resourceType": "Observation", "code": {"text": "x"},
                      "effectiveDateTime": "2019-13-45"}}]}
    with pytest.raises(BundleError, match="entry 2"):
        parse_bundle(bundle)
