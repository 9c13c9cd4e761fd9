"""Names built from components: plain case, each ingredient's own amount, the brand in
brackets, never directions; Spanish uses the same components with Spanish form words.

Amount style: ISMP List of Error-Prone Abbreviations, Symbols, and Dose Designations (no
trailing zero, a leading zero, thousands commas, "units" spelled out)."""

from __future__ import annotations

import pytest

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.dictionary.naming import (
    form_words,
    format_amount,
    full_form,
    medication_name,
    split_form,
    strength_text,
)

C = Component
NAMES = [
    # (components, form, release, brand, English name, Spanish name)
    ((C("apixaban", 2.5, "mg"),), "oral tablet", "", "Eliquis",
     "Apixaban 2.5 mg tablet (Eliquis)", "Apixaban 2.5 mg tableta (Eliquis)"),
    ((C("carbidopa", 10, "mg"), C("levodopa", 100, "mg")), "tablet", "", "Sinemet",
     "Carbidopa 10 mg / levodopa 100 mg tablet (Sinemet)",
     "Carbidopa 10 mg / levodopa 100 mg tableta (Sinemet)"),
    ((C("budesonide", 80, "mcg", None, "actuat"), C("formoterol", 4.5, "mcg", None, "actuat")),
     "metered dose inhaler", "", "Symbicort",
     "Budesonide 80 mcg / formoterol 4.5 mcg inhaler (Symbicort)",
     "Budesonide 80 mcg / formoterol 4.5 mcg inhalador (Symbicort)"),
    ((C("metoprolol", 50, "mg"),), "oral tablet", "extended", "Toprol XL",
     "Metoprolol 50 mg extended-release tablet (Toprol XL)",
     "Metoprolol 50 mg tableta de liberación prolongada (Toprol XL)"),
    ((C("amoxicillin", 250, "mg", 5, "ml"),), "oral suspension", "", "",
     "Amoxicillin 250 mg/5 mL oral suspension", "Amoxicillin 250 mg/5 mL suspensión oral"),
    ((C("insulin glargine", 100, "unit", None, "ml"),), "pen injector", "", "Lantus",
     "Insulin glargine 100 units/mL pen (Lantus)", "Insulin glargine 100 unidades/mL pluma (Lantus)"),
    ((C("nicotine", 21, "mg", 24, "hr"),), "transdermal patch", "", "",
     "Nicotine 21 mg/24 hours patch", "Nicotine 21 mg/24 horas parche"),
    ((C("cholecalciferol", 50000, "unit"),), "capsule", "", "",
     "Cholecalciferol 50,000 units capsule", "Cholecalciferol 50,000 unidades cápsula"),
    ((C("latanoprost", 0.005, "%"),), "ophthalmic solution", "", "Xalatan",
     "Latanoprost 0.005 % eye drops (Xalatan)", "Latanoprost 0.005 % gotas para los ojos (Xalatan)"),
    ((C("apixaban"),), "oral tablet", "", "Eliquis",  # strength not known: none is invented
     "Apixaban tablet (Eliquis)", "Apixaban tableta (Eliquis)"),
    ((C("sulfamethoxazole", 800, "mg"), C("trimethoprim")), "tablet", "", "",
     "Sulfamethoxazole 800 mg / trimethoprim tablet", "Sulfamethoxazole 800 mg / trimethoprim tableta"),
    ((C("warfarin", 5, "mg"),), "", "", "warfarin", "Warfarin 5 mg", "Warfarin 5 mg"),
]


@pytest.mark.parametrize(("components", "form", "release", "brand", "en", "es"), NAMES)
def test_names_in_english_and_spanish(components, form, release, brand, en, es):
    assert medication_name(components, form, release, brand) == en
    assert medication_name(components, form, release, brand, "es") == es


def test_an_unrecognised_medicine_is_named_as_written():
    assert medication_name((C("Grandma's  tonic"),), "", "", "", recognised=False) == \
        "Grandma's tonic"
    assert medication_name((), "tablet") == ""


@pytest.mark.parametrize(("value", "text"), [(5.0, "5"), (2.5, "2.5"), (0.088, "0.088"),
                                             (50000, "50,000"), (1000, "1,000"), (0.5, "0.5"),
                                             (12.50, "12.5")])
def test_amounts_have_no_trailing_zero_and_a_thousands_comma(value, text):
    assert format_amount(value) == text


def test_strength_text_keeps_each_ingredient_in_order():
    assert strength_text((C("carbidopa", 25, "mg"), C("levodopa", 100, "mg"))) == "25 mg / 100 mg"
    assert strength_text((C("a", 5, "mg"), C("b"))) == "5 mg / ?"
    assert strength_text((C("a"), C("b"))) == ""


def test_forms_split_and_join_their_release():
    assert split_form("extended release oral tablet") == ("oral tablet", "extended")
    assert split_form("Delayed Release Oral Capsule") == ("oral capsule", "delayed")
    assert split_form("tablet") == ("tablet", "")
    assert full_form("oral tablet", "extended") == "extended release oral tablet"
    assert form_words("delayed release oral capsule") == "delayed-release capsule"
    assert form_words("some new form") == "some new form"


def test_mg_and_mcg_are_one_scale():
    assert C("levothyroxine", 0.088, "mg").same_strength(C("levothyroxine", 88, "mcg"))
    assert C("amoxicillin", 250, "mg", 5, "ml").same_strength(C("amoxicillin", 50, "mg", 1, "ml"))
    assert not C("apixaban", 2.5, "mg").same_strength(C("apixaban", 5, "mg"))
    assert not C("insulin", 100, "unit").same_strength(C("insulin", 100, "mg"))
