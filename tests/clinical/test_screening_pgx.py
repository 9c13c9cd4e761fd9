"""PGx (issue 16, item 4): every result of a gene kept, CPIC standard terms, diplotypes and
activity scores translated with the CPIC tables, intermediate and likely/possible rows. Each
row cites the CPIC guideline (kb.json key) or the CPIC table file it comes from."""

from __future__ import annotations

import csv

import pytest

from mmsdesk.clinical.screening import PatientContext, get_knowledge, screen
from mmsdesk.clinical.screening.pgx import (
    diplotype_phenotype,
    load_tables,
    normalise_phenotype,
    pgx_results,
    tables,
)
from tests.clinical.screening_cases import med
from tests.conftest import run_cli, shared_data

KB = get_knowledge()
TODAY = "2026-12-04"


def pgx_rules(drug: str, *results: tuple[str, str]) -> set[str]:
    result = screen(PatientContext((med(drug),), age=60, pgx=tuple(results)))
    return {a.rule_id for a in result.alerts if a.kind == "pgx"}


# ---- the compact CPIC resource against the CPIC files (no drift) ----

def test_allele_table_matches_cpic_file():
    t = load_tables()
    rows = csv.DictReader(shared_data("cpic", "pypgx-allele-table.csv").open())
    checked = 0
    for r in rows:
        if r["Gene"] not in t.alleles:
            continue
        function, score = t.alleles[r["Gene"]][r["StarAllele"]]
        assert function == r["Function"], r
        assert score == (None if r["ActivityScore"] == "N/A" else float(r["ActivityScore"])), r
        checked += 1
    assert checked == sum(len(v) for v in t.alleles.values()) >= 480


def test_every_cpic_diplotype_of_a_pair_gene_translates_as_cpic_says():
    """Every row of pypgx-diplotype-table.csv for the genes we translate by allele function."""
    t = tables()
    rows = csv.DictReader(shared_data("cpic", "pypgx-diplotype-table.csv").open())
    checked = 0
    for r in rows:
        g = r["Gene"]
        if g not in t.pairs or any(a not in t.alleles[g] for a in r["Diplotype"].split("/")):
            continue
        assert diplotype_phenotype(g, r["Diplotype"]) == r["Phenotype"].lower(), r
        checked += 1
    assert checked > 3000


def test_every_phenotype_we_name_is_a_cpic_term():
    terms = {r["Phenotype"].lower() for r in
             csv.DictReader(shared_data("cpic", "pypgx-phenotype-table.csv").open())}
    for rows in tables().pairs.values():
        assert set(p.lower() for p in rows.values()) <= terms
    for rows in tables().scores.values():
        assert {p.lower() for _, _, p in rows} <= terms


# ---- CPIC term standardisation ----

@pytest.mark.parametrize(("text", "term"), [
    ("Poor metabolizer (PM)", "poor metabolizer"), ("PM", "poor metabolizer"),
    ("IM", "intermediate metabolizer"), ("Intermediate Metaboliser", "intermediate metabolizer"),
    ("Extensive metabolizer", "normal metabolizer"), ("UM", "ultrarapid metabolizer"),
    ("Ultra-rapid metabolizer", "ultrarapid metabolizer"),
    ("Likely Poor Metabolizer", "likely poor metabolizer"),
    ("Possible Decreased Function", "possible decreased function"),
    ("G6PD Deficient", "deficient"), ("Malignant Hyperthermia Susceptibility",
                                      "malignant hyperthermia susceptibility"),
])
def test_normalise_to_cpic_terms(text, term):
    assert normalise_phenotype(text) == term


# ---- diplotypes and activity scores (CPIC tables; CYP2D6 Caudle 2020; CYP2C9 Theken 2020) ----

@pytest.mark.parametrize(("gene", "diplotype", "phenotype"), [
    ("CYP2C19", "*2/*2", "poor metabolizer"), ("CYP2C19", "*1/*2", "intermediate metabolizer"),
    ("CYP2C19", "*2/*9", "likely poor metabolizer"), ("CYP2C19", "*1/*17", "rapid metabolizer"),
    ("CYP2C19", "*17/*17", "ultrarapid metabolizer"), ("CYP2C19", "*1/*1", "normal metabolizer"),
    ("CYP2D6", "*4/*4", "poor metabolizer"), ("CYP2D6", "*1/*4", "intermediate metabolizer"),
    ("CYP2D6", "*10/*10", "intermediate metabolizer"), ("CYP2D6", "*1/*41", "normal metabolizer"),
    ("CYP2D6", "*1x2/*1", "ultrarapid metabolizer"), ("CYP2D6", "*1/*2", "normal metabolizer"),
    ("CYP2C9", "*3/*3", "poor metabolizer"), ("CYP2C9", "*1/*3", "intermediate metabolizer"),
    ("CYP2C9", "*1/*1", "normal metabolizer"),
    ("DPYD", "c.1905+1G>A (*2A)/Reference", "intermediate metabolizer"),
    ("DPYD", "*2A/*2A", "poor metabolizer"),
    ("TPMT", "*3A/*3A", "poor metabolizer"), ("SLCO1B1", "*1/*5", "decreased function"),
    ("UGT1A1", "*28/*28", "poor metabolizer"), ("CYP3A5", "*1/*3", "intermediate metabolizer"),
])
def test_diplotype_to_phenotype(gene, diplotype, phenotype):
    assert diplotype_phenotype(gene, diplotype) == phenotype


