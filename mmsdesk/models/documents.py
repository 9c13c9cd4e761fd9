"""Text the pharmacist wrote in the patient's language for the documents.

A translation is keyed by the English text it renders, per patient and language: when the
English text changes, the old translation no longer matches and the text shows as
untranslated again, so a stale translation never reaches paper.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from mmsdesk.models.base import (
    created_field,
    patient_fk,
    updated_field,
    uuid_field,
    version_field,
    versioned,
)


class TextTranslation(SQLModel, table=True):
    __tablename__ = "text_translation"
    __table_args__ = (UniqueConstraint("patient_id", "language", "source_text",
                                       name="uq_text_translation_source"),)
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    language: str = Field(max_length=8)  # "es"
    source_text: str = Field(max_length=1000)  # the English text, as shown
    text: str = Field(max_length=1000)  # the same in the patient's language
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()
