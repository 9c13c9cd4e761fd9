"""Components: every ingredient keeps the strength written for it (tables in strength_cases.py)."""

from __future__ import annotations

import json
import os

import pytest

from mmsdesk.clinical.dictionary import get_dictionary, parse_components, resolve
from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.dictionary.naming import strength_text
from mmsdesk.clinical.dictionary.sources import read_sources
from mmsdesk.clinical.dictionary.strength import parse_known, parse_strength
from mmsdesk.paths import knowledge_dir
from tests.clinical.strength_cases import (
    CASES,
    NOT_READ,
    OTHER_ORDER,
    SYNTHEA_COMPONENTS,
    C,
    mg,
    puff,
)
from tests.conftest import SHARED_DATA

_STRENGTH_WORDS = ("strength", "numbers", "number for")


def _strength_notes(notes: tuple[str, ...]) -> list[str]:
    return [n for n in notes if any(w in n for w in _STRENGTH_WORDS)]


def test_table_is_large_and_covers_every_kind_of_strength():
    assert len(CASES) >= 80
    units = {c.unit for _, comps, _ in CASES for c in comps}
    per = {c.per_unit for _, comps, _ in CASES for c in comps}
    assert {"mg", "mcg", "g", "unit", "meq", "%"} <= units
    assert {"ml", "actuat", "hr"} <= per
    assert sum(1 for _, comps, _ in CASES if all(c.amount is None for c in comps)) >= 10
    assert sum(1 for _, _, note in CASES if note == NOT_READ) >= 5
    assert sum(1 for _, _, note in CASES if note == OTHER_ORDER) >= 3


@pytest.mark.parametrize(("text", "expected", "note"), CASES, ids=[c[0][:60] for c in CASES])
def test_written_strength_gives_each_ingredient_its_amount(text, expected, note):
    res = resolve(text)
    assert res.components == expected, res
    assert res.ingredients == tuple(c.ingredient for c in expected)
    assert res.strength == strength_text(expected)
    notes = _strength_notes(res.notes)
    if note:
        assert any(note in n for n in notes), res.notes
    else:
        assert notes == [], res.notes


def test_mg_and_mcg_are_one_scale_and_the_unit_stays_as_written():
    in_mg = resolve("levothyroxine 0.088 mg").components[0]
    in_mcg = resolve("levothyroxine 88 mcg").components[0]
    assert (in_mg.unit, in_mcg.unit) == ("mg", "mcg")
    assert in_mg.same_strength(in_mcg)
    symbicort_mg = resolve("Symbicort 0.16/0.0045 mg").components
    symbicort_mcg = resolve("Symbicort 160/4.5").components
    assert all(a.same_strength(b) for a, b in zip(symbicort_mg, symbicort_mcg, strict=True))


def test_written_numbers_win_over_the_strength_the_name_says():
    res = resolve("Bactrim DS 400-80 mg")
    assert res.components == (mg("sulfamethoxazole", 400), mg("trimethoprim", 80))
    assert any("is not a known strength of Bactrim DS" in n for n in res.notes)
    assert resolve("Tylenol Extra Strength 650 mg").components == (mg("acetaminophen", 650),)


def test_strength_and_product_are_built_from_the_components():
    res = resolve("Sinemet 10/100")
    assert res.strength == "10 mg / 100 mg"
    assert res.product == "Carbidopa 10 mg / levodopa 100 mg tablet"
    inhaler = resolve("Symbicort 80/4.5")
    assert inhaler.strength == "80 mcg/puff / 4.5 mcg/puff"
    assert inhaler.product == "Budesonide 80 mcg / formoterol 4.5 mcg inhaler"
    assert resolve("Sinemet").strength == ""
    assert resolve("Calcium 600 mg with D3").strength == "600 mg / ?"


def test_reordered_numbers_say_how_they_were_read():
    res = resolve("Norco 325-5")
    assert res.notes == ('read "325-5" as hydrocodone 5 mg / acetaminophen 325 mg '
                         "(the numbers were written in another order)",)


