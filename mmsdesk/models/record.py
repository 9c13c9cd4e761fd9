"""The clinical record: allergies, conditions, labs and vitals, pharmacogenomic results."""

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


class Allergy(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    substance: str = Field(max_length=200)
    substance_code: str = Field(default="", max_length=64)  # RxNorm/UNII/class key when known
    type: str = Field(default="allergy", max_length=16)  # allergy | intolerance
    reaction: str = Field(default="", max_length=400)
    severity: str = Field(default="unknown", max_length=16)
    # FHIR AllergyIntolerance.category (food|medication|environment|biologic, ";"-joined) and
    # criticality (low|high|unable-to-assess) as the source gave them; "" when not given
    category: str = Field(default="", max_length=64)
    criticality: str = Field(default="", max_length=24)
    recorded_date: date | None = None
    verified: bool = False
    status: str = Field(default="active", max_length=16)
    notes: str = ""
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()


class Condition(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    name: str = Field(max_length=300)
    icd10_code: str = Field(default="", max_length=16)
    snomed_code: str = Field(default="", max_length=32)
    onset_date: date | None = None
    status: str = Field(default="active", max_length=16)
    notes: str = ""
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()


class Observation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    measure: str = Field(max_length=32, index=True)  # key in models.measures
    loinc: str = Field(default="", max_length=16)
    value: float
    unit: str = Field(default="", max_length=32)
    taken_on: date = Field(index=True)
    source: str = Field(default="", max_length=64)
    notes: str = ""
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()


class PgxResult(SQLModel, table=True):
    __tablename__ = "pgx_result"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    gene: str = Field(max_length=32)
    diplotype: str = Field(default="", max_length=100)
    phenotype: str = Field(default="", max_length=100)
    test_date: date | None = None
    lab: str = Field(default="", max_length=200)
    notes: str = ""
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()
