"""Every reference C-CDA imports into the record (services.record_import + the FHIR import's
all-or-nothing write); a problem coded with a retired ICD-10-CM code keeps its name."""

from __future__ import annotations

from sqlalchemy import select

from mmsdesk.models import Allergy, Condition
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


def _allergies(store, patient_id: int) -> dict[str, tuple[str, str, str]]:
    with store.session() as s:
        return {a.substance: (a.category, a.type, a.criticality) for a in s.execute(
            select(Allergy).where(Allergy.patient_id == patient_id)).scalars()}


def test_allergy_category_and_type_kept_from_the_observation_value(store):
    """The Allergy - Intolerance Observation's value (Allergy and Intolerance Type value set)
    gives the FHIR category and type; a value that tells neither leaves them unset."""
    service = FhirImportService(store)
    emerge = service.commit(read_plan(shared_data("ccda", "EMERGE__Patient-0.xml"))[1], TODAY)
    got = _allergies(store, emerge.patient_id)
    assert got["Eggs"] == ("food", "allergy", "")  # 414285001 food allergy
    assert got["Penicillin V"] == ("medication", "allergy", "")  # 416098002 drug allergy
    nist = service.commit(read_plan(shared_data("ccda", "NIST__CCDA_CCD_b1_Ambulatory_v2.xml"))[1],
                          TODAY)
    # 419511003 propensity to adverse reaction to drug: a medication, allergy or intolerance
    assert {v for v in _allergies(store, nist.patient_id).values()} == {
        ("medication", "allergy", "")}
    hl7 = service.commit(read_plan(shared_data("ccda", "HL7__CCD.sample.xml"))[1], TODAY)
    assert {v[0] for v in _allergies(store, hl7.patient_id).values()} == {""}


def test_allergy_criticality_observation_kept(store, tmp_path):
    """A Criticality Observation (C-CDA R2.1, templateId ...22.4.145, value CRITH/CRITL/CRITU)
    is kept as the FHIR criticality (none of the reference documents carries one: the first
    allergy of the NIST sample is given one here)."""
    text = shared_data("ccda", "NIST__CCDA_CCD_b1_Ambulatory_v2.xml").read_text(encoding="utf-8")
    anchor = 'root="2.16.840.1.113883.10.20.22.4.7"/>'
    critical = (anchor + '<entryRelationship typeCode="SUBJ" inversionInd="true">'
                '<observation classCode="OBS" moodCode="EVN">'
                '<templateId root="2.16.840.1.113883.10.20.22.4.145"/>'
                '<code code="82606-5" codeSystem="2.16.840.1.113883.6.1"/>'
                '<statusCode code="completed"/>'
                '<value xsi:type="CD" code="CRITH" codeSystem="2.16.840.1.113883.5.1063"/>'
                '</observation></entryRelationship>')
    path = tmp_path / "critical.xml"
    path.write_text(text.replace(anchor, critical, 1), encoding="utf-8")
    result = FhirImportService(store).commit(read_plan(path)[1], TODAY)
    got = _allergies(store, result.patient_id)
    assert got["Penicillin G benzathine"][2] == "high"
    assert {v[2] for k, v in got.items() if k != "Penicillin G benzathine"} == {""}


def test_no_information_about_allergies_is_not_an_allergy(store):
    """An Allergy Observation with nullFlavor NI ("No information about allergies", Kareo)
    states that nothing is known; it was stored as an allergy to a substance of that name."""
    path = shared_data("ccda", "Kareo__Kareo_SummaryOfCare_export_Joey_Miller.xml")
    result = FhirImportService(store).commit(read_plan(path)[1], TODAY)
    assert _allergies(store, result.patient_id) == {}