def test_unknown_allele_is_not_guessed():
    assert diplotype_phenotype("CYP2D6", "*1/*999") is None
    assert diplotype_phenotype("VKORC1", "A/A") is None


# ---- rules fire on every wording and result (positive), not on normal results (negative) ----

POSITIVE = [
    # CPIC clopidogrel 2022, Table 2: IM/likely IM and PM/likely PM avoid standard dose
    ("cpic-clopidogrel-t2-pm-abbrev", "clopidogrel", ("CYP2C19", "PM"), "pgx-2c19-clopidogrel-pm"),
    ("cpic-clopidogrel-t2-likely-pm", "clopidogrel", ("CYP2C19", "Likely Poor Metabolizer"),
     "pgx-2c19-clopidogrel-pm"),
    ("cpic-clopidogrel-t2-pm-with-label", "clopidogrel", ("CYP2C19", "Poor metabolizer (PM)"),
     "pgx-2c19-clopidogrel-pm"),
    ("cpic-clopidogrel-t2-diplotype-2-2", "clopidogrel", ("CYP2C19", "*2/*2"),
     "pgx-2c19-clopidogrel-pm"),
    ("cpic-clopidogrel-t2-diplotype-1-2", "clopidogrel", ("CYP2C19", "*1/*2"),
     "pgx-2c19-clopidogrel-im"),
    ("cpic-clopidogrel-t2-likely-im", "clopidogrel", ("CYP2C19", "Likely Intermediate Metabolizer"),
     "pgx-2c19-clopidogrel-im"),
    # CPIC SSRI 2023: CYP2C19 PM/likely PM citalopram 50% lower start
    ("cpic-ssri-2023-citalopram-likely-pm", "citalopram", ("CYP2C19", "likely poor metabolizer"),
     "pgx-2c19-ssri-pm"),
    # CPIC PPI 2021: IM/PM halve the chronic dose
    ("cpic-ppi-2021-omeprazole-im", "omeprazole", ("CYP2C19", "IM"), "pgx-2c19-ppi-pm"),
    ("cpic-ppi-2021-pantoprazole-um-diplotype", "pantoprazole", ("CYP2C19", "*17/*17"),
     "pgx-2c19-ppi-um"),
    # CPIC opioids 2021: CYP2D6 UM/PM codeine avoid; IM label dose
    ("cpic-opioids-codeine-um-duplication", "codeine", ("CYP2D6", "*1x2/*1"), "pgx-2d6-codeine-um"),
    ("cpic-opioids-codeine-pm-activity-score", "codeine", ("CYP2D6", "Activity score 0"),
     "pgx-2d6-codeine-pm"),
    ("cpic-opioids-codeine-im", "codeine", ("CYP2D6", "*1/*4"), "pgx-2d6-codeine-im"),
    # CPIC TCA 2016: CYP2D6 IM 25% lower start
    ("cpic-tca-nortriptyline-im", "nortriptyline", ("CYP2D6", "Intermediate Metabolizer"),
     "pgx-2d6-tca-im"),
    # CPIC tamoxifen 2018: IM and PM
    ("cpic-tamoxifen-im-diplotype", "tamoxifen", ("CYP2D6", "*4/*10"), "pgx-2d6-tamoxifen"),
    # CPIC statins 2022: CYP2C9 fluvastatin PM <=20 mg, IM <=40 mg; SLCO1B1 rows
    ("cpic-statins-fluvastatin-2c9-pm", "fluvastatin", ("CYP2C9", "*3/*3"), "pgx-2c9-fluvastatin"),
    ("cpic-statins-fluvastatin-2c9-im", "fluvastatin", ("CYP2C9", "*1/*3"),
     "pgx-2c9-fluvastatin-im"),
    ("cpic-statins-simva-possible-decreased", "simvastatin",
     ("SLCO1B1", "Possible Decreased Function"), "pgx-slco1b1-simva"),
    ("cpic-statins-atorva-decreased", "atorvastatin", ("SLCO1B1", "*1/*5"),
     "pgx-slco1b1-atorva-decreased"),
    ("cpic-statins-atorva-poor", "atorvastatin", ("SLCO1B1", "*5/*5"), "pgx-slco1b1-atorva"),
    ("cpic-statins-lova-decreased", "lovastatin", ("SLCO1B1", "Decreased Function"),
     "pgx-slco1b1-lova"),
    ("cpic-statins-pitava-decreased", "pitavastatin", ("SLCO1B1", "decreased function"),
     "pgx-slco1b1-pitava"),
    # CPIC thiopurines 2018: TPMT/NUDT15 possible IM start reduced
    ("cpic-thiopurines-tpmt-possible-im", "azathioprine",
     ("TPMT", "Possible Intermediate Metabolizer"), "pgx-tpmt"),
    ("cpic-thiopurines-nudt15-possible-im", "mercaptopurine",
     ("NUDT15", "Possible Intermediate Metabolizer"), "pgx-nudt15"),
    # CPIC fluoropyrimidines 2017: DPYD AS 1 (IM)
    ("cpic-dpyd-im-diplotype", "capecitabine", ("DPYD", "*2A/Reference"), "pgx-dpyd"),
    # CPIC RYR1 2019 and IFNL3 2014 terms as CPIC writes them
    ("cpic-ryr1-mhs", "succinylcholine", ("RYR1", "Malignant Hyperthermia Susceptibility"),
     "pgx-ryr1"),
    ("cpic-ifnl3-unfavorable", "peginterferon alfa-2a", ("IFNL3", "Unfavorable Response"),
     "pgx-ifnl3"),
    ("cpic-g6pd-2023-deficient", "rasburicase", ("G6PD", "G6PD Deficient"), "pgx-g6pd"),
]


