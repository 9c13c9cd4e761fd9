"""``screen(ctx)``: run every rule family over one patient's active medications."""

from __future__ import annotations

import re
from dataclasses import replace

from mmsdesk.clinical.screening.beers import apply_beers_text
from mmsdesk.clinical.screening.currency import current_medications
from mmsdesk.clinical.screening.duplication import regular_use_only, same_ingredient
from mmsdesk.clinical.screening.grouping import (
    group_nsaid_partners,
    group_risks,
    one_allergy_alert_per_medicine,
)
from mmsdesk.clinical.screening.kidney import kidney
from mmsdesk.clinical.screening.knowledge import Knowledge, Row, get_knowledge
from mmsdesk.clinical.screening.measured import (
    doac_alerts,
    dose_alerts,
    inr_alerts,
    lab_alerts,
    renal_alerts,
)
from mmsdesk.clinical.screening.model import (
    SEVERITIES,
    Alert,
    MedicationInput,
    PatientContext,
    ScreeningResult,
)
from mmsdesk.clinical.screening.patient_facts import (
    allergy_groups_of,
    condition_groups_of,
)
from mmsdesk.clinical.screening.pgx import pgx_alerts

BEERS_AGE = 65
_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def screen(ctx: PatientContext, knowledge: Knowledge | None = None) -> ScreeningResult:
    kb = knowledge or get_knowledge()
    meds, warnings = current_medications(ctx)
    sets = [frozenset(m.ingredients) for m in meds]
    present = frozenset().union(*sets) if sets else frozenset()
    alerts: list[Alert] = []
    alerts += _pairs(kb, "interactions", "interaction", meds, sets, present)
    alerts += regular_use_only(_pairs(kb, "duplicates", "duplicate", meds, sets, present), meds)
    alerts += same_ingredient(kb, meds)
    conditions = condition_groups_of(kb, ctx.conditions, ctx.condition_codes)
    beers: list[Alert] = []
    if ctx.age is not None and ctx.age >= BEERS_AGE:
        beers = apply_beers_text(kb, _single(kb, "beers", "beers", present,
                                             lambda r: not r["condition"]
                                             or r["condition"] in conditions), meds, present,
                                 ctx.sex)
    alerts += beers
    alerts += _single(kb, "drug_disease", "drug-disease", present,
                      lambda r: r["condition"] in conditions)
    k = kidney(ctx)
    warnings += k.warnings
    alerts += renal_alerts(kb, ctx, meds, present, k)
    alerts += dose_alerts(kb, ctx, meds, present, k)
    alerts += doac_alerts(kb, ctx, meds, k)
    allergies = allergy_groups_of(kb, ctx.allergies)
    alerts += _single(kb, "allergy", "allergy", present, lambda r: r["allergy"] in allergies)
    alerts += _allergy_same_drug(kb, ctx.allergies, present)
    alerts += pgx_alerts(kb, ctx.pgx, present)
    profile, load_alerts = _loads(kb, meds, sets)
    alerts += load_alerts
    alerts = _dedupe(alerts, {r.rule_id for r in kb.rules["risk_groups"]})
    alerts, lab_warnings = lab_alerts(kb, ctx, meds, alerts)
    inr, inr_warnings = inr_alerts(kb, ctx, present)
    alerts += inr
    warnings += lab_warnings + inr_warnings
    alerts = one_allergy_alert_per_medicine(group_nsaid_partners(kb, group_risks(kb, alerts)),
                                            meds)
    alerts = _merge_disease_cautions(kb, alerts, beers)
    alerts.sort(key=lambda a: (_RANK[a.severity], a.kind, a.drugs))
    return ScreeningResult(alerts, profile, {"version": kb.version, "reviewed": kb.reviewed},
                           list(dict.fromkeys(warnings)))


def _alert(kb: Knowledge, kind: str, row: Row, drugs: tuple[str, ...], detail: str,
           title: str = "") -> Alert:
    # the exact table, section or label section the row comes from, where the row names it
    source = (f"Source: {row['section']}",) if row["section"] else ()
    return Alert(kind, row["severity"], drugs, title or row["title"], detail,
                 row["recommendation"], kb.references(row), row.rule_id, source)


def _pair_index(kb: Knowledge, file: str) -> tuple[list[tuple[Row, frozenset[str], frozenset[str]]],
                                                    dict[str, list[int]]]:
    """Each rule's two ingredient sets, and ingredient -> rules naming it on side a (cached)."""
    key = f"_pairs_{file}"
    cached = kb.terms.get(key)
    if cached is None:
        rules = [(r, kb.expand(r["a"]), kb.expand(r["b"]) if r["b"] else kb.expand(r["a"]))
                 for r in kb.rules[file]]
        index: dict[str, list[int]] = {}
        for n, (_, a, _) in enumerate(rules):
            for name in a:
                index.setdefault(name, []).append(n)
        cached = kb.terms[key] = (rules, index)  # type: ignore[assignment]
    return cached  # type: ignore[return-value]


