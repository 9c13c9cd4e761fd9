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

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.dictionary.naming import medication_name, strength_text

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
    OMISSION = "omission"  # on a list, missing from the chart's list
    NOT_ON_LIST = "not_on_list"  # on the chart, left off a list of what the patient should take
    COMMISSION = "commission"  # on the chart, on none of the lists of what the patient takes
    DOSE = "dose"  # same ingredients, different strength or dose
    FREQUENCY = "frequency"  # same ingredients, different frequency
    STILL_AT_HOME = "still_at_home"  # a bottle of a medicine (or strength) not on the list
    DUPLICATION = "duplication"  # the same ingredient twice in one list
    EXPIRED = "expired"  # a package past the expiry date its barcode carries


class ReconDecision(StrEnum):
    ADD = "add"  # add to the list
    LEAVE_OFF = "leave_off"  # leave off the list
    KEEP = "keep"  # keep on the list as it is
    STOP = "stop"  # stop: remove from the list
    CHANGE = "change"  # change to the other list's strength or directions
    ASK_PRESCRIBER = "ask_prescriber"


# Lists of what the patient should take (every chart medicine absent from one is a
# discrepancy), and lists of what the patient does take (models.enums.InfoSource values).
SHOULD_LISTS = frozenset({"discharge_list", "prescriber_record"})
DOES_LISTS = frozenset({"bottle", "patient", "pharmacy_record", "import"})


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
    """One medicine as one list gives it: its components (each ingredient with the amount the
    list wrote), form and brand as the dictionary read them, and the directions as written."""

    text: str
    ingredients: list[str] = field(default_factory=list)  # generic names; [] if unrecognised
    directions: str = ""  # as written: "1 tab twice a day"
    frequency: str = ""  # normalised when known ("bid"), else as written
    medication_id: int | None = None  # the chart's entry, for the chart's own list
    components: list[Component] = field(default_factory=list)
    form: str = ""
    brand: str = ""
    # a scanned package (reconciliation.PACKAGE_TAIL in the typed line): its NDC, lot, expiry
    ndc: str = ""
    lot: str = ""
    expires: date | None = None
    expired: bool = False  # past its expiry on the day it was scanned
    photo: str = ""  # the key of the label's photo it was read from (LabelPhoto.line_key)

    @property
    def strength(self) -> str:
        """"25 mg / 100 mg", built from the components; "" when none was written."""
        return strength_text(self.components) if self.ingredients else ""

    @property
    def name(self) -> str:
        """The medicine as every screen names it: "Apixaban 2.5 mg tablet (Eliquis)"."""
        if not self.ingredients or not self.components:
            return " ".join(self.text.split())
        return medication_name(self.components, self.form, "", self.brand)


@dataclass
class ReconSource:
    source: str  # the kind of list: models.enums.InfoSource value (see SHOULD_LISTS)
    label: str  # "Bottles on the table", "Discharge list, St Mary's"
    items: list[ReconItem] = field(default_factory=list)
    listed_on: date | None = None  # the date of the list (a discharge list's day)

    @property
    def should(self) -> bool:
        """A list of what the patient should take (discharge, prescriber's list)."""
        return self.source in SHOULD_LISTS


@dataclass
class Discrepancy:
    key: str
    kind: str  # DiscrepancyKind
    ingredients: list[str]
    detail: str  # plain words: "Bottles: metoprolol 50 mg; chart: 25 mg"
    medication_id: int | None = None  # the chart entry concerned, if any
    source_item: ReconItem | None = None  # for an omission: what would be added
    decision: str = ""  # ReconDecision; "" while undecided
    new_strength: str = ""  # for CHANGE (and ADD: the strength to add)
    new_directions: str = ""  # for CHANGE (and ADD)
    note: str = ""  # the pharmacist's own note
    source: str = ""  # the kind of list that raised it (InfoSource value)
    listed_on: date | None = None  # that list's date
    # for ADD: why the patient uses it and who prescribed it, or "unknown, ask"
    indication: str = ""
    prescriber_id: int | None = None
    details_unknown: bool = False
    patient_reason: str = ""  # why it was stopped, in the patient's words (the PML prints it)


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
    """The pharmacist's review of one medicine of the working list: a chart entry by its id,
    a medicine the visit adds by the reconciliation decision that adds it."""

    medication_id: int | None
    indication: str = ""  # "yes" / "no" / "unknown" / ""
    effective: str = ""
    safe: str = ""
    adherent: str = ""
    note: str = ""
    discrepancy_key: str = ""  # for a medicine the visit adds (medication_id None)


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
    # the change it proposes to the list (services/visits/replies.py): the chart medicine
    # concerned; for a start (or a change of drug) the medicine to start as typed; the
    # proposed strength ("2.5 mg") and directions
    medication_id: int | None = None
    proposed_medicine: str = ""
    proposed_strength: str = ""
    proposed_directions: str = ""


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
    # who received the documents (models.enums.DocumentRecipient), a caregiver's name and relation,
    # and how and when they were delivered (models.enums.DeliveryMethod)
    recipient: str = ""
    recipient_name: str = ""
    recipient_relation: str = ""
    delivery_method: str = ""
    delivered_on: date | None = None


