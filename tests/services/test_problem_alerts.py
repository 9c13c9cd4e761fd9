"""Problems drafted from alerts say what they are (#20 item 3): the category follows the alert's
kind and finding, the description names the patient's medicines and the finding."""

from __future__ import annotations

import pytest

from mmsdesk.clinical.screening import Alert
from mmsdesk.models.enums import ProblemCategory
from mmsdesk.services.problem_alerts import problem_from_alert


def _alert(kind: str, rule: str, drugs: tuple[str, ...], title: str, detail: str = "",
           recommendation: str = "") -> Alert:
    return Alert(kind, "moderate", drugs, title, detail, recommendation, ("ref",), rule)


# One row per alert kind and finding: (alert, category, description)
ROWS = [
    (_alert("interaction", "pde5-nitrate", ("isosorbide mononitrate", "sildenafil"),
            "PDE-5 inhibitor with a nitrate", "Severe, possibly fatal, drop in blood pressure."),
     "adverse_drug_reaction",
     "Isosorbide mononitrate and sildenafil: PDE-5 inhibitor with a nitrate"),
    (_alert("interaction", "onc-statin-3a4", ("diltiazem", "simvastatin"),
            "Statin with a CYP3A4 inhibitor", "Higher statin levels: myopathy and rhabdomyolysis."),
     "dosage_too_high", "Diltiazem and simvastatin: statin with a CYP3A4 inhibitor"),
    (_alert("interaction", "levo-calcium", ("calcium carbonate", "levothyroxine"),
            "Levothyroxine with calcium", "Calcium binds levothyroxine: lower absorption."),
     "dosage_too_low", "Calcium carbonate and levothyroxine: levothyroxine with calcium"),
    (_alert("interaction", "ssri-tca", ("amitriptyline", "sertraline"),
            "SSRI with a tricyclic antidepressant",
            "Serotonergic excess; fluoxetine, paroxetine raise TCA levels."),
     "adverse_drug_reaction", "Amitriptyline and sertraline: SSRI with a tricyclic antidepressant"),
    (_alert("interaction", "sedative", ("amitriptyline", "lorazepam", "sertraline"),
            "CNS depression from 3 drugs", "Each adds to the CNS depression."),
     "adverse_drug_reaction", "Amitriptyline, lorazepam and sertraline: CNS depression from 3 drugs"),
    (_alert("dose", "dose-apixaban-high", ("apixaban",),
            "Apixaban 5 mg with the label criteria for 2.5 mg"),
     "dosage_too_high", "Apixaban 5 mg with the label criteria for 2.5 mg"),
    (_alert("dose", "dose-rivaroxaban-low", ("rivaroxaban",), "Rivaroxaban under the label dose"),
     "dosage_too_low", "Rivaroxaban under the label dose"),
    (_alert("renal", "renal-metoclopramide", ("metoclopramide",),
            "Metoclopramide with reduced kidney function"),
     "dosage_too_high", "Metoclopramide with reduced kidney function"),
    (_alert("duplicate", "dup-opioid", ("oxycodone", "tramadol"), "Two opioids"),
     "unnecessary_drug_therapy", "Oxycodone and tramadol: two opioids"),
    (_alert("interaction", "alpha-pde5-dup", ("doxazosin", "tamsulosin"), "Two alpha-1 blockers"),
     "unnecessary_drug_therapy", "Doxazosin and tamsulosin: two alpha-1 blockers"),
    (_alert("no-indication", "no-indication", ("omeprazole",), "No indication on file"),
     "unnecessary_drug_therapy", "Omeprazole: no indication on file"),
    (_alert("needs-therapy", "needs-therapy", (), "A1c 8.4% above goal"),
     "needs_additional_therapy", "A1c 8.4% above goal"),
    (_alert("beers", "beers-benzo", ("alprazolam",), "Benzodiazepine in an older adult"),
     "adverse_drug_reaction", "Alprazolam: benzodiazepine in an older adult"),
    (_alert("drug-disease", "dd-falls-alpha", ("doxazosin",), "Alpha-1 blocker with a history of falls"),
     "adverse_drug_reaction", "Doxazosin: alpha-1 blocker with a history of falls"),
    (_alert("allergy", "allergy-ace-arb", ("valsartan",), "ARB with ACE inhibitor angioedema"),
     "adverse_drug_reaction", "Valsartan: ARB with ACE inhibitor angioedema"),
    (_alert("adherence", "pdc", ("atorvastatin",), "PDC 62% over 180 days"),
     "adherence", "Atorvastatin: PDC 62% over 180 days"),
    (_alert("interaction", "clopidogrel-omeprazole", ("clopidogrel", "esomeprazole"),
            "Clopidogrel with omeprazole or esomeprazole",
            "These PPIs inhibit CYP2C19, which activates clopidogrel: less activation."),
     "dosage_too_low", "Clopidogrel and esomeprazole: clopidogrel with omeprazole or esomeprazole"),
    (_alert("interaction", "levodopa-antipsychotic", ("levodopa", "metoclopramide"),
            "Parkinson drug with a dopamine blocker", "Worse parkinsonism."),
     "adverse_drug_reaction", "Levodopa and metoclopramide: Parkinson drug with a dopamine blocker"),
    (_alert("dose", "dose-edoxaban-crcl95", ("edoxaban",), "Edoxaban above CrCl 95"),
     "ineffective_drug", "Edoxaban above CrCl 95"),
    (_alert("unrecognised", "unrecognised-medicine", ("herbal tea",), "Not recognised: Herbal tea"),
     "", "Not recognised: Herbal tea"),
]


@pytest.mark.parametrize(("alert", "category", "description"), ROWS,
                         ids=[f"{r[0].kind}-{r[0].rule_id}" for r in ROWS])
def test_problem_category_and_description_per_alert(alert, category, description):
    p = problem_from_alert(alert)
    assert p.category == category
    assert p.description == description
    assert p.medications == list(alert.drugs) and p.alert_key == alert.key


def test_cause_says_the_finding_and_keeps_the_detail():
    p = problem_from_alert(ROWS[1][0])
    assert p.cause.startswith("Drug interaction raises the drug's levels: Higher statin levels")


def test_not_every_alert_is_an_adverse_reaction():
    """The issue's finding: every problem was 'adverse drug reaction'."""
    found = {problem_from_alert(r[0]).category for r in ROWS} - {""}
    assert found == {str(c) for c in ProblemCategory}
