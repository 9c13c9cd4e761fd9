"""The label reader on lines as an OCR engine gives them (words run together or split, digits
read as letters), one row per case; no engine here (tests/interop/test_label_ocr.py reads
rendered photos)."""

from __future__ import annotations

import pytest

from mmsdesk.clinical.label_read import OcrLine, read_label, resegment
from mmsdesk.clinical.sig_read import read as read_sig


def _read(*texts: str, confidence: float = 0.95):
    return read_label([OcrLine(t, confidence) for t in texts])


RETAIL = ("MAIN STREETPHARMACY (555)201-4410", "Rx# 8109301   Date Filled: 09/29/2026",
          "ROBERT BRO WN", "TAKEONE TABLETBY MOUTH AT BEDTIME",
          "METOPROLOL TARTRATE5O MG TAB", "QTY:60   Refills: 2", "Dr. ALAN SMITH")


def test_a_retail_label_gives_every_field():
    r = _read(*RETAIL)
    assert r.drug is not None and r.drug.ingredients == ("metoprolol",)
    assert {f.key: f.value for f in r.fields} == {
        "drug": "Metoprolol 50 mg tablet", "strength": "50 mg",
        "directions": "Take one tablet by mouth at bedtime", "prescriber": "Alan Smith",
        "quantity": "60", "filled_on": "2026-09-29", "rx_number": "8109301",
        "pharmacy": "Main Street Pharmacy"}
    assert r.text.splitlines()[4] == "METOPROLOL TARTRATE5O MG TAB"  # kept as read


@pytest.mark.parametrize(("line", "ingredients", "strength"), [
    ("METOPROLOL TARTRATE 5O MG TAB", ("metoprolol",), "50 mg"),  # O for 0
    ("AmlodipineBesylate5mg Tablet", ("amlodipine",), "5 mg"),  # run together
    ("ATORVASTATIN 40MGTAB", ("atorvastatin",), "40 mg"),
    ("LEVOTHYROXINE SODIUM 75 MCG TAB", ("levothyroxine",), "75 mcg"),
    ("Tamsulosin HCl O.4 mg Capsule", ("tamsulosin",), "0.4 mg"),
    ("ELIQUIS 5 MG TABLET", ("apixaban",), "5 mg"),  # a brand
    ("CARVEDILOL 12.5 MG TABLET", ("carvedilol",), "12.5 mg"),
    ("LISIN OPRIL 1O M G TABLET", ("lisinopril",), "10 mg"),  # words and units split
    ("SINEMET 25/100 TAB", ("carbidopa", "levodopa"), "25 mg / 100 mg"),  # numbers, no unit
    ("LOSARTAN/HCTZ 50-12.5 MG TAB", ("losartan", "hydrochlorothiazide"), "50 mg / 12.5 mg"),
    ("AMOXICILLIN 4OOMG/5ML SUSP", ("amoxicillin",), "400 mg/5 mL"),
    ("INSULIN GLARGINE 100 UNIT/ML", ("insulin glargine",), "100 units/mL"),
])
def test_the_drug_line_resolves_to_a_product_with_its_strength(line, ingredients, strength):
    r = _read("Hilltop Pharmacy", "Rx: 1234567  DATE: 04/16/26", line, "Qty 30")
    assert r.drug is not None and r.drug.ingredients == ingredients
    assert r.value("strength") == strength
    assert r.get("drug").line == line


def test_a_line_with_a_strength_is_preferred_to_a_brand_named_without_one():
    r = _read("Generic for LIPITOR", "ATORVASTATIN 40 MG TAB")
    assert r.value("strength") == "40 mg" and r.get("drug").line == "ATORVASTATIN 40 MG TAB"


def test_directions_run_over_two_lines_and_stop_at_the_drug():
    r = _read("Take 1 tablet by m outh every", "m orning", "ATORVASTATIN 40MGTAB", "Qty30")
    assert r.value("directions") == "Take 1 tablet by mouth every morning"
    assert r.value("drug") == "Atorvastatin 40 mg tablet"


