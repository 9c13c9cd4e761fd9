"""Medication screening: pure functions over frozen dataclasses (no Qt, no SQL).

    from mmsdesk.clinical.screening import screen, PatientContext, MedicationInput, Alert
    result = screen(PatientContext(medications=(MedicationInput("Coumadin", ("warfarin",)),
                                                MedicationInput("Advil", ("ibuprofen",)))))

Rules live in ``resources/knowledge/screening/*.csv``; each row names its source and the date
it was reviewed. A drug side of a rule is an ingredient ("amiodarone"), several ("a|b"), or a
drug class by ATC code prefix ("atc:M01A" = NSAIDs), looked up in the drug dictionary.

This module holds the drug-drug interaction rules needed by the chart's live alerts; the other
kinds of screening (older-adult criteria, kidney dosing, allergy, PGx, duplication) add their
rule files and checks here under the same ``Alert`` shape.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path

SEVERITY_ORDER = {"high": 0, "moderate": 1, "low": 2}


@dataclass(frozen=True)
class MedicationInput:
    text: str
    ingredients: tuple[str, ...]  # lowercase generic names; empty when unrecognised


@dataclass(frozen=True)
class PatientContext:
    medications: tuple[MedicationInput, ...] = ()
    allergies: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Alert:
    kind: str
    severity: str  # high | moderate | low
    drugs: tuple[str, ...]  # lowercase ingredients involved, sorted
    title: str
    detail: str
    recommendation: str
    references: tuple[str, ...]
    rule_id: str

    @property
    def key(self) -> str:
        """Stable identity for acknowledgements: kind, rule and the sorted drugs."""
        return f"{self.kind}:{self.rule_id}:{';'.join(sorted(self.drugs))}"


@dataclass(frozen=True)
class ScreeningResult:
    alerts: list[Alert]
    risk_profile: dict[str, int | float] = field(default_factory=dict)
    knowledge_base: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class InteractionRule:
    rule_id: str
    drug_a: str
    drug_b: str
    severity: str
    title: str
    detail: str
    recommendation: str
    source: str
    reviewed_on: str


Classifier = Callable[[str], str]  # ingredient -> ATC code ("" when unknown)


def knowledge_folder() -> Path:
    from mmsdesk import paths

    return paths.knowledge_dir() / "screening"


@lru_cache(maxsize=4)
def load_rules(folder: Path | None = None) -> tuple[InteractionRule, ...]:
    folder = folder or knowledge_folder()
    with open(folder / "interactions.csv", encoding="utf-8", newline="") as f:
        rules = tuple(InteractionRule(**row) for row in csv.DictReader(f))
    for r in rules:
        if not (r.source.strip() and r.reviewed_on.strip()) or r.severity not in SEVERITY_ORDER:
            raise ValueError(f"screening rule {r.rule_id} needs a source, a review date and a "
                             "known severity")
    return rules


def dictionary_atc(ingredient: str) -> str:
    from mmsdesk.clinical.dictionary import get_dictionary

    ing = get_dictionary().ingredient(ingredient)
    return ing.atc if ing else ""


def matches(side: str, ingredient: str, atc: Classifier) -> bool:
    for term in side.split("|"):
        term = term.strip().lower()
        if term.startswith("atc:"):
            prefix = term[4:].upper()
            if prefix and atc(ingredient).upper().startswith(prefix):
                return True
        elif term == ingredient:
            return True
    return False


def interactions(ctx: PatientContext, rules: tuple[InteractionRule, ...],
                 atc: Classifier) -> list[Alert]:
    """One alert per rule and pair of different medicines that it matches."""
    codes: dict[str, str] = {}

    def code(ingredient: str) -> str:
        if ingredient not in codes:
            codes[ingredient] = atc(ingredient)
        return codes[ingredient]

    # Which rule sides each ingredient matches, worked out once per ingredient.
    sides: dict[str, tuple[set[int], set[int]]] = {}
    for m in ctx.medications:
        for ing in m.ingredients:
            if ing not in sides:
                sides[ing] = ({i for i, r in enumerate(rules) if matches(r.drug_a, ing, code)},
                              {i for i, r in enumerate(rules) if matches(r.drug_b, ing, code)})
    alerts: dict[str, Alert] = {}
    meds = [m for m in ctx.medications if m.ingredients]
    for m1, m2 in combinations(meds, 2):
        for a in m1.ingredients:
            for b in m2.ingredients:
                if a == b:
                    continue
                hits = (sides[a][0] & sides[b][1]) | (sides[b][0] & sides[a][1])
                for i in sorted(hits):
                    rule = rules[i]
                    alert = Alert(
                        "interaction", rule.severity, tuple(sorted((a, b))), rule.title,
                        f"{m1.text} and {m2.text}: {rule.detail}", rule.recommendation,
                        (f"{rule.source} (reviewed {rule.reviewed_on})",), rule.rule_id)
                    alerts.setdefault(alert.key, alert)
    return sorted(alerts.values(), key=lambda x: (SEVERITY_ORDER[x.severity], x.title))


def screen(ctx: PatientContext, *, atc: Classifier | None = None,
           rules: tuple[InteractionRule, ...] | None = None) -> ScreeningResult:
    rules = rules if rules is not None else load_rules()
    alerts = interactions(ctx, rules, atc or dictionary_atc)
    profile: dict[str, int | float] = {
        "medications": len(ctx.medications),
        "unrecognised": sum(not m.ingredients for m in ctx.medications),
        "high": sum(a.severity == "high" for a in alerts),
        "moderate": sum(a.severity == "moderate" for a in alerts),
        "low": sum(a.severity == "low" for a in alerts),
    }
    reviewed = max((r.reviewed_on for r in rules), default="")
    return ScreeningResult(alerts, profile, {"interaction_rules": str(len(rules)),
                                             "reviewed_on": reviewed})
