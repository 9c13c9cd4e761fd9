"""Build minimal patients from the rule files: one positive (and negative) case per rule."""

from __future__ import annotations

from dataclasses import replace

from mmsdesk.clinical.screening import MedicationInput, PatientContext, ScreeningResult
from mmsdesk.clinical.screening.knowledge import Knowledge, Row
from mmsdesk.clinical.screening.model import SEVERITIES

RANK = {s: i for i, s in enumerate(SEVERITIES)}


def med(*ingredients: str) -> MedicationInput:
    return MedicationInput(" / ".join(ingredients), tuple(ingredients))


def members(kb: Knowledge, term: str) -> list[str]:
    return sorted(kb.expand(term))


def fired(result: ScreeningResult, row: Row, kind: str, drugs: set[str] | None = None) -> bool:
    """The rule fired, or another rule of the same kind and at least its severity covers the
    same drugs (one alert per drug set: the most severe wins)."""
    for a in result.alerts:
        if a.rule_id in _grouped_into(row.rule_id) and (drugs is None or drugs <= set(a.drugs)):
            return True  # folded into its cumulative-risk alert (grouping.py)
        if a.kind != kind or (drugs is not None and set(a.drugs) != drugs):
            continue
        if a.rule_id == row.rule_id or RANK[a.severity] <= RANK[row["severity"]]:
            return True
    return False


def _grouped_into(rule_id: str) -> set[str]:
    from mmsdesk.clinical.screening import get_knowledge

    kb = get_knowledge()
    return {g.rule_id for g in kb.rules["risk_groups"] + kb.rules["lab_risks"]
            if rule_id in {r.strip() for r in g["rules"].split(",")}}


def rule_ids(result: ScreeningResult) -> set[str]:
    return {a.rule_id for a in result.alerts}


def pair_cases(kb: Knowledge, row: Row) -> list[tuple[str, str]]:
    """Two member pairs per rule (first and last members), never a drug with itself."""
    a = members(kb, row["a"])
    b = members(kb, row["b"]) if row["b"] else a
    cases = []
    for x in (a[0], a[-1]):
        y = next((c for c in (b if x == a[0] else reversed(b)) if c != x), None)
        if y is not None and (x, y) not in cases:
            cases.append((x, y))
    return cases


def condition_name(kb: Knowledge, group: str) -> str:
    return kb.condition_groups[group][0][0]


def older(**kw: object) -> PatientContext:
    return replace(PatientContext(age=78), **kw)
