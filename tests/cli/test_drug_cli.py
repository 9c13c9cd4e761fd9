"""`mmsdesk drug resolve/search`: the JSON contract and the human output."""

from __future__ import annotations

import json

from tests.conftest import run_cli


def test_resolve_json_is_one_object_with_the_agreed_keys():
    out = run_cli("drug", "resolve", "Bactrim DS", "--json")
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)
    assert list(obj) == ["text", "ingredients", "strength", "form", "brand", "match", "confidence"]
    assert obj["ingredients"] == ["sulfamethoxazole", "trimethoprim"]
    assert obj["match"] == "brand" and obj["brand"] == "Bactrim DS"
    assert 0.0 <= obj["confidence"] <= 1.0


def test_resolve_json_unrecognised_and_approximate():
    junk = json.loads(run_cli("drug", "resolve", "asdfgh qwerty", "--json").stdout)
    assert junk == {"text": "asdfgh qwerty", "ingredients": [], "strength": "", "form": "",
                    "brand": "", "match": "unrecognised", "confidence": 0.0}
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
