"""Reconciliation: typed and FHIR sources, matching by ingredient, discrepancies, carry-over."""

from __future__ import annotations

import json
from datetime import date

import pytest

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.services.medications import MedicationInput, MedicationService
from mmsdesk.services.patients import PatientInput, PatientService
from mmsdesk.services.visits.draft import ReconItem, ReconSource
from mmsdesk.services.visits.reconciliation import (
    chart_source,
    find_discrepancies,
    item_from_text,
    match_key,
    parse_frequency,
    source_from_fhir,
    source_from_lines,
    strength_differs,
)
from tests.conftest import TODAY, shared_data


@pytest.mark.parametrize(("text", "ingredients", "strength", "directions", "frequency"), [
    ("metoprolol tartrate 50 mg 1 tab twice daily", ["metoprolol"], "50 mg",
     "1 tab twice daily", "bid"),
    ("Lisinopril 10mg daily", ["lisinopril"], "10 mg", "daily", "daily"),
    ("Coumadin 5 mg every evening", ["warfarin"], "5 mg", "every evening", "daily"),
    ("Simvistatin 40 mg at bedtime", ["simvastatin"], "40 mg", "at bedtime", "daily"),
    # plain "Tylenol PM" names no strength (Extra Strength is 500 mg / 25 mg): none is assumed
    ("Tylenol PM 2 at bedtime", ["acetaminophen", "diphenhydramine"], "",
     "2 at bedtime", "daily"),
    ("acetaminophen 500 mg 2 tabs q6h prn", ["acetaminophen"], "500 mg", "2 tabs q6h prn", "q6h"),
    ("metformin 500 mg 1 tab three times a day", ["metformin"], "500 mg",
     "1 tab three times a day", "tid"),
    ("alendronate 70 mg once a week", ["alendronate"], "70 mg", "once a week", "weekly"),
    # a strength with a thousands separator is not a dose count: "000 units" was read as the
    # directions ("Change to 1,000 units 000 units tablet")
    ("Cholecalciferol 1,000 units tablet 1 tablet daily", ["cholecalciferol"], "1,000 units",
     "1 tablet daily", "daily"),
    ("vitamin D3 2,000 units daily", ["cholecalciferol"], "2,000 units", "daily", "daily"),
])
def test_typed_line_resolved_and_parsed(text, ingredients, strength, directions, frequency):
    item = item_from_text(text)
    assert item.ingredients == ingredients
    assert item.strength == strength
    assert item.directions == directions
    assert item.frequency == frequency


def test_unrecognised_line_is_kept_with_its_text():
    src = source_from_lines(["  Grandma's tonic   1 spoon daily ", "", "   "], "patient", "Patient")
    assert len(src.items) == 1
    item = src.items[0]
    assert item.text == "Grandma's tonic 1 spoon daily" and item.ingredients == []
    assert item.frequency == "daily"
    assert (src.source, src.label) == ("patient", "Patient")


@pytest.mark.parametrize(("a", "b", "same"), [
    ("metoprolol 50 mg", "metoprolol 50mg", True), ("levothyroxine 0.088 mg", "Synthroid 88 mcg", True),
    ("cyanocobalamin 1000 mcg", "vitamin b12 1 mg", True), ("metoprolol 25 mg", "Toprol 50 mg", False),
    ("carbidopa-levodopa 25-100 mg", "Sinemet 25/100", True),
    ("levodopa-carbidopa 100-25 mg", "Carbidopa 25 MG / Levodopa 100 MG Oral Tablet", True),
    ("Sinemet 10/100", "carbidopa 25 mg / levodopa 100 mg", False)])
def test_strengths_compare_per_ingredient_on_one_scale(a, b, same):
    """The dictionary's components, compared ingredient by ingredient (mg and mcg one scale,
    the order written does not matter)."""
    x, y = item_from_text(a), item_from_text(b)
    assert match_key(x) == match_key(y)
    assert (not strength_differs(x, y)) is same


def test_frequency_words():
    assert parse_frequency("Take 1 tablet by mouth every 12 hours") == "bid"
    assert parse_frequency("1 cap BID") == "bid"
    assert parse_frequency("one tablet morning and evening") == "bid"
    assert parse_frequency("q8h") == "q8h"
    assert parse_frequency("every other day") == "qod"
    assert parse_frequency("as directed") == ""
    assert parse_frequency("1 capsule before breakfast") == "daily"
    assert parse_frequency("1 tab with meals") == "tid"


