"""`mmsdesk screen` reports stale and deceased input in "warnings" (JSON) and in the text: a
deceased patient is screened at the age at death, orders years older than the reference date are
not screened ("not current: last order N years ago")."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli, shared_data


def _bundle(tmp_path: Path, patient: dict, requests: list[tuple[str, str]],
            observations: list[tuple[str, float, str, str]] = ()) -> Path:
    entries = [{"resource": {"resourceType": "Patient", "name": [{"family": "Test",
                "given": ["Pat"]}], "gender": "male", "birthDate": "1930-03-01", **patient}}]
    for text, authored in requests:
        entries.append({"resource": {"resourceType": "MedicationRequest", "status": "active",
                                     "intent": "order", "authoredOn": authored,
                                     "medicationCodeableConcept": {"text": text}}})
    for loinc, value, unit, when in observations:
        entries.append({"resource": {"resourceType": "Observation", "status": "final",
                        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
                        "effectiveDateTime": when,
                        "valueQuantity": {"value": value, "unit": unit}}})
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": entries}), encoding="utf-8")
    return path


def _screen(path: Path, fmt: str = "json"):
    out = run_cli("screen", str(path), "--today", "2026-12-04", "--format", fmt)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout) if fmt == "json" else out.stdout


def test_deceased_patient_and_old_orders(tmp_path):
    path = _bundle(tmp_path, {"deceasedDateTime": "2010-05-01T10:00:00+00:00"},
                   [("Simvastatin 80 MG Oral Tablet", "1995-01-10"),
                    ("Clarithromycin 500 MG Oral Tablet", "2010-04-20"),
                    ("Lisinopril 10 MG Oral Tablet", "2009-01-05")],
                   [("2823-3", 5.7, "mmol/L", "2010-04-28")])
    report = _screen(path)
    assert report["patient"]["age"] == 80 and report["patient"]["deceased"] is True
    assert report["patient"]["deceased_date"] == "2010-05-01"
    warnings = report["warnings"]
    assert warnings[0].startswith("Patient deceased on 2010-05-01 (age 80 at death)")
    assert any(w.startswith("Simvastatin 80 MG Oral Tablet: not current: last order 15 years "
                            "ago") for w in warnings)
    drugs = {d for a in report["alerts"] for d in a["drugs"]}
    assert "simvastatin" not in drugs  # the 1995 order is not today's list
    # the potassium of 3 days before death is fresh for the record as it stood then
    [k] = [a for a in report["alerts"] if a["rule_id"] == "hyperkalaemia"]
    assert k["severity"] == "high" and "Potassium 5.7 mmol/L on 2010-04-28" in k["evidence"]
    assert report["not_current"] == ["Simvastatin 80 MG Oral Tablet"]
    text = _screen(path, "text")
    assert "WARNINGS" in text and "not current: last order 15 years ago" in text
    assert "Active medications screened: 2" in text


def test_deceased_boolean_and_living_patient(tmp_path):
    dead = _screen(_bundle(tmp_path, {"deceasedBoolean": True},
                           [("Lisinopril 10 MG Oral Tablet", "2026-06-01")]))
    assert dead["patient"]["deceased"] is True and dead["patient"]["deceased_date"] is None
    assert dead["warnings"][0].startswith("Patient deceased: this is the record")
    alive = _screen(_bundle(tmp_path, {}, [("Lisinopril 10 MG Oral Tablet", "2026-06-01")]))
    assert alive["patient"]["deceased"] is False and alive["warnings"] == []


def test_synthea_deceased_bundle():
    [path] = shared_data("synthea-r4").glob("Loyd_Connelly_*.json")
    report = _screen(path)
    assert report["patient"]["age"] == 80  # died 2012 at 80, not 94 today
    assert any(w.startswith("Leucovorin 100 MG Injection: not current") for w in
               report["warnings"])
    assert report["patient"]["kidney"]["crcl"] == 98.3  # Cockcroft-Gault at death
    assert report["patient"]["kidney"]["egfr"] == 8.301
    [renal] = [a for a in report["alerts"] if a["rule_id"] == "renal-memantine"]
    assert any("Cockcroft-Gault" in e for e in renal["evidence"])