def test_unassignable_numbers_are_explained_in_plain_words():
    res = resolve("carbidopa-levodopa 5-10-20")
    assert res.notes == ('"5-10-20" has 3 numbers for 2 ingredients (carbidopa, levodopa): '
                         "strength not read; confirm it",)
    assert resolve("Zocor 25").notes == (
        '"25" has no unit and is not a known strength of simvastatin: strength not read; '
        "confirm it",)


def test_a_decimal_comma_is_refused_in_plain_words():
    comps, notes = parse_components("0,5 mg", ("alprazolam",))
    assert comps == (C("alprazolam"),)
    assert notes == ('"0,5 mg" has a comma in a number: a decimal is written with a point '
                     '("0.5 mg"): strength not read; confirm it',)


def test_unrecognised_text_is_one_component_as_written_without_an_amount():
    res = resolve("  xyzzy   10 mg ")
    assert res.match == "unrecognised" and res.ingredients == ()
    assert res.components == (Component("xyzzy 10 mg"),) and res.strength == ""
    assert resolve("").components == ()


def test_coded_products_read_the_strength_in_their_name():
    # RxNorm 857005: "Acetaminophen 325 MG / Hydrocodone Bitartrate 7.5 MG Oral Tablet"
    assert resolve("857005").components == (mg("acetaminophen", 325), mg("hydrocodone", 7.5))
    # RxNorm 198031: "Nicotine 0.583 MG/HR 24 HR Transdermal System"
    assert resolve(rxnorm="198031").components == (C("nicotine", 0.583, "mg", None, "hr"),)
    assert resolve(rxnorm="11289").components == (C("warfarin"),)  # an ingredient code


# -- a strength typed on its own, for known ingredients (the medication form) -------------------
TYPED: list[tuple[str, tuple[str, ...], str, tuple[Component, ...]]] = [
    ("2.5 mg", ("apixaban",), "", (mg("apixaban", 2.5),)),
    ("2.5", ("Eliquis",), "", (mg("apixaban", 2.5),)),  # Eliquis label: 2.5, 5 mg
    ("10/100 mg", ("carbidopa", "levodopa"), "", (mg("carbidopa", 10), mg("levodopa", 100))),
    ("10 mg / 100 mg", ("carbidopa", "levodopa"), "", (mg("carbidopa", 10), mg("levodopa", 100))),
    ("10/100", ("carbidopa", "levodopa"), "", (mg("carbidopa", 10), mg("levodopa", 100))),
    ("carbidopa 25 mg / levodopa 250 mg", ("carbidopa", "levodopa"), "",
     (mg("carbidopa", 25), mg("levodopa", 250))),
    ("80/4.5", ("budesonide", "formoterol"), "", (puff("budesonide", 80), puff("formoterol", 4.5))),
    ("325-5", ("hydrocodone", "acetaminophen"), "Norco",
     (mg("hydrocodone", 5), mg("acetaminophen", 325))),
    ("0.088 mg", ("levothyroxine",), "", (mg("levothyroxine", 0.088),)),
    ("88", ("levothyroxine",), "", (C("levothyroxine", 88, "mcg"),)),
    ("100 units/mL", ("insulin glargine",), "", (C("insulin glargine", 100, "unit", None, "ml"),)),
    ("250 mg/5 mL", ("amoxicillin",), "", (C("amoxicillin", 250, "mg", 5, "ml"),)),
    ("5 mg", ("madeupdrug",), "", (mg("madeupdrug", 5),)),
    ("", ("apixaban",), "", (C("apixaban"),)),
    ("5-10-20", ("carbidopa", "levodopa"), "", (C("carbidopa"), C("levodopa"))),
    ("2,5 mg", ("apixaban",), "", (C("apixaban"),)),  # a decimal comma: was read as 5 mg
    ("0,5", ("alprazolam",), "", (C("alprazolam"),)),
]


@pytest.mark.parametrize(("text", "ingredients", "product", "expected"), TYPED,
                         ids=[f"{t[0]!r}-{'+'.join(t[1])}" for t in TYPED])
