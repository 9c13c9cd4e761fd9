"""Structured directions ("sig") rendered as the plain-language line a patient reads.

``Directions(1, "tablet", "oral", "daily", ("morning",))`` reads
"Take 1 tablet by mouth every morning"; ``Directions(2, "puff", "inhaled", "q4h",
as_needed=True, as_needed_reason="shortness of breath")`` reads "Inhale 2 puffs by mouth every
4 hours as needed for shortness of breath". Codes are stored in ``MedicationEntry`` (dose_amount,
dose_unit, route, frequency, times_of_day, as_needed, as_needed_reason).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# route code -> (verb, phrase after the dose)
ROUTES: dict[str, tuple[str, str]] = {
    "oral": ("Take", "by mouth"),
    "inhaled": ("Inhale", "by mouth"),
    "sublingual": ("Place", "under the tongue"),
    "topical": ("Apply", "to the skin"),
    "transdermal": ("Apply", "to the skin"),
    "subcutaneous": ("Inject", "under the skin"),
    "intramuscular": ("Inject", "into the muscle"),
    "nasal": ("Use", "in each nostril"),
    "ophthalmic": ("Instill", "in the affected eye"),
    "otic": ("Instill", "in the affected ear"),
    "rectal": ("Insert", "rectally"),
    "vaginal": ("Insert", "vaginally"),
}
ROUTE_LABELS: dict[str, str] = {
    "oral": "By mouth", "inhaled": "Inhaled", "sublingual": "Under the tongue",
    "topical": "On the skin", "transdermal": "Patch on the skin", "subcutaneous": "Injection under the skin",
    "intramuscular": "Injection into the muscle", "nasal": "In the nose", "ophthalmic": "In the eye",
    "otic": "In the ear", "rectal": "Rectal", "vaginal": "Vaginal",
}
_ROUTE_SYNONYMS = {
    "by mouth": "oral", "po": "oral", "mouth": "oral", "inhalation": "inhaled", "inh": "inhaled",
    "respiratory (inhalation)": "inhaled", "sl": "sublingual", "subq": "subcutaneous",
    "sc": "subcutaneous", "im": "intramuscular", "cutaneous": "topical", "skin": "topical",
    "intranasal": "nasal", "eye": "ophthalmic", "ear": "otic", "pr": "rectal",
}

# frequency code -> plain text (used when no time of day is chosen)
FREQUENCIES: dict[str, str] = {
    "daily": "once a day",
    "bid": "twice a day",
    "tid": "three times a day",
    "qid": "four times a day",
    "q4h": "every 4 hours",
    "q6h": "every 6 hours",
    "q8h": "every 8 hours",
    "q12h": "every 12 hours",
    "qod": "every other day",
    "weekly": "once a week",
    "monthly": "once a month",
    "once": "one time only",
}
TIMES_OF_DAY: tuple[str, ...] = ("morning", "noon", "evening", "bedtime")
# frequency code -> administrations a day (for an interval, the most it allows in 24 hours)
ADMINISTRATIONS_PER_DAY: dict[str, float] = {
    "daily": 1, "bid": 2, "tid": 3, "qid": 4, "q4h": 6, "q6h": 4, "q8h": 3, "q12h": 2,
    "qod": 0.5, "weekly": 1 / 7, "monthly": 1 / 30, "once": 0}
_TIME_PHRASES = {"morning": "morning", "noon": "noon", "evening": "evening", "bedtime": "bedtime"}

# unit -> plural
UNITS: dict[str, str] = {
    "tablet": "tablets", "capsule": "capsules", "puff": "puffs", "spray": "sprays",
    "drop": "drops", "patch": "patches", "mL": "mL", "teaspoon": "teaspoons", "unit": "units",
    "mg": "mg", "mcg": "mcg", "g": "g", "suppository": "suppositories", "packet": "packets",
    "application": "applications", "injection": "injections", "lozenge": "lozenges",
}
_FRACTIONS = {0.25: "¼", 0.5: "½", 0.75: "¾"}


@dataclass(frozen=True)
class Directions:
    dose_amount: float | None = None
    dose_unit: str = ""
    route: str = ""
    frequency: str = ""
    times_of_day: tuple[str, ...] = ()
    as_needed: bool = False
    as_needed_reason: str = ""

    @property
    def is_structured(self) -> bool:
        return self.dose_amount is not None or bool(self.frequency or self.times_of_day)


def administrations_per_day(d: Directions) -> float | None:
    """How many times a day the directions give the dose (chosen times of day count when they
    say more than the frequency); None when they do not say."""
    times = len([t for t in d.times_of_day if t])
    per_day = ADMINISTRATIONS_PER_DAY.get(d.frequency)
    if per_day is None:
        return float(times) if times else None
    return max(per_day, float(times)) if d.frequency == "daily" else per_day


def route_code(text: str) -> str:
    """Map a route as written ("Oral", "by mouth", "SUBQ") to a code in ROUTES, or ''."""
    t = (text or "").strip().lower()
    if t in ROUTES:
        return t
    return _ROUTE_SYNONYMS.get(t, "")


def format_amount(value: float) -> str:
    whole = int(value)
    frac = round(value - whole, 2)
    if frac in _FRACTIONS:
        return f"{whole if whole else ''}{_FRACTIONS[frac]}"
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text


def _unit_text(amount: float, unit: str) -> str:
    if not unit:
        return ""
    singular = amount <= 1 and amount > 0
    return unit if singular else UNITS.get(unit, unit)


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _timing(d: Directions) -> str:
    times = [t for t in TIMES_OF_DAY if t in d.times_of_day]
    if times:
        other = [t for t in times if t != "bedtime"]
        parts = []
        if other:
            parts.append("every " + _join([_TIME_PHRASES[t] for t in other]))
        if "bedtime" in times:
            parts.append("at bedtime")
        text = " and ".join(parts)
        if d.frequency in {"qod", "weekly", "monthly"}:
            text = f"{FREQUENCIES[d.frequency]}, {text.replace('every ', 'in the ')}"
        return text
    return FREQUENCIES.get(d.frequency, d.frequency)


def render(d: Directions) -> str:
    """The plain-language line, e.g. "Take 1 tablet by mouth every morning"."""
    code = route_code(d.route)
    verb, where = ROUTES.get(code, ("Take", ""))
    if code == "" and d.route:
        where = d.route.strip()
    words = [verb]
    if d.dose_amount is not None:
        words.append(format_amount(d.dose_amount))
        unit = _unit_text(d.dose_amount, d.dose_unit)
        if unit:
            words.append(unit)
    if where:
        words.append(where)
    timing = _timing(d)
    if timing:
        words.append(timing)
    if d.as_needed:
        reason = d.as_needed_reason.strip()
        words.append(f"as needed for {reason}" if reason else "as needed")
    text = " ".join(w for w in words if w)
    return re.sub(r"\s+", " ", text).strip()


def validate(d: Directions) -> dict[str, str]:
    errors: dict[str, str] = {}
    if d.dose_amount is not None and not 0 < d.dose_amount <= 10000:
        errors["dose_amount"] = "Dose must be a number above 0."
    if d.frequency and d.frequency not in FREQUENCIES:
        errors["frequency"] = "Choose how often from the list."
    bad = [t for t in d.times_of_day if t not in TIMES_OF_DAY]
    if bad:
        errors["times_of_day"] = "Times of day are morning, noon, evening or bedtime."
    if d.as_needed_reason and len(d.as_needed_reason) > 200:
        errors["as_needed_reason"] = "Reason is too long (at most 200 characters)."
    return errors
