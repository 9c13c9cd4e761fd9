"""Imports refuse, with one line naming the entry, and write nothing: records about another
patient, impossible dates, invisible or control characters in names and medicines, and text
longer than its field keeps. One date reader serves the forms, the refill CSV and FHIR."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from sqlalchemy import func, select

from mmsdesk.models import AuditEvent, MedicationEntry, Patient
from mmsdesk.parsing import hidden_characters, read_date, read_fhir_date
from mmsdesk.services.fhir_import import FhirImportService, ImportRefused
from mmsdesk.services.validation import parse_date
from tests.conftest import TODAY, run_cli

PID = "urn:uuid:6f1d5c8e-0000-4000-8000-000000000001"


def _bundle() -> dict:
    def entry(i: int, resource: dict) -> dict:
        return {"fullUrl": f"urn:uuid:00000000-0000-4000-8000-{i:012d}", "resource": resource}

    me = {"reference": PID}
    return {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": PID, "resource": {
            "resourceType": "Patient", "id": "6f1d5c8e-0000-4000-8000-000000000001",
            "name": [{"use": "official", "family": "Quispe", "given": ["Rosa", "Elena"]}],
            "birthDate": "1941-03-09", "gender": "female"}},
        entry(2, {"resourceType": "MedicationStatement", "status": "active", "subject": me,
                  "medicationCodeableConcept": {"text": "Metformin 500 mg tablet"},
                  "dosage": [{"text": "1 tablet twice a day"}]}),
        entry(3, {"resourceType": "Condition", "subject": me,
                  "code": {"text": "Type 2 diabetes"}, "onsetDateTime": "2015-06-01"}),
        entry(4, {"resourceType": "AllergyIntolerance", "patient": me,
                  "code": {"text": "Penicillin"}}),
        entry(5, {"resourceType": "Observation", "subject": me, "status": "final",
                  "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}],
                           "text": "HbA1c"},
                  "valueQuantity": {"value": 7.1, "unit": "%", "code": "%"},
                  "effectiveDateTime": "2026-10-01T09:30:00Z"}),
    ]}


def _counts(store) -> dict[str, int]:
    with store.session() as s:
        return {t.__name__: s.execute(select(func.count()).select_from(t)).scalar_one()
                for t in (Patient, MedicationEntry, AuditEvent)}


def _refused(store, bundle: dict) -> str:
    before = _counts(store)
    with pytest.raises(ImportRefused) as info:
        FhirImportService(store).import_file(bundle, TODAY)
    assert _counts(store) == before  # nothing written, not even an audit entry
    message = str(info.value)
    assert "\n" not in message
    return message


def test_the_clean_bundle_imports(store):
    result = FhirImportService(store).import_file(_bundle(), TODAY)
    assert result.created["medications"] == 1 and result.created["observations"] == 1


@pytest.mark.parametrize("index,field", [(1, "subject"), (2, "subject"), (3, "patient"),
                                         (4, "subject")])
def test_a_record_about_another_patient_is_refused(store, index, field):
    b = _bundle()
    b["entry"][index]["resource"][field] = {"reference": "Patient/someone-else"}
    message = _refused(store, b)
    assert f"entry {index + 1} (" in message and "not this bundle's patient" in message


def test_references_by_id_and_by_identifier_are_this_patient(store):
    b = _bundle()
    p = b["entry"][0]["resource"]
    p["identifier"] = [{"system": "https://example.org/mrn", "value": "MRN-77"}]
    b["entry"][1]["resource"]["subject"] = {"reference": f"Patient/{p['id']}"}
    b["entry"][2]["resource"]["subject"] = {
        "reference": "Patient?identifier=https://example.org/mrn|MRN-77"}
    assert FhirImportService(store).import_file(b, TODAY).created["conditions"] == 1


@pytest.mark.parametrize("birth", ["1941-03-09T25:61:00Z", "１９４１-03-09", "1941-02-30",
                                   "1941-03-09T10:99:00+01:00", "1941-3-9"])
def test_impossible_birth_dates_are_refused(store, birth):
    b = _bundle()
    b["entry"][0]["resource"]["birthDate"] = birth
    message = _refused(store, b)
    assert "entry 1 (Patient)" in message and "is not a date" in message
    assert "１" not in message  # named in ASCII


def test_an_impossible_time_on_a_record_is_refused(store):
    b = _bundle()
    b["entry"][4]["resource"]["effectiveDateTime"] = "2026-10-01T24:00:00Z"
    assert "entry 5 (Observation)" in _refused(store, b)


@pytest.mark.parametrize("where,setter", [
    ("entry 1 (Patient)", lambda b: b["entry"][0]["resource"]["name"][0].update(
        family="Quis\u202epe")),
    ("entry 1 (Patient)", lambda b: b["entry"][0]["resource"]["name"][0].update(
        given=["Ro\u200bsa"])),
    ("entry 1 (Patient)", lambda b: b["entry"][0]["resource"]["name"][0].update(
        given=["\u3164"])),
    ("entry 2 (MedicationStatement)", lambda b: b["entry"][1]["resource"].update(
        medicationCodeableConcept={"text": "Metformin\x07 500 mg"})),
    ("entry 2 (MedicationStatement)", lambda b: b["entry"][1]["resource"].update(
        medicationCodeableConcept={"text": "Metformin \u2066500 mg\u2069"})),
    ("entry 4 (AllergyIntolerance)", lambda b: b["entry"][3]["resource"].update(
        code={"text": "Peni\ufeffcillin"})),
])
def test_invisible_or_control_characters_in_names_and_medicines_are_refused(store, where,
                                                                             setter):
    b = _bundle()
    setter(b)
    message = _refused(store, b)
    assert where in message and "invisible or control characters (U+" in message
    assert not hidden_characters(message)  # named by code point, never printed


def test_invisible_characters_in_free_text_are_removed_not_stored(store):
    b = _bundle()
    b["entry"][1]["resource"]["dosage"] = [{"text": "1 tablet\u200b twice a day\u202e"}]
    FhirImportService(store).import_file(b, TODAY)
    with store.session() as s:
        med = s.execute(select(MedicationEntry)).scalars().one()
        assert med.directions_text() == "1 tablet twice a day" or not hidden_characters(
            med.directions_text())


def test_a_persian_name_keeps_its_zero_width_non_joiner(store):
    b = _bundle()
    b["entry"][0]["resource"]["name"][0]["given"] = ["\u0645\u06cc\u200c\u0646\u0627"]
    FhirImportService(store).import_file(b, TODAY)
    with store.session() as s:
        assert "\u200c" in s.execute(select(Patient)).scalars().one().first_name


@pytest.mark.parametrize("index,setter,label", [
    (1, lambda r: r["name"][0].update(family="Q" * 101), "Patient.name.family is 101"),
    (1, lambda r: r["name"][0].update(given=["R" * 101]), "the first name is 101"),
    (2, lambda r: r.update(medicationCodeableConcept={"text": "M" * 501}), "is 501"),
    (2, lambda r: r.update(dosage=[{"text": "x" * 1001}]), "dosage.text is 1001"),
    (3, lambda r: r.update(code={"text": "D" * 301}), "the condition is 301"),
])
def test_text_over_a_fields_limit_is_refused_never_cut(store, index, setter, label):
    b = _bundle()
    setter(b["entry"][index - 1]["resource"])
    message = _refused(store, b)
    assert f"entry {index} (" in message and label in message and "characters" in message


def test_the_command_line_refuses_in_one_line_and_writes_nothing(tmp_path):
    data = tmp_path / "d"
    assert run_cli("--data-dir", str(data), "demo").returncode == 0
    before = run_cli("--data-dir", str(data), "audit", "verify", "--json")
    b = copy.deepcopy(_bundle())
    b["entry"][2]["resource"]["subject"] = {"reference": "urn:uuid:someone-else"}
    path = tmp_path / "b.json"
    path.write_text(json.dumps(b), encoding="utf-8")
    out = run_cli("--data-dir", str(data), "import-fhir", str(path))
    assert out.returncode != 0 and len(out.stderr.strip().splitlines()) == 1
    assert "entry 3 (Condition)" in out.stderr and "not this bundle's patient" in out.stderr
    after = run_cli("--data-dir", str(data), "audit", "verify", "--json")
    assert json.loads(after.stdout)["entries_checked"] == json.loads(before.stdout)[
        "entries_checked"]


def test_refill_csv_refuses_hidden_characters_long_text_and_full_width_dates(tmp_path):
    from mmsdesk.interop.refill_csv import RefillImportError, parse_refill_csv

    head = "fill date,drug,days supply,pharmacy\n"
    for row, expected in [
        ("２０２６-01-05,metformin 500 mg,30,Main St\n", "is not a date"),
        ("2026-01-05,met\u202eformin,30,Main St\n", "U+202E"),
        ("2026-01-05,metformin,30," + "P" * 201 + "\n", "201 characters"),
        ("2026-01-05," + "m" * 301 + ",30,Main St\n", "301 characters"),
    ]:
        with pytest.raises(RefillImportError) as info:
            parse_refill_csv(head + row, today=date(2026, 12, 4))
        assert "line 2" in str(info.value) and expected in str(info.value)


def test_one_date_reader_for_forms_files_and_fhir():
    assert read_date("05/14/1943") == read_date("1943-05-14") == date(1943, 5, 14)
    assert read_date("5/14/43", loose=True) == date(2043, 5, 14)
    assert read_date("14-May-1943", loose=True) == read_date("19430514", loose=True)
    for bad in ("０５/14/1943", "1943-02-30", "14-May-1943"):
        with pytest.raises(ValueError):
            read_date(bad)
    assert parse_date("０５/14/1943")[0] is None
    assert parse_date("02/30/1943")[1] == "Date 02/30/1943 is not a real calendar date."
    assert read_fhir_date("2019-03-01T08:30:00.123+05:30") == date(2019, 3, 1)
    assert read_fhir_date("1990-05") == date(1990, 5, 1)
    for bad in ("1990-01-01T25:61:00Z", "1990-13", "１９９０", "1990-01-01T10:00:00+15:00"):
        with pytest.raises(ValueError):
            read_fhir_date(bad)
