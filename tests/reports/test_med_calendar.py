"""When in the day a medicine goes on the calendar, and with what dose: one row per case."""

from __future__ import annotations

import pytest

from mmsdesk.reports.data import MedicationItem
from mmsdesk.reports.med_calendar import dose, slots

CASES = [
    ("Take 1 tablet by mouth every morning", "", (), ("morning",), "1 tablet"),
    ("Take 1 tablet by mouth every evening", "", (), ("evening",), "1 tablet"),
    ("Take 1 capsule by mouth at bedtime", "", (), ("bedtime",), "1 capsule"),
    ("Take 1 capsule by mouth before breakfast", "", (), ("morning",), "1 capsule"),
    ("Take 2 tablets by mouth twice a day", "", (), ("morning", "evening"), "2 tablets"),
    ("Take 1 tablet by mouth three times a day with meals", "", (), ("morning", "noon", "evening"),
     "1 tablet"),
    ("Inhale 2 puffs by mouth four times a day", "", (), ("morning", "noon", "evening", "bedtime"),
     "2 puffs"),
    ("Take 1 tablet by mouth every day", "", (), ("morning",), "1 tablet"),
    ("Take 1 tablet by mouth every morning and at bedtime", "", (), ("morning", "bedtime"),
     "1 tablet"),
    ("Take 1 tablet by mouth once a week on Sunday", "weekly", (), (), "1 tablet"),
    ("as the doctor said", "bid", (), ("morning", "evening"), ""),
    ("Take ½ tablet by mouth", "", ("noon", "bedtime"), ("noon", "bedtime"), "½ tablet"),
    ("Apply to the skin", "", (), (), ""),
]


@pytest.mark.parametrize(("directions", "frequency", "times", "expected", "amount"), CASES)
def test_slots_and_dose(directions, frequency, times, expected, amount):
    m = MedicationItem("X", directions=directions, frequency=frequency, times_of_day=times)
    assert slots(m) == expected
    assert dose(m) == amount


def test_structured_dose_wins():
    m = MedicationItem("X", directions="Take as directed", dose="2 capsules")
    assert dose(m) == "2 capsules"
