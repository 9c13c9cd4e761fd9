"""CPT suggestion from the visit time (midpoint rule) and the self-pay price."""

from __future__ import annotations

from datetime import date

import pytest

from mmsdesk.models import ServiceOffering
from mmsdesk.services.billing import (
    CptLine,
    additional_units,
    cpt_string,
    parse_cpt_string,
    service_price,
    suggest_cpt,
)


@pytest.mark.parametrize(("minutes", "new", "expected"), [
    (0, True, ""),
    (-5, False, ""),
    (1, True, "99605"),
    (1, False, "99606"),
    (15, True, "99605"),
    (22, False, "99606"),  # 7 minutes past the first 15: below the midpoint of a unit
    (23, False, "99606;99607"),  # 8 minutes past: the midpoint is passed
    (30, True, "99605;99607"),
    (37, True, "99605;99607"),
    (38, True, "99605;99607x2"),
    (52, False, "99606;99607x2"),
    (53, False, "99606;99607x3"),
    (60, True, "99605;99607x3"),
    (67, True, "99605;99607x3"),
    (68, True, "99605;99607x4"),
])
def test_cpt_boundaries(minutes, new, expected):
    assert cpt_string(suggest_cpt(minutes, new)) == expected


def test_units_grow_by_one_every_15_minutes_after_the_first_midpoint():
    units = [additional_units(m) for m in range(0, 200)]
    assert units == sorted(units)
    changes = [m for m in range(1, 200) if units[m] != units[m - 1]]
    assert changes[:4] == [23, 38, 53, 68]
    assert all(b - a == 15 for a, b in zip(changes, changes[1:], strict=False))


def test_lines_carry_descriptions_and_round_trip():
    lines = suggest_cpt(45, True)
    assert [(x.code, x.units) for x in lines] == [("99605", 1), ("99607", 2)]
    assert "new patient" in lines[0].description and "additional" in lines[1].description
    assert parse_cpt_string(cpt_string(lines)) == lines
    assert cpt_string([CptLine("99606", 1, ""), CptLine("99607", 0, "")]) == "99606"


@pytest.mark.parametrize("text", ["99605;99607x2", "99605, 99607x2", " 99605 ; 99607 x 2 ",
                                  "99605;99607X2"])
def test_one_reader_of_stored_cpt_codes(text):
    # the documents had a second reader that took "," and the bills one that did not:
    # "99605, 99607x2" was one code "99605, 99607" with 2 units
    assert [(x.code, x.units) for x in parse_cpt_string(text)] == [("99605", 1), ("99607", 2)]


@pytest.mark.parametrize(("price", "cpt", "expected"), [
    (150.0, "99605;99607x2", [50.0, 100.0]),
    (100.0, "99606;99607x2", [33.33, 66.67]),
    (60.0, "99606", [60.0]),
])
def test_line_charges_add_up_to_the_price(price, cpt, expected):
    from mmsdesk.services.billing import line_charges

    charges = line_charges(price, parse_cpt_string(cpt))
    assert charges == expected and round(sum(charges), 2) == price


def test_plan_paid_and_diagnoses(store):
    from mmsdesk.models import Condition
    from mmsdesk.services.billing import diagnoses, plan_pays
    from mmsdesk.services.patients import PatientInput, PatientService

    assert plan_pays("medicare_part_d") and not plan_pays("self_pay")
    pid, _ = PatientService(store).create(PatientInput(first_name="Ann", last_name="Lee",
                                                       date_of_birth=date(1940, 1, 1)))
    with store.session() as s:
        s.add(Condition(patient_id=pid, name="Essential hypertension", icd10_code="I10"))
        s.add(Condition(patient_id=pid, name="Old ulcer", icd10_code="K25.9", status="resolved"))
        s.add(Condition(patient_id=pid, name="Worry"))
    with store.session() as s:
        assert diagnoses(s, pid) == [("I10", "Essential hypertension")]
        assert diagnoses(s, pid, "k25.9; I10") == [("K25.9", "Old ulcer"),
                                                   ("I10", "Essential hypertension")]


def test_service_price_takes_the_first_active_offering(store):
    assert service_price(store, "cmr") is None
    with store.session() as s:
        s.add(ServiceOffering(service="cmr", name="Old CMR", price=99.0, active=False))
        s.add(ServiceOffering(service="cmr", name="CMR", price=150.0))
        s.add(ServiceOffering(service="cmr", name="CMR long", price=220.0))
        s.add(ServiceOffering(service="tmr", name="TMR", price=60.5))
    assert service_price(store, "cmr") == 150.0
    assert service_price(store, "tmr") == 60.5
    assert service_price(store, "pgx") is None


@pytest.mark.parametrize(("text", "ok"), [
    ("", True), ("I10", True), ("i10; E11.9", True), ("E11.65, N18.32", True), ("Z79.01", True),
    ("U07.1", True), ("I10; X1", False), ("110", False), ("E11.12345", False),
    (";".join(f"E11.{n}" for n in range(13)), False),
])
def test_diagnosis_codes_typed_for_a_visit(text, ok):
    from mmsdesk.services.billing import diagnosis_codes_problem

    assert (diagnosis_codes_problem(text) is None) == ok


def test_a_visit_with_a_bad_diagnosis_code_cannot_be_completed():
    from mmsdesk.services.visits.checks import check_implement
    from mmsdesk.services.visits.draft import VisitDraft

    draft = VisitDraft(patient_id=1, service="cmr", visit_date=date(2026, 11, 24),
                       diagnosis_codes="I10; hypertension")
    assert any("HYPERTENSION: not an ICD-10-CM code" in m for m in check_implement(draft))
    draft.diagnosis_codes = "I10"
    assert check_implement(draft) == []