@dataclass
class ProblemFollowUp:
    """At a follow-up: the outcome of one problem that was open before this visit."""

    problem_id: int
    outcome: str = ""  # models.enums.Outcome; "" while not judged
    recommendation_id: int | None = None
    prescriber_response: str = ""  # models.enums.Response
    note: str = ""
    # the versions of the problem and its recommendation the judgement was made on: saved
    # against them at completion, so an answer a colleague recorded meanwhile is not overwritten
    problem_version: int | None = None
    recommendation_version: int | None = None
    # the recommendation's change to the list, made at completion when the answer is an
    # acceptance and the pharmacist confirmed it; for "modified", the prescriber's strength
    # and directions (None: as proposed)
    apply_change: bool = False
    new_strength: str | None = None
    new_directions: str | None = None


@dataclass
class GoalReview:
    """At a follow-up: whether one goal set at an earlier visit is met."""

    goal_id: int
    status: str = ""  # models.enums.GoalStatus: met, not_met, cancelled; "" = still open
    note: str = ""
    version: int | None = None  # the goal's version the judgement was made on


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
    # ICD-10-CM codes the visit addressed, ";"-joined, as the pharmacist bills them; "" = the
    # patient's coded active conditions (services.billing.diagnoses)
    diagnosis_codes: str = ""
    planned_follow_up_id: int | None = None  # the scheduled FollowUp this visit carries out
    collect: CollectSlice = field(default_factory=CollectSlice)
    assess: AssessSlice = field(default_factory=AssessSlice)
    plan: PlanSlice = field(default_factory=PlanSlice)
    implement: ImplementSlice = field(default_factory=ImplementSlice)
    follow_up: FollowUpSlice = field(default_factory=FollowUpSlice)
    # the visit row's version this draft was read or last saved at (never written in the
    # JSON: the row holds it): an autosave over a colleague's save of the draft is refused
    version: int | None = None

    def to_json(self) -> str:
        body = _encode(self)
        body.pop("version", None)
        payload = {"schema": SCHEMA_VERSION, "draft": body}
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


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _slice_summary(draft: VisitDraft, step: str) -> str:
    c, a, p, i, f = draft.collect, draft.assess, draft.plan, draft.implement, draft.follow_up
    judged = sum(1 for r in f.reviews if r.outcome or r.prescriber_response)
    return {
        "collect": f"{_n(len(c.sources), 'list')}, {_n(len(c.discrepancies), 'difference')}, "
                   f"{_n(len(c.vitals), 'vital')}",
        "assess": _n(len(a.problems), "problem"),
        "plan": f"{_n(len(p.plans), 'recommendation')}, {_n(len(p.goals), 'goal')}, "
                f"{_n(len(p.action_items), 'to-do item')}",
        "implement": f"{len(i.sent)} sent, {_n(len(i.documents), 'document')}",
        "follow_up": f"{judged} of {_n(len(f.reviews), 'problem')} judged, next contact "
                     f"{f.next_due.isoformat() if f.next_due else 'not set'}",
    }[step]


def step_differences(mine: VisitDraft, theirs: VisitDraft) -> list[tuple[str, str, str]]:
    """(step, mine, theirs) for each step whose content differs between two drafts of one
    visit, in a few words: what a person compares when a colleague saved the draft."""
    out = []
    for step in STEPS:
        a, b = _encode(getattr(mine, step)), _encode(getattr(theirs, step))
        a.pop("reason", None)  # the visit's own column: shown on its own row
        b.pop("reason", None)
        if a == b:
            continue
        a, b = _slice_summary(mine, step), _slice_summary(theirs, step)
        if a == b:
            b = "as many entries, written differently"
        out.append((f"{step.replace('_', '-')} step", a, b))
    return out
