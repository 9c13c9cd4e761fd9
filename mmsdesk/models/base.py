"""Shared column helpers: every record has a stable UUID and created/updated timestamps."""

from __future__ import annotations

import uuid as uuid_mod
from datetime import UTC, datetime

from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    return str(uuid_mod.uuid4())


def uuid_field() -> str:
    return Field(default_factory=new_uuid, max_length=36, unique=True, index=True)  # type: ignore[no-any-return]


def created_field() -> datetime:
    return Field(default_factory=utcnow, nullable=False)  # type: ignore[no-any-return]


def updated_field() -> datetime:
    return Field(
        default_factory=utcnow,
        nullable=False,
        sa_column_kwargs={"onupdate": utcnow},
    )  # type: ignore[no-any-return]


def patient_fk() -> int:
    return Field(foreign_key="patient.id", index=True, nullable=False, ondelete="CASCADE")  # type: ignore[no-any-return]
