"""Fewer, clearer alerts (issue 16, item 7): one alert per cumulative risk listing every drug,
one NSAID alert listing its partners, and the wording fixes (each alert: the risk, one line of
evidence, one action)."""

from __future__ import annotations

import pytest

from mmsdesk.clinical.screening import PatientContext, screen
from tests.clinical.screening_cases import med
from tests.conftest import run_cli

TODAY = "2026-12-04"


def alerts_of(*drugs: str, **kw: object) -> list:
    return screen(PatientContext(tuple(med(d) for d in drugs), **kw)).alerts


# (id citing the source, drugs, group rule id, every drug listed)
GROUPED = [
    # CredibleMeds known-risk list; ONC item 8 (high-risk QT agents together): three QT drugs
    ("crediblemeds-onc8-qt-three", ("amiodarone", "citalopram", "ondansetron"), "qt"),
    ("crediblemeds-onc8-qt-four", ("amiodarone", "citalopram", "haloperidol", "methadone"), "qt"),
    ("crediblemeds-qt-levofloxacin-azithro-hcq",
     ("azithromycin", "hydroxychloroquine", "levofloxacin"), "qt"),
    # Labels (serotonin syndrome warnings): SSRI + triptan + tramadol
    ("label-serotonin-ssri-triptan-tramadol", ("sertraline", "sumatriptan", "tramadol"),
     "serotonergic"),
    ("label-serotonin-snri-tramadol-trazodone", ("duloxetine", "tramadol", "trazodone"),
     "serotonergic"),
    ("onc4-label-serotonin-maoi-ssri-dextromethorphan",
     ("dextromethorphan", "phenelzine", "sertraline"), "serotonergic"),
    # CHEST 2012 e152S (antithrombotic + NSAID/SSRI), STOPP v3 section C (bleeding)
    ("chest-stopp-bleeding-warfarin-aspirin-clopidogrel", ("aspirin", "clopidogrel", "warfarin"),
     "bleeding"),
    ("chest-stopp-bleeding-apixaban-ibuprofen-sertraline",
     ("apixaban", "ibuprofen", "sertraline"), "bleeding"),
    ("chest-stopp-bleeding-rivaroxaban-naproxen-escitalopram",
     ("escitalopram", "naproxen", "rivaroxaban"), "bleeding"),
    # FDA 2016 boxed warning (opioids + CNS depressants); Beers 2023 Table 5 (3+ CNS-active)
    ("fda2016-beers-t5-opioid-benzo-gabapentin", ("alprazolam", "gabapentin", "oxycodone"),
     "sedative"),
    ("fda2016-beers-t5-opioid-zolpidem-cyclobenzaprine",
     ("cyclobenzaprine", "hydrocodone", "zolpidem"), "sedative"),
    ("fda2016-beers-t5-morphine-lorazepam-quetiapine", ("lorazepam", "morphine", "quetiapine"),
     "sedative"),
]


@pytest.mark.parametrize(("drugs", "group"), [pytest.param(d, g, id=n) for n, d, g in GROUPED])
def test_one_alert_per_cumulative_risk_lists_every_drug(drugs, group):
    alerts = alerts_of(*drugs, age=70)
    mine = [a for a in alerts if a.rule_id == group]
    assert len(mine) == 1, alerts
    (a,) = mine
    assert set(drugs) <= set(a.drugs)
    assert a.title.endswith(f"from {len(a.drugs)} drugs")
    assert a.evidence and a.recommendation and a.detail.count(".") == 1
    # no pairwise alert of the same risk is left beside it
    from mmsdesk.clinical.screening import get_knowledge

    row = next(r for r in get_knowledge().rules["risk_groups"] if r.rule_id == group)
    folded = {r.strip() for r in row["rules"].split(",")}
    assert not [x for x in alerts if x.rule_id in folded], alerts


def test_three_qt_drugs_one_alert_not_four():
    alerts = [a for a in alerts_of("amiodarone", "citalopram", "ondansetron", age=60)
              if "QT" in a.title or a.rule_id in ("qt", "onc-qt-qt")]
    assert len(alerts) == 1
    assert alerts[0].drugs == ("amiodarone", "citalopram", "ondansetron")
    assert alerts[0].severity == "high"
    assert len(alerts[0].evidence) == 5  # three pairs, the load line and its source
    assert alerts[0].evidence[-1].startswith("Source: CredibleMeds")


def test_a_single_pair_keeps_its_own_alert_and_key():
    (a,) = [x for x in alerts_of("amiodarone", "citalopram", age=60) if x.kind == "interaction"]
    assert a.key == "interaction:onc-qt-qt:amiodarone;citalopram"


# (id, NSAID, partners): Labels of each partner; STOPP v3 sections C, E, H; Beers 2023 Table 2
NSAID = [
    ("stopp-label-ibuprofen-lisinopril-furosemide-lithium", "ibuprofen",
     ("furosemide", "lisinopril", "lithium")),
    ("stopp-label-naproxen-losartan-hctz", "naproxen", ("hydrochlorothiazide", "losartan")),
    ("stopp-label-meloxicam-methotrexate-prednisone", "meloxicam", ("methotrexate", "prednisone")),
    ("stopp-label-diclofenac-spironolactone-lisinopril", "diclofenac",
     ("lisinopril", "spironolactone")),
]