def _pairs(kb: Knowledge, file: str, kind: str, meds: list[MedicationInput],
           sets: list[frozenset[str]], present: frozenset[str]) -> list[Alert]:
    """Rules between two different medications (never inside one combination product)."""
    rules, index = _pair_index(kb, file)
    candidates = sorted({n for name in present for n in index.get(name, ())})
    out: list[Alert] = []
    for n in candidates:
        row, a, b = rules[n]
        if not (present & b):
            continue
        on_a = [i for i, s in enumerate(sets) if s & a]
        on_b = [j for j, s in enumerate(sets) if s & b]
        seen: set[tuple[str, str]] = set()
        for i in on_a:
            for j in on_b:
                if i == j:
                    continue
                for p in sets[i] & a:
                    for q in sets[j] & b:
                        if p == q:  # one ingredient twice: duplication.same_ingredient
                            continue
                        pair = (p, q) if p <= q else (q, p)
                        if pair in seen:
                            continue
                        seen.add(pair)
                        drugs = (p,) if p == q else pair
                        if kind == "interaction":
                            detail = row["mechanism"]
                        else:
                            first, second = (meds[i], meds[j]) if i < j else (meds[j], meds[i])
                            detail = (f"{first.text} and {second.text} are both "
                                      f"{kb.class_labels.get(row['a'].lstrip('@'), 'in this class')}.")
                        out.append(_alert(kb, kind, row, drugs, detail))
    return out


def _single(kb: Knowledge, file: str, kind: str, present: frozenset[str], applies) -> list[Alert]:
    out = []
    for row in kb.rules[file]:
        hit = present & kb.expand(row["drugs"])
        if hit and applies(row):
            for drug in sorted(hit):
                out.append(_alert(kb, kind, row, (drug,), row["detail"] or row["title"]))
    return out


def _allergy_same_drug(kb: Knowledge, allergies: tuple[str, ...],
                       present: frozenset[str]) -> list[Alert]:
    out = []
    texts = [a.lower() for a in allergies]
    for drug in sorted(present):
        pattern = re.compile(rf"\b{re.escape(drug)}\b")
        if any(pattern.search(t) for t in texts):
            out.append(Alert("allergy", "high", (drug,), f"Recorded allergy to {drug}",
                             f"The allergy list names {drug}, which this regimen contains.",
                             "Confirm the reaction history with the patient; do not give unless "
                             "the allergy has been ruled out by the prescriber.",
                             (kb.sources["label"],), "allergy-same-drug"))
    return out


def _loads(kb: Knowledge, meds: list[MedicationInput],
           sets: list[frozenset[str]]) -> tuple[dict[str, int | float], list[Alert]]:
    present = frozenset().union(*sets) if sets else frozenset()
    acb = {r["drug"]: int(r["score"]) for r in kb.rules["acb"]}
    profile: dict[str, int | float] = {}
    alerts: list[Alert] = []
    for row in kb.rules["risk_groups"]:
        group = row["group"]
        if group == "anticholinergic":
            drugs = sorted(d for d in present if acb.get(d, 0) > 0)
            total = sum(acb[d] for d in drugs)
        else:
            drugs = sorted(present & kb.expand(row["members"]))
            total = len(drugs)
        profile[group] = total
        if drugs and total >= int(row["alert_at"]):
            kind = "anticholinergic" if group == "anticholinergic" else "interaction"
            detail = f"{row['label']}: total {total} from {', '.join(drugs)}."
            alerts.append(_alert(kb, kind, row, tuple(drugs), detail,
                                 f"High {row['label'].lower()} ({total})"))
    return profile, alerts


def _merge_disease_cautions(kb: Knowledge, alerts: list[Alert],
                            beers: list[Alert]) -> list[Alert]:
    """One caution per drug for a condition: where an older-adult (Beers) rule about a condition
    fired for a drug, an any-age drug-disease alert about the same drug and condition is folded
    into that drug's Beers alert (the more severe grade, both sources, its advice added)."""
    condition = {r.rule_id: r["condition"] for r in kb.rules["beers"] if r["condition"]}
    covered = {(a.drugs, condition[a.rule_id]) for a in beers if a.rule_id in condition}
    if not covered:
        return alerts
    dd_condition = {r.rule_id: r["condition"] for r in kb.rules["drug_disease"]}
    survivor = {a.drugs: i for i, a in enumerate(alerts) if a.kind == "beers"}
    out, folded = list(alerts), set()
    for i, a in enumerate(alerts):
        if a.kind != "drug-disease" or (a.drugs, dd_condition[a.rule_id]) not in covered:
            continue
        j = survivor.get(a.drugs)
        if j is None:
            continue
        b = out[j]
        advice = b.recommendation
        if a.recommendation and a.recommendation not in advice:
            advice = f"{advice} {a.recommendation}".strip()
        refs = b.references + tuple(r for r in a.references if r not in b.references)
        out[j] = replace(b, severity=min(b.severity, a.severity, key=_RANK.__getitem__),
                         recommendation=advice, references=refs)
        folded.add(i)
    return [a for i, a in enumerate(out) if i not in folded]


def _dedupe(alerts: list[Alert], loads: set[str]) -> list[Alert]:
    """One alert per kind and drug set: the most severe rule wins (first in file on a tie).
    Each cumulative-load alert stands on its own."""
    best: dict[tuple[str, frozenset[str], str], Alert] = {}
    for a in alerts:
        k = (a.kind, frozenset(a.drugs), a.rule_id if a.rule_id in loads else "")
        if k not in best or _RANK[a.severity] < _RANK[best[k].severity]:
            best[k] = a
    return list(best.values())
