"""Screening for a patient in the database: build the PatientContext, run the engine."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from mmsdesk.clinical.screening import MedicationInput, PatientContext, ScreeningResult, screen
from mmsdesk.clinical.screening.inputs import medication_input
from mmsdesk.models import Allergy, Condition, MedicationEntry, Observation, Patient, PgxResult
from mmsdesk.store import Store

INACTIVE = ("inactive", "resolved", "entered-in-error", "refuted")
MEASURES = ("egfr", "creatinine", "weight", "height", "potassium", "inr", "sodium", "a1c")
# measure key -> PatientContext field
_FIELDS = {"weight": "weight_kg", "height": "height_cm"}


def age_on(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def context_for_patient(session: Session, patient_id: int, today: date) -> PatientContext:
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise LookupError(f"no patient with id {patient_id}")

    def rows(model):  # noqa: ANN001, ANN202
        return session.execute(select(model).where(model.patient_id == patient_id)).scalars().all()

    meds = tuple(medication_input(m.name(), m.ingredient_list, m.status, m.match,
                                  components=m.component_values(), release=m.release,
                                  directions=m.structured_directions(),
                                  directions_text=m.directions, route=m.route)
                 for m in rows(MedicationEntry) if m.status == "active")
    latest: dict[str, Observation] = {}
    for o in rows(Observation):
        if o.measure in MEASURES and (o.measure not in latest
                                      or o.taken_on >= latest[o.measure].taken_on):
            latest[o.measure] = o
    conditions = [c for c in rows(Condition) if c.status not in INACTIVE]
    sex = patient.sex if patient.sex in ("male", "female") else ""
    died = patient.deceased_date
    return PatientContext(
        medications=meds, age=age_on(patient.date_of_birth, min(today, died or today)), sex=sex,
        **{_FIELDS.get(k, k): o.value for k, o in latest.items()},
        lab_dates=tuple((_FIELDS.get(k, k), o.taken_on) for k, o in sorted(latest.items())),
        today=today, deceased_on=died, deceased=died is not None,
        conditions=tuple(c.name for c in conditions),
        condition_codes=tuple(code for c in conditions for code in (c.icd10_code, c.snomed_code)
                              if code),
        allergies=tuple(a.substance for a in rows(Allergy) if a.status not in INACTIVE),
        pgx=tuple((g.gene, g.phenotype or g.diplotype) for g in rows(PgxResult)))


def screen_patient(store: Store, patient_id: int, today: date) -> ScreeningResult:
    with store.session() as session:
        ctx = context_for_patient(session, patient_id, today)
    return screen(ctx)


def screen_list(store: Store, patient_id: int, today: date,
                medicines: list[tuple[str, tuple[str, ...]]]) -> ScreeningResult:
    """Screen the patient's record with another medication list in place of the chart's
    (the visit's working list): ``medicines`` as (name, generic ingredients); a medicine with
    no ingredients is unrecognised."""
    from dataclasses import replace

    with store.session() as session:
        ctx = context_for_patient(session, patient_id, today)
    meds = tuple(MedicationInput(name, ingredients, "active",
                                 "exact" if ingredients else "unrecognised")
                 for name, ingredients in medicines)
    return screen(replace(ctx, medications=meds))