def _item(text, ingredients, strength="", directions="", frequency="", mid=None):
    """A chart item: ``strength`` is read by the dictionary for the ingredients."""
    from mmsdesk.clinical.dictionary import parse_components

    comps = list(parse_components(strength, ingredients)[0]) if strength and ingredients else \
        [Component(i) for i in ingredients]
    return ReconItem(text, ingredients, directions, frequency, mid, comps)


@pytest.fixture
def chart():
    return ReconSource("chart", "Chart", [
        _item("Metoprolol tartrate 25 MG", ["metoprolol"], "25 mg", "1 tab twice a day", "bid", 1),
        _item("Lisinopril 10 MG", ["lisinopril"], "10 mg", "1 tab daily", "daily", 2),
        _item("Simvastatin 40 MG", ["simvastatin"], "40 mg", "at bedtime", "daily", 3),
        _item("Acetaminophen 500 MG", ["acetaminophen"], "500 mg", "2 tabs as needed", "", 4),
    ])


def test_each_kind_found_and_matched_by_ingredient(chart):
    bottles = source_from_lines([
        "Toprol 50 mg 1 tab twice daily",  # brand of metoprolol: dose differs
        "lisinopril 10 mg 1 tab twice daily",  # frequency differs
        "Tylenol PM 2 at bedtime",  # omission; acetaminophen twice
        "acetaminophen 500 mg 2 tabs as needed",
    ], "bottle", "Bottles")
    found = {d.key: d for d in find_discrepancies(chart, [bottles])}
    assert set(found) == {
        "omission:acetaminophen;diphenhydramine",
        "commission:simvastatin:3",
        "dose:metoprolol:1",
        "frequency:lisinopril:2",
        "duplication:acetaminophen:4",  # Tylenol PM would double the chart's acetaminophen
        "duplication:acetaminophen:bottle:None",  # and the bottles hold it twice
    }
    dose = found["dose:metoprolol:1"]
    assert dose.kind == "dose" and dose.medication_id == 1 and dose.new_strength == "50 mg"
    assert dose.source == "bottle"
    assert "Bottles" in dose.detail and "25 mg" in dose.detail.lower()
    assert found["frequency:lisinopril:2"].medication_id == 2
    omission = found["omission:acetaminophen;diphenhydramine"]
    assert omission.source_item is not None and omission.source_item.text.startswith("Tylenol PM")
    assert omission.medication_id is None
    assert found["commission:simvastatin:3"].ingredients == ["simvastatin"]


def test_no_commission_until_another_list_is_collected(chart):
    assert find_discrepancies(chart, []) == []
    assert find_discrepancies(chart, [ReconSource("patient", "Patient says", [])]) == []
    one = source_from_lines(["lisinopril 10 mg 1 tab daily"], "patient", "Patient says")
    kinds = sorted(d.kind for d in find_discrepancies(chart, [one]))
    assert kinds == ["commission", "commission", "commission"]  # all but lisinopril


def test_a_medicine_on_any_other_list_is_not_a_commission(chart):
    a = source_from_lines(["metoprolol tartrate 25 mg 1 tab twice a day"], "patient", "Patient")
    b = source_from_lines(["simvastatin 40 mg at bedtime", "lisinopril 10 mg 1 tab daily",
                           "acetaminophen 500 mg 2 tabs as needed"], "bottle", "Bottles")
    assert find_discrepancies(chart, [a, b]) == []


def test_decisions_carry_over_when_lists_change(chart):
    bottles = source_from_lines(["Toprol 50 mg 1 tab twice daily", "aspirin 81 mg daily"],
                                "bottle", "Bottles")
    first = find_discrepancies(chart, [bottles])
    for d in first:
        d.decision = {"commission": "stop", "omission": "add"}.get(d.kind, "keep")
        d.note = f"note {d.key}"
    dose = next(d for d in first if d.kind == "dose")
    dose.decision, dose.new_strength = "change", "37.5 mg"
    pharmacy = source_from_lines(["simvastatin 40 mg at bedtime", "warfarin 5 mg daily"],
                                 "pharmacy_record", "Pharmacy")
    second = find_discrepancies(chart, [bottles, pharmacy], previous=first)
    by_key = {d.key: d for d in second}
    assert "commission:simvastatin:3" not in by_key  # the pharmacy lists it now
    assert by_key["omission:warfarin"].decision == ""  # new: undecided
    assert by_key["omission:aspirin"].decision == "add"
    assert by_key["omission:aspirin"].note == "note omission:aspirin"
    assert by_key["dose:metoprolol:1"].decision == "change"
    assert by_key["dose:metoprolol:1"].new_strength == "37.5 mg"
    assert by_key["commission:lisinopril:2"].decision == "stop"
    # the same lists in another order give the same keys in the same order
    again = find_discrepancies(chart, [pharmacy, bottles], previous=second)
    assert [d.key for d in again] == [d.key for d in second]


