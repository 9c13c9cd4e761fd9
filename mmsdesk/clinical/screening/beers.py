"""Beers 2023 criteria as their own text limits them (``beers.psv`` columns ``section`` and
``exception``).

An exception is applied only when the record shows it: nifedipine or dipyridamole that is
extended-release, doxepin at 6 mg a day or less, aspirin at 325 mg a day or less, estrogen
written as vaginal, a short-acting insulin beside a basal one, a criterion for one sex when
the record gives the other. When the record cannot tell
(no release, no strength), the criterion stands.
"""

from __future__ import annotations

import re
from dataclasses import replace

from mmsdesk.clinical.screening.knowledge import Knowledge
from mmsdesk.clinical.screening.model import Alert, MedicationInput

_EXTENDED = re.compile(r"\b(er|xl|sr|cr|la|xr|cc|extended|sustained|controlled|osmotic|"
                       r"24 ?hr?|12 ?hr?)\b", re.I)
_VAGINAL = re.compile(r"\b(vaginal|vaginally|intravaginal|vag|vaginal ring|estring|vagifem|"
                      r"yuvafem|imvexxy|femring)\b", re.I)
_ABOVE = re.compile(r"above (\d+(?:\.\d+)?) mg a day")
BASAL_INSULINS = frozenset({"insulin glargine", "insulin detemir", "insulin degludec",
                            "insulin isophane"})
_MG = {"mg": 1.0, "mcg": 0.001, "g": 1000.0}


def _extended(m: MedicationInput) -> bool:
    return getattr(m, "release", "") in ("extended", "delayed") or bool(_EXTENDED.search(m.text))


def _at_most(m: MedicationInput, drug: str, limit: float) -> bool:
    """The medicine's daily amount of ``drug`` is known to be within ``limit`` mg: from the
    directions, or, when they do not say, a unit strength within the limit (one a day)."""
    _, per_day, unit = m.amount_of(drug)
    if per_day is not None and unit in _MG:
        return per_day * _MG[unit] <= limit
    for name, amount, unit in getattr(m, "components", ()):
        if name == drug and amount is not None and unit in _MG:
            return per_day is None and amount * _MG[unit] <= limit
    return False


def exempt(exception: str, drug: str, meds: list[MedicationInput],
           present: frozenset[str], sex: str = "") -> bool:
    """Every medicine containing ``drug`` falls under the criterion's own exception (one of
    several, separated by ';')."""
    holders = [m for m in meds if drug in m.ingredients]
    if not exception or not holders:
        return False
    if ";" in exception:
        return any(exempt(e.strip(), drug, meds, present, sex) for e in exception.split(";"))
    if exception in ("men only", "women only"):  # applied when the record gives the sex
        wanted = "male" if exception == "men only" else "female"
        return sex in ("male", "female") and sex != wanted
    if exception == "immediate-release only":
        return all(_extended(m) for m in holders)
    if exception == "vaginal exempt":
        return all(_VAGINAL.search(m.text) for m in holders)
    if exception == "without basal insulin":
        return bool(present & BASAL_INSULINS)
    above = _ABOVE.search(exception)
    if above:
        named = exception.split(" above ")[0].strip()
        if named != drug:  # "doxepin above 6 mg a day" limits doxepin only, not the row's others
            return False
        return all(_at_most(m, drug, float(above.group(1))) for m in holders)
    raise ValueError(f"beers.psv: unknown exception {exception!r}")


def apply_beers_text(kb: Knowledge, alerts: list[Alert], meds: list[MedicationInput],
                     present: frozenset[str], sex: str = "") -> list[Alert]:
    """Drop the alerts a criterion's exception covers (each names its table and entry in its
    evidence, 'Source: Table 2, ...', as every rule row with a section does)."""
    rows = {r.rule_id: r for r in kb.rules["beers"]}
    out = []
    for a in alerts:
        row = rows.get(a.rule_id)
        if row is None:
            out.append(a)
            continue
        if not exempt(row["exception"], a.drugs[0], meds, present, sex):
            out.append(a)
    return _one_per_drug(out, rows)


def _one_per_drug(alerts: list[Alert], rows: dict) -> list[Alert]:  # type: ignore[type-arg]
    """One Beers alert per drug: the most severe; on a tie the criterion about one of the
    patient's conditions (it says more than the general one). The others stay as evidence."""
    rank = {"high": 0, "moderate": 1, "low": 2}
    by_drug: dict[tuple[str, ...], list[Alert]] = {}
    for a in alerts:
        by_drug.setdefault(a.drugs, []).append(a)
    out = []
    for group in by_drug.values():
        group.sort(key=lambda a: (rank[a.severity], not rows[a.rule_id]["condition"]
                                  if a.rule_id in rows else True))
        first, rest = group[0], group[1:]
        if rest:
            refs = first.references + tuple(r for a in rest for r in a.references
                                            if r not in first.references)
            first = replace(first, evidence=first.evidence + tuple(
                f"Also {a.title[0].lower()}{a.title[1:]}: {a.detail}" for a in rest),
                references=tuple(dict.fromkeys(refs)))
        out.append(first)
    return out
