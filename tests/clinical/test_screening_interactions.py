"""Interaction rules, one row per rule with its positive and negative case; every rule is cited."""

from __future__ import annotations

import pytest

from mmsdesk.clinical.screening import (
    MedicationInput,
    PatientContext,
    load_rules,
    matches,
    screen,
)


def ctx(*meds: tuple[str, ...]) -> PatientContext:
    return PatientContext(tuple(MedicationInput(" + ".join(m) or "unknown", m) for m in meds))


CASES = [
    # rule id, positive pair, negative pair (a near miss)
    ("ddi-vka-nsaid", (("warfarin",), ("ibuprofen",)), (("warfarin",), ("acetaminophen",))),
    ("ddi-vka-nsaid", (("naproxen",), ("warfarin",)), (("apixaban",), ("acetaminophen",))),
    ("ddi-vka-aspirin", (("warfarin",), ("aspirin",)), (("clopidogrel",), ("aspirin",))),
    ("ddi-doac-nsaid", (("apixaban",), ("meloxicam",)), (("apixaban",), ("tramadol",))),
    ("ddi-dabigatran-nsaid", (("dabigatran",), ("diclofenac",)), (("dabigatran",), ("lisinopril",))),
    ("ddi-vka-amiodarone", (("warfarin",), ("amiodarone",)), (("warfarin",), ("metoprolol",))),
    ("ddi-digoxin-amiodarone", (("digoxin",), ("amiodarone",)), (("digoxin",), ("furosemide",))),
    ("ddi-ssri-maoi", (("sertraline",), ("phenelzine",)), (("sertraline",), ("bupropion",))),
    ("ddi-tca-maoi", (("amitriptyline",), ("phenelzine",)), (("amitriptyline",), ("sertraline",))),
    ("ddi-opioid-maoi", (("tramadol",), ("phenelzine",)), (("tramadol",), ("sertraline",))),
    ("ddi-triptan-maoi", (("sumatriptan",), ("phenelzine",)), (("sumatriptan",), ("propranolol",))),
    ("ddi-statin-cyp3a4", (("simvastatin",), ("clarithromycin",)), (("pravastatin",), ("clarithromycin",))),
    ("ddi-acei-spironolactone", (("lisinopril",), ("spironolactone",)), (("lisinopril",), ("furosemide",))),
    ("ddi-arb-spironolactone", (("losartan",), ("spironolactone",)), (("losartan",), ("amlodipine",))),
    ("ddi-clopidogrel-omeprazole", (("clopidogrel",), ("omeprazole",)), (("clopidogrel",), ("pantoprazole",))),
]


@pytest.mark.parametrize(("rule_id", "positive", "negative"), CASES)
def test_rule_positive_and_negative(rule_id, positive, negative):
    hits = [a for a in screen(ctx(*positive)).alerts if a.rule_id == rule_id]
    assert len(hits) == 1
    assert not [a for a in screen(ctx(*negative)).alerts if a.rule_id == rule_id]


def test_every_rule_has_a_case_a_source_and_a_review_date():
    rules = load_rules()
    assert {r.rule_id for r in rules} == {c[0] for c in CASES}
    for r in rules:
        assert r.source and r.reviewed_on.startswith("20") and r.recommendation


def test_alert_shape_key_and_order():
    result = screen(ctx(("warfarin",), ("ibuprofen",), ("amiodarone",), ("unknown drug",)[:0]))
    keys = [a.key for a in result.alerts]
    assert "interaction:ddi-vka-nsaid:ibuprofen;warfarin" in keys
    assert all(a.severity == "high" for a in result.alerts)
    nsaid = next(a for a in result.alerts if a.rule_id == "ddi-vka-nsaid")
    assert nsaid.drugs == ("ibuprofen", "warfarin") and "FDA" in nsaid.references[0]
    assert result.risk_profile == {"medications": 4, "unrecognised": 1, "high": 2,
                                   "moderate": 0, "low": 0}


def test_combination_product_and_same_ingredient_twice():
    # A combination product counts its ingredients; one drug listed twice is no interaction.
    alerts = screen(ctx(("warfarin",), ("ibuprofen", "famotidine"))).alerts
    assert [a.rule_id for a in alerts] == ["ddi-vka-nsaid"]
    assert screen(ctx(("warfarin",), ("warfarin",))).alerts == []


def test_matches_terms():
    def atc(i: str) -> str:
        return {"ibuprofen": "M01AE01"}.get(i, "")
    assert matches("atc:M01A", "ibuprofen", atc) and not matches("atc:M01A", "warfarin", atc)
    assert matches("a|warfarin", "warfarin", atc) and not matches("atc:", "ibuprofen", atc)
