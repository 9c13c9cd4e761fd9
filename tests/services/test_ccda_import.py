"""Every reference C-CDA imports into the record (services.record_import + the FHIR import's
all-or-nothing write); a problem coded with a retired ICD-10-CM code keeps its name."""

from __future__ import annotations

from sqlalchemy import select

from mmsdesk.models import Condition
from mmsdesk.services.fhir_import import FhirImportService
from mmsdesk.services.patients import PatientService
from mmsdesk.services.record_import import read_plan
from tests.conftest import TODAY, shared_data


def test_every_reference_document_imports(store):
    docs = sorted(p for p in shared_data("ccda").iterdir() if p.suffix != ".md")
    service = FhirImportService(store)
    created = 0
    for path in docs:
        fmt, plan, summary = read_plan(path)
        assert fmt == "ccda" and summary is not None
        result = service.commit(plan, TODAY)
        created += sum(result.created.values())
    assert created > 500
    # documents of one person (the same name and birth date) went to one patient
    assert len(PatientService(store).list_rows()) < len(docs)


def test_retired_icd10_code_left_out_problem_kept(store):
    path = shared_data("ccda", "EMERGE__Patient-10.xml")
    fmt, plan, _ = read_plan(path)
    assert any("ICD-10-CM H40.11X0 is not in the current code set" in s for s in plan.skipped)
    result = FhirImportService(store).commit(plan, TODAY)
    with store.session() as s:
        rows = s.execute(select(Condition.name, Condition.icd10_code, Condition.snomed_code)
                         .where(Condition.patient_id == result.patient_id)).all()
    glaucoma = [r for r in rows if "laucoma" in r.name]
    assert glaucoma and glaucoma[0].icd10_code == "" and glaucoma[0].snomed_code
