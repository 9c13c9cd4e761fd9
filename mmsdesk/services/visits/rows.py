"""What the visit service returns: plain, frozen rows (no ORM objects reach the UI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

UNANSWERED = ("pending", "no_answer")  # a prescriber's response still to ask for


@dataclass(frozen=True)
class DraftSummary:
    visit_id: int
    patient_id: int
    patient_name: str  # "Last, First"
    service: str
    visit_date: date
    step: str
    updated_at: datetime


@dataclass(frozen=True)
class ProblemEventRow:
    event_date: date
    outcome: str
    prescriber_response: str
    note: str
    visit_id: int | None


@dataclass(frozen=True)
class RecommendationRow:
    id: int
    intervention: str
    text: str
    recipient: str
    prescriber_id: int | None
    prescriber: str  # display name, "" when none
    sent_on: date | None
    sent_method: str
    response: str
    response_on: date | None
    response_note: str
    visit_id: int | None
    version: int | None = None  # as read: an answer recorded over it is refused if it moved


@dataclass(frozen=True)
class OpenProblem:
    problem_id: int
    category: str
    description: str
    cause: str
    medications: tuple[str, ...]
    priority: str
    identified_on: date
    outcome: str  # the latest outcome judged, "" when none yet
    visit_id: int | None
    events: tuple[ProblemEventRow, ...]  # oldest first
    recommendations: tuple[RecommendationRow, ...]  # oldest first
    version: int | None = None  # as read (a judgement at this visit is saved against it)

    @property
    def pending_recommendation_id(self) -> int | None:
        """The latest recommendation still without an answer ("pending" or "no answer")."""
        pending = [r.id for r in self.recommendations if r.response in UNANSWERED]
        return pending[-1] if pending else None


@dataclass(frozen=True)
class BurdenSummary:
    medicines: int  # active medicines on the list
    doses_per_day: float  # scheduled administrations a day (as-needed ones not counted)
    anticholinergic_total: int  # ACB total from the screening risk profile
    as_needed: int  # active medicines taken as needed
    unknown_frequency: tuple[str, ...]  # scheduled medicines whose frequency is not known


@dataclass(frozen=True)
class MedicationPdc:
    """Refill adherence of one chart medicine, beside what the patient reports."""

    medication_id: int
    pdc: float | None  # proportion of days covered, None without fills
    measurable: bool  # PQA: two fills, the first at least 91 days before the end
    fills: int


@dataclass(frozen=True)
class OpenGoal:
    """A goal still open, with the latest value of its measure (when it is one we record)."""

    goal_id: int
    measure: str
    target: str  # as written: "A1c below 7%"
    comparator: str
    target_value: float | None
    due_on: date | None
    latest_value: float | None
    latest_unit: str
    latest_on: date | None
    version: int | None = None  # as read (a judgement at this visit is saved against it)

    @property
    def latest_meets_target(self) -> bool | None:
        """Whether the latest value meets the target; None when either is unknown."""
        if self.latest_value is None or self.target_value is None:
            return None
        v, t = self.latest_value, self.target_value
        return {"<": v < t, "<=": v <= t, ">": v > t, ">=": v >= t, "=": v == t}.get(
            self.comparator)
