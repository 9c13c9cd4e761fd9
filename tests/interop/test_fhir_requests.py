"""MedicationRequest export (#21): a chart prescription is also the prescriber's order (US Core
6.1.0 MedicationRequest), an over-the-counter medicine only a statement; computed from SQL for
every demo patient, validated, and read back once (the statement carries its request)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from mmsdesk.interop import fhir_profiles as prof
from mmsdesk.interop.fhir_bundle import parse_bundle
from mmsdesk.interop.fhir_request import practitioner
from mmsdesk.services import validation
from mmsdesk.services.fhir_export import export_bundle
from mmsdesk.services.patients import PatientService
from tests.interop.test_fhir_profiles import validate

SQL = """
SELECT m.uuid, m.kind, m.status, d.npi, d.last_name
FROM medication_entry m LEFT JOIN prescriber d ON d.id = m.prescriber_id
WHERE m.patient_id = :p ORDER BY m.id
"""
STATUS = {"active": "active", "on_hold": "on-hold", "stopped": "stopped"}


def _by_type(bundle, rtype):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == rtype]


def test_every_demo_prescription_is_an_order_and_nothing_else_is(demo_store):
    kinds: set[str] = set()
    named = 0
    for row in PatientService(demo_store).list_rows():
        bundle = export_bundle(demo_store, row.id)
        validate(bundle)
        with demo_store.session() as s:
            chart = s.execute(text(SQL), {"p": row.id}).all()
        kinds |= {k for _, k, _, _, _ in chart}
        by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
        statements = {r["id"]: r for r in _by_type(bundle, "MedicationStatement")}
        requests = _by_type(bundle, "MedicationRequest")
        assert len(requests) == sum(k == "prescription" for _, k, _, _, _ in chart)
        for uuid, kind, status, npi, last_name in chart:
            st = statements[uuid]
            if kind != "prescription":
                assert "basedOn" not in st
                continue
            req = by_url[st["basedOn"][0]["reference"]]
            assert req["meta"]["profile"] == [prof.MEDICATION_REQUEST]
            assert (req["status"], req["intent"], req["reportedBoolean"]) == (
                STATUS[status], "order", True)
            assert req["medicationReference"] == st["medicationReference"]
            assert req["subject"] == st["subject"]
            assert req.get("dosageInstruction") == st.get("dosage")
            if last_name is None:  # us-core-21: an order has a requester, here not known
                assert req["requester"] == {"extension": [{
                    "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                    "valueCode": "unknown"}]}
                continue
            named += 1
            doctor = by_url[req["requester"]["reference"]]
            assert doctor["resourceType"] == "Practitioner"
            assert doctor["meta"]["profile"] == [prof.PRACTITIONER]
            assert doctor["name"][0]["family"] == last_name
            if npi:
                assert doctor["identifier"][0] == {"system": "http://hl7.org/fhir/sid/us-npi",
                                                   "value": npi}
    assert "prescription" in kinds and kinds - {"prescription"}  # both sides were seen
    assert named  # prescriptions that name their prescriber were seen


def test_an_order_without_its_prescriber_says_the_requester_is_unknown(demo_store):
    pid = PatientService(demo_store).list_rows()[0].id
    with demo_store.session() as s:
        uuid = s.execute(text("SELECT uuid FROM medication_entry WHERE patient_id = :p AND "
                              "kind = 'prescription' ORDER BY id"), {"p": pid}).scalars().first()
        s.execute(text("UPDATE medication_entry SET prescriber_id = NULL WHERE uuid = :u"),
                  {"u": uuid})
        s.commit()
    bundle = export_bundle(demo_store, pid)
    validate(bundle)
    statement = next(r for r in _by_type(bundle, "MedicationStatement") if r["id"] == uuid)
    request = next(r for r in _by_type(bundle, "MedicationRequest")
                   if f"urn:uuid:{r['id']}" == statement["basedOn"][0]["reference"])
    # us-core-21: an order has a requester; the chart names none, so it is said to be unknown
    assert request["requester"] == {"extension": [{
        "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
        "valueCode": "unknown"}]}


def test_the_export_reads_back_one_medicine_per_chart_line(demo_store):
    pid = PatientService(demo_store).list_rows()[0].id
    bundle = export_bundle(demo_store, pid)
    assert _by_type(bundle, "MedicationRequest")
    parsed = parse_bundle(bundle)
    with demo_store.session() as s:
        n = s.execute(text("SELECT count(*) FROM medication_entry WHERE patient_id = :p"),
                      {"p": pid}).scalar_one()
    assert len(parsed.medications) == n
    assert {m.resource_type for m in parsed.medications} == {"MedicationStatement"}


def test_a_request_with_its_status_reason_imports():
    """R4's MedicationRequest.statusReason is one CodeableConcept (a statement's is a list):
    the import refused such a request as 'the wrong type'."""
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "urn:uuid:p", "resource": {"resourceType": "Patient", "id": "p",
                                               "name": [{"family": "Test"}]}},
        {"fullUrl": "urn:uuid:r", "resource": {
            "resourceType": "MedicationRequest", "id": "r", "status": "stopped",
            "intent": "order", "subject": {"reference": "urn:uuid:p"},
            "statusReason": {"text": "dizziness"},
            "medicationCodeableConcept": {"text": "lisinopril 10 mg tablet"}}}]}
    [med] = parse_bundle(bundle).medications
    assert (med.resource_type, med.status_reason) == ("MedicationRequest", "dizziness")


@pytest.mark.parametrize(("npi", "sent"), [
    ("1234567893", True),  # a valid NPI (check digit right)
    (" 1234567893 ", True),
    ("1234567890", False),  # wrong check digit: us-core-17 would fail
    ("123456789", False),  # nine digits: us-core-16
    ("", False),
    ("１２３４５６７８９３", False),  # full-width digits
])
def test_a_prescriber_is_sent_with_the_npi_only_when_it_is_one(npi, sent):
    doctor = practitioner("key-1", ("Ana", "Ruiz"), npi, "MD")
    assert doctor["identifier"] == ([{"system": "http://hl7.org/fhir/sid/us-npi",
                                      "value": npi.strip()}] if sent else
                                    [{"system": "urn:mmsdesk:practitioner", "value": "key-1"}])
    assert (validation.npi(npi) is None and bool(npi.strip())) == sent  # the form agrees
