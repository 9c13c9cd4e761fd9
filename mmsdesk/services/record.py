"""The clinical record: allergies, conditions, labs and vitals (unit checks, plausible ranges),
pharmacogenomic results, and the goals that give the trend charts their target lines."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from mmsdesk.models import Allergy, Condition, Goal, Observation, PgxResult
from mmsdesk.models.enums import (
    ALLERGY_CATEGORIES,
    ALLERGY_CRITICALITIES,
    AllergyType,
    ConditionStatus,
    Severity,
)
from mmsdesk.models.measures import MEASURES_BY_KEY, Measure
from mmsdesk.services import changes, icd10
from mmsdesk.services import validation as v
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.versions import expect
from mmsdesk.store import Store

T = TypeVar("T")

ICD10 = re.compile(r"^[A-TV-Z][0-9][0-9AB](\.[0-9A-Z]{1,4})?$")
GENE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,15}$")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


@dataclass
class AllergyInput:
    substance: str
    type: str = AllergyType.ALLERGY.value
    reaction: str = ""
    severity: str = Severity.UNKNOWN.value
    recorded_date: date | None = None
    verified: bool = False
    status: str = "active"
    substance_code: str = ""
    notes: str = ""
    category: str = ""  # the source's, ";"-joined (models.enums.ALLERGY_CATEGORIES)
    criticality: str = ""  # the source's (models.enums.ALLERGY_CRITICALITIES)


@dataclass
class ConditionInput:
    name: str
    icd10_code: str = ""
    snomed_code: str = ""
    onset_date: date | None = None
    status: str = ConditionStatus.ACTIVE.value
    notes: str = ""


@dataclass
class ObservationInput:
    measure: str
    value: float | None
    unit: str
    taken_on: date | None
    source: str = ""
    notes: str = ""


@dataclass
class PgxInput:
    gene: str
    diplotype: str = ""
    phenotype: str = ""
    test_date: date | None = None
    lab: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Item(Generic[T]):
    """A stored record: its id and its data."""

    id: int
    data: T
    version: int | None = None  # as read: an edit saves against it (``update(expected_version=)``)


@dataclass(frozen=True)
class GoalTarget:
    measure: str
    comparator: str
    value: float
    label: str


def validate_allergy(d: AllergyInput, today: date) -> dict[str, str]:
    errors = v.collect(
        substance=v.optional_text(d.substance, "Substance", 200)
        or (None if d.substance.strip() else "Substance is required."),
        reaction=v.optional_text(d.reaction, "Reaction", 400),
        recorded_date=v.event_date(d.recorded_date, today, "Date recorded"),
        notes=v.optional_text(d.notes, "Notes", v.MAX_NOTE))
    if d.type not in {t.value for t in AllergyType}:
        errors["type"] = "Choose allergy or intolerance."
    if d.severity not in {s.value for s in Severity}:
        errors["severity"] = "Choose a severity from the list."
    if d.status not in {"active", "inactive"}:
        errors["status"] = "Status is active or inactive."
    if d.category and not set(d.category.split(";")) <= set(ALLERGY_CATEGORIES):
        errors["category"] = "Category is food, medication, environment or biologic."
    if d.criticality not in ("", *ALLERGY_CRITICALITIES):
        errors["criticality"] = "Criticality is low, high or unable to assess."
    return errors


def validate_condition(d: ConditionInput, today: date) -> dict[str, str]:
    errors = v.collect(
        name=v.optional_text(d.name, "Condition", 300)
        or (None if d.name.strip() else "Condition name is required."),
        onset_date=v.event_date(d.onset_date, today, "Onset date"),
        notes=v.optional_text(d.notes, "Notes", v.MAX_NOTE))
    code = d.icd10_code.strip().upper()
    if code and not ICD10.match(code):
        errors["icd10_code"] = "ICD-10-CM codes look like I10 or E11.9 (letter, 2 digits, optional dot part)."
    elif code and icd10.describe(code) is None and icd10.available():
        errors["icd10_code"] = f"{code} is not in the ICD-10-CM code set."
    if d.status not in {s.value for s in ConditionStatus}:
        errors["status"] = "Choose active, resolved or inactive."
    return errors


def validate_observation(d: ObservationInput, today: date) -> dict[str, str]:
    """Unit and plausible-range checks; each message belongs to one field."""
    errors: dict[str, str] = {}
    m = MEASURES_BY_KEY.get(d.measure)
    if m is None:
        return {"measure": "Choose a measure from the list."}
    msg = v.event_date(d.taken_on, today, "Date taken", required=True)
    if msg:
        errors["taken_on"] = msg
    if not m.accepts_unit(d.unit):
        errors["unit"] = unit_message(m, d.unit)
    if d.value is None:
        errors["value"] = "Enter the value as a number."
    elif "unit" not in errors:
        canonical = m.to_canonical(d.value, d.unit)
        if not m.low <= canonical <= m.high:
            errors["value"] = (f"{_num(d.value)} {d.unit} is outside the plausible range for "
                               f"{m.label} ({_num(m.low)} to {_num(m.high)} {m.unit}). "
                               "Check the value and the unit.")
    return errors


def unit_message(m: Measure, unit: str) -> str:
    accepted = [m.unit] + [u for u in m.other_units if u]
    shown = unit.strip() or "no unit"
    if len(shown) > 20:  # a pasted paragraph is not echoed back whole
        shown = shown[:20] + "…"
    return f"{m.label} is not recorded in {shown}; use {' or '.join(accepted)}."


def _num(x: float) -> str:
    return f"{x:g}"


def parse_number(text: str) -> float | None:
    t = (text or "").strip().replace(",", ".")
    try:
        value = float(t)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def validate_pgx(d: PgxInput, today: date) -> dict[str, str]:
    errors = v.collect(
        test_date=v.event_date(d.test_date, today, "Test date"),
        diplotype=v.optional_text(d.diplotype, "Diplotype", 100),
        phenotype=v.optional_text(d.phenotype, "Phenotype", 100),
        lab=v.optional_text(d.lab, "Laboratory", 200))
    if not GENE.match(d.gene.strip().upper()):
        errors["gene"] = "Gene is required, as its symbol (for example CYP2C19)."
    if not d.diplotype.strip() and not d.phenotype.strip():
        errors["phenotype"] = "Give the diplotype, the phenotype, or both."
    return errors


_KINDS: dict[type, tuple[type[SQLModel], str, Any]] = {
    AllergyInput: (Allergy, changes.ALLERGIES, validate_allergy),
    ConditionInput: (Condition, changes.CONDITIONS, validate_condition),
    ObservationInput: (Observation, changes.OBSERVATIONS, validate_observation),
    PgxInput: (PgxResult, changes.PGX, validate_pgx),
}


def normalised(data: Any) -> Any:
    """Strings NFC-normalised and trimmed; codes upper-cased; observations in canonical units."""
    values = {k: _nfc(x) if isinstance(x, str) else x for k, x in asdict(data).items()}
    if isinstance(data, ConditionInput):
        values["icd10_code"] = values["icd10_code"].upper()
    if isinstance(data, PgxInput):
        values["gene"] = values["gene"].upper()
    out = type(data)(**values)
    if isinstance(out, ObservationInput) and out.value is not None:
        m = MEASURES_BY_KEY[out.measure]
        out.value, out.unit = m.to_canonical(out.value, out.unit), m.unit
    return out


def _overtake_no_known_allergies(s: Session, patient_id: int, row: Any) -> None:
    """A real allergy recorded ends an earlier "no known allergies" statement (removed in the
    same transaction, so the audit trail shows both), so no list says both."""
    from mmsdesk.services.chart_header import is_no_known_allergies

    if not isinstance(row, Allergy) or is_no_known_allergies(row.substance, row.substance_code):
        return
    for old in s.execute(select(Allergy).where(Allergy.patient_id == patient_id)).scalars():
        if is_no_known_allergies(old.substance, old.substance_code):
            s.delete(old)


class RecordService:
    """Add, edit, remove allergies, conditions, observations and PGx results."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def items(self, patient_id: int, kind: type[T]) -> list[Item[T]]:
        model = _KINDS[kind][0]
        order = {ObservationInput: (Observation.taken_on, Observation.id)}.get(
            kind, (model.id,))  # type: ignore[attr-defined]
        names = [f.name for f in fields(kind)]  # type: ignore[arg-type]
        with self.store.session() as s:
            rows = s.execute(select(model).where(model.patient_id == patient_id)  # type: ignore[attr-defined]
                             .order_by(*order)).scalars()
            return [Item(r.id, kind(**{n: getattr(r, n) for n in names}), r.version)
                    for r in rows]

    def item(self, kind: type[T], record_id: int) -> Item[T]:
        """One record as stored now, with its version (LookupError: deleted meanwhile)."""
        model = _KINDS[kind][0]
        names = [f.name for f in fields(kind)]  # type: ignore[arg-type]
        with self.store.session() as s:
            r = s.get(model, record_id)
            if r is None:
                raise LookupError(f"No record with id {record_id}.")
            return Item(r.id, kind(**{n: getattr(r, n) for n in names}), r.version)

    def add(self, patient_id: int, data: Any, today: date) -> tuple[int, ChangeSet]:
        model, kind, _ = _KINDS[type(data)]
        data = self._checked(data, today)
        with self.store.session() as s:
            row = model(patient_id=patient_id, **self._columns(data))
            _overtake_no_known_allergies(s, patient_id, row)
            s.add(row)
            s.flush()
            rid = row.id  # type: ignore[attr-defined]
        return rid, ChangeSet.of(kind, patient_id=patient_id)

    def add_in_session(self, s: Session, patient_id: int, data: Any, today: date) -> SQLModel:
        """Add inside a caller's transaction (importers: all or nothing)."""
        model = _KINDS[type(data)][0]
        row = model(patient_id=patient_id, **self._columns(self._checked(data, today)))
        _overtake_no_known_allergies(s, patient_id, row)
        s.add(row)
        return row

    def update(self, record_id: int, data: Any, today: date, *,
               expected_version: int | None = None) -> ChangeSet:
        """``expected_version``: the version the screen read; a save over another is refused
        (RecordChanged), nothing written."""
        model, kind, _ = _KINDS[type(data)]
        data = self._checked(data, today)
        with self.store.session() as s:
            row = s.get(model, record_id)
            if row is None:
                raise LookupError(f"No record with id {record_id}.")
            expect(row, expected_version)
            renamed = isinstance(row, Allergy) and (
                _nfc(row.substance).casefold() != _nfc(data.substance).casefold())
            if renamed and data.substance_code == row.substance_code:
                data.substance_code = ""  # another substance: the old one's code is not its
            for k, val in self._columns(data).items():
                setattr(row, k, val)
            s.add(row)
            pid = row.patient_id  # type: ignore[attr-defined]
        return ChangeSet.of(kind, patient_id=pid)

    def delete(self, kind: type, record_id: int) -> ChangeSet:
        model, change_kind, _ = _KINDS[kind]
        with self.store.session() as s:
            row = s.get(model, record_id)
            if row is None:
                raise LookupError(f"No record with id {record_id}.")
            pid = row.patient_id  # type: ignore[attr-defined]
            s.delete(row)
        return ChangeSet.of(change_kind, patient_id=pid)

    def goal_targets(self, patient_id: int) -> dict[str, list[GoalTarget]]:
        """Open goals with a numeric target, by measure key (target lines on trend charts)."""
        out: dict[str, list[GoalTarget]] = {}
        with self.store.session() as s:
            goals = s.execute(select(Goal).where(Goal.patient_id == patient_id,
                                                 Goal.status == "open")).scalars()
            for g in goals:
                if g.target_value is None or g.measure not in MEASURES_BY_KEY:
                    continue
                label = g.target or f"Goal {g.comparator} {_num(g.target_value)}"
                out.setdefault(g.measure, []).append(
                    GoalTarget(g.measure, g.comparator, g.target_value, label))
        return out

    @staticmethod
    def _checked(data: Any, today: date) -> Any:
        validator = _KINDS[type(data)][2]
        errors = validator(data, today)
        if errors:
            raise v.ValidationError(errors)
        return normalised(data)

    @staticmethod
    def _columns(data: Any) -> dict[str, Any]:
        cols = asdict(data)
        if isinstance(data, ObservationInput):
            cols["loinc"] = MEASURES_BY_KEY[data.measure].loinc
        return cols
