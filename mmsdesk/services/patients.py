"""Patients: list, read, create and update, with validation at the field."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from mmsdesk.models import Caregiver, MedicationEntry, Patient
from mmsdesk.models.enums import PayerType, Sex
from mmsdesk.services import changes
from mmsdesk.services import validation as v
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.versions import expect, touch
from mmsdesk.store import Store

LANGUAGES = {"en": "English", "es": "Spanish"}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


@dataclass
class CaregiverInput:
    name: str
    relationship: str = ""
    phone: str = ""
    is_emergency_contact: bool = False


@dataclass
class PatientInput:
    first_name: str
    last_name: str
    date_of_birth: date | None
    middle_name: str = ""
    preferred_name: str = ""
    sex: str = Sex.UNKNOWN.value
    preferred_language: str = "en"
    phone: str = ""
    email: str = ""
    address_line1: str = ""
    address_line2: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = "US"
    payer_type: str = PayerType.SELF_PAY.value
    plan_name: str = ""
    member_id: str = ""
    payer_other: str = ""
    mtm_enrolled_on: date | None = None
    notes: str = ""
    deceased_date: date | None = None
    caregivers: list[CaregiverInput] = field(default_factory=list)

    def normalised(self) -> PatientInput:
        data = asdict(self)
        for k, val in data.items():
            if isinstance(val, str):
                data[k] = nfc(val)
        data["caregivers"] = [
            CaregiverInput(nfc(c["name"]), nfc(c["relationship"]), nfc(c["phone"]),
                           bool(c["is_emergency_contact"]))
            for c in data["caregivers"]
        ]
        return PatientInput(**data)


@dataclass(frozen=True)
class PatientRow:
    """One line of the patient list."""

    id: int
    first_name: str
    last_name: str
    preferred_name: str
    date_of_birth: date
    phone: str
    payer_type: str
    active_medications: int

    @property
    def display_name(self) -> str:
        return f"{self.last_name}, {self.first_name}"


@dataclass(frozen=True)
class PatientDetail:
    id: int
    uuid: str
    data: PatientInput
    version: int | None = None  # as read: an edit saves against it (``update(expected_version=)``)

    @property
    def display_name(self) -> str:
        d = self.data
        return " ".join(p for p in (d.first_name, d.last_name) if p)


def validate_patient(data: PatientInput, today: date) -> dict[str, str]:
    errors = v.collect(
        first_name=v.required_name(data.first_name, "First name"),
        last_name=v.required_name(data.last_name, "Last name"),
        middle_name=v.optional_text(data.middle_name, "Middle name", v.MAX_NAME),
        preferred_name=v.optional_text(data.preferred_name, "Preferred name", v.MAX_NAME),
        date_of_birth=v.birth_date(data.date_of_birth, today),
        phone=v.phone(data.phone),
        email=v.email(data.email),
        notes=v.optional_text(data.notes, "Notes", v.MAX_NOTE),
        address_line1=v.optional_text(data.address_line1, "Address", 200),
        address_line2=v.optional_text(data.address_line2, "Address", 200),
        city=v.optional_text(data.city, "City", 100),
        state=v.optional_text(data.state, "State", 50),
        postal_code=v.optional_text(data.postal_code, "ZIP code", 20),
        plan_name=v.optional_text(data.plan_name, "Plan name", 200),
        member_id=v.optional_text(data.member_id, "Member ID", 100),
    )
    if data.sex not in {s.value for s in Sex}:
        errors["sex"] = "Choose a sex from the list."
    if data.payer_type not in {p.value for p in PayerType}:
        errors["payer_type"] = "Choose a payer from the list."
    if data.payer_type == PayerType.MEDICARE_PART_D and not data.member_id.strip():
        errors["member_id"] = "A Medicare Part D patient needs the plan's member ID."
    if data.preferred_language not in LANGUAGES:
        errors["preferred_language"] = "Choose English or Spanish."
    if data.deceased_date is not None:
        msg = v.event_date(data.deceased_date, today, "Date of death")
        if msg:
            errors["deceased_date"] = msg
        elif data.date_of_birth and data.deceased_date < data.date_of_birth:
            errors["deceased_date"] = "Date of death cannot be before the date of birth."
    for i, c in enumerate(data.caregivers):
        msg = v.required_name(c.name, "Caregiver name") or v.phone(c.phone, "Caregiver phone")
        if msg:
            errors[f"caregivers.{i}"] = msg
    return errors


_PATIENT_FIELDS = [f for f in PatientInput.__dataclass_fields__ if f != "caregivers"]


class PatientService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def list_rows(self) -> list[PatientRow]:
        active = (
            select(MedicationEntry.patient_id, func.count().label("n"))
            .where(MedicationEntry.status == "active")
            .group_by(MedicationEntry.patient_id)
            .subquery()
        )
        stmt = select(
            Patient.id, Patient.first_name, Patient.last_name, Patient.preferred_name,
            Patient.date_of_birth, Patient.phone, Patient.payer_type,
            func.coalesce(active.c.n, 0),
        ).outerjoin(active, active.c.patient_id == Patient.id).order_by(
            Patient.last_name, Patient.first_name
        )
        with self.store.session() as s:
            return [PatientRow(*row) for row in s.execute(stmt).all()]

    def count(self) -> int:
        with self.store.session() as s:
            return int(s.execute(select(func.count()).select_from(Patient)).scalar_one())

    def get(self, patient_id: int) -> PatientDetail:
        with self.store.session() as s:
            p = s.get(Patient, patient_id)
            if p is None:
                raise LookupError(f"No patient with id {patient_id}.")
            cgs = s.exec(  # type: ignore[call-overload]
                select(Caregiver).where(Caregiver.patient_id == patient_id).order_by(Caregiver.id)
            ).scalars().all()
            data = PatientInput(**{f: getattr(p, f) for f in _PATIENT_FIELDS})
            data.caregivers = [
                CaregiverInput(c.name, c.relationship, c.phone, c.is_emergency_contact) for c in cgs
            ]
            return PatientDetail(p.id, p.uuid, data, p.version)  # type: ignore[arg-type]

    def create(self, data: PatientInput, today: date | None = None) -> tuple[int, ChangeSet]:
        data = data.normalised()
        errors = validate_patient(data, today or date.today())
        if errors:
            raise v.ValidationError(errors)
        with self.store.session() as s:
            p = Patient(**{f: getattr(data, f) for f in _PATIENT_FIELDS})
            s.add(p)
            s.flush()
            self._write_caregivers(s, p.id, data.caregivers)  # type: ignore[arg-type]
            pid = p.id
        assert pid is not None
        return pid, ChangeSet.of(changes.PATIENTS, changes.DEMOGRAPHICS, patient_id=pid)

    def update(self, patient_id: int, data: PatientInput, today: date | None = None, *,
               expected_version: int | None = None) -> ChangeSet:
        """``expected_version``: the version the screen read; a save over another is refused
        (RecordChanged), nothing written."""
        data = data.normalised()
        errors = validate_patient(data, today or date.today())
        if errors:
            raise v.ValidationError(errors)
        with self.store.session() as s:
            p = s.get(Patient, patient_id)
            if p is None:
                raise LookupError(f"No patient with id {patient_id}.")
            expect(p, expected_version)
            for f in _PATIENT_FIELDS:
                setattr(p, f, getattr(data, f))
            touch(p)  # its caregivers are rewritten with it: a new version even if only they change
            s.add(p)
            old = s.exec(select(Caregiver).where(Caregiver.patient_id == patient_id)).scalars().all()  # type: ignore[call-overload]
            for c in old:
                s.delete(c)
            s.flush()
            self._write_caregivers(s, patient_id, data.caregivers)
        return ChangeSet.of(changes.PATIENTS, changes.DEMOGRAPHICS, patient_id=patient_id)

    @staticmethod
    def _write_caregivers(s: Session, patient_id: int, caregivers: list[CaregiverInput]) -> None:
        for c in caregivers:
            s.add(Caregiver(patient_id=patient_id, name=c.name, relationship=c.relationship,
                            phone=c.phone, is_emergency_contact=c.is_emergency_contact))
