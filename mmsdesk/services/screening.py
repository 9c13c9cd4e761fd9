"""Screening over the stored record: the patient's active medicines (as resolved by the drug
dictionary), allergies and conditions, passed to :func:`mmsdesk.clinical.screening.screen`."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from mmsdesk.clinical.screening import MedicationInput, PatientContext, ScreeningResult, screen
from mmsdesk.models import Allergy, Condition, MedicationEntry
from mmsdesk.store import Store


def context_for_patient(session: Session, patient_id: int, today: date) -> PatientContext:
    meds = session.execute(select(MedicationEntry).where(
        MedicationEntry.patient_id == patient_id, MedicationEntry.status == "active")
        .order_by(MedicationEntry.id)).scalars()
    allergies = session.execute(select(Allergy.substance).where(
        Allergy.patient_id == patient_id, Allergy.status == "active")).scalars()
    conditions = session.execute(select(Condition.name).where(
        Condition.patient_id == patient_id, Condition.status == "active")).scalars()
    return PatientContext(
        tuple(MedicationInput(m.display_name or m.text_given, tuple(m.ingredient_list))
              for m in meds),
        tuple(allergies), tuple(conditions))


def screen_patient(store: Store, patient_id: int, today: date) -> ScreeningResult:
    with store.session() as s:
        ctx = context_for_patient(s, patient_id, today)
    return screen(ctx)
