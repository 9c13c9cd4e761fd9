"""Shared column helpers: every record has a stable UUID and created/updated timestamps."""

from __future__ import annotations

import uuid as uuid_mod
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import declared_attr
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


def version_field() -> int:
    """The record's version: 1 when created, one more at every save (``versioned()``)."""
    return Field(default=1, nullable=False, sa_column_kwargs={"server_default": "1"})  # type: ignore[no-any-return]


def versioned() -> Any:
    """``__mapper_args__`` of an editable record: every UPDATE or DELETE names the version it
    read (``... WHERE id = ? AND version = ?``) and writes the next, so a save over a version
    someone else saved meanwhile matches no row and is refused (the store names who and when:
    :mod:`mmsdesk.store.conflicts`), never a silent overwrite."""
    def mapper_args(cls: Any) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}

    return declared_attr(mapper_args)


def patient_fk() -> int:
    return Field(foreign_key="patient.id", index=True, nullable=False, ondelete="CASCADE")  # type: ignore[no-any-return]
