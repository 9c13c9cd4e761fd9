"""Structured directions read as plain language."""

from __future__ import annotations

import pytest

from mmsdesk.clinical.sig import Directions, render, route_code, validate


@pytest.mark.parametrize(("d", "text"), [
    (Directions(1, "tablet", "oral", "daily", ("morning",)), "Take 1 tablet by mouth every morning"),
    (Directions(2, "puff", "inhaled", "q4h", as_needed=True, as_needed_reason="shortness of breath"),
     "Inhale 2 puffs by mouth every 4 hours as needed for shortness of breath"),
    (Directions(1, "capsule", "oral", "daily", ("bedtime",)), "Take 1 capsule by mouth at bedtime"),
    (Directions(0.5, "tablet", "Oral", "bid", ("morning", "evening")),
     "Take ½ tablet by mouth every morning and evening"),
    (Directions(1.5, "tablet", "oral", "tid"), "Take 1½ tablets by mouth three times a day"),
    (Directions(10, "unit", "SUBQ", "daily", ("morning", "bedtime")),
     "Inject 10 units under the skin every morning and at bedtime"),
    (Directions(1, "tablet", "oral", "weekly", ("morning",)),
     "Take 1 tablet by mouth once a week, in the morning"),
    (Directions(1, "patch", "transdermal", "daily"), "Apply 1 patch to the skin once a day"),
    (Directions(2, "tablet", "oral", as_needed=True, as_needed_reason="knee pain"),
     "Take 2 tablets by mouth as needed for knee pain"),
])
def test_render(d, text):
    assert render(d) == text


def test_route_synonyms():
    assert route_code("by mouth") == "oral" and route_code("PO") == "oral"
    assert route_code("martian") == ""


def test_validate_rejects_bad_values():
    errs = validate(Directions(0, "tablet", "oral", "hourly", ("dawn",)))
    assert set(errs) == {"dose_amount", "frequency", "times_of_day"}
    assert validate(Directions(1, "tablet", "oral", "daily", ("morning",))) == {}
