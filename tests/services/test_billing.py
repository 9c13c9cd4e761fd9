"""CPT suggestion from the visit time (midpoint rule) and the self-pay price."""

from __future__ import annotations

import pytest

from mmsdesk.models import ServiceOffering
from mmsdesk.services.billing import (
    CptLine,
    additional_units,
    cpt_string,
    parse_cpt_string,
    service_price,
    suggest_cpt,
)


@pytest.mark.parametrize(("minutes", "new", "expected"), [
    (0, True, ""),
    (-5, False, ""),
    (1, True, "99605"),
    (1, False, "99606"),
    (15, True, "99605"),
    (22, False, "99606"),  # 7 minutes past the first 15: below the midpoint of a unit
    (23, False, "99606;99607"),  # 8 minutes past: the midpoint is passed
    (30, True, "99605;99607"),
    (37, True, "99605;99607"),
    (38, True, "99605;99607x2"),
    (52, False, "99606;99607x2"),
    (53, False, "99606;99607x3"),
    (60, True, "99605;99607x3"),
    (67, True, "99605;99607x3"),
    (68, True, "99605;99607x4"),
])
def test_cpt_boundaries(minutes, new, expected):
    assert cpt_string(suggest_cpt(minutes, new)) == expected


def test_units_grow_by_one_every_15_minutes_after_the_first_midpoint():
    units = [additional_units(m) for m in range(0, 200)]
    assert units == sorted(units)
    changes = [m for m in range(1, 200) if units[m] != units[m - 1]]
    assert changes[:4] == [23, 38, 53, 68]
    assert all(b - a == 15 for a, b in zip(changes, changes[1:], strict=False))


def test_lines_carry_descriptions_and_round_trip():
    lines = suggest_cpt(45, True)
    assert [(x.code, x.units) for x in lines] == [("99605", 1), ("99607", 2)]
    assert "new patient" in lines[0].description and "additional" in lines[1].description
    assert parse_cpt_string(cpt_string(lines)) == lines
    assert cpt_string([CptLine("99606", 1, ""), CptLine("99607", 0, "")]) == "99606"


def test_service_price_takes_the_first_active_offering(store):
    assert service_price(store, "cmr") is None
    with store.session() as s:
        s.add(ServiceOffering(service="cmr", name="Old CMR", price=99.0, active=False))
        s.add(ServiceOffering(service="cmr", name="CMR", price=150.0))
        s.add(ServiceOffering(service="cmr", name="CMR long", price=220.0))
        s.add(ServiceOffering(service="tmr", name="TMR", price=60.5))
    assert service_price(store, "cmr") == 150.0
    assert service_price(store, "tmr") == 60.5
    assert service_price(store, "pgx") is None
