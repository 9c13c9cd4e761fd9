"""The calendar's slots equal the sig: one row per set of directions (as needed, meal-relative,
weekly, every other day, some days of the week, tapering), read as written and placed."""

from __future__ import annotations

import pytest

from mmsdesk.clinical.pillbox import place
from mmsdesk.clinical.sig import Directions
from mmsdesk.clinical.sig_read import of_directions, read

M, N, E, B = "morning", "noon", "evening", "bedtime"
# (directions as written, box, slots, extra: most doses / most units / days / weekdays / steps)
CASES = [
    ("Take 1 tablet by mouth every morning", "daily", (M,), {}),
    ("Take 1 tablet by mouth every evening", "daily", (E,), {}),
    ("Take 1 capsule by mouth at bedtime", "daily", (B,), {}),
    ("Take 1 tablet by mouth every day", "daily", (M,), {}),
    ("Take 1 tablet by mouth once daily", "daily", (M,), {}),
    ("Take 2 capsules by mouth twice a day", "daily", (M, E), {}),
    ("Take 1 tablet by mouth three times a day", "daily", (M, N, E), {}),
    ("Inhale 2 puffs by mouth four times a day", "daily", (M, N, E, B), {}),
    ("Take 1 tablet by mouth every 12 hours", "daily", (M, E), {}),
    ("Take 1 tablet by mouth every 8 hours", "daily", (M, N, E), {}),
    ("Take 1 tablet by mouth every morning and at bedtime", "daily", (M, B), {}),
    ("Inject 18 units under the skin at bedtime", "daily", (B,), {}),
    ("Put 1 drop in each eye at bedtime", "daily", (B,), {}),
    # meal-relative: at the meals
    ("Take 1 capsule by mouth before breakfast", "daily", (M,), {}),
    ("Take 1 tablet by mouth every morning before breakfast", "daily", (M,), {}),
    ("Take 2 tablets by mouth with supper", "daily", (E,), {}),
    ("Take 1 capsule by mouth 30 minutes after supper", "daily", (E,), {}),
    ("Take 1 tablet by mouth with lunch", "daily", (N,), {}),
    ("Take 1 tablet by mouth before meals", "daily", (M, N, E), {}),
    ("Take 1 tablet by mouth three times a day before meals", "daily", (M, N, E), {}),
    ("Take 1 tablet by mouth twice a day with meals", "daily", (M, E), {}),
    ("Take 1 tablet by mouth twice a day with food", "daily", (M, E), {}),
    ("Take 1 tablet by mouth every morning with food", "daily", (M,), {}),
    # a course: every day, with its days
    ("Take 1 tablet by mouth twice a day for 7 days", "daily", (M, E), {"for_days": 7}),
    # as needed: never in the slots, the most a day
    ("Take 2 tablets by mouth as needed for pain, at most 6 a day", "as_needed", (),
     {"most_units": 6}),
    ("Take 1 tablet by mouth every 6 hours as needed for pain", "as_needed", (), {"most_doses": 4}),
    ("Inhale 2 puffs by mouth every 4 hours as needed for shortness of breath", "as_needed", (),
     {"most_doses": 6}),
    ("Take 1 tablet by mouth three times a day as needed for nausea", "as_needed", (),
     {"most_doses": 3}),
    ("Take 1 tablet by mouth at bedtime as needed for sleep", "as_needed", (), {"most_doses": 1}),
    ("Take 2 tablets by mouth as needed for knee pain", "as_needed", (), {"most_doses": None}),
    ("Take 1 tablet by mouth as needed for dizziness, no more than 3 a day", "as_needed", (),
     {"most_units": 3}),
    # not every day, with the days
    ("Take 6 tablets by mouth once a week on Monday", "not_daily", (M,),
     {"weekdays": ("monday",), "frequency": "weekly"}),
    ("Take 1 tablet by mouth every Sunday morning with a full glass of water, 30 minutes before "
     "food", "not_daily", (M,), {"weekdays": ("sunday",)}),
    ("Take 1 tablet by mouth every other day", "not_daily", (M,), {"frequency": "qod"}),
    ("Take 1 tablet by mouth every other day at bedtime", "not_daily", (B,), {"frequency": "qod"}),
    ("Take 1 tablet by mouth every day except Monday", "not_daily", (M,),
     {"except_weekdays": ("monday",)}),
    ("Take 1 tablet by mouth once a month", "not_daily", (M,), {"frequency": "monthly"}),
    ("Take 1 tablet by mouth once", "not_daily", (), {"frequency": "once"}),
    ("Take 3 tablets by mouth every morning for 3 days, then 2 tablets every morning for 3 days, "
     "then 1 tablet every morning for 3 days", "not_daily", (), {"steps": (1, 4, 7)}),
    ("Take 4 tablets by mouth daily for 2 days, then 2 tablets daily for 2 days", "not_daily", (),
     {"steps": (1, 3)}),
]


@pytest.mark.parametrize(("text", "box", "expected", "extra"), CASES)
def test_calendar_slots_equal_the_sig(text, box, expected, extra):
    sig = read(text)
    assert sig.understood, sig.rest
    p = place(sig)
    assert (p.box, p.slots) == (box, expected)
    for key, value in extra.items():
        got = [first for first, _step in p.steps] if key == "steps" else getattr(p, key)
        assert tuple(got) == value if key == "steps" else got == value, key


def test_at_least_30_sigs():
    assert len(CASES) >= 30
    assert {box for _t, box, _s, _e in CASES} == {"daily", "as_needed", "not_daily"}


def test_a_taper_keeps_each_step_dose():
    steps = place(read("Take 3 tablets by mouth every morning for 3 days, then 2 tablets every "
                       "morning for 3 days")).steps
    assert [(first, s.directions.dose_amount, place(s).slots) for first, s in steps] == [
        (1, 3.0, (M,)), (4, 2.0, (M,))]


def test_recorded_codes_place_the_same_way():
    as_needed = of_directions(Directions(1, "tablet", "oral", "q6h", (), True, "pain"))
    assert (place(as_needed).box, place(as_needed).slots, place(as_needed).most_doses) == (
        "as_needed", (), 4)
    weekly = of_directions(Directions(1, "tablet", "oral", "weekly", ("evening",)))
    assert (place(weekly).box, place(weekly).slots) == ("not_daily", (E,))


@pytest.mark.parametrize("text", [
    "Take 1 tablet by mouth as needed, 1 hour before sex",
    "Apply 1 patch to the skin every morning; remove at bedtime if dreams are vivid",
    "Mix 1 capful in 8 ounces of water and drink every day",
])
def test_words_not_read_leave_the_sig_not_understood(text):
    assert not read(text).understood


def test_words_without_a_verb_are_not_read_as_directions():
    """'one with lunch' stays as the pharmacist wrote it (and is listed as untranslated)."""
    assert not read("one with lunch").understood
    assert read("Take one tablet by mouth with lunch").understood
