"""Fill history from FHIR MedicationDispense: rows, errors by entry, all or nothing."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from mmsdesk.interop.fhir_dispense import parse_dispenses
from mmsdesk.interop.refill_csv import RefillImportError
from mmsdesk.models import FillRecord, Patient
from mmsdesk.services import refills
from tests.conftest import TODAY, shared_data


def dispense(when="2026-03-01", days=30, status="completed", **extra):
    res = {"resourceType": "MedicationDispense", "status": status,
           "subject": {"reference": "Patient/p1"}, "whenHandedOver": f"{when}T10:00:00Z",
           "quantity": {"value": 30}, "daysSupply": {"value": days, "unit": "day"}}
    res.setdefault("medicationCodeableConcept", {"coding": [{
        "system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "314076",
        "display": "lisinopril 10 MG Oral Tablet"}]})
    res.update(extra)
    return {"resource": res}


def bundle(*entries):
    return {"resourceType": "Bundle", "type": "collection", "entry": list(entries)}


def test_reads_codeable_concept_references_and_skips_cancelled():
    med = {"fullUrl": "urn:uuid:m1", "resource": {"resourceType": "Medication", "id": "m1",
                                                   "code": {"text": "Atorvastatin 40 mg tablet"}}}
    by_ref = dispense("2026-03-05", 90)
    del by_ref["resource"]["medicationCodeableConcept"]
    by_ref["resource"]["medicationReference"] = {"reference": "urn:uuid:m1"}
    contained = dispense("2026-04-01", 30)
    del contained["resource"]["medicationCodeableConcept"]
    contained["resource"]["contained"] = [{"resourceType": "Medication", "id": "c",
                                           "code": {"text": "Metformin 500 mg"}}]
    contained["resource"]["medicationReference"] = {"reference": "#c"}
    f = parse_dispenses(bundle(med, dispense(), by_ref, contained,
                               dispense(status="entered-in-error"),
                               {"resource": {"resourceType": "Patient", "id": "p1"}}))
    assert [(r.line, r.fill_date, r.drug, r.days_supply) for r in f.rows] == [
        (2, date(2026, 3, 1), "lisinopril 10 MG Oral Tablet", 30),
        (3, date(2026, 3, 5), "Atorvastatin 40 mg tablet", 90),
        (4, date(2026, 4, 1), "Metformin 500 mg", 30)]
    assert f.skipped == 1 and f.subjects == {"Patient/p1"}


@pytest.mark.parametrize("entry, message", [
    (dispense(days=None), "entry 1: daysSupply is missing"),
    (dispense(days=2.5), "entry 1: daysSupply is missing or not a whole number"),
    (dispense(when="yesterday"), "entry 1: MedicationDispense has no readable whenHandedOver"),
    (dispense(when="2027-01-01"), "entry 1: the dispense date is in the future"),
    (dispense(medicationCodeableConcept={}), "entry 1: MedicationDispense names no medication"),
])
def test_bad_entries_are_named(entry, message):
    with pytest.raises(RefillImportError, match=message):
        parse_dispenses(bundle(entry), today=TODAY)


def test_two_patients_refused():
    other = dispense()
    other["resource"]["subject"] = {"reference": "Patient/p2"}
    with pytest.raises(RefillImportError, match="2 different patients"):
        parse_dispenses(bundle(dispense(), other))


def test_truncated_real_bundle_names_line_and_column():
    path = next(shared_data("synthea-r4").glob("TRUNCATED-*.json"))
    with pytest.raises(RefillImportError, match=r"TRUNCATED-.*: nothing imported: not valid JSON.*line \d+, column \d+"):
        parse_dispenses(path)


def test_real_bundle_without_dispenses_says_so():
    path = next(p for p in shared_data("synthea-r4").glob("*.json") if not p.name.startswith("TRUNC"))
    with pytest.raises(RefillImportError, match="no MedicationDispense entries"):
        parse_dispenses(path)


def test_service_imports_all_or_nothing(store, tmp_path):
    with store.session() as s:
        p = Patient(first_name="Ana", last_name="Ruiz", date_of_birth=date(1950, 1, 1))
        s.add(p)
        s.flush()
        pid = p.id
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bundle(dispense(), dispense(days=0))), encoding="utf-8")
    with pytest.raises(RefillImportError, match="entry 2"):
        refills.import_file(store, pid, bad, today=TODAY)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(bundle(dispense(), dispense("2026-03-31"))), encoding="utf-8")
    assert refills.import_file(store, pid, good, today=TODAY).added == 2
    with store.session() as s:
        sources = s.execute(select(FillRecord.source, func.count()).group_by(FillRecord.source)).all()
    assert sources == [("fhir:good.json", 2)]


def test_empty_and_non_object_files(tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(RefillImportError, match="^empty.json: nothing imported: the file is empty$"):
        parse_dispenses(empty)
    array = tmp_path / "list.json"
    array.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(RefillImportError, match="list.json: nothing imported: line 1: a FHIR"):
        parse_dispenses(array)


def test_dispense_keeps_ndc_sig_rx_number_and_pharmacy(store):
    """What a dispense says besides the fill is kept as a CSV's columns are: the NDC (its code,
    or its Medication's), the sig (dosageInstruction text), the Rx number (identifier) and the
    pharmacy (performer's name), stored with the fill."""
    med = {"fullUrl": "urn:uuid:m1", "resource": {"resourceType": "Medication", "id": "m1",
           "code": {"text": "Metformin 500 mg", "coding": [
               {"system": "http://hl7.org/fhir/sid/ndc", "code": "0093-7212-01"}]}}}
    by_ref = dispense("2026-03-05", 30, identifier=[{"value": "RX-7001"}],
                      dosageInstruction=[{"text": "1 tablet twice daily"}],
                      performer=[{"actor": {"display": "Main Street Pharmacy"}}])
    del by_ref["resource"]["medicationCodeableConcept"]
    by_ref["resource"]["medicationReference"] = {"reference": "urn:uuid:m1"}
    coded = dispense("2026-03-01", medicationCodeableConcept={"text": "Lisinopril 10 mg",
                     "coding": [{"system": "http://hl7.org/fhir/sid/ndc",
                                 "code": "68180051301"}]})
    f = parse_dispenses(bundle(med, coded, by_ref, dispense("2026-03-10")))
    assert [(r.ndc, r.sig, r.rx_number, r.pharmacy) for r in f.rows] == [
        ("68180051301", "", "", ""),
        ("00093721201", "1 tablet twice daily", "RX-7001", "Main Street Pharmacy"),
        ("", "", "", "")]
    with store.session() as s:
        p = Patient(first_name="Ana", last_name="Ruiz", date_of_birth=date(1948, 3, 1))
        s.add(p)
        s.flush()
        pid = p.id
    refills.import_rows(store, pid, f.rows, source="fhir:test")
    kept = {(x.ndc, x.sig, x.rx_number, x.pharmacy) for x in refills.fill_history(store, pid)}
    assert ("00093721201", "1 tablet twice daily", "RX-7001", "Main Street Pharmacy") in kept