def test_parse_components_reads_a_strength_typed_on_its_own(text, ingredients, product, expected):
    comps, notes = parse_components(text, ingredients, product=product)
    assert comps == expected
    if any(c.amount is None for c in expected) and text:
        assert notes and "confirm" in notes[0]


def test_importer_names_use_the_same_reader():
    assert parse_strength("Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet") == \
        "325 mg / 5 mg"
    assert parse_strength("24 HR Nicotine 0.583 MG/HR Transdermal System") == "0.583 mg/hour"
    import mmsdesk.clinical.dictionary.text as text

    assert not hasattr(text, "parse_strength")  # one strength reader: strength.py


# -- the curated files --------------------------------------------------------------------------
def test_every_known_strength_reads_as_one_amount_per_ingredient():
    src = read_sources(knowledge_dir() / "drugs")
    for entry in (*src.combinations, *src.named_strengths):
        rows = parse_known(entry.strength, len(entry.ingredients))
        assert all(len(r) == len(entry.ingredients) and all(c.unit for c in r) for r in rows)
    for entry in src.named_strengths:
        assert entry.implied and len(parse_known(entry.strength, len(entry.ingredients))) == 1
        res = resolve(entry.label)
        assert all(c.amount is not None for c in res.components), entry.label


def test_inhaler_strengths_are_in_mcg_per_actuation():
    src = read_sources(knowledge_dir() / "drugs")
    inhalers = [c for c in src.combinations
                if "inhaler" in c.form and c.strength and len(c.ingredients) > 1]
    assert len(inhalers) >= 15
    for entry in inhalers:
        for row in parse_known(entry.strength, len(entry.ingredients)):
            assert all(c.unit == "mcg" and c.per_unit == "actuat" for c in row), entry.label


def test_marketed_order_of_the_common_combinations():
    """The order each product is sold under (the established name on its label)."""
    d = get_dictionary()
    expected = {
        "norco": ("hydrocodone", "acetaminophen"), "percocet": ("oxycodone", "acetaminophen"),
        "advair": ("fluticasone", "salmeterol"), "sinemet": ("carbidopa", "levodopa"),
        "entresto": ("sacubitril", "valsartan"), "symbicort": ("budesonide", "formoterol"),
        "janumet": ("sitagliptin", "metformin"), "hyzaar": ("losartan", "hydrochlorothiazide"),
        "caduet": ("amlodipine", "atorvastatin"), "vytorin": ("ezetimibe", "simvastatin"),
        "bactrim ds": ("sulfamethoxazole", "trimethoprim"),
        "augmentin": ("amoxicillin", "clavulanate"), "suboxone": ("buprenorphine", "naloxone"),
        "ultracet": ("tramadol", "acetaminophen"), "vicodin": ("hydrocodone", "acetaminophen"),
    }
    for key, order in expected.items():
        assert d.names[key].ingredients == order, key


# -- real records ---------------------------------------------------------------------------------
def _synthea_folder():
    folder = SHARED_DATA / "synthea-r4"
    if not folder.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"the Synthea bundles are missing at {folder}: CI must provide them")
        pytest.skip(f"Synthea bundles not found at {folder}")
    return folder


def _synthea_texts() -> set[str]:
    texts = set()
    for path in sorted(_synthea_folder().glob("*.json")):
        if path.name.startswith("TRUNCATED"):
            continue  # invalid JSON on purpose (importer tests)
        for entry in json.loads(path.read_text(encoding="utf-8")).get("entry", []):
            r = entry.get("resource", {})
            if r.get("resourceType") in ("MedicationRequest", "MedicationStatement"):
                texts.add(r.get("medicationCodeableConcept", {}).get("text", ""))
    return texts


def test_every_synthea_medication_gives_its_written_strengths():
    texts = _synthea_texts()
    assert len(texts) >= 30
    assert texts == set(SYNTHEA_COMPONENTS), "bundles changed: update SYNTHEA_COMPONENTS"
    for text in sorted(texts):
        res = resolve(text)
        assert res.components == SYNTHEA_COMPONENTS[text], (text, res.components)
        assert _strength_notes(res.notes) == [], (text, res.notes)
