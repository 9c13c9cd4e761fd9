"""`mmsdesk screen`: the issue's examples as FHIR bundles, the Synthea bundles, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, shared_data

TODAY = "2026-11-24"


def _bundle(tmp_path: Path, *, age: int = 70, sex: str = "female", meds=(), allergies=(),
            conditions=(), observations=(), pgx=(), stopped=()) -> Path:
    born = f"{2026 - age - 1}-12-01"
    entries = [{"resource": {"resourceType": "Patient", "name": [{"family": "Test",
                "given": ["Pat"]}], "gender": sex, "birthDate": born}}]
    for text, status in [(m, "active") for m in meds] + [(m, "stopped") for m in stopped]:
        entries.append({"resource": {"resourceType": "MedicationStatement", "status": status,
                                     "medicationCodeableConcept": {"text": text}}})
    for a in allergies:
        entries.append({"resource": {"resourceType": "AllergyIntolerance",
                                     "code": {"text": a}}})
    for c in conditions:
        entries.append({"resource": {"resourceType": "Condition", "code": {"text": c}}})
    for loinc, value, unit in observations:
        entries.append({"resource": {"resourceType": "Observation", "status": "final",
                        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
                        "effectiveDateTime": "2026-10-01",
                        "valueQuantity": {"value": value, "unit": unit}}})
    for gene, phenotype in pgx:
        entries.append({"resource": {"resourceType": "Observation", "status": "final",
                        "code": {"text": f"{gene} phenotype"},
                        "valueCodeableConcept": {"text": phenotype}}})
    entries.append({"resource": {"resourceType": "Encounter", "status": "finished"}})
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": entries}), encoding="utf-8")
    return path


def _screen(path: Path, *extra: str) -> dict:
    out = run_cli("screen", str(path), "--today", TODAY, *extra)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def _alerts(report: dict, kind: str) -> list[dict]:
    return [a for a in report["alerts"] if a["kind"] == kind]


EXAMPLES = [
    ("amiodarone-digoxin", dict(meds=["Amiodarone 200 mg tablet", "Digoxin 0.125 mg tab"]),
     "interaction", {"amiodarone", "digoxin"}, None),
    ("lithium-ibuprofen", dict(meds=["lithium carbonate 300 mg", "Ibuprofen 400 mg tablet"]),
     "interaction", {"lithium", "ibuprofen"}, None),
    ("allopurinol-azathioprine", dict(meds=["allopurinol 100 mg", "azathioprine 50 mg"]),
     "interaction", {"allopurinol", "azathioprine"}, "high"),
    ("amitriptyline-72", dict(age=72, meds=["amitriptyline 25 mg at bedtime"]),
     "beers", {"amitriptyline"}, None),
    ("warfarin-cyp2c9", dict(age=60, meds=["Coumadin 5mg tab"],
                             pgx=[("CYP2C9", "Poor metabolizer")]), "pgx", {"warfarin"}, None),
    ("allopurinol-hlab", dict(age=60, meds=["allopurinol 300 mg"],
                              pgx=[("HLA-B*58:01", "Positive")]), "pgx", {"allopurinol"}, "high"),
    ("metformin-egfr28", dict(age=60, meds=["metformin 500 mg twice daily"],
                              observations=[("33914-3", 28, "mL/min/{1.73_m2}")]),
     "renal", {"metformin"}, "high"),
]


@pytest.mark.parametrize("name,bundle,kind,drugs,severity", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_issue_examples(tmp_path, name, bundle, kind, drugs, severity):
    report = _screen(_bundle(tmp_path, **bundle))
    hits = [a for a in _alerts(report, kind) if set(a["drugs"]) == drugs]
    assert hits, report["alerts"]
    if severity:
        assert hits[0]["severity"] == severity
    assert hits[0]["title"] and hits[0]["recommendation"] and hits[0]["references"]


def test_cephalexin_with_penicillin_allergy_is_lower_than_a_penicillin(tmp_path):
    ceph = _alerts(_screen(_bundle(tmp_path, age=40, meds=["cephalexin 500 mg capsule"],
                                   allergies=["Penicillin"])), "allergy")
    amox = _alerts(_screen(_bundle(tmp_path, age=40, meds=["amoxicillin 500 mg capsule"],
                                   allergies=["PCN"])), "allergy")
    assert [a["drugs"] for a in ceph] == [["cephalexin"]] and [a["drugs"] for a in amox] == [["amoxicillin"]]
    assert ceph[0]["severity"] == "moderate" and amox[0]["severity"] == "high"
    assert "cross" in ceph[0]["title"].lower()


def test_sulfa_and_aspirin_allergy_texts(tmp_path):
    report = _screen(_bundle(tmp_path, age=40, meds=["Bactrim DS", "aspirin 81 mg"],
                             allergies=["Sulfa drugs", "Aspirin"]))
    drugs = {d for a in _alerts(report, "allergy") for d in a["drugs"]}
    assert {"sulfamethoxazole", "aspirin"} <= drugs


def test_atorvastatin_lisinopril_at_50_no_alert(tmp_path):
    report = _screen(_bundle(tmp_path, age=50, meds=["atorvastatin 40 mg", "lisinopril 10 mg"]))
    assert report["alerts"] == []
    assert [m["ingredients"] for m in report["medications"]] == [["atorvastatin"], ["lisinopril"]]
    assert report["risk_profile"] == {"anticholinergic": 0, "sedative": 0, "qt": 0,
                                      "serotonergic": 0, "bleeding": 0, "falls": 0}


def test_json_contract_and_only_active_screened(tmp_path):
    report = _screen(_bundle(tmp_path, age=81, meds=["Coumadin 5mg tab"],
                             stopped=["ibuprofen 400 mg"]))
    assert set(report) == {"patient", "medications", "alerts", "risk_profile", "knowledge_base",
                           "warnings", "not_current",  # added by issue 16 (keys only added)
                           "format", "document"}  # issue 19: fhir or ccda; a C-CDA's lists
    assert report["format"] == "fhir" and report["document"] is None
    assert report["warnings"] == ["Warfarin is active but no INR is on file."]
    assert report["patient"]["name"] == "Pat Test" and report["patient"]["age"] == 81
    assert report["medications"][0] == {"text": "Coumadin 5mg tab", "status": "active",
                                        "ingredients": ["warfarin"], "match": "brand"}
    assert report["medications"][1]["status"] == "stopped"
    assert not [a for a in report["alerts"] if "ibuprofen" in a["drugs"]]
    for a in report["alerts"]:
        assert {"kind", "severity", "drugs", "title", "detail", "recommendation",
                "references"} <= set(a)
    assert set(report["knowledge_base"]) == {"version", "reviewed"}


def test_cockcroft_gault_used_without_egfr(tmp_path):
    obs = [("2160-0", 2.0, "mg/dL"), ("29463-7", 60, "kg")]
    report = _screen(_bundle(tmp_path, age=85, sex="female", meds=["metformin 500 mg"],
                             observations=obs))
    # (140-85)*60/(72*2.0)*0.85 = 19.5 mL/min
    assert report["patient"]["kidney_function"] == {"value": 19.5,
                                                    "method": "Cockcroft-Gault CrCl"}
    assert _alerts(report, "renal")[0]["severity"] == "high"


def test_text_format_groups_by_severity(tmp_path):
    path = _bundle(tmp_path, age=80, meds=["warfarin 5 mg", "ibuprofen 400 mg", "aspirin 81 mg"])
    out = run_cli("screen", str(path), "--today", TODAY, "--format", "text")
    assert out.returncode == 0
    text = out.stdout
    assert text.index("HIGH") < text.index("MODERATE")
    assert "Risk profile:" in text and "bleeding 3" in text


def test_every_synthea_bundle_screens(tmp_path):
    for path in sorted(shared_data("synthea-r4").glob("*.json")):
        out = run_cli("screen", str(path), "--today", TODAY)
        if path.name.startswith("TRUNCATED"):
            assert out.returncode == 2
            lines = out.stderr.strip().splitlines()
            assert len(lines) == 1 and path.name in lines[0] and "line" in lines[0]
            assert "Traceback" not in out.stderr
            continue
        assert out.returncode == 0, out.stderr
        report = json.loads(out.stdout)
        assert report["patient"]["age"] is not None and report["medications"]
        assert set(report["risk_profile"]) == {"anticholinergic", "sedative", "qt", "bleeding",
                                               "serotonergic", "falls"}


@pytest.mark.parametrize("content", ["", "{not json", "[]", '{"resourceType": "Patient"}'])
def test_unreadable_input_exits_2_with_one_line(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    out = run_cli("screen", str(path))
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1 and "bad.json" in out.stderr


def test_missing_file(tmp_path):
    out = run_cli("screen", str(tmp_path / "nope.json"))
    assert out.returncode == 2 and "nope.json" in out.stderr
