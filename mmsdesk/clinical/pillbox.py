"""Where a medicine goes on the medication calendar (and in a pill box), from its sig.

Three places: ``daily`` (scheduled doses in the morning / noon / evening / bedtime slots,
meal-relative doses at their meals), ``as_needed`` (never scheduled: its own box with the most a
day) and ``not_daily`` (weekly, every other day, some days of the week, a taper: with its
days). A medicine taken every day for a few days (an antibiotic course) is daily, with its days.
"""

from __future__ import annotations

from dataclasses import dataclass

from mmsdesk.clinical.sig_read import Sig

SLOTS = ("morning", "noon", "evening", "bedtime")
_FREQ_SLOTS: dict[str, tuple[str, ...]] = {
    "daily": ("morning",), "bid": ("morning", "evening"), "q12h": ("morning", "evening"),
    "tid": ("morning", "noon", "evening"), "q8h": ("morning", "noon", "evening"),
    "qid": SLOTS, "q6h": SLOTS, "q4h": SLOTS,
}
_MEAL_SLOTS = {"breakfast": ("morning",), "lunch": ("noon",), "supper": ("evening",)}
# the most doses a day an as-needed frequency allows
_MOST_DOSES = {"daily": 1, "bid": 2, "q12h": 2, "tid": 3, "q8h": 3, "qid": 4, "q6h": 4, "q4h": 6}
NOT_DAILY_FREQUENCIES = frozenset({"qod", "weekly", "monthly", "once"})


@dataclass(frozen=True)
class Placement:
    box: str  # daily | as_needed | not_daily
    slots: tuple[str, ...] = ()
    most_doses: int | None = None  # as needed: the most doses a day
    most_units: float | None = None  # as needed: "at most 6 a day" (tablets)
    weekdays: tuple[str, ...] = ()
    except_weekdays: tuple[str, ...] = ()
    frequency: str = ""  # the not-daily frequency: qod, weekly, monthly, once
    for_days: int | None = None
    steps: tuple[tuple[int, Sig], ...] = ()  # a taper: (first day, step)


def _daily_slots(sig: Sig) -> tuple[str, ...]:
    d = sig.directions
    if d.times_of_day:
        return tuple(t for t in SLOTS if t in d.times_of_day)
    relation, meal = sig.meal
    if meal in _MEAL_SLOTS:
        return _MEAL_SLOTS[meal]
    if meal == "meals":  # "before meals": at each meal, three a day unless said otherwise
        freq = d.frequency or "tid"
        if freq in ("daily",):
            return ("morning",)
        if freq in ("bid", "q12h"):
            return ("morning", "evening")
        return ("morning", "noon", "evening")
    if d.frequency in _FREQ_SLOTS:
        return _FREQ_SLOTS[d.frequency]
    if meal == "food":
        return ("morning",)
    return ()


def place(sig: Sig) -> Placement:
    d = sig.directions
    if d.as_needed:
        most = _MOST_DOSES.get(d.frequency)
        if most is None and d.times_of_day:
            most = len(d.times_of_day)
        return Placement("as_needed", most_doses=most, most_units=sig.max_per_day)
    if sig.steps:
        day, steps = 1, []
        for step in sig.steps:
            steps.append((day, step))
            day += step.for_days or 0
        return Placement("not_daily", steps=tuple(steps))
    slots = _daily_slots(sig)
    if d.frequency in NOT_DAILY_FREQUENCIES or sig.weekdays or sig.except_weekdays:
        freq = d.frequency if d.frequency in NOT_DAILY_FREQUENCIES else ""
        if freq and not d.times_of_day and not sig.meal[1]:
            slots = ("morning",) if freq != "once" else ()
        return Placement("not_daily", slots=slots, weekdays=sig.weekdays,
                         except_weekdays=sig.except_weekdays, frequency=freq,
                         for_days=sig.for_days)
    return Placement("daily", slots=slots, for_days=sig.for_days)