@pytest.mark.parametrize(("drug", "result", "rule"),
                         [pytest.param(d, r, x, id=n) for n, d, r, x in POSITIVE])
def test_pgx_rule_fires(drug, result, rule):
    assert rule in pgx_rules(drug, result)


NEGATIVE = [
    ("cpic-clopidogrel-normal", "clopidogrel", ("CYP2C19", "Normal Metabolizer")),
    ("cpic-clopidogrel-rapid-standard-dose", "clopidogrel", ("CYP2C19", "*1/*17")),
    ("cpic-clopidogrel-normal-diplotype", "clopidogrel", ("CYP2C19", "*1/*1")),
    ("cpic-ppi-2021-rapid-as-normal", "omeprazole", ("CYP2C19", "Rapid Metabolizer")),
    ("cpic-ppi-2021-esomeprazole-not-covered", "esomeprazole", ("CYP2C19", "*17/*17")),
    ("cpic-ssri-citalopram-im-standard", "citalopram", ("CYP2C19", "Intermediate Metabolizer")),
    ("cpic-codeine-normal-diplotype", "codeine", ("CYP2D6", "*1/*2")),
    ("cpic-codeine-normal-as", "codeine", ("CYP2D6", "activity score 1.5")),
    ("cpic-statins-simva-normal", "simvastatin", ("SLCO1B1", "Normal Function")),
    ("cpic-statins-simva-increased", "simvastatin", ("SLCO1B1", "Increased Function")),
    ("cpic-statins-pravastatin-decreased-no-change", "pravastatin", ("SLCO1B1", "*1/*5")),
    ("cpic-tacrolimus-possible-im-no-rec", "tacrolimus",
     ("CYP3A5", "Possible Intermediate Metabolizer")),
    ("cpic-tacrolimus-poor-standard", "tacrolimus", ("CYP3A5", "*3/*3")),
    ("cpic-warfarin-2c9-normal", "warfarin", ("CYP2C9", "*1/*1")),
    ("cpic-ondansetron-pm-no-change", "ondansetron", ("CYP2D6", "Poor Metabolizer")),
    ("cpic-dpyd-normal", "fluorouracil", ("DPYD", "Reference/Reference")),
    ("cpic-unknown-allele-not-guessed", "clopidogrel", ("CYP2C19", "*1/*999")),
]


@pytest.mark.parametrize(("drug", "result"),
                         [pytest.param(d, r, id=n) for n, d, r in NEGATIVE])
def test_pgx_rule_does_not_fire(drug, result):
    assert not pgx_rules(drug, result)


# ---- every result of a gene is kept ----

