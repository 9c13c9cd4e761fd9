"""A medication on the patient's list: a set of components (each active ingredient with its own
amount), a dose form, release and brand, structured directions, and its history.

Every name a screen or document shows is derived from these fields when it is shown
(``MedicationEntry.name()``), never stored as a second copy that could go stale. The text as
first given or imported stays in ``text_given``, read-only, as provenance.
"""


import json
from datetime import date, datetime

from sqlmodel import Field, Relationship, SQLModel

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.dictionary.naming import medication_name, strength_text
from mmsdesk.clinical.sig import Directions, render
from mmsdesk.models.base import (
    created_field,
    patient_fk,
    updated_field,
    uuid_field,
    version_field,
    versioned,
)


class MedicationComponent(SQLModel, table=True):
    """One active ingredient of a medication and its amount ("levodopa 100 mg")."""

    __tablename__ = "medication_component"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    medication_id: int = Field(foreign_key="medication_entry.id", index=True, nullable=False,
                               ondelete="CASCADE")
    position: int = 0  # the order the product is sold under its name
    ingredient: str = Field(max_length=300)  # lowercase generic; as written when unrecognised
    amount: float | None = None  # None: not written or not confirmed
    unit: str = Field(default="", max_length=16)  # mg mcg g unit meq mmol % ml
    per_amount: float | None = None  # 5 in "250 mg/5 ml"
    per_unit: str = Field(default="", max_length=16)  # ml actuat hr g l dose; "" = per dose unit

    def value(self) -> Component:
        return Component(self.ingredient, self.amount, self.unit, self.per_amount, self.per_unit)

    @classmethod
    def of(cls, c: Component, position: int) -> "MedicationComponent":
        return cls(position=position, ingredient=c.ingredient[:300], amount=c.amount,
                   unit=c.unit, per_amount=c.per_amount, per_unit=c.per_unit)


class MedicationEntry(SQLModel, table=True):
    __tablename__ = "medication_entry"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    text_given: str = Field(max_length=500)  # as first given or imported; never changed
    rxnorm_code: str = Field(default="", max_length=32)
    brand: str = Field(default="", max_length=200)  # the brand the patient knows it by
    dose_form: str = Field(default="", max_length=100)  # "oral tablet", "metered dose inhaler"
    release: str = Field(default="", max_length=16)  # "" | "extended" | "delayed"
    route: str = Field(default="", max_length=50)
    match: str = Field(default="unrecognised", max_length=16)  # exact|brand|approximate|code|unrecognised|manual
    strength_to_confirm: bool = False  # a strength the app could not read: the pharmacist confirms
    directions: str = Field(default="", max_length=1000)  # as written; shown when not structured
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
    version: int = version_field()
    __mapper_args__ = versioned()
    components: list[MedicationComponent] = Relationship(
        sa_relationship_kwargs={"lazy": "selectin", "order_by": "MedicationComponent.position",
                                "cascade": "all, delete-orphan"})

    @property
    def recognised(self) -> bool:
        return self.match != "unrecognised"

    def component_values(self) -> tuple[Component, ...]:
        return tuple(c.value() for c in self.components)

    def set_components(self, components: tuple[Component, ...] | list[Component]) -> None:
        """Replace the components (the old rows are deleted with the flush)."""
        self.components = [MedicationComponent.of(c, i) for i, c in enumerate(components)]

    @property
    def ingredient_list(self) -> list[str]:
        """Generic names of the ingredients; none for an unrecognised medicine."""
        return [c.ingredient for c in self.components] if self.recognised else []

    @property
    def strength(self) -> str:
        return strength_text(self.component_values()) if self.recognised else ""

    def structured_directions(self) -> Directions:
        route = self.route if self.frequency or self.dose_amount is not None else ""
        return Directions(self.dose_amount, self.dose_unit, route, self.frequency,
                          tuple(t for t in self.times_of_day.split(";") if t), self.as_needed,
                          self.as_needed_reason)

    def directions_text(self) -> str:
        """How I use it: from the structured directions when there are any, else as written."""
        d = self.structured_directions()
        return render(d) if d.is_structured else " ".join(self.directions.split())

    def name(self, lang: str = "en") -> str:
        """The name every screen and document shows, built now from the components."""
        return (medication_name(self.component_values(), self.dose_form, self.release, self.brand,
                                lang, recognised=self.recognised)
                or " ".join(self.text_given.split()))


class MedicationEvent(SQLModel, table=True):
    """One step in a medication's history: started, changed, held, resumed or stopped, with
    what changed (``changes``: a JSON list of [what, before, after]), why and on whose
    decision."""

    __tablename__ = "medication_event"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    medication_id: int = Field(foreign_key="medication_entry.id", index=True, nullable=False,
                               ondelete="CASCADE")
    action: str = Field(max_length=16)  # started | changed | held | resumed | stopped
    event_date: date
    reason: str = Field(default="", max_length=400)
    changes: str = ""  # JSON: [["strength", "5 mg", "2.5 mg"], ...]; "" when none
    decided_by: str = Field(default="pharmacist", max_length=16)  # see DECIDERS
    created_at: datetime = created_field()


def encode_changes(items: list[tuple[str, str, str]]) -> str:
    """The ``changes`` column: [what, before, after] triples as JSON ("" for none)."""
    return json.dumps([list(i) for i in items], ensure_ascii=False) if items else ""


def decode_changes(text: str) -> tuple[tuple[str, str, str], ...]:
    try:
        items = json.loads(text) if text else []
    except ValueError:
        return ()
    if not isinstance(items, list):
        return ()
    return tuple((str(i[0]), str(i[1]), str(i[2])) for i in items
                 if isinstance(i, list) and len(i) == 3)


# Whose decision a history event records.
DECIDERS = ("pharmacist", "prescriber", "reconciliation", "import", "patient")
