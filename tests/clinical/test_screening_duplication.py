"""Same ingredient in two active medicines (issue 16, item 3): brand + generic, combination +
single product, two strengths. STOPP v3 Section A3 (duplicate drug class for regular use) and
the products' labels; acetaminophen: FDA Drug Safety Communication 2011 (more than one
acetaminophen-containing product)."""

from __future__ import annotations

import pytest

from mmsdesk.clinical.screening import MedicationInput, PatientContext, screen


def entry(text: str, *ingredients: str) -> MedicationInput:
    return MedicationInput(text, tuple(ingredients))


def dup_alerts(*meds: MedicationInput) -> list:
    result = screen(PatientContext(tuple(meds), age=80))
    return [a for a in result.alerts if a.kind == "duplicate"]


# (test id citing the source, entries, ingredient, severity)
POSITIVE = [
    ("fda-2011-acetaminophen-tylenol-norco",
     [entry("Tylenol Extra Strength 500 mg", "acetaminophen"),
      entry("Norco 5-325", "hydrocodone", "acetaminophen")], "acetaminophen", "high"),
    ("fda-2011-acetaminophen-percocet-norco",
     [entry("Percocet 5-325", "oxycodone", "acetaminophen"),
      entry("Norco 10-325", "hydrocodone", "acetaminophen")], "acetaminophen", "high"),
    ("fda-2011-acetaminophen-three-products",
     [entry("Tylenol 325 mg", "acetaminophen"),
      entry("NyQuil", "acetaminophen", "doxylamine", "dextromethorphan"),
      entry("Excedrin", "acetaminophen", "aspirin", "caffeine")], "acetaminophen", "high"),
    ("stopp-A3-label-simvastatin-zocor",
     [entry("simvastatin 20 mg tablet", "simvastatin"), entry("Zocor 40 mg", "simvastatin")],
     "simvastatin", "moderate"),
    ("stopp-A3-label-furosemide-lasix",
     [entry("furosemide 40 mg", "furosemide"), entry("Lasix 20 mg", "furosemide")],
     "furosemide", "moderate"),
    ("stopp-A3-anticoagulant-warfarin-two-strengths",
     [entry("warfarin 5 mg", "warfarin"), entry("Coumadin 2 mg", "warfarin")],
     "warfarin", "high"),
    ("stopp-A3-anticoagulant-apixaban-two-entries",
     [entry("Eliquis 5 mg", "apixaban"), entry("apixaban 2.5 mg", "apixaban")],
     "apixaban", "high"),
    ("stopp-A3-opioid-oxycodone-er-ir",
     [entry("OxyContin 10 mg", "oxycodone"), entry("Percocet 5-325", "oxycodone", "acetaminophen")],
     "oxycodone", "high"),
    ("stopp-A3-opioid-tramadol-ultracet",
     [entry("tramadol 50 mg", "tramadol"), entry("Ultracet", "tramadol", "acetaminophen")],
     "tramadol", "high"),
    ("label-metformin-janumet",
     [entry("metformin 500 mg", "metformin"), entry("Janumet 50-1000", "sitagliptin", "metformin")],
     "metformin", "moderate"),
    ("label-lisinopril-zestoretic",
     [entry("lisinopril 10 mg", "lisinopril"),
      entry("Zestoretic 20-12.5", "lisinopril", "hydrochlorothiazide")], "lisinopril", "moderate"),
    ("label-hctz-two-combinations",
     [entry("Hyzaar 50-12.5", "losartan", "hydrochlorothiazide"),
      entry("hydrochlorothiazide 25 mg", "hydrochlorothiazide")], "hydrochlorothiazide",
     "moderate"),
    ("label-amlodipine-norvasc-two-strengths",
     [entry("amlodipine 5 mg", "amlodipine"), entry("Norvasc 10 mg", "amlodipine")],
     "amlodipine", "moderate"),
    ("label-sulfonylurea-glipizide-two-strengths",
     [entry("glipizide 5 mg", "glipizide"), entry("Glucotrol XL 10 mg", "glipizide")],
     "glipizide", "high"),
    ("label-insulin-glargine-two-pens",
     [entry("Lantus SoloStar", "insulin glargine"), entry("Basaglar KwikPen", "insulin glargine")],
     "insulin glargine", "high"),
    ("label-digoxin-two-strengths",
     [entry("digoxin 0.125 mg", "digoxin"), entry("Lanoxin 0.25 mg", "digoxin")],
     "digoxin", "high"),
    ("label-levothyroxine-synthroid",
     [entry("levothyroxine 50 mcg", "levothyroxine"), entry("Synthroid 75 mcg", "levothyroxine")],
     "levothyroxine", "high"),
    ("label-nsaid-ibuprofen-advil-pm",
     [entry("ibuprofen 400 mg", "ibuprofen"), entry("Advil PM", "ibuprofen", "diphenhydramine")],
     "ibuprofen", "high"),
    ("label-diphenhydramine-two-otc",
     [entry("Benadryl 25 mg", "diphenhydramine"), entry("Advil PM", "ibuprofen", "diphenhydramine")],
     "diphenhydramine", "moderate"),
    ("label-clopidogrel-plavix",
     [entry("clopidogrel 75 mg", "clopidogrel"), entry("Plavix 75 mg", "clopidogrel")],
     "clopidogrel", "high"),
    ("label-vitamin-d-two-products-low",
     [entry("Vitamin D3 1000 units", "cholecalciferol"),
      entry("Caltrate + D", "calcium carbonate", "cholecalciferol")], "cholecalciferol", "low"),
    ("label-same-entry-twice",
     [entry("atorvastatin 40 mg", "atorvastatin"), entry("atorvastatin 40 mg", "atorvastatin")],
     "atorvastatin", "moderate"),
]


