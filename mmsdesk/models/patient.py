"""The patient, their caregivers and their care team (prescribers, pharmacies)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from mmsdesk.models.base import (
    created_field,
    patient_fk,
    updated_field,
    uuid_field,
    version_field,
    versioned,
)


class Patient(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    first_name: str = Field(max_length=100)
    middle_name: str = Field(default="", max_length=100)
    last_name: str = Field(max_length=100, index=True)
    preferred_name: str = Field(default="", max_length=100)
    date_of_birth: date = Field(index=True)
    sex: str = Field(default="unknown", max_length=16)
    preferred_language: str = Field(default="en", max_length=16)
    phone: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=200)
    address_line1: str = Field(default="", max_length=200)
    address_line2: str = Field(default="", max_length=200)
    city: str = Field(default="", max_length=100)
    state: str = Field(default="", max_length=50)
    postal_code: str = Field(default="", max_length=20)
    country: str = Field(default="US", max_length=50)
    payer_type: str = Field(default="self_pay", max_length=32)
    plan_name: str = Field(default="", max_length=200)
    member_id: str = Field(default="", max_length=100)
    payer_other: str = Field(default="", max_length=200)
    mtm_enrolled_on: date | None = None
    notes: str = Field(default="")
    deceased_date: date | None = None
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()


class Caregiver(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    name: str = Field(max_length=200)
    relationship: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=40)
    is_emergency_contact: bool = False
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()


class Prescriber(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    first_name: str = Field(default="", max_length=100)
    last_name: str = Field(max_length=100, index=True)
    credentials: str = Field(default="", max_length=50)
    npi: str = Field(default="", max_length=10, index=True)
    practice: str = Field(default="", max_length=200)
    specialty: str = Field(default="", max_length=100)
    phone: str = Field(default="", max_length=40)
    fax: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=400)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()

    @property
    def display_name(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return f"{name}, {self.credentials}" if self.credentials else name


class Pharmacy(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    name: str = Field(max_length=200, index=True)
    kind: str = Field(default="retail", max_length=32)  # retail, mail_order, specialty, ltc
    phone: str = Field(default="", max_length=40)
    fax: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=400)
    npi: str = Field(default="", max_length=10)
    ncpdp: str = Field(default="", max_length=7)  # NCPDP provider id (7 digits)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()


class PatientPrescriber(SQLModel, table=True):
    __tablename__ = "patient_prescriber"
    patient_id: int = Field(foreign_key="patient.id", primary_key=True, ondelete="CASCADE")
    prescriber_id: int = Field(foreign_key="prescriber.id", primary_key=True, ondelete="CASCADE")
    role: str = Field(default="", max_length=100)  # e.g. "primary care", "cardiology"
    is_primary_care: bool = False


class PatientPharmacy(SQLModel, table=True):
    __tablename__ = "patient_pharmacy"
    patient_id: int = Field(foreign_key="patient.id", primary_key=True, ondelete="CASCADE")
    pharmacy_id: int = Field(foreign_key="pharmacy.id", primary_key=True, ondelete="CASCADE")
    is_primary: bool = False
