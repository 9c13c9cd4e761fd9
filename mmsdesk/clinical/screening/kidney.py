"""Kidney function as each rule's source measures it: Cockcroft-Gault creatinine clearance
(mL/min, actual body weight) or eGFR (mL/min/1.73 m2), each with its inputs and their dates, or
the reason it cannot be used (an input missing or too old). Pure Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mmsdesk.clinical.screening.model import PatientContext, cockcroft_gault

# A kidney lab or weight older than this (days before the screening date, or the date of death)
# is reported as stale and not used.
KIDNEY_MAX_AGE_DAYS = 365
# eGFR and CrCl further apart than this factor are reported; a rule then reads the lower. (A small
# older adult's CrCl can be half the eGFR; a three-fold gap is taken as a data problem.)
DISCORDANT = 3.0
LABELS = {"crcl": "CrCl", "egfr": "eGFR"}
UNITS = {"crcl": "mL/min", "egfr": "mL/min/1.73 m²"}


@dataclass(frozen=True)
class Measure:
    name: str  # "crcl" | "egfr"
    value: float | None
    line: str  # the value with its inputs and dates, or why there is none


@dataclass(frozen=True)
class Kidney:
    crcl: Measure
    egfr: Measure
    warnings: tuple[str, ...] = ()

    def get(self, name: str) -> Measure:
        return self.crcl if name == "crcl" else self.egfr

    def for_rule(self, name: str) -> tuple[float | None, str, tuple[str, ...]]:
        """(value, measure used, evidence lines) for a rule whose source uses ``name``."""
        own, other = self.get(name), self.egfr if name == "crcl" else self.crcl
        if own.value is None:
            if other.value is None:
                return None, "", ()
            return other.value, other.name, (
                own.line, f"{other.line}; used in place of {LABELS[name]}")
        if other.value is not None and _discordant(own.value, other.value) \
                and other.value < own.value:
            return other.value, other.name, (
                own.line, f"{other.line}; the lower measure is used (the two disagree "
                          f"more than {DISCORDANT:g}-fold)")
        return own.value, own.name, (own.line,)


def _discordant(a: float, b: float) -> bool:
    lo, hi = sorted((a, b))
    return lo <= 0 or hi / lo > DISCORDANT


def reference_date(ctx: PatientContext) -> date | None:
    """The day the record is read for: the date of death, else the screening date."""
    return ctx.deceased_on or ctx.today


def stale(ctx: PatientContext, field: str, max_age_days: int) -> date | None:
    """The measurement date when it is older than ``max_age_days`` before the reference date."""
    when, ref = ctx.lab_date(field), reference_date(ctx)
    if when is None or ref is None:
        return None
    return when if (ref - when).days > max_age_days else None


def _on(ctx: PatientContext, field: str) -> str:
    when = ctx.lab_date(field)
    return f" on {when.isoformat()}" if when else " (date unknown)"


def kidney(ctx: PatientContext) -> Kidney:
    warnings: list[str] = []
    old = {f: stale(ctx, f, KIDNEY_MAX_AGE_DAYS) for f in ("creatinine", "weight_kg", "egfr")}
    for f, label in (("creatinine", "Serum creatinine"), ("weight_kg", "Weight"),
                     ("egfr", "eGFR")):
        if old[f] is not None and getattr(ctx, f) is not None:
            warnings.append(f"{label} of {old[f].isoformat()} is more than "
                            f"{KIDNEY_MAX_AGE_DAYS // 365} year old: not used for kidney "
                            "function.")
    # eGFR
    if ctx.egfr is None:
        egfr = Measure("egfr", None, "eGFR: none on file")
    elif old["egfr"] is not None:
        egfr = Measure("egfr", None, f"eGFR {ctx.egfr:g}{_on(ctx, 'egfr')} is stale (not used)")
    else:
        egfr = Measure("egfr", ctx.egfr, f"eGFR {ctx.egfr:g} mL/min/1.73 m²{_on(ctx, 'egfr')}")
    # Cockcroft-Gault
    missing = []
    if ctx.age is None:
        missing.append("no age")
    if ctx.sex not in ("male", "female"):
        missing.append("no sex")
    if not ctx.weight_kg:
        missing.append("no weight on file")
    elif old["weight_kg"] is not None:
        missing.append(f"weight of {old['weight_kg'].isoformat()} is stale")
    if not ctx.creatinine:
        missing.append("no serum creatinine on file")
    elif old["creatinine"] is not None:
        missing.append(f"creatinine of {old['creatinine'].isoformat()} is stale")
    if missing:
        crcl = Measure("crcl", None, f"CrCl cannot be computed: {', '.join(missing)}")
    else:
        value = cockcroft_gault(ctx.age, ctx.weight_kg, ctx.sex, ctx.creatinine)
        crcl = Measure("crcl", value, (
            f"CrCl {value:g} mL/min (Cockcroft-Gault, actual body weight: {ctx.age} y, {ctx.sex}, "
            f"{ctx.weight_kg:g} kg{_on(ctx, 'weight_kg')}, creatinine {ctx.creatinine:g} mg/dL"
            f"{_on(ctx, 'creatinine')})"))
    if crcl.value is not None and egfr.value is not None and _discordant(crcl.value, egfr.value):
        warnings.append(f"eGFR {egfr.value:g} and Cockcroft-Gault CrCl {crcl.value:g} mL/min "
                        f"disagree more than {DISCORDANT:g}-fold: check the creatinine, weight "
                        "and eGFR (kidney rules read the lower until then).")
    return Kidney(crcl, egfr, tuple(warnings))
