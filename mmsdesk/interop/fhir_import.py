"""Translate a FHIR R4 bundle (read by :func:`mmsdesk.interop.fhir_bundle.parse_bundle`) into
an import plan: plain drafts of the patient and of each record, each with the place it came
from ("entry 12 (MedicationRequest)"), plus what will not be imported and why.

No database here; :mod:`mmsdesk.services.fhir_import` previews and writes the plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from mmsdesk.models.enums import ALLERGY_CATEGORIES, ALLERGY_CRITICALITIES
from mmsdesk.models.measures import MEASURES_BY_LOINC
from mmsdesk.parsing import hidden_problem, strip_hidden

D = TypeVar("D")

PGX_CODES = {"84413-4", "53040-2", "48018-6"}


class FhirImportError(Exception):
    """The file cannot be imported; the message names the file and the problem."""


@dataclass
class PatientDraft:
    first_name: str
    last_name: str
    date_of_birth: date | None
    middle_name: str = ""
    sex: str = "unknown"
    phone: str = ""
    address_line1: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = "US"
    preferred_language: str = "en"
    deceased_date: date | None = None


@dataclass
class MedicationDraft:
    text: str
    rxnorm: str = ""
    status: str = "active"  # active | on_hold | stopped
    started: date | None = None
    stopped: date | None = None
    stop_reason: str = ""
    directions: str = ""
    indication: str = ""
    # each ingredient with its amount, from the Medication resource: (name, amount, unit,
    # per_amount, per_unit); empty when the bundle names the medicine in text only
    ingredients: tuple[tuple[str, float | None, str, float | None, str], ...] = ()
    form: str = ""  # the Medication's form, with its ingredients
    # the structured dosage (clinical.sig.Directions fields), when the bundle has one
    dose_amount: float | None = None
    dose_unit: str = ""
    frequency: str = ""
    as_needed: bool = False
    as_needed_reason: str = ""
    route: str = ""


@dataclass
class AllergyDraft:
    substance: str
    substance_code: str = ""
    type: str = "allergy"
    reaction: str = ""
    severity: str = "unknown"
    recorded_date: date | None = None
    status: str = "active"
    verified: bool = False
    category: str = ""  # the source's categories, ";"-joined
    criticality: str = ""  # the source's criticality


@dataclass
class ConditionDraft:
    name: str
    icd10_code: str = ""
    snomed_code: str = ""
    onset_date: date | None = None
    status: str = "active"


@dataclass
class ObservationDraft:
    measure: str
    value: float
    unit: str
    taken_on: date | None


@dataclass
class PgxDraft:
    gene: str
    diplotype: str = ""
    phenotype: str = ""
    test_date: date | None = None


@dataclass
class Planned(Generic[D]):
    where: str
    data: D


@dataclass
class ImportPlan:
    source: str
    patient: PatientDraft
    patient_where: str
    medications: list[Planned[MedicationDraft]] = field(default_factory=list)
    allergies: list[Planned[AllergyDraft]] = field(default_factory=list)
    conditions: list[Planned[ConditionDraft]] = field(default_factory=list)
    observations: list[Planned[ObservationDraft]] = field(default_factory=list)
    pgx: list[Planned[PgxDraft]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _text(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


MED_STATUS = {"active": "active", "on-hold": "on_hold", "on_hold": "on_hold",
              "stopped": "stopped", "completed": "stopped", "cancelled": "stopped",
              "not-taken": "stopped", "entered-in-error": "", "draft": "", "unknown": "active",
              "intended": "active"}
SEX = {"male": "male", "female": "female", "other": "other"}
SEVERITY = {"mild": "mild", "moderate": "moderate", "severe": "severe"}
CRITICALITY = {"high": "severe", "low": "mild"}
ALLERGY_STATUS = {"active": "active", "inactive": "inactive", "resolved": "inactive"}
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


def _categories(given: tuple[str, ...]) -> str:
    """The allergy's categories as given, in FHIR's words, ";"-joined; others left out."""
    words = (str(c or "").strip().lower() for c in given or ())
    return ";".join(dict.fromkeys(w for w in words if w in ALLERGY_CATEGORIES))


def _criticality(given: str | None) -> str:
    word = str(given or "").strip().lower()
    return word if word in ALLERGY_CRITICALITIES else ""


def substance_code(coding: tuple[tuple[str, str], ...]) -> str:
    """The code kept for an allergy's substance: an RxNorm code as it is (the record's
    convention), another system's as ``system|code`` (FHIR's token form), so an export
    writes it back under its own system; the first RxNorm code wins."""
    rx = next((c for sy, c in coding if sy == RXNORM and c), "")
    if rx:
        return rx
    sy, c = next(((sy, c) for sy, c in coding if c), ("", ""))
    return f"{sy}|{c}" if sy and c else c


CONDITION_STATUS = {"active": "active", "recurrence": "active", "relapse": "active",
                    "inactive": "inactive", "remission": "inactive", "resolved": "resolved"}


def plan_import(source: Path | str | dict[str, Any]) -> ImportPlan:
    """Read and translate a bundle. Raises :class:`FhirImportError` naming the file and the
    problem when it cannot be read."""
    from mmsdesk.interop.fhir_bundle import BundleError, parse_bundle

    name = Path(source).name if isinstance(source, str | Path) else "bundle"
    try:
        parsed = parse_bundle(source)
    except BundleError as exc:
        raise FhirImportError(str(exc)) from None
    return plan_from_parsed(parsed, name)


def plan_from_parsed(parsed: Any, name: str) -> ImportPlan:
    """The import plan; :class:`FhirImportError` naming the entry when a name or a medicine
    holds invisible or control characters or a text is longer than its field keeps."""
    p = parsed.patient
    if p is None:
        raise FhirImportError(f"{name}: the bundle holds no Patient resource.")
    given = list(p.given) if not isinstance(p.given, str) else p.given.split()
    t = _Checked(_where(name, p, "Patient"))
    patient = PatientDraft(
        first_name=t(given[0] if given else "", 100, "the first name", name=True),
        last_name=t(p.family, 100, "the family name", name=True),
        middle_name=t(" ".join(given[1:]), 100, "the middle name", name=True),
        date_of_birth=_day(p.birth_date),
        sex=SEX.get(str(p.sex or "").lower(), "unknown"), phone=t(p.phone, 40, "the phone"),
        address_line1=t(p.address_line, 200, "the address"), city=t(p.city, 100, "the city"),
        state=t(p.state, 50, "the state"), postal_code=t(p.postal_code, 20, "the postal code"),
        country=t(p.country, 50, "the country") or "US",
        preferred_language="es" if str(p.language or "").lower().startswith("es") else "en",
        deceased_date=_day(getattr(p, "deceased_date", None)))
    plan = ImportPlan(name, patient, _where(name, p, "Patient"))
    for m in parsed.medications:
        t = _Checked(_where(name, m, m.resource_type))
        status = MED_STATUS.get(str(m.status or "active").lower(), "active")
        text = t(m.text, 500, "the medicine", name=True)
        if not status or not text:
            plan.skipped.append(f"{t.where}: "
                                + ("entered in error or draft" if text else "no medicine named")
                                + "; not imported")
            continue
        started = _day(m.effective_start) or _day(m.authored)
        stopped = _day(m.effective_end) if status != "active" else None
        reason = t(m.status_reason, 400, "the status reason") or (
            f"{m.status} in the imported record")
        plan.medications.append(Planned(t.where, MedicationDraft(
            text, (m.rxnorm_codes or ("",))[0], status, started, stopped,
            "" if status == "active" else reason, t(m.dosage_text, 1000, "the directions"),
            t(m.reason, 300, "the reason"),
            tuple((t(i.text, 300, "an ingredient", name=True), i.amount, i.unit, i.per_amount,
                   i.per_unit) for i in m.ingredients), t(m.form, 100, "the form"),
            getattr(m, "dose_amount", None), t(getattr(m, "dose_unit", ""), 50, "the dose unit"),
            getattr(m, "frequency", ""), bool(getattr(m, "as_needed", False)),
            t(getattr(m, "as_needed_reason", ""), 200, "the as-needed reason"),
            t(getattr(m, "route", ""), 50, "the route"))))
    for a in parsed.allergies:
        t = _Checked(_where(name, a, "AllergyIntolerance"))
        substance = t(a.text, 200, "the substance", name=True)
        if not substance:
            plan.skipped.append(f"{t.where}: no substance named; not imported")
            continue
        # a reaction's severity is ours word for word; criticality only when none is given
        severity = SEVERITY.get(str(getattr(a, "severity", "") or "").lower()) or \
            CRITICALITY.get(str(a.criticality or "").lower(), "unknown")
        reactions = [r for r in (a.reactions or []) if r]
        kind = str(getattr(a, "type", "") or "").lower()
        verification = str(getattr(a, "verification", "") or "").lower()
        plan.allergies.append(Planned(t.where, AllergyDraft(
            substance, t(substance_code(getattr(a, "coding", ()) or
                                        tuple((RXNORM, c) for c in a.codes or ())), 64,
                         "the substance code"),
            kind if kind in ("allergy", "intolerance") else "allergy",
            t("; ".join(reactions), 400, "the reactions"), severity, _day(a.recorded),
            ALLERGY_STATUS.get(str(a.clinical_status or "active").lower(), "active"),
            verification == "confirmed", _categories(getattr(a, "category", ())),
            _criticality(a.criticality))))
    for c in parsed.conditions:
        t = _Checked(_where(name, c, "Condition"))
        condition = t(c.text, 300, "the condition", name=True)
        if not condition:
            plan.skipped.append(f"{t.where}: no condition named; not imported")
            continue
        status = CONDITION_STATUS.get(str(c.clinical_status or "active").lower(), "active")
        plan.conditions.append(Planned(t.where, ConditionDraft(
            condition, t(c.icd10 or "", 16, "the ICD-10 code"),
            t(c.snomed or "", 32, "the SNOMED code"), _day(c.onset), status)))
    untracked = 0
    for o in parsed.observations:
        where = _where(name, o, "Observation")
        m = MEASURES_BY_LOINC.get(str(o.loinc or ""))
        if m is None:
            untracked += 1
            continue
        value = o.value
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            plan.skipped.append(f"{where}: {m.label} has no numeric value; not imported")
            continue
        unit = str(o.unit or "")
        if not m.accepts_unit(unit):
            plan.skipped.append(f"{where}: {m.label} in {unit or 'no unit'} is not a unit "
                                "MMS Desk records; not imported")
            continue
        canonical = m.to_canonical(float(value), unit)
        if not m.low <= canonical <= m.high:
            plan.skipped.append(f"{where}: {m.label} {value:g} {unit} is outside the plausible "
                                "range; not imported")
            continue
        plan.observations.append(Planned(where, ObservationDraft(m.key, float(value), unit,
                                                                 _day(o.date))))
    if untracked:
        plan.skipped.append(f"{untracked} observations are not among the labs and vitals MMS "
                            "Desk tracks; not imported")
    for g in parsed.pgx:
        t = _Checked(_where(name, g, "Observation"))
        plan.pgx.append(Planned(t.where, PgxDraft(
            t(g.gene, 32, "the gene", name=True).upper(), t(g.diplotype, 100, "the diplotype"),
            t(g.phenotype, 100, "the phenotype"), _day(g.date))))
    return plan


class _Checked:
    """Texts of one entry: whitespace collapsed; refused, naming the entry, when longer than
    the field keeps (never cut); names and medicines refused when they hold invisible or
    control characters, other text stripped of them (never printed either way)."""

    def __init__(self, where: str) -> None:
        self.where = where

    def __call__(self, value: Any, limit: int, label: str, *, name: bool = False) -> str:
        raw = str(value or "")
        if name:
            problem = hidden_problem(raw.replace("\t", " "), label)
            if problem:
                raise FhirImportError(f"{self.where}: {problem}; nothing was imported.")
        text = " ".join(strip_hidden(raw).split())
        if len(text) > limit:
            raise FhirImportError(f"{self.where}: {label} is {len(text)} characters long, more "
                                  f"than the {limit} MMS Desk keeps; nothing was imported.")
        return text


def _where(name: str, item: Any, resource_type: str) -> str:
    index = getattr(item, "entry_index", None)
    return f"{name}: entry {index} ({resource_type})" if index is not None else \
        f"{name}: {resource_type}"
