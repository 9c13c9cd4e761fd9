"""FHIR import keeps what it reads (issue 19, item 4): for every Synthea bundle and every demo
patient, import -> export -> import loses nothing the first import read, compared field by
field (structured dosage, reasons, deceased date, allergy type/severity/verification/status
and each code under its own system, the source's RxNorm code, each episode of a recurring
condition); and the first import keeps what the bundle says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from mmsdesk.interop.fhir_export import criticality
from mmsdesk.models import Allergy, Condition, MedicationEntry, Patient
from mmsdesk.services.fhir_export import export_bundle
from mmsdesk.services.fhir_import import FhirImportService
from mmsdesk.services.patients import PatientService
from mmsdesk.store import Store
from tests.conftest import TODAY, shared_data


def _synthea() -> list[Path]:
    return sorted(p for p in shared_data("synthea-r4").glob("*.json")
                  if not p.name.startswith("TRUNCATED"))


def record(store: Store, patient_id: int) -> dict[str, object]:
    """Every field the import writes, per kind, in a stable order."""
    with store.session() as s:
        def rows(model):  # type: ignore[no-untyped-def]
            return list(s.execute(select(model).where(model.patient_id == patient_id)).scalars())

        p = s.get(Patient, patient_id)
        return {
            "deceased": p.deceased_date if p else None,
            "meds": sorted((
                (m.rxnorm_code, tuple(map(repr, m.component_values())), m.status, m.started, m.stopped,
                 m.dose_amount, m.dose_unit, m.frequency, m.as_needed, m.as_needed_reason,
                 m.indication, m.directions_text()) for m in rows(MedicationEntry)),
                key=repr),
            "allergies": sorted(((a.substance, a.substance_code, a.type, a.reaction, a.severity,
                                  a.verified, a.status, a.category, criticality(a))
                                 for a in rows(Allergy)), key=repr),
            "conditions": sorted(((c.name, c.icd10_code, c.snomed_code, c.onset_date, c.status)
                                  for c in rows(Condition)), key=repr),
        }


def _round_trip(store: Store, patient_id: int, tmp_path: Path, name: str) -> None:
    out = tmp_path / f"{name}.json"
    out.write_text(json.dumps(export_bundle(store, patient_id), ensure_ascii=False),
                   encoding="utf-8")
    with Store.open(tmp_path / f"{name}-again" / "mmsdesk.sqlite3") as again:
        result = FhirImportService(again).import_file(out, TODAY)
        copy = record(again, result.patient_id)
    original = record(store, patient_id)
    for kind in original:  # field by field, kind by kind, so a failure names what was lost
        assert copy[kind] == original[kind], (name, kind)


@pytest.mark.parametrize("path", _synthea(), ids=lambda p: p.name.split("_")[0])
def test_synthea_bundle_round_trip_loses_nothing(path: Path, tmp_path: Path):
    with Store.open(tmp_path / "first" / "mmsdesk.sqlite3") as first:
        result = FhirImportService(first).import_file(path, TODAY)
        _round_trip(first, result.patient_id, tmp_path, path.stem[:20])


def test_demo_patients_round_trip_loses_nothing(demo_store, tmp_path: Path):
    rows = PatientService(demo_store).list_rows()
    assert len(rows) >= 5
    for row in rows:
        _round_trip(demo_store, row.id, tmp_path, f"demo-{row.id}")


def test_first_import_keeps_what_the_bundle_says(tmp_path: Path):
    """Counted from the bundles themselves: structured dosages, reasons (reasonReference),
    deceased dates, allergy fields and systems, source RxNorm codes, condition episodes."""
    structured = reasons = deceased = 0
    got = {"structured": 0, "reasons": 0, "deceased": 0}
    kept = {"category": 0, "criticality": 0}
    for path in _synthea():
        raw = json.loads(path.read_text(encoding="utf-8"))
        res = [e["resource"] for e in raw["entry"]]
        meds = [r for r in res if r["resourceType"] in ("MedicationRequest",
                                                        "MedicationStatement")]
        structured += sum(1 for r in meds for d in r.get("dosageInstruction", [])[:1]
                          if d.get("timing", {}).get("repeat", {}).get("period"))
        reasons += sum(1 for r in meds if r.get("reasonReference") or r.get("reasonCode"))
        deceased += sum(1 for r in res if r["resourceType"] == "Patient"
                        and r.get("deceasedDateTime"))
        conditions = [r for r in res if r["resourceType"] == "Condition"]
        allergies = [r for r in res if r["resourceType"] == "AllergyIntolerance"]
        rx = {c["code"] for r in meds for c in r.get("medicationCodeableConcept", {})
              .get("coding", []) if c.get("system", "").endswith("rxnorm")}
        with Store.open(tmp_path / path.stem[:20] / "mmsdesk.sqlite3") as store:
            pid = FhirImportService(store).import_file(path, TODAY).patient_id
            rec = record(store, pid)
        got["structured"] += sum(1 for m in rec["meds"] if m[7])
        got["reasons"] += sum(1 for m in rec["meds"] if m[10])
        got["deceased"] += rec["deceased"] is not None
        # each episode of a recurring condition is kept (same code, another onset)
        episodes = {(r["code"]["coding"][0]["code"], r.get("onsetDateTime", "")[:10])
                    for r in conditions}
        assert len(rec["conditions"]) == len(episodes), path.name
        assert {m[0] for m in rec["meds"]} == rx, path.name  # the source's codes, not others
        for a, stored in zip(sorted(allergies, key=lambda r: r["code"]["text"]),
                             sorted(rec["allergies"]), strict=True):
            coding = a["code"]["coding"][0]
            assert stored[1] == (coding["code"] if coding["system"].endswith("rxnorm")
                                 else f"{coding['system']}|{coding['code']}")
            assert stored[2] == a.get("type", "allergy")
            assert stored[5] == (a["verificationStatus"]["coding"][0]["code"] == "confirmed")
            assert stored[7] == ";".join(a.get("category", ())), path.name
            if "criticality" in a:
                assert stored[8] == a["criticality"], path.name
            kept["category"] += bool(stored[7])
            kept["criticality"] += bool(stored[8])
    assert structured >= 27 and got["structured"] >= structured - 2, (got, structured)
    assert got["reasons"] >= reasons * 0.9, (got, reasons)
    assert got["deceased"] == deceased >= 1
    assert kept["category"] >= 1 and kept["criticality"] >= 1, kept  # the files have some


def _allergy_bundle(*allergies: dict[str, object]) -> dict[str, object]:
    patient = {"resourceType": "Patient", "id": "p1", "birthDate": "1950-02-03",
               "name": [{"family": "Quill", "given": ["Ada"]}]}
    return {"resourceType": "Bundle", "type": "collection",
            "entry": [{"resource": patient}] + [
                {"resource": {"resourceType": "AllergyIntolerance", "id": f"a{i}",
                              "patient": {"reference": "Patient/p1"}, **a}}
                for i, a in enumerate(allergies)]}


def test_allergy_category_and_criticality_go_out_as_they_came_in(tmp_path: Path):
    """Criticality is the source's, not one worked out from the severity: a "low" criticality
    with a severe reaction, or a "high" one with no reaction, goes out as it came in; several
    categories are kept together; an allergy typed here (no criticality) still gets one."""
    source = tmp_path / "in.json"
    source.write_text(json.dumps(_allergy_bundle(
        {"code": {"text": "Peanut"}, "category": ["food", "biologic"], "criticality": "low",
         "reaction": [{"manifestation": [{"text": "Hives"}], "severity": "severe"}]},
        {"code": {"text": "Penicillin"}, "category": ["medication"], "criticality": "high"},
        {"code": {"text": "Latex"}, "category": ["environment"],
         "criticality": "unable-to-assess",
         "reaction": [{"manifestation": [{"text": "Rash"}], "severity": "moderate"}]},
        {"code": {"text": "Dust"}, "category": ["pollen"]})))
    with Store.open(tmp_path / "s" / "mmsdesk.sqlite3") as store:
        pid = FhirImportService(store).import_file(source, TODAY).patient_id
        with store.session() as s:
            got = {a.substance: (a.category, a.criticality, a.severity)
                   for a in s.execute(select(Allergy)).scalars()}
        assert got == {"Peanut": ("food;biologic", "low", "severe"),
                       "Penicillin": ("medication", "high", "severe"),
                       "Latex": ("environment", "unable-to-assess", "moderate"),
                       "Dust": ("", "", "unknown")}  # a category FHIR has not: left out
        out = {r["code"]["text"]: r for r in (e["resource"] for e in
                                               export_bundle(store, pid)["entry"])
               if r["resourceType"] == "AllergyIntolerance"}
        assert out["Peanut"]["criticality"] == "low"  # was "high", from the severe reaction
        assert out["Peanut"]["category"] == ["food", "biologic"]
        assert out["Latex"]["criticality"] == "unable-to-assess"  # was "low", from moderate
        assert out["Dust"]["criticality"] == "unable-to-assess" and "category" not in out["Dust"]
        _round_trip(store, pid, tmp_path, "allergies")
