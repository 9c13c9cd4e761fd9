"""Every knowledge rule, one data-driven case each: the rule fires, and its negative does not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mmsdesk.clinical.screening import PatientContext, get_knowledge, screen
from tests.clinical.screening_cases import (
    condition_name,
    fired,
    med,
    members,
    older,
    pair_cases,
    rule_ids,
)

KB = get_knowledge()


def _ids(file: str) -> list:
    return [pytest.param(r, id=r.rule_id) for r in KB.rules[file]]


@pytest.mark.parametrize("row", _ids("interactions"))
def test_interaction_rule(row):
    for x, y in pair_cases(KB, row):
        result = screen(PatientContext((med(x), med(y)), age=50))
        assert fired(result, row, "interaction", {x, y}), (x, y, result.alerts)
        # never inside one combination product
        combo = screen(PatientContext((med(x, y),), age=50))
        assert row.rule_id not in rule_ids(combo)


@pytest.mark.parametrize("row", _ids("duplicates"))
def test_duplicate_rule(row):
    a = members(KB, row["a"])
    b = members(KB, row["b"]) if row["b"] else a
    x, y = a[0], next((c for c in b if c != a[0]), b[0])
    result = screen(PatientContext((med(x), med(y)), age=50))
    assert fired(result, row, "duplicate", {x, y}), result.alerts
    assert row.rule_id not in rule_ids(screen(PatientContext((med(x, y),), age=50)))


@pytest.mark.parametrize("row", _ids("beers"))
def test_beers_rule(row):
    conditions = (condition_name(KB, row["condition"]),) if row["condition"] else ()
    for drug in (members(KB, row["drugs"])[0], members(KB, row["drugs"])[-1]):
        result = screen(older(medications=(med(drug),), conditions=conditions))
        assert fired(result, row, "beers", {drug}), (drug, result.alerts)
        young = screen(PatientContext((med(drug),), age=60, conditions=conditions))
        assert not [a for a in young.alerts if a.kind == "beers"]
        if conditions:
            assert row.rule_id not in rule_ids(screen(older(medications=(med(drug),))))


@pytest.mark.parametrize("row", _ids("drug_disease"))
def test_drug_disease_rule(row):
    keywords, icd10 = KB.condition_groups[row["condition"]]
    drug = members(KB, row["drugs"])[0]
    by_name = screen(PatientContext((med(drug),), age=50, conditions=(keywords[0].title(),)))
    assert fired(by_name, row, "drug-disease", {drug}), by_name.alerts
    by_code = screen(PatientContext((med(drug),), age=50, condition_codes=(icd10[0] + "9",)))
    assert fired(by_code, row, "drug-disease", {drug})
    assert row.rule_id not in rule_ids(screen(PatientContext((med(drug),), age=50)))


def kidney_ctx(measure: str, value: float, drug: str, release: str = "") -> PatientContext:
    """A patient whose kidney function on ``measure`` is ``value`` (CrCl by Cockcroft-Gault from
    a 70-year-old man of 70 kg, the creatinine chosen to give it)."""
    m = replace(med(drug), release=release)
    if measure == "egfr":
        return PatientContext((m,), egfr=value)
    return PatientContext((m,), age=70, sex="male", weight_kg=70,
                          creatinine=70 * 70 / (72 * value))


# Each renal.psv row (Beers 2023 Table 6, the labels and KDIGO sections its "section" column
# names): it fires on its own measure just past its threshold, and not just inside it.
@pytest.mark.parametrize("row", _ids("renal"))
def test_renal_rule(row):
    op, limit = row["threshold"][:2].strip("0123456789."), float(row["threshold"].lstrip("<="))
    worse, better = (limit - 1 if op == "<" else limit), limit + 1
    thresholds = {r.rule_id: float(r["threshold"].lstrip("<=")) for r in KB.rules["renal"]}
    for drug in members(KB, row["drugs"]):
        result = screen(kidney_ctx(row["measure"], worse, drug, row["release"]))
        alerts = [a for a in result.alerts if a.kind == "renal" and a.drugs == (drug,)]
        assert alerts and thresholds[alerts[0].rule_id] <= limit, (drug, result.alerts)
        assert any(row["measure"] == "crcl" and "Cockcroft-Gault" in e
                   or row["measure"] == "egfr" and e.startswith("eGFR")
                   for e in alerts[0].evidence), alerts[0].evidence
        ok = screen(kidney_ctx(row["measure"], better, drug, row["release"]))
        assert row.rule_id not in rule_ids(ok)


@pytest.mark.parametrize("row", _ids("allergy"))
def test_allergy_rule(row):
    drug = members(KB, row["drugs"])[-1]
    for alias in KB.allergy_groups[row["allergy"]][:3]:
        result = screen(PatientContext((med(drug),), allergies=(alias.upper(),)))
        assert fired(result, row, "allergy", {drug}), (alias, result.alerts)
    assert not screen(PatientContext((med(drug),), allergies=("latex",))).alerts


@pytest.mark.parametrize("row", _ids("pgx"))
def test_pgx_rule(row):
    phenotypes = [p.strip() for p in row["phenotypes"].split(",")]
    for drug in members(KB, row["drugs"]):
        for phenotype in phenotypes:
            ctx = PatientContext((med(drug),), pgx=((row["gene"], phenotype.title()),))
            assert fired(screen(ctx), row, "pgx", {drug}), (drug, phenotype)
        neg = PatientContext((med(drug),), pgx=((row["gene"], "Indeterminate"),))
        assert row.rule_id not in rule_ids(screen(neg))


@pytest.mark.parametrize("row", _ids("acb"))
def test_acb_score(row):
    result = screen(PatientContext((med(row["drug"]),)))
    score = int(row["score"])
    assert result.risk_profile["anticholinergic"] == score
    assert any(a.kind == "anticholinergic" for a in result.alerts) == (score >= 3)


@pytest.mark.parametrize("row", _ids("risk_groups"))
def test_risk_group(row):
    need = int(row["alert_at"])
    if row["group"] == "anticholinergic":
        drugs = ["cetirizine", "loratadine", "ranitidine"]  # three drugs of score 1
    else:
        drugs = members(KB, row["members"])[:need]
    result = screen(PatientContext(tuple(med(d) for d in drugs)))
    assert result.risk_profile[row["group"]] == need
    assert row.rule_id in rule_ids(result)
    fewer = screen(PatientContext(tuple(med(d) for d in drugs[:-1])))
    assert fewer.risk_profile[row["group"]] == need - 1
    assert row.rule_id not in rule_ids(fewer)


def test_every_rule_cites_a_source_and_review_date():
    for file, rows in KB.rules.items():
        for r in rows:
            assert KB.references(r), (file, r.rule_id)
            assert r["reviewed"] <= KB.reviewed
    assert KB.version and KB.reviewed
    assert len(KB.rules["interactions"]) >= 250


def _overlaps() -> list:
    """Beers drug-disease rows that an any-age drug-disease row also covers (drug and condition)."""
    cases = []
    for b in KB.rules["beers"]:
        if not b["condition"]:
            continue
        for d in KB.rules["drug_disease"]:
            shared = KB.expand(b["drugs"]) & KB.expand(d["drugs"])
            if d["condition"] == b["condition"] and shared:
                cases.append(pytest.param(b, d, sorted(shared)[0], id=f"{b.rule_id}+{d.rule_id}"))
    return cases


@pytest.mark.parametrize(("beers", "disease", "drug"), _overlaps())
def test_older_adult_gets_one_alert_per_drug_and_condition(beers, disease, drug):
    """Alert fatigue: an 80-year-old with heart failure on ibuprofen sees one caution, not two."""
    conditions = (condition_name(KB, beers["condition"]),)
    result = screen(older(medications=(med(drug),), conditions=conditions))
    assert disease.rule_id not in rule_ids(result), result.alerts
    same = [a for a in result.alerts if a.drugs == (drug,) and a.kind == "beers"]
    assert len(same) == 1, same
    (alert,) = same
    for ref in KB.references(disease):
        assert ref in alert.references
    # Younger than 65, the drug-disease caution stands on its own; older, its advice is kept.
    young = screen(PatientContext((med(drug),), age=50, conditions=conditions))
    (own,) = [a for a in young.alerts if a.kind == "drug-disease" and a.drugs == (drug,)]
    assert own.recommendation in alert.recommendation


def test_overlapping_cautions_exist_to_be_merged():
    assert len(_overlaps()) >= 3
