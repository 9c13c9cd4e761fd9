"""Build the engine's MedicationInput from a medicine's components and structured directions
(shared by the store and the FHIR paths; pure Python)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.screening.model import MedicationInput
from mmsdesk.clinical.sig import Directions, administrations_per_day

_MASS = {"mg": 1.0, "mcg": 0.001, "g": 1000.0}


def per_unit_of_use(components: Sequence[Component]) -> tuple[tuple[str, float | None, str], ...]:
    """(ingredient, amount, unit) in one unit of use: a tablet or capsule, or 1 mL of a liquid.
    Amounts per actuation, per hour or per gram are left unknown (None): no daily sum from them."""
    out = []
    for c in components:
        amount = c.amount
        if amount is not None and c.per_unit:
            if c.per_unit == "ml":
                amount = amount / (c.per_amount or 1.0)
            elif c.per_unit == "l":
                amount = amount / ((c.per_amount or 1.0) * 1000.0)
            else:
                amount = None
        out.append((c.ingredient, amount, c.unit))
    return tuple(out)


def dose_in_units_of_use(d: Directions, comps: tuple[tuple[str, float | None, str], ...]
                         ) -> float | None:
    """The directions' dose in units of use; a dose written as a mass ("500 mg") is turned into
    units of use through the product's single ingredient."""
    if d.dose_amount is None:
        return None
    unit = (d.dose_unit or "").lower()
    if unit in _MASS:
        if len(comps) != 1 or comps[0][1] is None or comps[0][2] not in _MASS:
            return None
        return d.dose_amount * _MASS[unit] / (comps[0][1] * _MASS[comps[0][2]])
    return d.dose_amount


def medication_input(text: str, ingredients: Sequence[str], status: str = "active",
                     match: str = "", *, components: Sequence[Component] = (),
                     release: str = "", directions: Directions | None = None,
                     directions_text: str = "",
                     last_ordered: date | None = None, route: str = "") -> MedicationInput:
    """``directions`` (structured) first; else ``directions_text`` when the sig reader reads
    every word of it (anything it cannot read leaves the amounts unknown, never guessed)."""
    comps = per_unit_of_use(components)
    d = directions or Directions()
    max_units: float | None = None
    if not d.is_structured and directions_text.strip():
        from mmsdesk.clinical.sig_read import read

        sig = read(directions_text)
        if sig.understood and not sig.steps:
            d, max_units = sig.directions, sig.max_per_day
    per_admin = dose_in_units_of_use(d, comps)
    per_day = administrations_per_day(d)
    daily = per_admin * per_day if per_admin is not None and per_day else None
    if max_units is not None and (daily is None or max_units < daily):
        daily = max_units  # "at most 8 a day"
    return MedicationInput(text, tuple(ingredients), status, match, comps, release, per_admin,
                           daily, d.as_needed, last_ordered, route)
