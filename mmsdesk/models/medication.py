"""A medication on the patient's list, as given and as resolved by the drug dictionary."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from mmsdesk.models.base import created_field, patient_fk, updated_field, uuid_field


class MedicationEntry(SQLModel, table=True):
    __tablename__ = "medication_entry"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    text_given: str = Field(max_length=500)  # the text exactly as given or imported
    display_name: str = Field(default="", max_length=300)  # as the patient knows it
    ingredients: str = Field(default="", max_length=500)  # lowercase generic names, ";"-joined
    rxnorm_code: str = Field(default="", max_length=32)
    product: str = Field(default="", max_length=300)
    brand: str = Field(default="", max_length=200)
    strength: str = Field(default="", max_length=100)
    dose_form: str = Field(default="", max_length=100)
    route: str = Field(default="", max_length=50)
    match: str = Field(default="unrecognised", max_length=16)  # exact|brand|approximate|code|unrecognised|manual
    directions: str = Field(default="", max_length=1000)  # "how I use it", plain language
    dose_amount: float | None = None
    dose_unit: str = Field(default="", max_length=50)
    frequency: str = Field(default="", max_length=50)  # coded, e.g. "daily", "bid", "q8h"
    times_of_day: str = Field(default="", max_length=100)  # "morning;evening"
    as_needed: bool = False
    as_needed_reason: str = Field(default="", max_length=200)
    indication: str = Field(default="", max_length=300)  # "why I use it"
    prescriber_id: int | None = Field(default=None, foreign_key="prescriber.id", ondelete="SET NULL")
    pharmacy_id: int | None = Field(default=None, foreign_key="pharmacy.id", ondelete="SET NULL")
    kind: str = Field(default="prescription", max_length=16)
    status: str = Field(default="active", max_length=16, index=True)
    started: date | None = None
    stopped: date | None = None
    stop_reason: str = Field(default="", max_length=400)
    source: str = Field(default="patient", max_length=32)
    part_d: bool = True
    annual_cost: float | None = None
    notes: str = ""
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()

    @property
    def ingredient_list(self) -> list[str]:
        return [i for i in self.ingredients.split(";") if i]


class MedicationEvent(SQLModel, table=True):
    """One step in a medication's history: started, changed, held, resumed or stopped."""

    __tablename__ = "medication_event"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    medication_id: int = Field(foreign_key="medication_entry.id", index=True, nullable=False,
                               ondelete="CASCADE")
    action: str = Field(max_length=16)  # started | changed | held | resumed | stopped
    event_date: date
    reason: str = Field(default="", max_length=400)
    created_at: datetime = created_field()
