"""Visits and what they produce: drug therapy problems, recommendations, goals, follow-ups."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from mmsdesk.models.base import (
    created_field,
    patient_fk,
    updated_field,
    uuid_field,
    version_field,
    versioned,
)


class Visit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    service: str = Field(max_length=32)  # models.enums.ServiceType
    modality: str = Field(default="home", max_length=16)
    payer_type: str = Field(default="self_pay", max_length=32)
    visit_date: date = Field(index=True)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    minutes: int | None = None  # time spent, for billing (may differ from the timer)
    status: str = Field(default="draft", max_length=16, index=True)
    current_step: str = Field(default="collect", max_length=16)
    reason: str = ""
    draft_json: str = ""  # the wizard's VisitDraft, saved on every change (crash recovery)
    is_new_patient: bool = False
    cpt_codes: str = Field(default="", max_length=200)  # e.g. "99605;99607x2"
    price: float | None = None
    amount_paid: float | None = None
    payment_method: str = Field(default="", max_length=32)
    paid_on: date | None = None
    notes: str = ""
    # ICD-10-CM codes of the conditions the visit addressed, ";"-joined, as billed
    diagnosis_codes: str = Field(default="", max_length=200)
    # Who received the visit's documents (models.enums.DocumentRecipient: patient, caregiver,
    # prescriber), the caregiver's name and relation, and how and when they were delivered
    # (models.enums.DeliveryMethod: in_person, mail, portal, fax).
    recipient: str = Field(default="", max_length=16)
    recipient_name: str = Field(default="", max_length=200)
    recipient_relation: str = Field(default="", max_length=100)
    delivery_method: str = Field(default="", max_length=16)
    delivered_on: date | None = None
    # The Good Faith Estimate given to a self-pay patient (45 CFR 149.610), as issued: the day
    # and its lines (JSON: services.estimate), kept as given whatever the catalogue says later.
    estimate_issued_on: date | None = None
    estimate_json: str = ""
    completed_at: datetime | None = None
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()


class DrugTherapyProblem(SQLModel, table=True):
    __tablename__ = "drug_therapy_problem"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    visit_id: int | None = Field(default=None, foreign_key="visit.id", ondelete="SET NULL", index=True)
    category: str = Field(max_length=40)  # models.enums.ProblemCategory
    cause: str = Field(default="", max_length=400)
    medications: str = Field(default="", max_length=500)  # ingredient names, ";"-joined
    description: str = ""
    priority: str = Field(default="medium", max_length=16)
    status: str = Field(default="open", max_length=16, index=True)
    outcome: str = Field(default="", max_length=32)  # models.enums.Outcome, latest
    alert_key: str = Field(default="", max_length=200)  # the screening alert it came from
    identified_on: date
    resolved_on: date | None = None
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()


class ProblemEvent(SQLModel, table=True):
    """One step in a problem's history: an outcome judged at a (follow-up) visit."""

    __tablename__ = "problem_event"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    problem_id: int = Field(foreign_key="drug_therapy_problem.id", index=True, ondelete="CASCADE")
    visit_id: int | None = Field(default=None, foreign_key="visit.id", ondelete="SET NULL")
    event_date: date
    outcome: str = Field(default="", max_length=32)
    prescriber_response: str = Field(default="", max_length=32)
    note: str = ""
    created_at: datetime = created_field()


class Recommendation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    visit_id: int | None = Field(default=None, foreign_key="visit.id", ondelete="SET NULL", index=True)
    problem_id: int | None = Field(
        default=None, foreign_key="drug_therapy_problem.id", ondelete="SET NULL", index=True
    )
    intervention: str = Field(max_length=32)  # models.enums.Intervention
    recipient: str = Field(default="prescriber", max_length=16)
    prescriber_id: int | None = Field(default=None, foreign_key="prescriber.id", ondelete="SET NULL")
    text: str = ""
    priority: str = Field(default="medium", max_length=16)
    sent_on: date | None = None
    sent_method: str = Field(default="", max_length=16)
    response: str = Field(default="pending", max_length=16, index=True)
    response_on: date | None = None
    response_note: str = ""
    # The change it proposes to the medication list (see services/visits/replies.py): the
    # chart medicine concerned (stop, change_dose, change_drug); the medicine to start as typed
    # (start, or change_drug's new medicine); the proposed strength ("2.5 mg") and directions.
    medication_id: int | None = Field(default=None, foreign_key="medication_entry.id",
                                      ondelete="SET NULL")
    proposed_medicine: str = Field(default="", max_length=500)
    proposed_strength: str = Field(default="", max_length=100)
    proposed_directions: str = Field(default="", max_length=1000)
    applied_on: date | None = None  # the day the change was made on the list (never twice)
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()


class Goal(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    visit_id: int | None = Field(default=None, foreign_key="visit.id", ondelete="SET NULL")
    problem_id: int | None = Field(
        default=None, foreign_key="drug_therapy_problem.id", ondelete="SET NULL"
    )
    measure: str = Field(max_length=64)  # a measures key ("a1c") or free text
    comparator: str = Field(default="<", max_length=4)  # <, <=, >, >=, =
    target_value: float | None = None
    target: str = Field(default="", max_length=200)  # as written: "A1c below 7%"
    due_on: date | None = None
    status: str = Field(default="open", max_length=16)
    notes: str = ""
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()


class FollowUp(SQLModel, table=True):
    __tablename__ = "follow_up"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    visit_id: int | None = Field(default=None, foreign_key="visit.id", ondelete="SET NULL")
    due_on: date = Field(index=True)
    reason: str = ""
    service: str = Field(default="follow_up", max_length=32)
    modality: str = Field(default="telephone", max_length=16)
    done: bool = Field(default=False, index=True)
    done_on: date | None = None
    done_visit_id: int | None = Field(default=None, foreign_key="visit.id", ondelete="SET NULL")
    # the Good Faith Estimate given for this planned service (self-pay), as issued
    estimate_issued_on: date | None = None
    estimate_json: str = ""
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()


class MtmOffer(SQLModel, table=True):
    """An offer of a comprehensive medication review to a Part D MTM enrollee (CMS reports the
    date of the offer beside the date of the review)."""

    __tablename__ = "mtm_offer"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    offered_on: date = Field(index=True)
    method: str = Field(default="", max_length=16)  # mail | telephone | in_person | portal | other
    plan_name: str = Field(default="", max_length=200)  # the plan the offer was made for
    notes: str = ""
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()


class LabelPhoto(SQLModel, table=True):
    """A photo of a pharmacy label, kept with the list line it was read into (in the encrypted
    store, like every other record). ``line_key`` is the line's key in the visit's draft."""

    __tablename__ = "label_photo"
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = uuid_field()
    patient_id: int = patient_fk()
    visit_id: int | None = Field(default=None, foreign_key="visit.id", ondelete="CASCADE",
                                 index=True)
    line_key: str = Field(default="", max_length=64)
    mime: str = Field(default="image/png", max_length=32)
    image: bytes = Field(sa_type=LargeBinary)
    read_text: str = ""  # the text the OCR read, for the record of what was proposed
    taken_at: datetime = created_field()
    created_at: datetime = created_field()
    updated_at: datetime = updated_field()
    version: int = version_field()
    __mapper_args__ = versioned()
