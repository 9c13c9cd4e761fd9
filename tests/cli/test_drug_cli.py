"""`mmsdesk drug resolve/search`: the JSON contract and the human output."""

from __future__ import annotations

import json

from tests.conftest import run_cli


def test_resolve_json_is_one_object_with_the_agreed_keys():
    out = run_cli("drug", "resolve", "Bactrim DS", "--json")
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)
    assert list(obj) == ["text", "ingredients", "strength", "form", "brand", "match", "confidence",
                         "components", "notes"]
    assert obj["ingredients"] == ["sulfamethoxazole", "trimethoprim"]
    assert obj["strength"] == "800 mg / 160 mg"  # the name says it: Bactrim DS label
    assert obj["match"] == "brand" and obj["brand"] == "Bactrim DS"
    assert 0.0 <= obj["confidence"] <= 1.0


def test_resolve_json_unrecognised_and_approximate():
    junk = json.loads(run_cli("drug", "resolve", "asdfgh qwerty", "--json").stdout)
    assert junk == {"text": "asdfgh qwerty", "ingredients": [], "strength": "", "form": "",
                    "brand": "", "match": "unrecognised", "confidence": 0.0,
                    "components": [{"ingredient": "asdfgh qwerty", "amount": None, "unit": "",
                                    "per_amount": None, "per_unit": ""}],
                    "notes": []}
    approx = json.loads(run_cli("drug", "resolve", "Simvistatin 10 MG", "--json").stdout)
    assert approx["ingredients"] == ["simvastatin"] and approx["match"] == "approximate"
    code = json.loads(run_cli("drug", "resolve", "", "--rxnorm", "866414", "--json").stdout)
    assert code["ingredients"] == ["metoprolol"] and code["match"] == "code"


def test_resolve_human_output_asks_to_confirm_a_guess():
    out = run_cli("drug", "resolve", "Simvistatin 10 MG")
    assert out.returncode == 0
    assert "ingredients: simvastatin" in out.stdout
    assert 'read "simvistatin" as "simvastatin"; please confirm' in out.stdout


def test_search_lists_warfarin_and_brands_first():
    out = run_cli("drug", "search", "war", "--json")
    hits = json.loads(out.stdout)
    assert [h["label"] for h in hits[:3]] == ["warfarin", "Coumadin", "Jantoven"]
    text = run_cli("drug", "search", "metop", "--limit", "5")
    assert text.returncode == 0 and text.stdout.splitlines()[0].split() == ["ingredient", "metoprolol"]


def _components(text: str) -> list[tuple[str, object, str, object, str]]:
    out = run_cli("drug", "resolve", text, "--json")
    assert out.returncode == 0, out.stderr
    return [(c["ingredient"], c["amount"], c["unit"], c["per_amount"], c["per_unit"])
            for c in json.loads(out.stdout)["components"]]


def test_resolve_json_keeps_each_written_strength_with_its_ingredient():
    # Sinemet label: carbidopa-levodopa 10-100, 25-100, 25-250 mg
    assert _components("Sinemet 10/100") == [("carbidopa", 10, "mg", None, ""),
                                             ("levodopa", 100, "mg", None, "")]
    # Norco label: hydrocodone bitartrate and acetaminophen 5 mg/325 mg
    assert _components("Norco 5-325") == [("hydrocodone", 5, "mg", None, ""),
                                          ("acetaminophen", 325, "mg", None, "")]
    # Symbicort label: budesonide 80 mcg / formoterol 4.5 mcg per actuation
    assert _components("Symbicort 80/4.5") == [("budesonide", 80, "mcg", None, "actuat"),
                                               ("formoterol", 4.5, "mcg", None, "actuat")]
    # Eliquis label: 2.5 and 5 mg tablets; "1 tab" is the dose
    assert _components("Eliquis 2.5 1 tab") == [("apixaban", 2.5, "mg", None, "")]
    # Cafergot label: ergotamine tartrate 1 mg / caffeine 100 mg
    assert _components("ergotamine-caffeine 1-100 mg") == [("ergotamine", 1, "mg", None, ""),
                                                           ("caffeine", 100, "mg", None, "")]
    assert _components("Entresto 24-26") == [("sacubitril", 24, "mg", None, ""),
                                             ("valsartan", 26, "mg", None, "")]


def test_resolve_human_output_lists_each_component_and_unread_strengths():
    out = run_cli("drug", "resolve", "carbidopa-levodopa 5-10-20").stdout
    assert "carbidopa: (no strength read)" in out
    assert 'note:        "5-10-20" has 3 numbers for 2 ingredients (carbidopa, levodopa): ' \
        "strength not read; confirm it\n" in out
    assert "levodopa: 100 mg" in run_cli("drug", "resolve", "Sinemet 10/100").stdout