def test_unrecognised_items_match_by_text(chart):
    chart.items.append(_item("Grandma's tonic", [], "", "daily", "daily", 9))
    src = source_from_lines(["grandma's   TONIC", "lisinopril 10 mg 1 tab daily"], "patient", "P")
    keys = {d.key for d in find_discrepancies(chart, [src])}
    assert not any("tonic" in k for k in keys)


def test_dose_amount_difference_is_a_dose_discrepancy(chart):
    src = source_from_lines(["lisinopril 10 mg 2 tabs daily"], "bottle", "Bottles")
    d = next(d for d in find_discrepancies(chart, [src]) if d.medication_id == 2)
    assert d.kind == "dose" and "2 tabs" in d.detail


def _bundle(tmp_path, entries):
    path = tmp_path / "discharge.json"
    path.write_text(json.dumps({"resourceType": "Bundle", "type": "collection",
                                "entry": [{"resource": r} for r in entries]}), encoding="utf-8")
    return path


def test_fhir_source_reads_active_statements_and_requests(tmp_path):
    path = _bundle(tmp_path, [
        {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
         "medicationCodeableConcept": {"text": "Metoprolol succinate 100 MG Extended Release Oral "
                                                "Tablet"},
         "dosageInstruction": [{"text": "1 tablet twice daily"}]},
        {"resourceType": "MedicationStatement", "status": "active",
         "medicationCodeableConcept": {"coding": [
             {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "197361",
              "display": "Amlodipine 5 MG Oral Tablet"}]}},
        {"resourceType": "MedicationRequest", "status": "stopped", "intent": "order",
         "medicationCodeableConcept": {"text": "Warfarin 5 MG Oral Tablet"}},
        {"resourceType": "Patient", "name": [{"family": "Test", "given": ["A"]}]},
    ])
    src = source_from_fhir(path, "discharge_list", "Hospital discharge list")
    assert (src.source, src.label) == ("discharge_list", "Hospital discharge list")
    assert [i.ingredients for i in src.items] == [["metoprolol"], ["amlodipine"]]
    assert src.items[0].strength == "100 mg" and src.items[0].frequency == "bid"
    assert src.items[0].directions == "1 tablet twice daily"
    assert src.items[1].strength == "5 mg"


def test_fhir_source_bad_input_names_the_file(tmp_path):
    bad = tmp_path / "pharmacy-export.json"
    bad.write_text('{"resourceType": "Bundle", "entry": [', encoding="utf-8")
    with pytest.raises(ValueError, match="pharmacy-export.json"):
        source_from_fhir(bad, "pharmacy_record", "Pharmacy")
    other = tmp_path / "patient.json"
    other.write_text('{"resourceType": "Patient"}', encoding="utf-8")
    with pytest.raises(ValueError, match="patient.json: not a FHIR Bundle"):
        source_from_fhir(other, "pharmacy_record", "Pharmacy")
    with pytest.raises(ValueError, match="missing.json"):
        source_from_fhir(tmp_path / "missing.json", "pharmacy_record", "Pharmacy")


def test_fhir_source_over_a_real_synthea_bundle():
    path = next(p for p in sorted(shared_data("synthea-r4").glob("*.json"))
                if not p.name.startswith("TRUNCATED"))
    from mmsdesk.interop.fhir_bundle import parse_bundle

    active = [m for m in parse_bundle(path).medications if m.status == "active"]
    src = source_from_fhir(path, "import", "Synthea")
    assert len(src.items) == len(active)
    truncated = next(shared_data("synthea-r4").glob("TRUNCATED-*.json"))
    with pytest.raises(ValueError, match=truncated.name):
        source_from_fhir(truncated, "import", "Broken")


def test_chart_source_lists_active_entries_with_ids(store):
    pid, _ = PatientService(store).create(PatientInput("Ольга", "Иванова", date(1940, 2, 3)),
                                          TODAY)
    meds = MedicationService(store)
    a, _ = meds.add(pid, MedicationInput("Lisinopril 10 MG Oral Tablet",
                                         directions_text="1 tablet twice a day"), TODAY)
    b, _ = meds.add(pid, MedicationInput("Simvastatin 40 MG Oral Tablet"), TODAY)
    meds.stop(b, TODAY, "myalgia", TODAY)
    src = chart_source(store, pid)
    assert src.source == "chart"
    assert [(i.medication_id, i.ingredients, i.strength, i.frequency) for i in src.items] == [
        (a, ["lisinopril"], "10 mg", "bid")]
