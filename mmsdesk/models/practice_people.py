"""The people of a practice (team mode) and the charts they take along on home visits.

A sole proprietor on her laptop needs neither: with no ``Person`` rows the store behaves as it
always has. In a practice sharing one PostgreSQL database each person signs in with their own
passphrase; the audit trail names them. ``PatientHold`` records that a person copied a
patient's chart to their laptop ("Take along") until they bring it back.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from mmsdesk.models.base import (
    created_field,
    patient_fk,
    updated_field,
    uuid_field,
    version_field,
    versioned,
)


class Person(SQLModel, table=True):
    __tablename__ = "person"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    login: str = Field(max_length=64, unique=True, index=True)  # what they sign in with
    name: str = Field(max_length=200)  # as the audit trail and documents name them
    role: str = Field(default="pharmacist", max_length=16)  # pharmacist | technician
    credentials: str = Field(default="", max_length=50)  # "PharmD", "CPhT"
    npi: str = Field(default="", max_length=10)
    # scrypt of the person's passphrase: "scrypt$n$r$p$salt-hex$hash-hex"; never the passphrase
    passphrase_hash: str = Field(default="", max_length=300)
    active: bool = True
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()


class PatientHold(SQLModel, table=True):
    """A patient's chart taken along by one person: others can read it and see who holds it
    until when; it ends when brought back or released (by its holder, or with a recorded
    reason by a pharmacist of the practice)."""

    __tablename__ = "patient_hold"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL",
                                  index=True)
    holder_name: str = Field(default="", max_length=200)  # as it was when taken
    device: str = Field(default="", max_length=200)  # the laptop it went to
    taken_at: datetime = created_field()
    until: datetime | None = None
    released_at: datetime | None = Field(default=None, index=True)  # None while held
    released_by: str = Field(default="", max_length=200)
    release_reason: str = Field(default="", max_length=400)  # when not released by its holder
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()