def test_directions_stop_at_a_drug_line_whose_unit_was_split():
    r = _read("TAKE 1 TABLETBY M OUTH DAILY", "LISIN OPRIL 1O M G TABLET", "QTY:30 Rx# 6024117")
    assert r.value("directions") == "Take 1 tablet by mouth daily"
    assert r.value("drug") == "Lisinopril 10 mg tablet"


def test_directions_stop_at_a_drug_line_without_a_unit():
    r = _read("TAKE 1 TABLET THREE TIMES A DAY", "SINEMET 25/100 TAB", "Qty 90")
    assert r.value("directions") == "Take 1 tablet three times a day"
    assert r.drug is not None and r.drug.ingredients == ("carbidopa", "levodopa")


def test_directions_not_understood_keep_their_words_and_lower_the_confidence():
    sure = _read("TAKE 1 TABLET BY MOUTH TWICE DAILY").get("directions")
    unsure = _read("TAKE 1 TABLET BY MOUTH FOR HIGH BLOOD PRESSURE").get("directions")
    assert unsure.value == "Take 1 tablet by mouth for high blood pressure"
    assert unsure.confidence < sure.confidence


@pytest.mark.parametrize(("text", "expected"), [
    ("TAKEONE TABLETBY MOUTH AT BEDTIME", "TAKE ONE TABLET BY MOUTH AT BEDTIME"),
    ("Take onetabletby mouthat bedtime", "Take one tablet by mouth at bedtime"),
    ("Take 1 capsuleby mouth daily before breakfast",
     "Take 1 capsule by mouth daily before breakfast"),
    ("TAKE 1 TABLET FOR HIGH BLOOD PRESSURE", "TAKE 1 TABLET FOR HIGH BLOOD PRESSURE"),
    ("Take 1/2 tablet daily", "Take 1/2 tablet daily"),
])
def test_resegment(text, expected):
    assert resegment(text) == expected


def test_twice_daily_is_read_as_twice_a_day():
    """The sig reader read "twice daily" as "daily" with "twice" not understood (the shorter
    phrase was tried first); labels print it on every other bottle."""
    sig = read_sig("Take 1 tablet by mouth twice daily")
    assert sig.understood and sig.directions.frequency == "bid"
    assert read_sig("take 1 tablet daily").directions.frequency == "daily"


@pytest.mark.parametrize(("lines", "expected"), [
    (("Rx 1234567                  Filled: 03/14/2026", "Discard after: 03/14/2027"),
     "2026-03-14"),
    (("Discard after: 03/14/2027", "Rx 1234567  DATE: 03/14/26"), "2026-03-14"),
    (("DOB 01/02/1950", "Filled 11/05/2026"), "2026-11-05"),
])
def test_the_fill_date_is_not_a_discard_or_birth_date(lines, expected):
    assert _read(*lines).value("filled_on") == expected


@pytest.mark.parametrize(("line", "name"), [
    ("Dr. ALAN SMITH", "Alan Smith"),
    ("Prescriber: DR LINDA CHO", "Linda Cho"),
    ("Prescriber: RobertHayes,MD      Qty: 30", "Robert Hayes"),
    ("Prescriber: Priya Raman, MD", "Priya Raman"),
    ("MARIA GONZALEZ, NP", "Maria Gonzalez"),
])
def test_prescriber(line, name):
    assert _read(line).value("prescriber") == name


@pytest.mark.parametrize(("line", "number"), [
    ("Rx# 6024117Date Filled: 11/02/2026", "6024117"),  # the space after it not read
    ("RX 1234567                  Filled: 03/14/2026", "1234567"),
    ("Rx:2790322 DATE:02/17/26", "2790322"),
    ("Rx No. 55-1234", "55-1234"),
])
def test_rx_number(line, number):
    assert _read(line).value("rx_number") == number


def test_nothing_is_proposed_from_lines_that_are_no_label():
    r = _read("Grocery list", "eggs milk bread")
    assert r.fields == () and r.drug is None
