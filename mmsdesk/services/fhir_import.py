"""FHIR import: preview what a bundle will create (matching an existing patient by name and birth
date), then write it in one transaction: all of it, or nothing.

The bundle is read and translated by :mod:`mmsdesk.interop.fhir_import` (no database); here
every record passes the same validators as the forms before anything is written.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.sig import Directions
from mmsdesk.interop.fhir_import import (
    FhirImportError,
    ImportPlan,
    MedicationDraft,
    Planned,
    plan_import,
)
from mmsdesk.models import (
    Allergy,
    Condition,
    MedicationEntry,
    Observation,
    Patient,
    PgxResult,
)
from mmsdesk.services import changes
from mmsdesk.services import validation as v
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.medications import MedicationInput, MedicationService
from mmsdesk.services.patients import PatientInput, validate_patient
from mmsdesk.services.record import (
    AllergyInput,
    ConditionInput,
    ObservationInput,
    PgxInput,
    RecordService,
)
from mmsdesk.store import Store
from mmsdesk.store.audit import record_event

KINDS = ("medications", "allergies", "conditions", "observations", "pgx")


class ImportRefused(Exception):
    """The bundle cannot be imported; the message names the place and the problem."""


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold().strip())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class ImportPreview:
    patient_name: str
    birth_date: date | None
    existing_patient_id: int | None  # the patient the records will be added to, if any
    to_create: dict[str, int]
    already_on_record: dict[str, int]
    skipped: list[str] = field(default_factory=list)

    @property
    def creates_patient(self) -> bool:
        return self.existing_patient_id is None


@dataclass(frozen=True)
class ImportResult:
    patient_id: int
    patient_created: bool
    created: dict[str, int]
    change: ChangeSet

    def as_json(self) -> dict[str, Any]:
        return {"patient_id": self.patient_id, "created": dict(self.created)}


@dataclass(frozen=True)
class _Med:
    """A medication to add, with the status it had in the source."""

    data: MedicationInput
    status: str
    stopped: date | None
    stop_reason: str


def _medication(d: MedicationDraft) -> _Med:
    directions = Directions(d.dose_amount, d.dose_unit, d.route, d.frequency, (),
                            d.as_needed, d.as_needed_reason)
    return _Med(MedicationInput(text_given=d.text, rxnorm_code=d.rxnorm, directions=directions,
                                directions_text=d.directions, indication=d.indication,
                                started=d.started, source="import",
                                components=tuple(Component(*i) for i in d.ingredients),
                                dose_form=d.form),
                d.status, d.stopped, d.stop_reason)


def _inputs(plan: ImportPlan) -> dict[str, list[Planned[Any]]]:
    """The plan's drafts as the services' inputs (validated by the services on write)."""
    return {
        "medications": [Planned(e.where, _medication(e.data)) for e in plan.medications],
        "allergies": [Planned(e.where, AllergyInput(**vars(e.data))) for e in plan.allergies],
        "conditions": [Planned(e.where, ConditionInput(**vars(e.data))) for e in plan.conditions],
        "observations": [Planned(e.where, ObservationInput(**vars(e.data), source="FHIR import"))
                         for e in plan.observations],
        "pgx": [Planned(e.where, PgxInput(**vars(e.data))) for e in plan.pgx],
    }


def _patient_input(plan: ImportPlan) -> PatientInput:
    return PatientInput(**vars(plan.patient))


def _keys(kind: str, item: Any) -> tuple[Any, ...]:
    """What makes two records the same, so importing a bundle twice adds nothing twice."""
    if kind == "medications":
        return (_fold(item.data.text_given), item.data.started)
    if kind == "allergies":
        return (_fold(item.substance),)
    if kind == "conditions":
        # an episode of a recurring condition is its own record: the onset tells them apart
        return (_fold(item.name), item.icd10_code.upper(), item.snomed_code, item.onset_date)
    if kind == "observations":
        return (item.measure, item.taken_on, round(float(item.value), 4))
    return (item.gene.upper(), _fold(item.diplotype), _fold(item.phenotype))


def _existing(s: Session, patient_id: int) -> dict[str, set[tuple[Any, ...]]]:
    def rows(model: Any) -> list[Any]:
        return list(s.execute(select(model).where(model.patient_id == patient_id)).scalars())

    return {
        "medications": {(_fold(m.text_given), m.started) for m in rows(MedicationEntry)},
        "allergies": {(_fold(a.substance),) for a in rows(Allergy)},
        "conditions": {(_fold(c.name), c.icd10_code.upper(), c.snomed_code, c.onset_date)
                       for c in rows(Condition)},
        "observations": {(o.measure, o.taken_on, round(o.value, 4)) for o in rows(Observation)},
        "pgx": {(g.gene.upper(), _fold(g.diplotype), _fold(g.phenotype)) for g in rows(PgxResult)},
    }


class FhirImportService:
    def __init__(self, store: Store, medications: MedicationService | None = None) -> None:
        self.store = store
        self.medications = medications or MedicationService(store)
        self.records = RecordService(store)

    @staticmethod
    def read(source: Any) -> ImportPlan:
        """Read and translate a bundle file (or parsed JSON); refuses what it cannot read."""
        try:
            return plan_import(source)
        except FhirImportError as exc:
            raise ImportRefused(str(exc)) from None

    def import_file(self, source: Any, today: date, patient_id: int | None = None
                    ) -> ImportResult:
        return self.commit(self.read(source), today, patient_id)

    def match_patient(self, s: Session, data: PatientInput) -> int | None:
        """An existing patient with the same first and last name (any case and accents) and
        the same birth date."""
        if data.date_of_birth is None:
            return None
        candidates = s.execute(select(Patient).where(Patient.date_of_birth == data.date_of_birth)
                               ).scalars()
        for p in candidates:
            if (_fold(p.first_name), _fold(p.last_name)) == (_fold(data.first_name),
                                                              _fold(data.last_name)):
                return p.id
        return None

    def _target(self, s: Session, plan: ImportPlan, patient_id: int | None) -> int | None:
        if patient_id is not None:
            if s.get(Patient, patient_id) is None:
                raise ImportRefused(f"No patient with id {patient_id}.")
            return patient_id
        return self.match_patient(s, _patient_input(plan))

    def _new_items(self, s: Session, plan: ImportPlan, target: int | None
                   ) -> tuple[dict[str, list[Any]], dict[str, int]]:
        seen = _existing(s, target) if target is not None else {k: set() for k in KINDS}
        new: dict[str, list[Any]] = {k: [] for k in KINDS}
        dup = dict.fromkeys(KINDS, 0)
        inputs = _inputs(plan)
        for kind in KINDS:
            for entry in inputs[kind]:
                key = _keys(kind, entry.data)
                if key in seen[kind]:
                    dup[kind] += 1
                    continue
                seen[kind].add(key)
                new[kind].append(entry)
        return new, dup

    def preview(self, plan: ImportPlan, patient_id: int | None = None) -> ImportPreview:
        with self.store.session() as s:
            target = self._target(s, plan, patient_id)
            new, dup = self._new_items(s, plan, target)
        p = plan.patient
        return ImportPreview(" ".join(x for x in (p.first_name, p.last_name) if x),
                             p.date_of_birth, target, {k: len(x) for k, x in new.items()}, dup,
                             list(plan.skipped))

    def commit(self, plan: ImportPlan, today: date, patient_id: int | None = None
               ) -> ImportResult:
        """Write everything in one transaction; on any problem nothing is written and
        :class:`ImportRefused` names the entry."""
        try:
            with self.store.session() as s:
                target = self._target(s, plan, patient_id)
                created_patient = target is None
                if target is None:
                    target = self._add_patient(s, plan, today)
                new, _ = self._new_items(s, plan, target)
                for entry in new["medications"]:
                    with _at(entry.where):
                        m: _Med = entry.data
                        self.medications.add_in_session(
                            s, target, m.data, today, status=m.status, stopped=m.stopped,
                            stop_reason=m.stop_reason)
                for kind in KINDS[1:]:
                    for entry in new[kind]:
                        with _at(entry.where):
                            self.records.add_in_session(s, target, entry.data, today)
                s.flush()
                created = {k: len(x) for k, x in new.items()}
                record_event(s, "import", "patient", patient_id=target,
                             detail="FHIR bundle: " + ", ".join(f"{n} {k}" for k, n in
                                                               created.items()))
        except _EntryRefused as exc:
            raise ImportRefused(str(exc)) from None
        change = ChangeSet.of(changes.PATIENTS, changes.DEMOGRAPHICS, changes.MEDICATIONS,
                              changes.ALLERGIES, changes.CONDITIONS, changes.OBSERVATIONS,
                              changes.PGX, patient_id=target)
        return ImportResult(target, created_patient, created, change)

    def _add_patient(self, s: Session, plan: ImportPlan, today: date) -> int:
        data = _patient_input(plan).normalised()
        errors = validate_patient(data, today)
        if errors:
            raise _EntryRefused(f"{plan.patient_where}: {'; '.join(errors.values())}")
        fields = {k: getattr(data, k) for k in PatientInput.__dataclass_fields__
                  if k != "caregivers"}
        p = Patient(**fields)
        s.add(p)
        s.flush()
        assert p.id is not None
        return p.id


class _EntryRefused(Exception):
    pass


class _at:  # noqa: N801 - used as a context manager: ``with _at(where):``
    """Turn a validation error into a refusal naming the bundle entry."""

    def __init__(self, where: str) -> None:
        self.where = where

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: Any, _tb: Any) -> bool:
        if isinstance(exc, v.ValidationError):
            msg = "; ".join(exc.errors.values())
            raise _EntryRefused(f"{self.where}: {msg}") from None
        return False

