"""The fixed, LOINC-coded list of labs and vitals the chart records.

Each measure has its canonical unit, the other units accepted (with a factor to the canonical
unit), and a plausible range used by form validation: a value outside it is refused with a
message, never stored silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    loinc: str
    unit: str
    low: float
    high: float
    kind: str = "lab"  # "lab" or "vital"
    other_units: dict[str, float] = field(default_factory=dict)  # unit -> factor to `unit`
    other_loincs: tuple[str, ...] = ()

    def accepts_unit(self, unit: str) -> bool:
        u = normalise_unit(unit)
        return u == normalise_unit(self.unit) or u in {normalise_unit(k) for k in self.other_units}

    def to_canonical(self, value: float, unit: str) -> float:
        u = normalise_unit(unit)
        if u == normalise_unit(self.unit):
            return value
        for k, factor in self.other_units.items():
            if normalise_unit(k) == u:
                return value * factor
        raise ValueError(f"{self.label} cannot be recorded in {unit!r}; use {self.unit}")


def normalise_unit(unit: str) -> str:
    return unit.strip().lower().replace(" ", "").replace("µ", "u").replace("²", "2")


MEASURES: tuple[Measure, ...] = (
    Measure("bp_systolic", "Blood pressure, systolic", "8480-6", "mm[Hg]", 50, 300, "vital",
            {"mmHg": 1.0}),
    Measure("bp_diastolic", "Blood pressure, diastolic", "8462-4", "mm[Hg]", 20, 200, "vital",
            {"mmHg": 1.0}),
    Measure("heart_rate", "Heart rate", "8867-4", "/min", 20, 250, "vital", {"bpm": 1.0}),
    Measure("weight", "Body weight", "29463-7", "kg", 1, 400, "vital", {"lb": 0.45359237, "lbs": 0.45359237}),
    Measure("height", "Body height", "8302-2", "cm", 30, 250, "vital", {"in": 2.54, "m": 100.0}),
    Measure("bmi", "Body mass index", "39156-5", "kg/m2", 8, 100, "vital"),
    Measure("a1c", "Hemoglobin A1c", "4548-4", "%", 3, 20, "lab"),
    Measure("glucose_fasting", "Glucose, fasting", "1558-6", "mg/dL", 20, 1000, "lab",
            {"mmol/L": 18.0}, ("2339-0", "2345-7")),
    Measure("ldl", "LDL cholesterol", "18262-6", "mg/dL", 5, 600, "lab", {"mmol/L": 38.67},
            ("13457-7", "2089-1")),
    Measure("hdl", "HDL cholesterol", "2085-9", "mg/dL", 5, 200, "lab", {"mmol/L": 38.67}),
    Measure("total_cholesterol", "Total cholesterol", "2093-3", "mg/dL", 40, 1000, "lab",
            {"mmol/L": 38.67}),
    Measure("triglycerides", "Triglycerides", "2571-8", "mg/dL", 10, 5000, "lab", {"mmol/L": 88.57}),
    Measure("egfr", "eGFR", "33914-3", "mL/min/{1.73_m2}", 1, 200, "lab",
            {"mL/min/1.73m2": 1.0, "mL/min": 1.0}, ("62238-1", "98979-8", "48642-3", "48643-1")),
    Measure("creatinine", "Serum creatinine", "2160-0", "mg/dL", 0.1, 20, "lab",
            {"umol/L": 1 / 88.42}, ("38483-4",)),
    Measure("potassium", "Potassium", "2823-3", "mmol/L", 1.5, 9, "lab", {"mEq/L": 1.0},
            ("6298-4",)),
    Measure("sodium", "Sodium", "2951-2", "mmol/L", 100, 180, "lab", {"mEq/L": 1.0}, ("2947-0",)),
    Measure("inr", "INR", "6301-6", "{INR}", 0.5, 15, "lab", {"INR": 1.0, "": 1.0, "ratio": 1.0},
            ("34714-6",)),
    Measure("tsh", "TSH", "3016-3", "m[IU]/L", 0.001, 200, "lab", {"mIU/L": 1.0, "uIU/mL": 1.0}),
    Measure("alt", "ALT", "1742-6", "U/L", 1, 5000, "lab"),
    Measure("ast", "AST", "1920-8", "U/L", 1, 5000, "lab"),
    Measure("hemoglobin", "Hemoglobin", "718-7", "g/dL", 2, 25, "lab", {"g/L": 0.1}),
    Measure("platelets", "Platelets", "777-3", "10*3/uL", 1, 2000, "lab", {"10^3/uL": 1.0, "K/uL": 1.0}),
    Measure("digoxin_level", "Digoxin level", "10535-3", "ng/mL", 0.05, 10, "lab"),
    Measure("lithium_level", "Lithium level", "14334-7", "mmol/L", 0.05, 6, "lab", {"mEq/L": 1.0}),
    Measure("uacr", "Urine albumin/creatinine ratio", "9318-7", "mg/g", 0, 10000, "lab"),
    Measure("pain_score", "Pain score (0-10)", "72514-3", "{score}", 0, 10, "vital", {"": 1.0}),
)

MEASURES_BY_KEY: dict[str, Measure] = {m.key: m for m in MEASURES}
MEASURES_BY_LOINC: dict[str, Measure] = {}
for _m in MEASURES:
    MEASURES_BY_LOINC[_m.loinc] = _m
    for _code in _m.other_loincs:
        MEASURES_BY_LOINC[_code] = _m


def measure(key: str) -> Measure:
    try:
        return MEASURES_BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown measure {key!r}") from None