def test_a_diplotype_after_a_phenotype_does_not_erase_it():
    results = (("CYP2C19", "Poor Metabolizer"), ("CYP2C19", "*1/*1"))
    assert "pgx-2c19-clopidogrel-pm" in pgx_rules("clopidogrel", *results)
    assert "pgx-2c19-clopidogrel-pm" in pgx_rules("clopidogrel", *reversed(results))
    assert pgx_results(results)["CYP2C19"][0] == "poor metabolizer"


def test_alert_names_the_result_it_rests_on():
    ctx = PatientContext((med("clopidogrel"),), pgx=(("CYP2C19", "*2/*2"),))
    (a,) = [x for x in screen(ctx).alerts if x.kind == "pgx"]
    assert "poor metabolizer" in a.detail and "*2/*2" in a.detail
    assert a.evidence == ("CYP2C19 result: *2/*2",
                          "Source: CPIC clopidogrel 2022: recommendation for CYP2C19 poor metabolizer")


def test_bundle_with_phenotype_then_diplotype_observation(tmp_path):
    """The FHIR path: a genotype Observation after a phenotype one keeps the alert."""
    import json

    from tests.cli.test_screen_cli import _bundle

    path = _bundle(tmp_path, age=70, meds=["clopidogrel 75 mg"],
                   pgx=[("CYP2C19", "Poor metabolizer (PM)")])
    data = json.loads(path.read_text())
    data["entry"].append({"resource": {
        "resourceType": "Observation", "status": "final",
        "code": {"text": "CYP2C19 diplotype"}, "valueString": "*1/*1"}})
    path.write_text(json.dumps(data))
    out = run_cli("screen", str(path), "--today", TODAY)
    assert out.returncode == 0, out.stderr
    rules = {a["rule_id"] for a in json.loads(out.stdout)["alerts"]}
    assert "pgx-2c19-clopidogrel-pm" in rules


def test_every_pgx_rule_phenotype_is_a_cpic_term_or_a_documented_extra():
    terms = {r["Phenotype"].lower() for r in
             csv.DictReader(shared_data("cpic", "pypgx-phenotype-table.csv").open())}
    terms = {normalise_phenotype(t) for t in terms} | {"positive"}
    extras = {"low activity", "activity score 0", "activity score 0.5", "activity score 1",
              "activity score 1.5", "high warfarin sensitivity", "warfarin sensitive",
              "increased sensitivity", "-1639 a/a", "a/a", "*3 carrier", "deficient",
              "deficient with cnsha", "increased risk of aminoglycoside-induced hearing loss"}
    for row in KB.rules["pgx"]:
        for p in row["phenotypes"].split(","):
            assert normalise_phenotype(p) in terms | extras, (row.rule_id, p)


_NO_CHANGE = ("None", "Initiate therapy with recommended starting dose",
              "Prescribe desired starting dose", "Initiate therapy with recommended standard",
              "Initiate efavirenz with standard dosing", "If considering clopidogrel, use at "
              "standard dose", "Initiate standard starting daily dose. Consider increasing")


def test_no_rule_fires_where_cpic_recommends_no_change():
    """Every (drug, gene, phenotype) a CPIC-cited rule alerts on that the CPIC recommendation
    table (../shared/data/cpic/pypgx-recommendation-table.csv) lists must carry an action there;
    and a rule never names a drug CPIC's table does not give for that gene (esomeprazole was
    in the PPI rapid-metabolizer row; CPIC's PPI guideline does not cover it)."""
    rec: dict[tuple[str, str, str], set[str]] = {}
    drugs_by_gene: dict[str, set[str]] = {}
    for r in csv.DictReader(shared_data("cpic", "pypgx-recommendation-table.csv").open()):
        for gene, phenotype in ((r["Gene1"], r["Phenotype1"]), (r["Gene2"], r["Phenotype2"])):
            if gene and gene != "None":
                rec.setdefault((r["Drug"], gene, normalise_phenotype(phenotype)), set()).add(
                    r["Recommendation"])
                drugs_by_gene.setdefault(gene, set()).add(r["Drug"])
    checked = 0
    for row in KB.rules["pgx"]:
        if not row["source"].startswith("cpic") or row["gene"] not in drugs_by_gene:
            continue
        for drug in KB.expand(row["drugs"]):
            for p in row["phenotypes"].split(","):
                texts = rec.get((drug, row["gene"], normalise_phenotype(p)))
                if texts is None:
                    continue
                checked += 1
                assert not all(t.startswith(_NO_CHANGE) for t in texts), (row.rule_id, drug, p)
    assert checked > 100
    ppi = next(r for r in KB.rules["pgx"] if r.rule_id == "pgx-2c19-ppi-um")
    assert "esomeprazole" not in KB.expand(ppi["drugs"])
