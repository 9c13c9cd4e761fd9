"""Records of what happened: audit events, acknowledged alerts, pharmacy fills."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from mmsdesk.models.base import (
    created_field,
    patient_fk,
    updated_field,
    utcnow,
    uuid_field,
    version_field,
    versioned,
)


class AuditEvent(SQLModel, table=True):
    """One hash-chained audit row. Holds hashes of record contents, never the contents."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(default="", max_length=100)
    action: str = Field(max_length=32)  # create, update, delete, print, export, import, ...
    entity: str = Field(max_length=64)
    entity_id: str = Field(default="", max_length=64)
    patient_id: int | None = Field(default=None, index=True)  # no FK: history outlives the row
    before_hash: str = Field(default="", max_length=64)
    after_hash: str = Field(default="", max_length=64)
    detail: str = Field(default="", max_length=400)
    prev_hash: str = Field(default="", max_length=64)
    row_hash: str = Field(default="", max_length=64)


class AlertAcknowledgement(SQLModel, table=True):
    __tablename__ = "alert_acknowledgement"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    alert_key: str = Field(max_length=300, index=True)
    signature: str = Field(default="", max_length=64)  # hash of the inputs the alert rested on
    reason: str = Field(max_length=1000)
    acknowledged_at: datetime = created_field()


class FillRecord(SQLModel, table=True):
    """One pharmacy fill from a refill history, for adherence (PDC)."""

    __tablename__ = "fill_record"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    drug_text: str = Field(max_length=300)
    ingredients: str = Field(default="", max_length=300)
    fill_date: date = Field(index=True)
    quantity: float | None = None
    days_supply: int
    pharmacy_id: int | None = Field(default=None, foreign_key="pharmacy.id", ondelete="SET NULL")
    source: str = Field(default="", max_length=64)
    # what the pharmacy's file said of the fill, kept as reported (a record of the fill)
    ndc: str = Field(default="", max_length=11)  # 11 digits, 5-4-2, no hyphens
    rx_number: str = Field(default="", max_length=32)
    prescriber_name: str = Field(default="", max_length=200)
    prescriber_npi: str = Field(default="", max_length=10)
    sig: str = Field(default="", max_length=500)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()