@pytest.mark.parametrize(("nsaid", "partners"),
                         [pytest.param(n, p, id=i) for i, n, p in NSAID])
def test_one_nsaid_alert_lists_its_partners(nsaid, partners):
    alerts = alerts_of(nsaid, *partners, age=60)
    mine = [a for a in alerts if nsaid in a.drugs and a.kind == "interaction"]
    assert len(mine) == 1, mine
    (a,) = mine
    assert a.rule_id == "nsaid-partners"
    assert a.drugs == (nsaid, *sorted(partners))
    assert len(a.evidence) == len(partners)
    assert a.recommendation.startswith(f"Stop {nsaid}")


def test_nsaid_with_one_partner_stays_pairwise():
    (a,) = [x for x in alerts_of("ibuprofen", "lisinopril", age=60) if x.kind == "interaction"]
    assert a.rule_id == "raas-nsaid"


# Negatives: Phansalkar 2013 (non-interruptive DDI list) and ordinary pairs not to group.
NOT_GROUPED = [
    ("two-qt-drugs-one-pair", ("amiodarone", "citalopram"), "qt"),
    ("two-serotonergic-one-pair", ("sertraline", "sumatriptan"), "serotonergic"),
    ("ssri-alone", ("sertraline",), "serotonergic"),
    ("opioid-with-benzo-one-pair", ("alprazolam", "oxycodone"), "sedative"),
    ("aspirin-with-clopidogrel-one-pair-dapt", ("aspirin", "clopidogrel"), "bleeding"),
    ("statin-with-ace-no-risk-group", ("atorvastatin", "lisinopril"), "bleeding"),
]


@pytest.mark.parametrize(("drugs", "group"),
                         [pytest.param(d, g, id=n) for n, d, g in NOT_GROUPED])
def test_no_grouped_alert(drugs, group):
    assert group not in {a.rule_id for a in alerts_of(*drugs, age=60)}


def test_apixaban_with_ssri_does_not_say_inr():
    (a,) = [x for x in alerts_of("apixaban", "sertraline", age=60) if x.kind == "interaction"]
    assert "INR" not in a.recommendation and "bleeding" in a.recommendation
    (w,) = [x for x in alerts_of("warfarin", "sertraline", age=60) if x.kind == "interaction"]
    assert "INR" in w.recommendation


def test_falls_alert_says_the_risk_in_the_detail_and_an_action_in_the_advice():
    (a,) = [x for x in alerts_of("doxazosin", age=50, conditions=("History of falls",))
            if x.rule_id == "dd-falls-alpha"]
    assert "hypotension" in a.detail.lower()
    assert a.recommendation.split()[0] in ("Ask", "Stop", "Review", "Taper", "Switch")


def test_no_domperidone_free_wording():
    from mmsdesk.clinical.screening import get_knowledge

    for rows in get_knowledge().rules.values():
        for r in rows:
            assert "domperidone-free" not in "|".join(v for v in r.values.values()
                                                      if isinstance(v, str))


def test_sacubitril_after_ace_angioedema_is_high():
    """Entresto label, Contraindications: history of angioedema with an ACE inhibitor or ARB."""
    alerts = alerts_of("sacubitril", "valsartan", allergies=("Lisinopril (angioedema)",))
    sac = [a for a in alerts if a.kind == "allergy" and a.drugs == ("sacubitril",)]
    assert sac and sac[0].severity == "high"


def test_text_format_lists_an_unrecognised_medicine(tmp_path):
    from tests.cli.test_screen_cli import _bundle

    path = _bundle(tmp_path, age=70, meds=["warfarin 5 mg", "Zzyzx herbal tonic"])
    out = run_cli("screen", str(path), "--today", TODAY, "--format", "text")
    assert out.returncode == 0, out.stderr
    assert "not screened: not recognised: Zzyzx herbal tonic" in out.stdout
    assert "Active medications screened: 1" in out.stdout


def test_acknowledged_grouped_alert_stays_acknowledged_until_a_drug_joins(store):
    """services/acknowledgements.py keys on Alert.key and detail: the grouped QT alert keeps
    both while its drugs are the same; a fourth QT drug makes it a new alert to review."""
    from datetime import date

    from mmsdesk.services.acknowledgements import AcknowledgementService
    from mmsdesk.services.medications import MedicationInput as Entry
    from mmsdesk.services.medications import MedicationService
    from mmsdesk.services.patients import PatientInput, PatientService
    from mmsdesk.services.screening import screen_patient

    today = date(2026, 12, 4)
    pid, _ = PatientService(store).create(PatientInput(first_name="Qt", last_name="Test",
                                                       date_of_birth=date(1950, 1, 1)))
    meds = MedicationService(store)
    for text in ("amiodarone 200 mg tablet", "citalopram 20 mg tablet", "ondansetron 4 mg tablet"):
        meds.add(pid, Entry(text), today)

    def qt():
        return [a for a in screen_patient(store, pid, today).alerts if a.rule_id == "qt"]

    (alert,) = qt()
    acks = AcknowledgementService(store)
    acks.acknowledge(pid, alert, "ECG reviewed with cardiology: QTc 430 ms")
    shown, hidden = acks.split(pid, qt())
    assert not shown and len(hidden) == 1
    meds.add(pid, Entry("haloperidol 1 mg tablet"), today)
    shown, hidden = acks.split(pid, qt())
    assert len(shown) == 1 and "haloperidol" in shown[0].drugs


