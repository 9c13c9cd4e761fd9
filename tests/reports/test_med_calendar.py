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


def _calendar_text(store, last_name):
    from sqlalchemy import select

    from mmsdesk.models import Patient
    from mmsdesk.services.documents import render_document
    from tests.conftest import TODAY
    from tests.reports.pdfcheck import pdftotext

    with store.session() as s:
        pid = s.execute(select(Patient).where(Patient.last_name == last_name)).scalar_one().id
    return pdftotext(render_document(store, "calendar", pid, lang="en", today=TODAY))


def test_the_calendar_fills_a_pill_box(demo_store):
    """As-needed medicines only in their box, with the most a day; 'before meals' is daily,
    at the three meals; a weekly medicine with its day; a course with its days."""
    jose = _calendar_text(demo_store, "Müller")
    prn = jose.index("Only when needed")
    assert jose.index("Acetaminophen") > prn and jose.index("Ibuprofen") > prn
    assert "6 tablets" in jose[prn:]  # "at most 6 a day"
    assert "before breakfast" in jose[:prn]  # omeprazole at breakfast, in the morning slot
    frank = _calendar_text(demo_store, "Kowalski")
    grid_end = min([i for i in (frank.find("Not every day"), frank.find("Only when needed"),
                                frank.find("Other medicines")) if i >= 0] or [len(frank)])
    assert "Metoclopramide" in frank[:grid_end]  # "before meals": three times a day
    assert "before meals" in frank[:grid_end]
    assert "for 7 days" in frank[:grid_end]
    ingrid = _calendar_text(demo_store, "Sørensen")
    weekly = ingrid[ingrid.index("Not every day"):]
    assert "Methotrexate" in weekly and "Every Monday" in weekly
    assert "Every day except Monday" in weekly  # folic acid
