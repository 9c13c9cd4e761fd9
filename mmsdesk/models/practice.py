"""The practice itself: the pharmacist's profile and service catalogue."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from mmsdesk.models.base import created_field, updated_field, uuid_field, version_field, versioned


class PharmacistProfile(SQLModel, table=True):
    __tablename__ = "pharmacist_profile"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    name: str = Field(max_length=200)
    credentials: str = Field(default="", max_length=100)  # "PharmD, BCGP"
    npi: str = Field(default="", max_length=10)
    practice_name: str = Field(default="", max_length=200)
    address: str = Field(default="", max_length=400)
    phone: str = Field(default="", max_length=40)
    fax: str = Field(default="", max_length=40)
    email: str = Field(default="", max_length=200)
    hours: str = Field(default="", max_length=200)  # "Monday to Friday, 9 am to 5 pm"
    tty: str = Field(default="", max_length=40)
    tin: str = Field(default="", max_length=20)  # federal tax id (EIN or SSN) for claims, GFEs
    logo_png: bytes | None = None
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()


class ServiceOffering(SQLModel, table=True):
    __tablename__ = "service_offering"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    service: str = Field(max_length=32)  # models.enums.ServiceType
    name: str = Field(max_length=200)
    duration_minutes: int = 30
    price: float = 0.0
    active: bool = True
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()
