"""What a service call changed, so screens refresh only when they care (see ui/app_events)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Kinds of data a change can touch.
PATIENTS = "patients"
DEMOGRAPHICS = "demographics"
MEDICATIONS = "medications"
ALLERGIES = "allergies"
CONDITIONS = "conditions"
OBSERVATIONS = "observations"
PGX = "pgx"
CARE_TEAM = "care_team"
VISITS = "visits"
PROBLEMS = "problems"
FOLLOW_UPS = "follow_ups"
PRACTICE = "practice"
ALERTS = "alerts"  # an alert was acknowledged
TRANSLATIONS = "translations"  # the pharmacist's text in a patient's language


@dataclass(frozen=True)
class ChangeSet:
    kinds: frozenset[str] = field(default_factory=frozenset)
    patient_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *kinds: str, patient_id: int | None = None) -> ChangeSet:
        ids = frozenset() if patient_id is None else frozenset({patient_id})
        return cls(frozenset(kinds), ids)

    def touches(self, *kinds: str) -> bool:
        return bool(self.kinds.intersection(kinds))

    def __or__(self, other: ChangeSet) -> ChangeSet:
        return ChangeSet(self.kinds | other.kinds, self.patient_ids | other.patient_ids)
