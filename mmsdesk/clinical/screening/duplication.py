"""Same ingredient in two or more active medicines (``same_ingredient.psv``).

Brand and generic ("Zocor" and simvastatin), a combination product and a single one (Norco and
Tylenol Extra Strength: two acetaminophens), or two strengths of one medicine both active: one
alert per ingredient, listing every entry that contains it. A class duplication between two
entries of the same ingredient is left to this alert (see ``engine._pairs``).
"""

from __future__ import annotations

from mmsdesk.clinical.screening.knowledge import Knowledge, Row
from mmsdesk.clinical.screening.model import Alert, MedicationInput

_COUNT = {2: "two", 3: "three", 4: "four"}


def _row_for(kb: Knowledge, ingredient: str) -> Row:
    default = None
    for row in kb.rules["same_ingredient"]:
        if not row["drugs"]:
            default = default or row
        elif ingredient in kb.expand(row["drugs"]):
            return row
    assert default is not None, "same_ingredient.psv needs a row with no drugs (the default)"
    return default


def _daily_total(meds: list[MedicationInput], ingredient: str) -> str:
    """'together 4,000 mg a day' when every entry's daily amount is known in one unit."""
    total, units = 0.0, set()
    for m in meds:
        _, per_day, unit = m.amount_of(ingredient)
        if per_day is None:
            return ""
        total += per_day
        units.add(unit)
    if len(units) != 1:
        return ""
    return f"Together up to {total:,.0f} {units.pop()} of {ingredient} a day."


# Routes that reach the body the same way: one ingredient twice within a group adds up; oral
# furosemide and an injection of it (a hospital's IV order beside the home tablets) do not
# make a duplicate at home. A medicine named without form or route ("Lasix 40mg") is counted
# as taken by mouth, as a medicine kept at home almost always is.
_ROUTE_GROUP = {"": "enteral", "oral": "enteral", "sublingual": "enteral", "buccal": "enteral",
                "enteral": "enteral", "injection": "parenteral", "intravenous": "parenteral",
                "intramuscular": "parenteral", "subcutaneous": "parenteral"}


def _route_groups(meds: list[MedicationInput], where: list[int]) -> list[list[int]]:
    """``where`` split by route group."""
    groups: dict[str, list[int]] = {}
    for i in where:
        route = " ".join(meds[i].route.lower().split())
        groups.setdefault(_ROUTE_GROUP.get(route, route), []).append(i)
    return list(groups.values())


def same_ingredient(kb: Knowledge, meds: list[MedicationInput]) -> list[Alert]:
    holders: dict[str, list[int]] = {}
    for i, m in enumerate(meds):
        for ingredient in dict.fromkeys(m.ingredients):
            holders.setdefault(ingredient, []).append(i)
    out = []
    for ingredient, held in sorted(holders.items()):
        groups = [g for g in _route_groups(meds, held) if len(g) >= 2]
        if not groups:
            continue
        where = sorted({i for g in groups for i in g})  # one alert per ingredient
        row = _row_for(kb, ingredient)
        entries = [meds[i] for i in where]
        count = _COUNT.get(len(entries), str(len(entries)))
        texts = [m.text for m in entries]
        detail = f"{ingredient.capitalize()} is in {count} active entries: {'; '.join(texts)}."
        total = _daily_total(entries, ingredient)
        evidence = tuple(f"{m.text}: contains {ingredient}" for m in entries)
        out.append(Alert("duplicate", row["severity"], (ingredient,),
                         f"{ingredient.capitalize()} in {count} medicines",
                         f"{detail} {total}".strip(), row["recommendation"],
                         kb.references(row), row.rule_id,
                         evidence + ((total,) if total else ())
                         + ((f"Source: {row['section']}",) if row["section"] else ())))
    return out


def regular_use_only(alerts: list[Alert], meds: list[MedicationInput]) -> list[Alert]:
    """STOPP v3 A3 counts a duplicate drug class 'for daily regular use (as distinct from PRN
    use)': a class duplicate where one of the two medicines is taken as needed (a long-acting
    opioid with an as-needed one for breakthrough pain) is not flagged. One ingredient twice is
    (``same_ingredient``): the doses add up however they are taken."""
    out = []
    for a in alerts:
        holders = [m for m in meds if set(a.drugs) & set(m.ingredients)]
        prn = [m for m in holders if getattr(m, "as_needed", False)]
        if len(a.drugs) == 2 and prn and len(prn) < len(holders):
            continue
        out.append(a)
    return out
