"""Observation codes the engine reads, and conversion of plain lab values to its units."""

from __future__ import annotations

# LOINC codes per engine field (first found, most recent date wins).
LOINC_FIELDS: dict[str, tuple[str, ...]] = {
    "egfr": ("33914-3", "62238-1", "98979-8", "48642-3", "48643-1", "50044-7", "88293-6",
             "88294-4", "69405-9"),
    "creatinine": ("2160-0", "38483-4", "14682-9"),
    "weight_kg": ("29463-7", "3141-9"),
    "height_cm": ("8302-2", "3137-7"),
    "potassium": ("2823-3", "6298-4"),
    "inr": ("6301-6", "34714-6"),
    "sodium": ("2951-2", "2947-0"),
    "a1c": ("4548-4", "17856-6"),
}
_TO_KG = {"kg": 1.0, "[lb_av]": 0.45359237, "lb": 0.45359237, "lbs": 0.45359237, "g": 0.001}
_TO_CM = {"cm": 1.0, "m": 100.0, "[in_i]": 2.54, "in": 2.54, "mm": 0.1}
_CREAT = {"mg/dl": 1.0, "umol/l": 1 / 88.42, "µmol/l": 1 / 88.42}


def convert(field: str, value: float, unit: str) -> float | None:
    """The value in the engine's unit, or None when the unit is not understood."""
    u = unit.strip().lower()
    if field == "weight_kg":
        factor = _TO_KG.get(u if u else "kg")
    elif field == "height_cm":
        factor = _TO_CM.get(u if u else "cm")
    elif field == "creatinine":
        factor = _CREAT.get(u if u else "mg/dl")
    else:
        factor = 1.0
    return round(value * factor, 3) if factor is not None else None
