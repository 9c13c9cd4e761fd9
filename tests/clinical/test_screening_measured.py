"""Rules that read measurements, as tables of positive and negative rows written from the
primary sources (each row's id names the table or label section it comes from):
kidney function on the source's measure (Beers 2023 Table 6, product labels, KDIGO), dose limits
summed across products (OTC acetaminophen monograph, labels), the DOAC label dose criteria in
both directions, lab-driven risks with dated labs (Beers 2023 Tables 4 and 5), the INR with
warfarin (CHEST 2012), and stale or deceased input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mmsdesk.clinical.dictionary.model import Component as C
from mmsdesk.clinical.screening import PatientContext, screen
from mmsdesk.clinical.screening.inputs import medication_input
from mmsdesk.clinical.sig import Directions as D

TODAY = date(2026, 12, 4)
FRESH = TODAY - timedelta(days=30)
OLD = TODAY - timedelta(days=800)


def m(text: str, *comps: C, sig: D | None = None, release: str = "",
      last: date | None = None):
    """A medicine from its components ("apixaban", 5, "mg") and directions."""
    return medication_input(text, [c.ingredient for c in comps], "active", "exact",
                            components=comps, release=release, directions=sig, last_ordered=last)


def plain(*ingredients: str):
    return medication_input(" / ".join(ingredients), ingredients, "active", "exact")


def crcl_ctx(crcl: float, *meds, age: int = 70, **kw) -> PatientContext:
    """A man of 70 kg whose Cockcroft-Gault CrCl is ``crcl`` (creatinine chosen to give it)."""
    creat = (140 - age) * 70 / (72 * crcl)
    return PatientContext(tuple(meds), age=age, sex="male", weight_kg=70, creatinine=creat,
                          lab_dates=(("creatinine", FRESH), ("weight_kg", FRESH)), today=TODAY,
                          **kw)


def rules(result) -> set[str]:
    return {a.rule_id for a in result.alerts}


BID = D(1, "tablet", "oral", "bid")
DAILY = D(1, "tablet", "oral", "daily")
QID = D(1, "tablet", "oral", "qid")
TID = D(1, "capsule", "oral", "tid")

# -- kidney function on the source's measure ---------------------------------------------------
# (id quoting the source, context, drug, rule expected or None)
SMALL_OLD_WOMAN = dict(age=88, sex="female", weight_kg=52, creatinine=1.1, egfr=63,
                       lab_dates=(("creatinine", FRESH), ("weight_kg", FRESH), ("egfr", FRESH)),
                       today=TODAY)  # CrCl 29 mL/min with eGFR 63 (issue 16)
KIDNEY = [
    ("Beers-T6 dofetilide CrCl 20-59 band read by Cockcroft-Gault despite eGFR 63",
     SMALL_OLD_WOMAN, "dofetilide", "renal-dofetilide-60"),
    ("Beers-T6 gabapentin CrCl<60 read by Cockcroft-Gault despite eGFR 63",
     SMALL_OLD_WOMAN, "gabapentin", "renal-gabapentin"),
    ("Beers-T6 apixaban CrCl<25: CrCl 29 is not below 25 (negative)",
     SMALL_OLD_WOMAN, "apixaban", None),
    ("Beers-T6 baclofen uses eGFR: eGFR 63 is not below 60 (negative)",
     SMALL_OLD_WOMAN, "baclofen", None),
    ("Glucophage label 2.3 metformin uses eGFR: eGFR 63 (negative)",
     SMALL_OLD_WOMAN, "metformin", None),
    ("Beers-T6 duloxetine CrCl<30: CrCl 29",
     SMALL_OLD_WOMAN, "duloxetine", "renal-duloxetine"),
    ("Beers-T6 baclofen eGFR<60: eGFR 55",
     dict(egfr=55), "baclofen", "renal-baclofen"),
    ("Beers-T6 baclofen eGFR<60: eGFR 61 (negative)", dict(egfr=61), "baclofen", None),
    ("Glucophage label 4 metformin eGFR<30: eGFR 25", dict(egfr=25), "metformin",
     "renal-metformin-30"),
    ("Glucophage label 2.3 metformin eGFR 30-45: eGFR 40", dict(egfr=40), "metformin",
     "renal-metformin-45"),
    ("Glucophage label 2.3 metformin: eGFR 46 (negative)", dict(egfr=46), "metformin", None),
    ("Beers-T2 nitrofurantoin CrCl<30, no weight: eGFR 25 used and said",
     dict(egfr=25, age=80, sex="female", creatinine=2.0), "nitrofurantoin",
     "renal-nitrofurantoin"),
    ("Beers-T2 nitrofurantoin: nothing known about kidney function (negative)",
     dict(age=80), "nitrofurantoin", None),
    ("Januvia label 2.2 sitagliptin eGFR<30: eGFR 20", dict(egfr=20), "sitagliptin",
     "renal-sitagliptin-30"),
    ("Januvia label 2.2 sitagliptin: eGFR 50 (negative)", dict(egfr=50), "sitagliptin", None),
    ("KDIGO-2012 4.4 NSAID prolonged use eGFR<60: eGFR 50", dict(egfr=50), "naproxen",
     "renal-nsaid-60"),
    ("Beers-T6 NSAID CrCl<30 avoid: eGFR 20 (no CrCl inputs)", dict(egfr=20), "ibuprofen",
     "renal-nsaid"),
    ("KDIGO-2012 4.4 NSAID: eGFR 75 (negative)", dict(egfr=75), "ibuprofen", None),
    ("Namenda label 2.3 memantine CrCl 5-29: discordant data, the lower is read",
     dict(age=80, sex="male", weight_kg=83, creatinine=0.7, egfr=8.3), "memantine",
     "renal-memantine"),
]


@pytest.mark.parametrize(("ctx", "drug", "expected"),
                         [pytest.param(c, d, e, id=i) for i, c, d, e in KIDNEY])
def test_kidney_table(ctx, drug, expected):
    result = screen(PatientContext((plain(drug),), **ctx))
    found = [a for a in result.alerts if a.kind == "renal" and a.drugs == (drug,)]
    if expected is None:
        assert not found, found
        return
    assert [a.rule_id for a in found] == [expected]
    evidence = " | ".join(found[0].evidence)
    assert "Source:" in evidence
    if ctx.get("weight_kg") and ctx.get("creatinine"):
        assert "Cockcroft-Gault" in evidence


# CrCl steps: (id, rule, drug, CrCl positive, CrCl negative)
CRCL_STEPS = [
    ("Beers-T6 apixaban CrCl<25 avoid", "renal-apixaban", "apixaban", 24, 26),
    ("Beers-T6 rivaroxaban CrCl<15 avoid", "renal-rivaroxaban-15", "rivaroxaban", 14, 16),
    ("Beers-T6 rivaroxaban CrCl 15-50 reduce", "renal-rivaroxaban-50", "rivaroxaban", 50, 51),
    ("Beers-T6 dabigatran CrCl<30 avoid", "renal-dabigatran-30", "dabigatran", 29, 31),
    ("Beers-T6 edoxaban CrCl 15-50 reduce", "renal-edoxaban-50", "edoxaban", 50, 51),
    ("Beers-T6 enoxaparin CrCl<30 reduce", "renal-enoxaparin", "enoxaparin", 29, 31),
    ("Beers-T6 fondaparinux CrCl<30 avoid", "renal-fondaparinux", "fondaparinux", 29, 31),
    ("Beers-T6 dofetilide CrCl<20 avoid", "renal-dofetilide-20", "dofetilide", 19, 21),
    ("Beers-T6 cimetidine CrCl<50 reduce", "renal-cimetidine", "cimetidine", 49, 51),
    ("Beers-T6 famotidine CrCl<50 reduce", "renal-famotidine", "famotidine", 49, 51),
    ("Beers-T6 levetiracetam CrCl<=80 reduce", "renal-levetiracetam", "levetiracetam", 80, 81),
    ("Beers-T6 pregabalin CrCl<60 reduce", "renal-pregabalin", "pregabalin", 59, 61),
    ("Beers-T6 probenecid CrCl<30 avoid", "renal-probenecid", "probenecid", 29, 31),
    ("Beers-T6 TMP-SMX CrCl<15 avoid", "renal-tmp-smx-15", "trimethoprim", 14, 16),
    ("Beers-T6 amiloride CrCl<30 avoid", "renal-triamterene", "amiloride", 29, 31),
    ("Beers-T6 colchicine CrCl<30 reduce", "renal-colchicine", "colchicine", 29, 31),
    ("Beers-T6 ciprofloxacin CrCl<30 reduce", "renal-ciprofloxacin", "ciprofloxacin", 29, 31),
    ("Reglan label 2.4 metoclopramide CrCl<=60", "renal-metoclopramide", "metoclopramide", 60,
     61),
    ("Inspra label 4 eplerenone CrCl<=30", "renal-eplerenone", "eplerenone", 30, 31),
    ("Fosamax label 8.6 alendronate CrCl<35", "renal-alendronate", "alendronate", 34, 36),
]


@pytest.mark.parametrize(("rule", "drug", "low", "high"),
                         [pytest.param(r, d, lo, hi, id=i) for i, r, d, lo, hi in CRCL_STEPS])
def test_crcl_steps(rule, drug, low, high):
    hit = screen(crcl_ctx(low, plain(drug)))
    assert rule in rules(hit), hit.alerts
    line = next(a for a in hit.alerts if a.rule_id == rule).evidence[0]
    assert line.startswith(f"CrCl {low:g} mL/min (Cockcroft-Gault") and FRESH.isoformat() in line
    assert rule not in rules(screen(crcl_ctx(high, plain(drug))))  # negative: just above


def test_tramadol_release_beers_t6():
    """Beers 2023 Table 6: tramadol IR CrCl<30 reduce dose; ER avoid."""
    ir = screen(crcl_ctx(25, m("Ultram 50", C("tramadol", 50, "mg"))))
    er = screen(crcl_ctx(25, m("Ultram ER 100", C("tramadol", 100, "mg"), release="extended")))
    assert "renal-tramadol" in rules(ir) and "renal-tramadol-er" not in rules(ir)
    assert "renal-tramadol-er" in rules(er)


def test_missing_weight_is_said_not_guessed():
    result = screen(PatientContext((plain("dofetilide"),), age=80, sex="female",
                                   creatinine=1.4, egfr=45))
    [a] = [a for a in result.alerts if a.kind == "renal"]
    assert a.evidence[0] == "CrCl cannot be computed: no weight on file"
    assert "used in place of CrCl" in a.evidence[1] and a.detail.startswith("eGFR 45")


def test_stale_kidney_labs_are_not_used():
    ctx = PatientContext((plain("gabapentin"),), age=80, sex="male", weight_kg=70,
                         creatinine=3.0, lab_dates=(("creatinine", OLD), ("weight_kg", FRESH)),
                         today=TODAY)
    result = screen(ctx)
    assert not [a for a in result.alerts if a.kind == "renal"]
    assert any("Serum creatinine of" in w and "not used" in w for w in result.warnings)


def test_normal_kidney_function_no_renal_alert():
    drugs = ["apixaban", "gabapentin", "metformin", "dofetilide", "famotidine", "baclofen",
             "levetiracetam", "spironolactone", "nitrofurantoin", "tramadol"]
    ctx = crcl_ctx(95, *(plain(d) for d in drugs), egfr=90)
    assert not [a for a in screen(ctx).alerts if a.kind == "renal"]


# -- dose limits summed across products ----------------------------------------------------------
NORCO = C("hydrocodone", 10, "mg"), C("acetaminophen", 325, "mg")
PERCOCET = C("oxycodone", 5, "mg"), C("acetaminophen", 325, "mg")
TYLENOL_ES = (C("acetaminophen", 500, "mg"),)
Q4PRN2 = D(2, "tablet", "oral", "q4h", as_needed=True)
DOSE = [
    ("OTC monograph APAP 4 g/day: Norco 2 q4h prn = 3.9 g (negative)",
     [m("Norco", *NORCO, sig=Q4PRN2)], {}, None),
    ("OTC monograph APAP 4 g/day across products: Norco 3.9 g + Tylenol ES 1 g",
     [m("Norco", *NORCO, sig=Q4PRN2), m("Tylenol ES", *TYLENOL_ES, sig=BID)], {},
     "dose-apap-day"),
    ("OTC monograph APAP 4 g/day: Tylenol ES 2 qid = 4 g (negative, at the limit)",
     [m("Tylenol ES", *TYLENOL_ES, sig=D(2, "tablet", "oral", "qid"))], {}, None),
    ("OTC monograph APAP 4 g/day: Tylenol ES 2 q4h = 6 g",
     [m("Tylenol ES", *TYLENOL_ES, sig=D(2, "tablet", "oral", "q4h"))], {}, "dose-apap-day"),
    ("OTC monograph APAP 1 g a dose: 3 tablets of 500 mg twice a day",
     [m("Tylenol ES", *TYLENOL_ES, sig=D(3, "tablet", "oral", "bid"))], {}, "dose-apap-dose"),
    ("OTC monograph APAP: 160 mg/5 mL 20 mL q4h = 3.84 g (negative)",
     [m("Tylenol liquid", C("acetaminophen", 160, "mg", 5, "ml"),
        sig=D(20, "mL", "oral", "q4h"))], {}, None),
    ("OTC monograph APAP: Percocet 2 q4h + Norco 1 q6h = 5.2 g",
     [m("Percocet", *PERCOCET, sig=Q4PRN2),
      m("Norco", *NORCO, sig=D(1, "tablet", "oral", "q6h"))], {}, "dose-apap-day"),
    ("OTC monograph APAP: unknown strength beside Norco 3.9 g is not guessed (negative)",
     [m("Norco", *NORCO, sig=Q4PRN2), m("Tylenol", C("acetaminophen"), sig=BID)], {}, None),
    ("Reglan 2.4 metoclopramide 40 mg/day at CrCl 50",
     [m("Reglan 10", C("metoclopramide", 10, "mg"), sig=QID)], {"crcl": 50},
     "dose-metoclopramide-renal"),
    ("Reglan 2.4 metoclopramide 40 mg/day at CrCl 70 (negative)",
     [m("Reglan 10", C("metoclopramide", 10, "mg"), sig=QID)], {"crcl": 70}, None),
    ("Reglan 2.4 metoclopramide 5 mg qid at CrCl 50 (negative)",
     [m("Reglan 5", C("metoclopramide", 5, "mg"), sig=QID)], {"crcl": 50}, None),
    ("Reglan 2.4 metoclopramide ESRD 5 mg bid limit: 5 mg qid at CrCl 10",
     [m("Reglan 5", C("metoclopramide", 5, "mg"), sig=QID)], {"crcl": 10},
     "dose-metoclopramide-esrd"),
    ("Tikosyn dose table 500 mcg bid at CrCl 70 (negative)",
     [m("Tikosyn 500", C("dofetilide", 500, "mcg"), sig=BID)], {"crcl": 70}, None),
    ("Tikosyn dose table CrCl 40-60: 500 mcg is too high",
     [m("Tikosyn 500", C("dofetilide", 500, "mcg"), sig=BID)], {"crcl": 50},
     "dose-dofetilide-60"),
    ("Tikosyn dose table CrCl 40-60: 250 mcg (negative)",
     [m("Tikosyn 250", C("dofetilide", 250, "mcg"), sig=BID)], {"crcl": 50}, None),
    ("Tikosyn dose table CrCl 20-39: 250 mcg is too high",
     [m("Tikosyn 250", C("dofetilide", 250, "mcg"), sig=BID)], {"crcl": 30},
     "dose-dofetilide-40"),
    ("Tikosyn dose table CrCl 20-39: 125 mcg (negative)",
     [m("Tikosyn 125", C("dofetilide", 125, "mcg"), sig=BID)], {"crcl": 30}, None),
    ("Neurontin 2.4 T1 CrCl>=60: 600 tid (negative)",
     [m("Neurontin 600", C("gabapentin", 600, "mg"), sig=TID)], {"crcl": 70}, None),
    ("Neurontin 2.4 T1 CrCl 30-59: 600 tid above 1400",
     [m("Neurontin 600", C("gabapentin", 600, "mg"), sig=TID)], {"crcl": 50},
     "dose-gabapentin-60"),
    ("Neurontin 2.4 T1 CrCl 30-59: 300 tid (negative)",
     [m("Neurontin 300", C("gabapentin", 300, "mg"), sig=TID)], {"crcl": 50}, None),
    ("Neurontin 2.4 T1 CrCl 15-29: 300 tid above 700",
     [m("Neurontin 300", C("gabapentin", 300, "mg"), sig=TID)], {"crcl": 25},
     "dose-gabapentin-30"),
    ("Neurontin 2.4 T1 CrCl<15: 100 tid (negative)",
     [m("Neurontin 100", C("gabapentin", 100, "mg"), sig=TID)], {"crcl": 12}, None),
    ("Lyrica 2.5 T1 CrCl 30-60: 150 bid (negative)",
     [m("Lyrica 150", C("pregabalin", 150, "mg"), sig=BID)], {"crcl": 45}, None),
    ("Lyrica 2.5 T1 CrCl 15-30: 150 bid above 150",
     [m("Lyrica 150", C("pregabalin", 150, "mg"), sig=BID)], {"crcl": 25},
     "dose-pregabalin-30"),
    ("Januvia 2.2 eGFR 30-44: 100 mg above 50",
     [m("Januvia 100", C("sitagliptin", 100, "mg"), sig=DAILY)], {"egfr": 40},
     "dose-sitagliptin-45"),
    ("Januvia 2.2 eGFR 50: 100 mg (negative)",
     [m("Januvia 100", C("sitagliptin", 100, "mg"), sig=DAILY)], {"egfr": 50}, None),
    ("Januvia 2.2 eGFR 30-44: 50 mg (negative)",
     [m("Januvia 50", C("sitagliptin", 50, "mg"), sig=DAILY)], {"egfr": 40}, None),
    ("Januvia 2.2 eGFR<30: 50 mg above 25",
     [m("Januvia 50", C("sitagliptin", 50, "mg"), sig=DAILY)], {"egfr": 25},
     "dose-sitagliptin-30"),
    ("Ultram 2.2 400 mg/day at age 70 (negative)",
     [m("Ultram 50", C("tramadol", 50, "mg"), sig=D(2, "tablet", "oral", "q6h"))],
     {"age": 70}, None),
    ("Ultram 2.3 over 75: 400 mg/day above 300",
     [m("Ultram 50", C("tramadol", 50, "mg"), sig=D(2, "tablet", "oral", "q6h"))],
     {"age": 80}, "dose-tramadol-75"),
    ("Namenda 2.3 CrCl 5-29: 10 mg bid above 5 mg bid",
     [m("Namenda 10", C("memantine", 10, "mg"), sig=BID)], {"crcl": 25}, "dose-memantine-30"),
    ("Namenda 2.3 CrCl 5-29: 5 mg bid (negative)",
     [m("Namenda 5", C("memantine", 5, "mg"), sig=BID)], {"crcl": 25}, None),
    ("Brilinta boxed warning: aspirin 325 mg a day with ticagrelor",
     [m("Brilinta 90", C("ticagrelor", 90, "mg"), sig=BID),
      m("Aspirin 325", C("aspirin", 325, "mg"), sig=DAILY)], {}, "dose-aspirin-ticagrelor"),
    ("Brilinta boxed warning: aspirin 81 mg a day with ticagrelor (negative)",
     [m("Brilinta 90", C("ticagrelor", 90, "mg"), sig=BID),
      m("Aspirin 81", C("aspirin", 81, "mg"), sig=DAILY)], {}, None),
    ("Brilinta boxed warning: aspirin 325 mg a day without ticagrelor (negative)",
     [m("Plavix 75", C("clopidogrel", 75, "mg"), sig=DAILY),
      m("Aspirin 325", C("aspirin", 325, "mg"), sig=DAILY)], {}, None),
]


def _dose_ctx(meds, when: dict) -> PatientContext:
    if "crcl" in when:
        return crcl_ctx(when["crcl"], *meds)
    if "egfr" in when:
        return PatientContext(tuple(meds), egfr=when["egfr"])
    return PatientContext(tuple(meds), age=when.get("age"))


@pytest.mark.parametrize(("meds", "when", "expected"),
                         [pytest.param(ms, w, e, id=i) for i, ms, w, e in DOSE])
def test_dose_table(meds, when, expected):
    result = screen(_dose_ctx(meds, when))
    found = [a for a in result.alerts if a.kind == "dose"]
    if expected is None:
        assert not found, found
        return
    assert expected in {a.rule_id for a in found}, found
    alert = next(a for a in found if a.rule_id == expected)
    assert any(line.startswith("Source:") for line in alert.evidence)


def test_aspirin_limit_beside_ticagrelor_says_why():
    result = screen(PatientContext((m("Brilinta 90", C("ticagrelor", 90, "mg"), sig=BID),
                                    m("Aspirin 325", C("aspirin", 325, "mg"), sig=DAILY))))
    [a] = [a for a in result.alerts if a.rule_id == "dose-aspirin-ticagrelor"]
    assert a.severity == "high"
    assert "325 mg a day (limit 100 mg a day when taken with ticagrelor)" in a.detail
    assert "Taken with ticagrelor" in a.evidence


def test_acetaminophen_total_lists_every_product():
    result = screen(PatientContext((m("Norco", *NORCO, sig=Q4PRN2),
                                    m("Tylenol ES", *TYLENOL_ES, sig=BID))))
    [a] = [a for a in result.alerts if a.rule_id == "dose-apap-day"]
    assert a.severity == "high" and "4,900 mg a day" in a.detail
    assert "Norco: up to 3,900 mg of acetaminophen a day" in a.evidence
    assert "Tylenol ES: 1,000 mg of acetaminophen a day" in a.evidence


# -- DOAC label dose criteria, both ways ----------------------------------------------------------
APIXABAN_5, APIXABAN_25 = C("apixaban", 5, "mg"), C("apixaban", 2.5, "mg")


def _doac(comp: C, sig: D = BID):
    return m(f"{comp.ingredient} {comp.amount:g} mg", comp, sig=sig)


DOAC = [
    ("Eliquis 2.2 AF: 5 mg with age>=80 and weight<=60 -> too high",
     PatientContext((_doac(APIXABAN_5),), age=82, sex="female", weight_kg=58, creatinine=1.0),
     "dose-apixaban-high"),
    ("Eliquis 2.2 AF: 5 mg with weight<=60 and SCr>=1.5 -> too high",
     PatientContext((_doac(APIXABAN_5),), age=70, sex="female", weight_kg=55, creatinine=1.6),
     "dose-apixaban-high"),
    ("Eliquis 2.2 AF: 5 mg with age>=80 and SCr>=1.5, weight unknown -> too high",
     PatientContext((_doac(APIXABAN_5),), age=85, sex="male", creatinine=1.6),
     "dose-apixaban-high"),
    ("Eliquis 2.2 AF: 5 mg with one criterion only (negative)",
     PatientContext((_doac(APIXABAN_5),), age=82, sex="male", weight_kg=70, creatinine=1.0),
     None),
    ("Eliquis 2.2 AF: 2.5 mg with no criterion -> too low",
     PatientContext((_doac(APIXABAN_25),), age=70, sex="male", weight_kg=80, creatinine=1.0),
     "dose-apixaban-low"),
    ("Eliquis 2.2 AF: 2.5 mg with two criteria (negative)",
     PatientContext((_doac(APIXABAN_25),), age=85, sex="female", weight_kg=55, creatinine=1.0),
     None),
    ("Eliquis 2.2 AF: 2.5 mg, weight unknown could make two (negative)",
     PatientContext((_doac(APIXABAN_25),), age=85, sex="female", creatinine=1.0), None),
    ("Xarelto 2.3 AF CrCl<=50: 20 mg -> too high",
     crcl_ctx(45, _doac(C("rivaroxaban", 20, "mg"), DAILY)), "dose-rivaroxaban-high"),
    ("Xarelto 2.3 AF CrCl<=50: 15 mg (negative)",
     crcl_ctx(45, _doac(C("rivaroxaban", 15, "mg"), DAILY)), None),
    ("Xarelto 2.3 AF CrCl>50: 15 mg -> too low",
     crcl_ctx(80, _doac(C("rivaroxaban", 15, "mg"), DAILY)), "dose-rivaroxaban-low"),
    ("Xarelto 2.3 AF CrCl>50: 20 mg (negative)",
     crcl_ctx(80, _doac(C("rivaroxaban", 20, "mg"), DAILY)), None),
    ("Pradaxa 2.3 AF CrCl 15-30: 150 mg -> too high",
     crcl_ctx(25, _doac(C("dabigatran", 150, "mg"))), "dose-dabigatran-high"),
    ("Pradaxa 2.3 AF CrCl 15-30: 75 mg (negative)",
     crcl_ctx(25, _doac(C("dabigatran", 75, "mg"))), None),
    ("Pradaxa 2.3 AF CrCl>30: 75 mg -> too low",
     crcl_ctx(60, _doac(C("dabigatran", 75, "mg"))), "dose-dabigatran-low"),
    ("Pradaxa 2.3 AF CrCl>30: 150 mg (negative)",
     crcl_ctx(60, _doac(C("dabigatran", 150, "mg"))), None),
    ("Savaysa 2.1 AF CrCl 15-50: 60 mg -> too high",
     crcl_ctx(40, _doac(C("edoxaban", 60, "mg"), DAILY)), "dose-edoxaban-high"),
    ("Savaysa 2.1 AF CrCl 15-50: 30 mg (negative)",
     crcl_ctx(40, _doac(C("edoxaban", 30, "mg"), DAILY)), None),
    ("Savaysa 2.1 AF CrCl 51-95: 30 mg -> too low",
     crcl_ctx(70, _doac(C("edoxaban", 30, "mg"), DAILY)), "dose-edoxaban-low"),
    ("Savaysa 2.1 AF CrCl 51-95: 60 mg (negative)",
     crcl_ctx(70, _doac(C("edoxaban", 60, "mg"), DAILY)), None),
    ("Savaysa boxed warning CrCl>95: not for AF",
     crcl_ctx(110, _doac(C("edoxaban", 60, "mg"), DAILY)), "dose-edoxaban-crcl95"),
]


@pytest.mark.parametrize(("ctx", "expected"), [pytest.param(c, e, id=i) for i, c, e in DOAC])
def test_doac_table(ctx, expected):
    found = {a.rule_id for a in screen(ctx).alerts if a.kind == "dose"}
    if expected is None:
        assert not found, found
    else:
        assert expected in found, found


def test_apixaban_evidence_names_the_criteria():
    ctx = PatientContext((_doac(APIXABAN_5),), age=82, sex="female", weight_kg=58,
                         creatinine=1.0)
    [a] = [a for a in screen(ctx).alerts if a.rule_id == "dose-apixaban-high"]
    assert a.severity == "high"
    assert "Criteria met: age 80 or older, weight 60 kg or less" in a.evidence[1]


# -- lab-driven risks ---------------------------------------------------------------------------
def lab_ctx(*drugs, age: int | None = None, **labs) -> PatientContext:
    dates = tuple((k, OLD if k.endswith("_old") else FRESH) for k in labs)
    values = {k.removesuffix("_old"): v for k, v in labs.items()}
    dates = tuple((k.removesuffix("_old"), d) for k, d in dates)
    meds = tuple(plain(*d.split("+")) for d in drugs)
    return PatientContext(meds, age=age, lab_dates=dates, today=TODAY, **values)


LABS = [
    ("Beers-T5 ACEi + K-sparing: one hyperkalaemia alert, potassium 4.2 shown",
     lab_ctx("lisinopril", "spironolactone", potassium=4.2), "hyperkalaemia", "moderate"),
    ("Beers-T5 ACEi alone, potassium 4.5 (negative)",
     lab_ctx("lisinopril", potassium=4.5), None, None),
    ("Label 5 hyperkalaemia: ACEi alone with potassium 5.6 -> high",
     lab_ctx("lisinopril", potassium=5.6), "hyperkalaemia", "high"),
    ("Label 5 hyperkalaemia: ACEi alone with potassium 5.2 -> moderate",
     lab_ctx("lisinopril", potassium=5.2), "hyperkalaemia", "moderate"),
    ("Stale potassium 5.6 is not used (negative)",
     lab_ctx("lisinopril", potassium_old=5.6), None, None),
    ("Beers-T5 ARB + trimethoprim + KCl: ONE alert for three drugs",
     lab_ctx("losartan", "sulfamethoxazole+trimethoprim", "potassium chloride"),
     "hyperkalaemia", None),
    ("ARNI in one product counts once, potassium unknown (negative)",
     lab_ctx("sacubitril+valsartan"), None, None),
    ("ARNI with aliskiren: two products",
     lab_ctx("sacubitril+valsartan", "aliskiren"), "hyperkalaemia", None),
    ("No hyperkalaemia drug with potassium 5.8 (negative)",
     lab_ctx("amlodipine", potassium=5.8), None, None),
    ("Beers-T4 SSRI alone, sodium 138 (negative)",
     lab_ctx("sertraline", sodium=138), None, None),
    ("Beers-T4 SSRI with sodium 131 -> moderate",
     lab_ctx("sertraline", sodium=131), "hyponatraemia", "moderate"),
    ("Beers-T4 SSRI with sodium 128 -> high",
     lab_ctx("sertraline", sodium=128), "hyponatraemia", "high"),
    ("Beers-T4 SSRI + thiazide, sodium unknown -> one alert",
     lab_ctx("sertraline", "hydrochlorothiazide"), "hyponatraemia", "moderate"),
    ("Beers-T4 carbamazepine + SNRI",
     lab_ctx("carbamazepine", "venlafaxine", sodium=136), "hyponatraemia", "moderate"),
    ("Stale sodium 129 with an SSRI alone is not used (negative)",
     lab_ctx("citalopram", sodium_old=129), None, None),
    ("Oxcarbazepine alone, sodium 140 (negative)",
     lab_ctx("oxcarbazepine", sodium=140), None, None),
    ("ADA-2023 13.17 sulfonylurea at 78 with A1c 6.1 -> overtreated",
     lab_ctx("glipizide", age=78, a1c=6.1), "overtreated-diabetes", "moderate"),
    ("ADA-2023 13.17 insulin at 80 with A1c 5.8 -> high",
     lab_ctx("insulin glargine", age=80, a1c=5.8), "overtreated-diabetes", "high"),
    ("ADA-2023 Table 13.1 sulfonylurea at 78 with A1c 7.2 (negative)",
     lab_ctx("glipizide", age=78, a1c=7.2), None, None),
    ("ADA-2023 Section 13 applies to older adults: age 50 with A1c 6.1 (negative)",
     lab_ctx("glipizide", age=50, a1c=6.1), None, None),
    ("A1c older than 6 months is not used (negative)",
     lab_ctx("glimepiride", age=78, a1c_old=6.1), None, None),
    ("Sulfonylurea with insulin, A1c unknown: no lab risk (negative)",
     lab_ctx("glipizide", "insulin glargine", age=78), None, None),
    ("Metformin at 78 with A1c 6.0: no hypoglycaemia drug (negative)",
     lab_ctx("metformin", age=78, a1c=6.0), None, None),
]


@pytest.mark.parametrize(("ctx", "risk", "severity"),
                         [pytest.param(c, r, s, id=i) for i, c, r, s in LABS])
def test_lab_risk_table(ctx, risk, severity):
    result = screen(ctx)
    found = [a for a in result.alerts
             if a.rule_id in ("hyperkalaemia", "hyponatraemia", "overtreated-diabetes")]
    if risk is None:
        assert not found, found
        return
    [a] = found
    assert a.rule_id == risk and (severity is None or a.severity == severity)
    members = {d for med in ctx.medications for d in med.ingredients}
    assert set(a.drugs) <= members and len(a.drugs) >= 1
    assert any(e.startswith(("Potassium", "Sodium", "A1c")) for e in a.evidence)


def test_hyperkalaemia_pairs_fold_into_one_alert():
    ctx = lab_ctx("losartan", "spironolactone", "potassium chloride", "trimethoprim",
                  potassium=5.1)
    result = screen(ctx)
    k_rules = {"arb-k-sparing", "raas-k-supplement", "k-sparing-k-supplement", "raas-tmp",
               "k-sparing-tmp", "spironolactone-k-acei-triple", "trimethoprim-dofetilide-k"}
    assert not rules(result) & k_rules
    [a] = [a for a in result.alerts if a.rule_id == "hyperkalaemia"]
    assert set(a.drugs) == {"losartan", "spironolactone", "potassium chloride", "trimethoprim"}
    assert a.severity == "high"  # a folded pair (K-sparing + K supplement) is high
    assert a.evidence[0] == f"Potassium 5.1 mmol/L on {FRESH.isoformat()}"


def test_stale_lab_is_reported_as_warning():
    result = screen(lab_ctx("lisinopril", potassium_old=5.9))
    assert any(w.startswith("Potassium 5.9 mmol/L of") and "stale" in w for w in result.warnings)


INR = [
    ("CHEST-2012 warfarin INR 4.5 fresh -> high", dict(inr=4.5, when=FRESH), True),
    ("CHEST-2012 warfarin INR 2.5 (negative)", dict(inr=2.5, when=FRESH), False),
    ("CHEST-2012 warfarin INR 4.5 older than 12 weeks is not used (negative)",
     dict(inr=4.5, when=TODAY - timedelta(days=100)), False),
]


@pytest.mark.parametrize(("lab", "fires"), [pytest.param(la, f, id=i) for i, la, f in INR])
def test_inr_table(lab, fires):
    ctx = PatientContext((plain("warfarin"),), inr=lab["inr"], lab_dates=(("inr", lab["when"]),),
                         today=TODAY)
    result = screen(ctx)
    assert ("lab-warfarin-inr" in rules(result)) is fires
    if lab["when"] < TODAY - timedelta(days=84):
        assert any("more than 12 weeks old" in w for w in result.warnings)


# -- stale and deceased input -------------------------------------------------------------------
def test_orders_not_current_are_not_screened():
    died = date(2012, 6, 16)
    ctx = PatientContext((m("Simvastatin 80", C("simvastatin", 80, "mg"), last=date(1996, 1, 1)),
                          m("Amlodipine 10", C("amlodipine", 10, "mg"), last=date(2011, 1, 1)),
                          m("Clarithromycin", C("clarithromycin", 500, "mg"),
                            last=date(2009, 1, 1))),
                         age=80, today=TODAY, deceased_on=died, deceased=True)
    result = screen(ctx)
    assert "Patient deceased on 2012-06-16 (age 80 at death)" in result.warnings[0]
    assert any(w.startswith("Simvastatin 80: not current: last order 16 years ago")
               for w in result.warnings)
    assert not [a for a in result.alerts if "simvastatin" in a.drugs]
    assert any(w.startswith("Clarithromycin: last order 3 years ago") for w in result.warnings)


def test_current_orders_have_no_warning():
    ctx = PatientContext((m("Simvastatin 20", C("simvastatin", 20, "mg"), last=FRESH),),
                         age=70, today=TODAY)
    assert screen(ctx).warnings == []


def test_order_without_date_is_screened():
    result = screen(PatientContext((plain("simvastatin"), plain("clarithromycin")), age=70,
                                   today=TODAY))
    assert [a for a in result.alerts if "simvastatin" in a.drugs] and result.warnings == []
