"""search(): ranked exact, prefix, word, fuzzy; an ingredient brings its brands along."""

from __future__ import annotations

from mmsdesk.clinical.dictionary import search


def labels(text, limit=20):
    return [h.label for h in search(text, limit)]


def test_war_lists_warfarin_then_its_brands_first():
    hits = search("war", 10)
    assert [h.label for h in hits[:3]] == ["warfarin", "Coumadin", "Jantoven"]
    assert hits[0].kind == "ingredient" and hits[1].kind == "brand"
    assert all(h.ingredients == ("warfarin",) for h in hits[:3])


def test_metop_lists_metoprolol_products():
    hits = search("metop", 20)
    assert hits[0].label == "metoprolol"
    assert {"Lopressor", "Toprol XL"} <= {h.label for h in hits}
    products = [h for h in hits if h.kind == "product"]
    assert len(products) >= 4
    assert all(h.ingredients == ("metoprolol",) for h in hits)
    assert any(h.strength == "25 mg" for h in products)


def test_exact_beats_prefix_beats_word():
    hits = labels("aspirin")
    assert hits[0] == "aspirin"
    # "codeine" is a word inside combination names, after the ingredient itself
    hits = labels("codeine")
    assert hits[0] == "codeine"
    assert "Tylenol with Codeine" in hits


def test_brand_prefix_and_case_do_not_matter():
    assert labels("COUMA")[0] == "Coumadin"
    assert labels("bactrim")[:2] == ["Bactrim", "Bactrim DS"]


def test_synonym_is_shown_with_its_generic():
    hit = search("paracetamol", 5)[0]
    assert hit.label == "paracetamol (acetaminophen)" and hit.ingredients == ("acetaminophen",)


def test_fuzzy_finds_misspelt_names_after_the_real_matches():
    assert labels("simvistatin")[0] == "simvastatin"
    assert labels("lisinipril")[0] == "lisinopril"


def test_limit_and_empty_query():
    assert len(search("a", 7)) == 7
    assert search("", 10) == []
    assert search("   ", 10) == []
    assert search("qqqqqqqqqq", 10) == []


def test_two_ingredients_typed_list_the_combination_and_its_brands():
    hits = search("lisinopril hctz", 10)
    assert hits[0].label == "lisinopril / hydrochlorothiazide" and hits[0].kind == "combination"
    assert {"Zestoretic", "Prinzide"} <= {h.label for h in hits[:4]}
    assert all(set(h.ingredients) == {"lisinopril", "hydrochlorothiazide"} for h in hits[:3])
    norco = search("hydrocodone apap", 10)
    assert norco[0].ingredients == ("hydrocodone", "acetaminophen")
    assert "Norco" in [h.label for h in norco]


def test_an_ingredient_is_listed_once_however_many_synonyms_match():
    hits = search("st j", 10)
    wort = [h for h in hits if h.kind == "ingredient" and h.ingredients == ("st john's wort",)]
    assert len(wort) == 1
    vit = search("vit", 30)
    generics = [h.ingredients[0] for h in vit if h.kind == "ingredient"]
    assert len(generics) == len(set(generics)) >= 3


def test_a_combination_hit_lists_its_known_strengths_and_says_one_only_when_its_name_does():
    sinemet = next(h for h in search("Sinemet", 5) if h.label == "Sinemet")
    # Sinemet label: 10-100, 25-100, 25-250 mg; the name alone says none of them
    assert sinemet.strength == ""
    assert sinemet.strengths == ("10 mg / 100 mg", "25 mg / 100 mg", "25 mg / 250 mg")
    assert sinemet.ingredients == ("carbidopa", "levodopa")
    bactrim_ds = next(h for h in search("Bactrim DS", 20) if h.label == "Bactrim DS")
    assert bactrim_ds.strength == "800 mg / 160 mg"  # Bactrim DS label: 800 mg / 160 mg
    assert bactrim_ds.as_json()["strengths"] == ["800 mg / 160 mg"]