@pytest.mark.parametrize("drugs", [
    pytest.param(("sertraline", "gabapentin", "cyclobenzaprine"), id="beers-t5-ssri-gabapentin-relaxant"),
    pytest.param(("duloxetine", "pregabalin", "quetiapine"), id="beers-t5-snri-pregabalin-antipsychotic"),
    pytest.param(("citalopram", "levetiracetam", "zolpidem"), id="beers-t5-ssri-antiepileptic-z-drug"),
])
def test_beers_table5_three_cns_active_drugs(drugs):
    result = screen(PatientContext(tuple(med(d) for d in drugs), age=80))
    assert result.risk_profile["sedative"] == 3
    assert "sedative" in {a.rule_id for a in result.alerts}


@pytest.mark.parametrize(("drugs", "rule"), [
    pytest.param(("phenytoin", "sulfamethoxazole"), "beers-t5-phenytoin-smx", id="beers-t5-phenytoin-smx"),
    pytest.param(("theophylline", "cimetidine"), "beers-t5-theophylline-cimetidine",
                 id="beers-t5-theophylline-cimetidine"),
])
def test_beers_table5_pairs(drugs, rule):
    assert rule in {a.rule_id for a in alerts_of(*drugs, age=80)}


def test_two_cns_active_drugs_are_not_a_load():
    """Beers 2023 Table 5 counts three or more; sertraline with gabapentin is not flagged."""
    result = screen(PatientContext((med("sertraline"), med("gabapentin")), age=80))
    assert "sedative" not in {a.rule_id for a in result.alerts}


# Combinations a pharmacist would not want interrupted (no interaction alert): each comment
# says why, from the products' labels.
QUIET = [
    ("lisinopril", "amlodipine"),  # guideline-preferred antihypertensive pair
    ("metformin", "lisinopril"),
    ("atorvastatin", "ezetimibe"),  # ezetimibe label: no dose change with statins
    ("amlodipine", "atorvastatin"),  # the amlodipine dose cap is simvastatin's only
    ("clopidogrel", "pantoprazole"),  # Plavix label: avoid omeprazole/esomeprazole, not pantoprazole
    ("losartan", "hydrochlorothiazide"),
    ("metoprolol", "lisinopril"),
    ("insulin glargine", "metformin"),
    ("tamsulosin", "finasteride"),
    ("donepezil", "memantine"),  # Namzaric is the two together
]


@pytest.mark.parametrize(("a", "b"), QUIET, ids=[f"quiet-{a}-{b}" for a, b in QUIET])
def test_common_safe_pairs_stay_quiet(a, b):
    assert not [x for x in alerts_of(a, b, age=70) if x.kind in ("interaction", "duplicate")]


def test_text_format_shows_each_alert_s_evidence(tmp_path):
    from tests.cli.test_screen_cli import _bundle

    path = _bundle(tmp_path, age=80, meds=["amiodarone 200 mg tablet", "citalopram 20 mg tablet",
                                           "ondansetron 4 mg tablet"])
    out = run_cli("screen", str(path), "--today", TODAY, "--format", "text")
    assert "QT prolongation from 3 drugs" in out.stdout
    assert "each add to the QT prolongation." in out.stdout
    assert "      - amiodarone + citalopram: " in out.stdout
    assert "      - Source: CredibleMeds" in out.stdout and "References: " in out.stdout


def test_one_allergy_alert_for_one_combination_product():
    """Entresto after ACE-inhibitor angioedema: one high alert (label Contraindications), not a
    moderate ARB alert beside it; valsartan alone keeps its own (label: use with caution)."""
    from mmsdesk.clinical.screening import MedicationInput

    entresto = MedicationInput("Entresto 49/51 mg", ("sacubitril", "valsartan"))
    result = screen(PatientContext((entresto,), allergies=("Lisinopril (angioedema)",)))
    allergy = [a for a in result.alerts if a.kind == "allergy"]
    assert len(allergy) == 1 and allergy[0].severity == "high"
    assert allergy[0].drugs == ("sacubitril",)
    assert any(e.startswith("Also in Entresto") for e in allergy[0].evidence)
    alone = [a for a in alerts_of("valsartan", allergies=("Lisinopril (angioedema)",))
             if a.kind == "allergy"]
    assert [a.severity for a in alone] == ["moderate"]
