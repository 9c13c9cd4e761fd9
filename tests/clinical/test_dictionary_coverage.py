"""Coverage: the most-prescribed US drugs, common OTC products and supplements, every name we list."""

from __future__ import annotations

from mmsdesk.clinical.dictionary import get_dictionary, resolve
from tests.clinical.top_drugs import OTC_AND_SUPPLEMENTS, TOP_PRESCRIBED, names


def test_top_prescribed_ingredients_are_in_the_dictionary_with_class_and_forms():
    d = get_dictionary()
    top = names(TOP_PRESCRIBED)
    assert len(set(top)) >= 300
    for name in top:
        ing = d.ingredients.get(name)
        assert ing is not None, name
        assert ing.plain_class and ing.atc and ing.forms, name


def test_otc_and_supplements_are_in_the_dictionary():
    d = get_dictionary()
    supplements = names(OTC_AND_SUPPLEMENTS)
    assert len(supplements) >= 100
    assert [n for n in supplements if n not in d.ingredients] == []


def test_every_top_ingredient_resolves_from_a_label_line():
    d = get_dictionary()
    for name in names(TOP_PRESCRIBED) + names(OTC_AND_SUPPLEMENTS):
        ing = d.ingredients[name]
        strength = ing.strengths[0].split()[0] if ing.strengths else "10"
        text = f"{name.upper()} {strength} MG {ing.forms[0] if ing.forms else ''}"
        res = resolve(text)
        assert res.ingredients == (name,), (text, res)
        assert res.match == "exact", (text, res)


def test_every_listed_brand_and_synonym_resolves_to_its_ingredient():
    d = get_dictionary()
    checked = 0
    for ing in d.ingredients.values():
        for brand in ing.brands:
            res = resolve(f"{brand} 10 mg")
            assert res.ingredients == (ing.generic,), (brand, res)
            assert res.match == "brand" and res.brand == brand, (brand, res)
            checked += 1
        for synonym in ing.synonyms:
            res = resolve(synonym)
            assert res.ingredients == (ing.generic,), (synonym, res)
            assert res.match == "exact", (synonym, res)
    assert checked >= 1200


def test_every_combination_resolves_to_all_its_ingredients():
    d = get_dictionary()
    combos = [e for e in d.names.values() if e.kind == "combination"]
    assert len(combos) >= 200
    for combo in combos:
        res = resolve(combo.label)
        assert res.ingredients == combo.ingredients, (combo.label, res)
        assert res.match == "brand"
