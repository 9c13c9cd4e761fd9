"""Reading directions written in plain English into the sig model, to print them in another
language and to place them on the medication calendar.

``read("Take 1 capsule by mouth before breakfast")`` gives a :class:`Sig` whose directions are
``Directions(1, "capsule", "oral")`` with ``meal=("before", "breakfast")``. A sig is
``understood`` only when every word was read: anything else ("with a full glass of water",
"remove at bedtime if dreams are vivid") is left in ``rest`` and the text must be printed as
written (or translated by the pharmacist). Tapering directions ("… for 3 days, then …") read
as ``steps``. Pure functions; nothing is stored: the text as written stays the one fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from mmsdesk.clinical.sig import UNITS, Directions

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MEALS = ("meals", "breakfast", "lunch", "supper", "food")
# notes a sig may carry, read as codes so that they can be printed in another language
NOTES = {
    "with a full glass of water": "full_glass_water",
    "rinse mouth after": "rinse_mouth",
    "rinse your mouth after": "rinse_mouth",
    "with plenty of water": "full_glass_water",
}
_NUMBERS = {"one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "half": 0.5, "½": 0.5,
            "¼": 0.25, "¾": 0.75, "1½": 1.5}
_VERBS = {"take": "oral", "inhale": "inhaled", "apply": "topical", "inject": "subcutaneous",
          "use": "", "place": "sublingual", "instill": "ophthalmic", "put": "ophthalmic",
          "insert": "", "chew": "oral", "dissolve": "sublingual"}
_ROUTE_PHRASES = (
    ("by mouth", "oral"), ("under the tongue", "sublingual"), ("to the skin", "topical"),
    ("on the skin", "topical"), ("under the skin", "subcutaneous"),
    ("into the muscle", "intramuscular"), ("in each nostril", "nasal"),
    ("in each eye", "ophthalmic"), ("in the affected eye", "ophthalmic"),
    ("in both eyes", "ophthalmic"), ("in the affected ear", "otic"), ("rectally", "rectal"),
    ("vaginally", "vaginal"),
)
_SINGULAR = {many: one for one, many in UNITS.items()} | {u: u for u in UNITS}
_FREQ_PHRASES = (
    (r"once a day|once daily|every day|daily", "daily"),
    (r"twice a day|twice daily|two times a day|2 times a day", "bid"),
    (r"three times a day|3 times a day", "tid"),
    (r"four times a day|4 times a day", "qid"),
    (r"every (4|6|8|12) hours", "q{}h"),
    (r"every other day", "qod"),
    (r"once a week|every week|weekly", "weekly"),
    (r"once a month|every month|monthly", "monthly"),
    (r"one time only|once", "once"),
)
_TIME_WORDS = {"morning": "morning", "noon": "noon", "midday": "noon", "evening": "evening",
               "night": "bedtime", "bedtime": "bedtime"}
_MEAL_WORDS = {"meals": "meals", "meal": "meals", "breakfast": "breakfast", "lunch": "lunch",
               "supper": "supper", "dinner": "supper", "food": "food"}


@dataclass(frozen=True)
class Sig:
    """Directions with what the plain ``Directions`` code cannot hold."""

    directions: Directions = field(default_factory=Directions)
    meal: tuple[str, str] = ("", "")  # (before|with|after, meals|breakfast|lunch|supper|food)
    meal_minutes: int | None = None  # "30 minutes before food"
    weekdays: tuple[str, ...] = ()  # "every Sunday", "once a week on Monday"
    except_weekdays: tuple[str, ...] = ()  # "every day except Monday"
    max_per_day: float | None = None  # "at most 6 a day"
    for_days: int | None = None  # "for 7 days"
    notes: tuple[str, ...] = ()  # codes of NOTES
    steps: tuple[Sig, ...] = ()  # a taper: each step with its for_days
    site: str = ""  # where, as written: "by mouth", "in each eye"
    rest: str = ""  # words not read

    @property
    def understood(self) -> bool:
        return not self.rest and (not self.steps or all(s.understood for s in self.steps))


def _number(text: str) -> float | None:
    t = text.strip().lower()
    if t in _NUMBERS:
        return _NUMBERS[t]
    if re.fullmatch(r"\d+(\.\d+)?", t):
        return float(t)
    if re.fullmatch(r"\d+/\d+", t):
        a, b = t.split("/")
        return int(a) / int(b) if int(b) else None
    return None


class _Text:
    """The lower-cased text with the parts read so far blanked out."""

    def __init__(self, text: str) -> None:
        self.text = " " + " ".join(text.lower().replace("’", "'").split()) + " "

    def take(self, pattern: str) -> re.Match[str] | None:
        m = re.search(pattern, self.text)
        if m:
            self.text = self.text[:m.start()] + " " * (m.end() - m.start()) + self.text[m.end():]
        return m

    def rest(self) -> str:
        left = re.sub(r"[,;.:()]", " ", self.text)
        left = re.sub(r"\b(and|then|also|each time|a|the)\b", " ", left)
        return " ".join(left.split())


_VERB = re.compile(r"^\s*(take|inhale|apply|inject|use|place|instill|put|insert|chew|dissolve)\b")
_NUM = r"(\d+(?:\.\d+)?|\d+/\d+|one|two|three|four|half|½|¼|¾|1½)"
_UNIT = r"(" + "|".join(sorted({*UNITS, *UNITS.values(), "capful", "capfuls"}, key=len,
                                reverse=True)) + r")"


@lru_cache(maxsize=4096)
def read(text: str) -> Sig:
    """Read one set of directions (see the module's docstring). The result is immutable, so
    the same text is read once per process (documents read each medicine's more than once)."""
    parts = re.split(r",?\s*\bthen\b\s*", text.strip(), flags=re.I)
    if len(parts) > 1:
        steps = tuple(_read_one(p) for p in parts if p.strip())
        verb = re.match(r"\s*(\w+)", text)
        first = steps[0]
        fixed = []
        for s in steps:  # "then 1 tablet daily for 3 days": the verb and route carry over
            d = s.directions
            if not d.route and first.directions.route:
                d = replace(d, route=first.directions.route)
            fixed.append(replace(s, directions=d))
        if verb and all(s.for_days for s in fixed[:-1]):
            return Sig(directions=first.directions, steps=tuple(fixed))
        return Sig(rest=text.strip())
    sig = _read_one(text)
    if not _VERB.match(text.lower()) and not sig.rest:  # "one with lunch": not directions
        return replace(sig, rest=text.strip())
    return sig


def _read_one(text: str) -> Sig:
    t = _Text(text)
    amount: float | None = None
    unit = route = frequency = reason = ""
    as_needed = False
    verb = t.take(_VERB.pattern)
    if verb:
        route = _VERBS[verb.group(1)]
    dose = t.take(rf"\b{_NUM}\s+{_UNIT}\b")
    if dose:
        amount = _number(dose.group(1))
        unit = _SINGULAR.get(dose.group(2), "capful" if dose.group(2).startswith("capful") else "")
    elif (bare := t.take(rf"^\s+{_NUM}\b(?= )")) is not None:  # "then 2 daily"
        amount = _number(bare.group(1))
    site = ""
    for phrase, code in _ROUTE_PHRASES:
        if t.take(rf"\b{re.escape(phrase)}\b"):
            site = phrase
            if not (route == "inhaled" and code == "oral"):
                route = code
            break
    max_m = t.take(r"\b(?:at most|no more than|up to|not more than)\s+(\d+)\s*(?:\w+\s+)?"
                   r"(?:a|per|in a|in 24 hours?|each)\s*(?:day|24 hours)\b")
    max_per_day = float(max_m.group(1)) if max_m else None
    prn = t.take(r"\bas needed(?: for ([a-z' ]+?))?(?=,|;| at most| no more| up to| and |\s*$)")
    if prn:
        as_needed = True
        reason = (prn.group(1) or "").strip()
    days_m = t.take(r"\bfor (\d+) days?\b")
    for_days = int(days_m.group(1)) if days_m else None
    weekdays: list[str] = []
    except_days: list[str] = []
    day_re = "(" + "|".join(WEEKDAYS) + ")s?"
    exc = t.take(rf"\bevery day except (?:on )?{day_re}(?: and {day_re})?")
    if exc:
        except_days = [g for g in exc.groups() if g]
        frequency = "daily"
    times: list[str] = []
    while (m := t.take(rf"\b(?:every|on|each)\s+{day_re}(?:\s+(morning|evening|night))?")):
        weekdays.append(m.group(1))
        if m.group(2):
            times.append(_TIME_WORDS[m.group(2)])
    meal = ("", "")
    minutes = None
    meal_m = t.take(r"\b(?:(\d+) minutes )?(before|with|after) (?:each |your |a )?"
                    r"(meals?|breakfast|lunch|supper|dinner|food)\b")
    if meal_m:
        minutes = int(meal_m.group(1)) if meal_m.group(1) else None
        meal = (meal_m.group(2), _MEAL_WORDS[meal_m.group(3)])
    notes: list[str] = []
    for phrase, code in NOTES.items():
        if t.take(rf"\b{re.escape(phrase)}\b"):
            notes.append(code)
    # the longest phrase that is written: "twice daily" is not "daily"
    found = [(m.end() - m.start(), pattern, code) for pattern, code in _FREQ_PHRASES
             for m in [re.search(rf"\b(?:{pattern})\b", t.text)] if m]
    if found:
        _n, pattern, code = max(found, key=lambda f: f[0])
        fm = t.take(rf"\b(?:{pattern})\b")
        if fm and not frequency:
            frequency = code.format(fm.group(1)) if "{}" in code else code
    while (m := t.take(r"\b(?:every|in the|at|each)\s+(morning|noon|midday|evening|night|bedtime)"
                       r"(?:\s+and\s+(?:at\s+|every\s+|in the\s+)?(morning|noon|evening|bedtime))?\b")):
        times += [_TIME_WORDS[g] for g in m.groups() if g]
    if weekdays and not frequency:
        frequency = "weekly"
    if t.take(r"\bweekly\b|\bon\b(?=\s*$)") and not frequency:
        frequency = "weekly"
    rest = t.rest()
    d = Directions(amount, unit, route, frequency, tuple(dict.fromkeys(times)), as_needed, reason)
    return Sig(d, meal, minutes, tuple(weekdays), tuple(except_days), max_per_day, for_days,
               tuple(notes), site=site, rest=rest)


def of_directions(d: Directions) -> Sig:
    """A sig recorded as codes."""
    return Sig(directions=d)
