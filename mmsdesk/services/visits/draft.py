"""A visit in progress as plain data: what the wizard edits and what is autosaved.

The visit wizard (ui/visit/) owns one ``VisitDraft``; each page edits one slice. The draft is
serialised to JSON in ``Visit.draft_json`` on every change (crash recovery) and kept there
after completion as the visit's narrative record (concerns, action items, education).
Completing the visit (services/visits.py) turns the structured parts into rows: medication
changes, problems, recommendations, goals, follow-ups, all in one transaction.

No Qt, no database here: only dataclasses and their JSON form.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

SCHEMA_VERSION = 1
STEPS: tuple[str, ...] = ("collect", "assess", "plan", "implement", "follow_up")
STEP_LABELS: dict[str, str] = {
    "collect": "Collect",
    "assess": "Assess",
    "plan": "Plan",
    "implement": "Implement",
    "follow_up": "Follow-up",
}


class DiscrepancyKind(StrEnum):
    OMISSION = "omission"  # on a source list, missing from the chart's list
    COMMISSION = "commission"  # on the chart's list, on no other source
    DOSE = "dose"  # same ingredients, different strength or dose
    FREQUENCY = "frequency"  # same ingredients, different frequency
    DUPLICATION = "duplication"  # the same ingredient (or class) twice in the combined list


class ReconDecision(StrEnum):
    KEEP = "keep"
    STOP = "stop"
    CHANGE = "change"
    ASK_PRESCRIBER = "ask_prescriber"


class Barrier(StrEnum):
    COST = "cost"
    ACCESS = "access"
    SIDE_EFFECTS = "side_effects"
    FORGETTING = "forgetting"
    BELIEFS = "beliefs"


def new_key() -> str:
    return uuid.uuid4().hex[:12]


@dataclass
class ReconItem:
    """One medicine as one source lists it."""

    text: str
    ingredients: list[str] = field(default_factory=list)
    strength: str = ""  # "5 mg"
    directions: str = ""  # as written: "1 tab twice a day"
    frequency: str = ""  # normalised when known ("bid"), else as written
    medication_id: int | None = None  # the chart's entry, for the chart's own list


@dataclass
class ReconSource:
    source: str  # models.enums.InfoSource value
    label: str  # "Bottles on the table", "Mail-order pharmacy record"
    items: list[ReconItem] = field(default_factory=list)


@dataclass
class Discrepancy:
    key: str
    kind: str  # DiscrepancyKind
    ingredients: list[str]
    detail: str  # plain words: "Bottles: metoprolol 50 mg; chart: 25 mg"
    medication_id: int | None = None  # the chart entry concerned, if any
    source_item: ReconItem | None = None  # for an omission: what would be added
    decision: str = ""  # ReconDecision; "" while undecided
    new_strength: str = ""  # for CHANGE
    new_directions: str = ""  # for CHANGE
    note: str = ""


@dataclass
class AdherenceReport:
    """Self-reported adherence for one medicine."""

    medication_id: int
    missed_doses_per_week: int | None = None
    note: str = ""


@dataclass
class VitalEntry:
    measure: str  # models.measures key ("bp_systolic", "a1c", ...)
    value: float
    unit: str


@dataclass
class CollectSlice:
    reason: str = ""
    concerns: str = ""
    goals_values: str = ""  # the patient's own goals, values and preferences
    barriers: list[str] = field(default_factory=list)  # Barrier values
    barrier_notes: str = ""
    lifestyle: str = ""
    sources: list[ReconSource] = field(default_factory=list)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    adherence: list[AdherenceReport] = field(default_factory=list)
    vitals: list[VitalEntry] = field(default_factory=list)


@dataclass
class ProblemDraft:
    key: str
    category: str  # models.enums.ProblemCategory
    description: str
    cause: str = ""
    medications: list[str] = field(default_factory=list)  # generic ingredient names
    priority: str = "medium"  # models.enums.Priority
    alert_key: str = ""  # the screening alert it came from
    existing_problem_id: int | None = None  # an open problem carried from an earlier visit


@dataclass
class MedicationReview:
    medication_id: int
    indication: str = ""  # "yes" / "no" / "unknown" / ""
    effective: str = ""
    safe: str = ""
    adherent: str = ""
    note: str = ""


@dataclass
class AssessSlice:
    problems: list[ProblemDraft] = field(default_factory=list)
    reviews: list[MedicationReview] = field(default_factory=list)


@dataclass
class PlanItem:
    """The intervention for one problem."""

    key: str
    problem_key: str
    intervention: str  # models.enums.Intervention
    recipient: str = "prescriber"  # models.enums.Recipient
    prescriber_id: int | None = None
    text: str = ""
    priority: str = "medium"


@dataclass
class GoalDraft:
    measure: str  # measures key or free text
    target: str  # as written: "A1c below 7%"
    comparator: str = "<"
    target_value: float | None = None
    due_on: date | None = None
    problem_key: str = ""


@dataclass
class ActionItem:
    """One block of the Medication Action Plan / To-Do List."""

    talked_about: str
    to_do: str


@dataclass
class PlanSlice:
    plans: list[PlanItem] = field(default_factory=list)
    goals: list[GoalDraft] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)


@dataclass
class SentRecommendation:
    plan_key: str
    sent_on: date
    method: str  # models.enums.SendMethod


@dataclass
class ImplementSlice:
    education: str = ""
    referrals: str = ""
    sent: list[SentRecommendation] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # document kinds produced ("pml", ...)


@dataclass
class ProblemFollowUp:
    """At a follow-up: the outcome of one problem that was open before this visit."""

    problem_id: int
    outcome: str = ""  # models.enums.Outcome; "" while not judged
    recommendation_id: int | None = None
    prescriber_response: str = ""  # models.enums.Response
    note: str = ""


@dataclass
class GoalReview:
    """At a follow-up: whether one goal set at an earlier visit is met."""

    goal_id: int
    status: str = ""  # models.enums.GoalStatus: met, not_met, cancelled; "" = still open
    note: str = ""


@dataclass
class FollowUpSlice:
    next_due: date | None = None
    next_reason: str = ""
    next_service: str = "follow_up"
    next_modality: str = "telephone"
    reviews: list[ProblemFollowUp] = field(default_factory=list)
    goals: list[GoalReview] = field(default_factory=list)


@dataclass
class VisitDraft:
    patient_id: int
    service: str  # models.enums.ServiceType
    visit_date: date
    modality: str = "home"
    payer_type: str = "self_pay"
    visit_id: int | None = None
    step: str = "collect"
    started_at: datetime | None = None
    ended_at: datetime | None = None
    minutes: int | None = None  # overrides the timer for billing when set
    is_new_patient: bool = False
    planned_follow_up_id: int | None = None  # the scheduled FollowUp this visit carries out
    collect: CollectSlice = field(default_factory=CollectSlice)
    assess: AssessSlice = field(default_factory=AssessSlice)
    plan: PlanSlice = field(default_factory=PlanSlice)
    implement: ImplementSlice = field(default_factory=ImplementSlice)
    follow_up: FollowUpSlice = field(default_factory=FollowUpSlice)

    def to_json(self) -> str:
        payload = {"schema": SCHEMA_VERSION, "draft": _encode(self)}
        return json.dumps(payload, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> VisitDraft:
        payload = json.loads(text)
        if not isinstance(payload, dict) or payload.get("schema") != SCHEMA_VERSION:
            raise ValueError("the saved visit draft has an unknown format")
        return _decode(cls, payload["draft"])


T = TypeVar("T")


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _decode(tp: Any, raw: Any) -> Any:
    if raw is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(inner[0], raw)
    if origin is list:
        (item,) = typing.get_args(tp)
        return [_decode(item, v) for v in raw]
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        known = {f.name for f in dataclasses.fields(tp)}
        return tp(**{k: _decode(hints[k], v) for k, v in raw.items() if k in known})
    if tp is datetime:
        return datetime.fromisoformat(raw)
    if tp is date:
        return date.fromisoformat(raw)
    return raw
