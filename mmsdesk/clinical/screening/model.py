"""Plain data the screening engine reads and returns (no database, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SEVERITIES = ("high", "moderate", "low")
KINDS = ("interaction", "duplicate", "beers", "renal", "allergy", "pgx", "anticholinergic",
         "drug-disease", "dose")


@dataclass(frozen=True)
class MedicationInput:
    """One medication as the engine sees it: its text and lowercase generic ingredients, and,
    when known, what one unit of use contains and how many units a day the directions give."""

    text: str
    ingredients: tuple[str, ...]
    status: str = "active"
    match: str = ""
    # (ingredient, amount, unit) in ONE unit of use (a tablet, a capsule, 1 mL of a liquid);
    # amount None when not known. Empty when the strength is not known at all.
    components: tuple[tuple[str, float | None, str], ...] = ()
    release: str = ""  # "" | "extended" | "delayed"
    dose_per_admin: float | None = None  # units of use per administration (2 tablets -> 2.0)
    # Units of use a day: scheduled ones, or for an as-needed medicine the most its directions
    # allow (dose x the most frequent interval); None when the directions do not say.
    daily_amount: float | None = None
    as_needed: bool = False
    last_ordered: date | None = None  # the newest order/authored/started date known
    route: str = ""  # "oral", "injection", "topical"... as the dictionary read it; "" unknown

    def amount_of(self, ingredient: str) -> tuple[float | None, float | None, str]:
        """(per administration, per day, unit) of one ingredient; None where not known."""
        for name, amount, unit in self.components:
            if name == ingredient and amount is not None:
                per_dose = amount * self.dose_per_admin if self.dose_per_admin is not None else None
                per_day = amount * self.daily_amount if self.daily_amount is not None else None
                return per_dose, per_day, unit
        return None, None, ""


@dataclass(frozen=True)
class PatientContext:
    """What screening needs to know about one patient (all optional but the medications)."""

    medications: tuple[MedicationInput, ...] = ()
    age: int | None = None
    sex: str = ""  # "male" | "female" | ""
    weight_kg: float | None = None
    height_cm: float | None = None
    egfr: float | None = None  # mL/min/1.73 m2
    creatinine: float | None = None  # serum creatinine, mg/dL
    potassium: float | None = None  # mmol/L
    inr: float | None = None
    sodium: float | None = None  # mmol/L
    a1c: float | None = None  # %
    # When each lab above was measured: (field name, date), e.g. ("potassium", 2026-10-02).
    # A field with no date here is treated as of unknown date.
    lab_dates: tuple[tuple[str, date], ...] = ()
    today: date | None = None  # the day screened (for stale labs); None: no staleness check
    deceased_on: date | None = None
    deceased: bool = False  # deceased (with or without a date)
    # Reasons found while building the context that the input may not be today's truth
    # (old orders left out, ...); the engine copies them into ScreeningResult.warnings.
    warnings: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()  # names as written
    condition_codes: tuple[str, ...] = ()  # ICD-10-CM (and SNOMED) codes
    allergies: tuple[str, ...] = ()  # substance text as written ("PCN", "Sulfa drugs")
    pgx: tuple[tuple[str, str], ...] = ()  # (gene, phenotype)

    def lab_date(self, name: str) -> date | None:
        for field_name, when in self.lab_dates:
            if field_name == name:
                return when
        return None

    def active(self) -> list[MedicationInput]:
        return [m for m in self.medications if m.status in ("active", "") and m.ingredients]

    def kidney_function(self) -> tuple[float | None, str]:
        """(mL/min, how it was found): eGFR when measured, else Cockcroft-Gault CrCl."""
        if self.egfr is not None:
            return self.egfr, "eGFR"
        crcl = cockcroft_gault(self.age, self.weight_kg, self.sex, self.creatinine)
        return (crcl, "Cockcroft-Gault CrCl") if crcl is not None else (None, "")


def cockcroft_gault(age: int | None, weight_kg: float | None, sex: str,
                    creatinine: float | None) -> float | None:
    """Creatinine clearance (mL/min) from actual body weight; None unless all four are known."""
    if age is None or not weight_kg or not creatinine or sex not in ("male", "female"):
        return None
    crcl = (140 - age) * weight_kg / (72 * creatinine)
    return round(crcl * (0.85 if sex == "female" else 1.0), 1)


@dataclass(frozen=True)
class Alert:
    kind: str
    severity: str
    drugs: tuple[str, ...]
    title: str
    detail: str
    recommendation: str
    references: tuple[str, ...]
    rule_id: str
    # The facts the rule used, one line each, with values, inputs and dates
    # ("CrCl 38 mL/min (Cockcroft-Gault: 88 y, female, 52 kg, creatinine 1.1 mg/dL on 2026-10-02)").
    evidence: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Stable identity for acknowledgements: kind, rule and the sorted drugs."""
        return f"{self.kind}:{self.rule_id}:{';'.join(sorted(self.drugs))}"

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "severity": self.severity, "drugs": list(self.drugs),
                "title": self.title, "detail": self.detail,
                "recommendation": self.recommendation, "references": list(self.references),
                "rule_id": self.rule_id, "key": self.key, "evidence": list(self.evidence)}


@dataclass
class ScreeningResult:
    alerts: list[Alert] = field(default_factory=list)
    risk_profile: dict[str, int | float] = field(default_factory=dict)
    knowledge_base: dict[str, str] = field(default_factory=dict)
    # Reasons the input may not be today's truth (deceased patient, old orders, stale labs).
    warnings: list[str] = field(default_factory=list)