@pytest.mark.parametrize(("meds", "ingredient", "severity"),
                         [pytest.param(m, i, s, id=n) for n, m, i, s in POSITIVE])
def test_same_ingredient_twice_is_one_alert_listing_the_entries(meds, ingredient, severity):
    alerts = [a for a in dup_alerts(*meds) if a.drugs == (ingredient,)]
    assert len(alerts) == 1, alerts
    (a,) = alerts
    assert a.severity == severity
    for m in meds:
        assert m.text in a.detail
    assert len(a.evidence) >= len(meds)
    assert a.key == f"duplicate:{a.rule_id}:{ingredient}"


# Not the same ingredient twice: different ingredients, a combination on its own, one entry.
NEGATIVE = [
    ("one-combination-product", [entry("Norco 5-325", "hydrocodone", "acetaminophen")]),
    ("hydrocodone-vs-oxycodone-not-same-ingredient",
     [entry("Norco", "hydrocodone", "acetaminophen"), entry("oxycodone 5 mg", "oxycodone")]),
    ("losartan-vs-valsartan-different-ingredients",
     [entry("losartan 50 mg", "losartan"), entry("Diovan 80 mg", "valsartan")]),
    ("insulin-glargine-vs-lispro-basal-bolus",
     [entry("Lantus", "insulin glargine"), entry("Humalog", "insulin lispro")]),
    ("amlodipine-with-benazepril-combination-alone",
     [entry("Lotrel 5-20", "amlodipine", "benazepril"), entry("metoprolol 25 mg", "metoprolol")]),
    ("single-simvastatin", [entry("Zocor 20 mg", "simvastatin")]),
    # a hospital's injection beside the home tablets is not a second dose at home (Synthea:
    # "Lasix 40mg" with "10 ML Furosemide 10 MG/ML Injection" from an admission)
    ("furosemide-tablets-and-an-injection",
     [MedicationInput("Lasix 40mg", ("furosemide",)),
      MedicationInput("10 ML Furosemide 10 MG/ML Injection", ("furosemide",), route="injection")]),
    ("ondansetron-oral-and-injection",
     [MedicationInput("ondansetron 4 mg tablet", ("ondansetron",), route="oral"),
      MedicationInput("ondansetron 2 mg/mL injection", ("ondansetron",), route="injection")]),
]

# the same route group still adds up: by mouth in two forms, or two injections
SAME_ROUTE = [
    ("oral-tablet-and-one-named-without-a-route",
     [MedicationInput("furosemide 40 mg tablet", ("furosemide",), route="oral"),
      MedicationInput("Lasix 20 mg", ("furosemide",))]),
    ("two-enoxaparin-injections",
     [MedicationInput("enoxaparin 40 mg/0.4 mL", ("enoxaparin",), route="injection"),
      MedicationInput("Lovenox 60 mg syringe", ("enoxaparin",), route="subcutaneous")]),
]


@pytest.mark.parametrize("meds", [pytest.param(m, id=n) for n, m in SAME_ROUTE])
def test_same_route_group_is_still_one_ingredient_twice(meds):
    assert [a.rule_id for a in dup_alerts(*meds) if a.rule_id.startswith("same-")]


@pytest.mark.parametrize("meds", [pytest.param(m, id=n) for n, m in NEGATIVE])
def test_no_same_ingredient_alert(meds):
    assert not [a for a in dup_alerts(*meds) if a.rule_id.startswith("same-")]


