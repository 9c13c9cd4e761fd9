"""FHIR import: every real bundle imports and exports again; a round trip keeps the record;
the truncated bundle is refused with its reason and nothing is written; patients are matched
by name and birth date."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.models import (
    Allergy,
    Condition,
    MedicationEntry,
    MedicationEvent,
    Observation,
    Patient,
    PgxResult,
)
from mmsdesk.services.fhir_export import export_bundle
from mmsdesk.services.fhir_import import FhirImportService, ImportRefused
from mmsdesk.services.medications import MedicationService
from mmsdesk.services.patients import PatientService
from mmsdesk.services.record import PgxInput, RecordService
from tests.conftest import TODAY, shared_data

pytest.importorskip("mmsdesk.interop.fhir_bundle")
TABLES = (Patient, MedicationEntry, MedicationEvent, Allergy, Condition, Observation, PgxResult)


def row_counts(store) -> dict[str, int]:
    with store.session() as s:
        return {t.__name__: s.execute(select(func.count()).select_from(t)).scalar_one()
                for t in TABLES}


def synthea_files():
    folder = shared_data("synthea-r4")
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith("TRUNCATED"))


def test_every_synthea_bundle_imports_and_exports_again(store):
    files = synthea_files()
    assert len(files) == 6
    svc = FhirImportService(store)
    for path in files:
        raw = json.loads(path.read_text(encoding="utf-8"))
        n_meds = sum(e["resource"]["resourceType"] in ("MedicationRequest", "MedicationStatement")
                     for e in raw["entry"])
        before = row_counts(store)
        result = svc.import_file(path, TODAY)
        assert result.patient_created
        after = row_counts(store)
        assert after["Patient"] == before["Patient"] + 1
        assert result.created["medications"] >= 1
        assert after["MedicationEntry"] - before["MedicationEntry"] == result.created["medications"]
        assert result.created["medications"] <= n_meds
        assert after["Observation"] - before["Observation"] == result.created["observations"]
        bundle = export_bundle(store, result.patient_id)
        types = [e["resource"]["resourceType"] for e in bundle["entry"]]
        assert types.count("MedicationStatement") == result.created["medications"]
        # Importing the same file again matches the patient and adds nothing twice.
        again = svc.import_file(path, TODAY)
        assert again.patient_id == result.patient_id and not again.patient_created
        assert sum(again.created.values()) == 0


def test_truncated_bundle_is_refused_and_writes_nothing(demo_store):
    path = shared_data("synthea-r4").glob("TRUNCATED-*.json").__next__()
    before = row_counts(demo_store)
    with pytest.raises(ImportRefused) as exc:
        FhirImportService(demo_store).import_file(path, TODAY)
    message = str(exc.value)
    assert path.name in message and "\n" not in message
    assert "line" in message.lower()
    assert row_counts(demo_store) == before


def test_round_trip_keeps_the_record(demo_store, tmp_path):
    from mmsdesk.store import Store

    pid = next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Müller")
    meds = MedicationService(demo_store)
    warfarin = next(r for r in meds.list_for_patient(pid) if r.name.startswith("Warfarin"))
    meds.stop(warfarin.id, date(2026, 11, 20), "bleeding gums", TODAY)
    digoxin = next(r for r in meds.list_for_patient(pid) if r.name.startswith("Digoxin"))
    meds.hold(digoxin.id, date(2026, 11, 21), "level 2.4", TODAY)
    RecordService(demo_store).add(pid, PgxInput("CYP2C9", "*1/*3", "Intermediate Metabolizer",
                                                date(2025, 3, 1)), TODAY)
    out = tmp_path / "muller.json"
    out.write_text(json.dumps(export_bundle(demo_store, pid), ensure_ascii=False), encoding="utf-8")

    with Store.open(tmp_path / "fresh" / "mmsdesk.sqlite3") as fresh:
        result = FhirImportService(fresh).import_file(out, TODAY)
        def summary(store, patient_id):
            with store.session() as s:
                def rows(model):
                    return list(s.execute(select(model).where(model.patient_id == patient_id)).scalars())
                return {
                    "meds": sorted((m.name(), m.component_values(), m.status, m.started, m.stopped,
                                    m.stop_reason, m.directions_text(), m.indication)
                                   for m in rows(MedicationEntry)),
                    "allergies": sorted((a.substance, a.reaction) for a in rows(Allergy)),
                    "conditions": sorted((c.name, c.icd10_code, c.status) for c in rows(Condition)),
                    "observations": sorted((o.measure, o.taken_on, round(o.value, 3), o.unit) for o in rows(Observation)),
                    "pgx": sorted((g.gene, g.diplotype, g.phenotype) for g in rows(PgxResult)),
                }
        original, copy = summary(demo_store, pid), summary(fresh, result.patient_id)
        assert copy == original
        assert ("Warfarin 5 mg tablet (Coumadin)", (Component("warfarin", 5, "mg"),), "stopped",
                date(2019, 3, 1),
                date(2026, 11, 20), "bleeding gums", "Take 1 tablet by mouth every evening",
                "to prevent blood clots (atrial fibrillation)") in copy["meds"]
        assert any(m[2] == "on_hold" for m in copy["meds"])
        with fresh.session() as s:
            p = s.get(Patient, result.patient_id)
            assert (p.first_name, p.last_name, p.date_of_birth) == ("José", "Müller", date(1943, 5, 14))


def test_import_into_a_chosen_patient_and_unknown_patient(demo_store, tmp_path):
    path = synthea_files()[0]
    svc = FhirImportService(demo_store)
    target = PatientService(demo_store).list_rows()[0].id
    before = row_counts(demo_store)
    result = svc.import_file(path, TODAY, patient_id=target)
    assert result.patient_id == target and not result.patient_created
    assert row_counts(demo_store)["Patient"] == before["Patient"]
    with pytest.raises(ImportRefused, match="No patient with id 9999"):
        svc.import_file(path, TODAY, patient_id=9999)