def test_class_duplicate_is_not_repeated_for_one_ingredient():
    """simvastatin + Zocor: one same-ingredient alert, not also 'Two statins'."""
    alerts = dup_alerts(entry("simvastatin 20 mg", "simvastatin"), entry("Zocor 40 mg", "simvastatin"))
    assert [a.rule_id for a in alerts] == ["same-ingredient"]
    # a real second statin still gets the class alert
    more = dup_alerts(entry("simvastatin 20 mg", "simvastatin"), entry("Lipitor", "atorvastatin"))
    assert [a.rule_id for a in more] == ["dup-statin"]


def test_inactive_entry_is_not_a_duplicate():
    stopped = MedicationInput("Zocor 40 mg", ("simvastatin",), status="stopped")
    assert not dup_alerts(entry("simvastatin 20 mg", "simvastatin"), stopped)


def test_fhir_bundle_brand_and_generic_are_two_entries(tmp_path):
    """The bundle path: 'Zocor' and simvastatin both active give the same-ingredient alert;
    a renewal (the same product text twice) stays one entry."""
    import json

    from tests.cli.test_screen_cli import _bundle
    from tests.conftest import run_cli

    path = _bundle(tmp_path, age=80, meds=["simvastatin 20 mg tablet", "Zocor 40 mg tablet",
                                           "Tylenol Extra Strength", "Norco 5-325",
                                           "lisinopril 10 mg", "lisinopril 10 mg"])
    out = run_cli("screen", str(path), "--today", "2026-12-04")
    assert out.returncode == 0, out.stderr
    alerts = json.loads(out.stdout)["alerts"]
    same = {a["drugs"][0]: a for a in alerts if a["rule_id"].startswith("same-")}
    assert set(same) == {"simvastatin", "acetaminophen"}, alerts
    assert same["acetaminophen"]["severity"] == "high"
    assert "Zocor 40 mg tablet" in same["simvastatin"]["detail"]


def test_store_path_brand_and_generic(store):
    from datetime import date

    from mmsdesk.services.medications import MedicationInput as Entry
    from mmsdesk.services.medications import MedicationService
    from mmsdesk.services.patients import PatientInput, PatientService
    from mmsdesk.services.screening import screen_patient

    pid, _ = PatientService(store).create(PatientInput(first_name="Ana", last_name="Test",
                                                       date_of_birth=date(1940, 1, 1)))
    meds = MedicationService(store)
    meds.add(pid, Entry("Lasix 20 mg tablet"), date(2026, 12, 1))
    meds.add(pid, Entry("furosemide 40 mg tablet"), date(2026, 12, 1))
    alerts = screen_patient(store, pid, date(2026, 12, 4)).alerts
    (a,) = [x for x in alerts if x.kind == "duplicate"]
    assert a.drugs == ("furosemide",) and a.rule_id == "same-ingredient"
    assert "Lasix" in a.detail and "urosemide 40" in a.detail


@pytest.mark.parametrize(("regular", "prn", "flagged"), [
    pytest.param(("OxyContin 20 mg", "oxycodone"), ("hydromorphone 2 mg as needed", "hydromorphone"),
                 False, id="stopp-A3-regular-plus-prn-opioid-not-flagged"),
    pytest.param(("OxyContin 20 mg", "oxycodone"), ("hydromorphone 2 mg", "hydromorphone"),
                 True, id="stopp-A3-two-regular-opioids-flagged"),
    pytest.param(("lorazepam 1 mg", "lorazepam"), ("alprazolam 0.25 mg as needed", "alprazolam"),
                 False, id="stopp-A3-regular-plus-prn-benzodiazepine-not-flagged"),
])
def test_class_duplicate_for_regular_use_only(regular, prn, flagged):
    a = MedicationInput(regular[0], (regular[1],))
    b = MedicationInput(prn[0], (prn[1],), as_needed=prn[0].endswith("as needed"))
    got = [x for x in dup_alerts(a, b) if x.rule_id.startswith("dup-")]
    assert bool(got) == flagged, got


def test_same_ingredient_regular_and_prn_still_flagged():
    """Two acetaminophen products add up even when one is as needed."""
    a = MedicationInput("Tylenol 500 mg", ("acetaminophen",))
    b = MedicationInput("Norco 5-325 as needed", ("hydrocodone", "acetaminophen"), as_needed=True)
    assert [x.rule_id for x in dup_alerts(a, b)] == ["same-acetaminophen"]
