"""SQLModel tables and enums (no Qt). Importing this package registers every table."""

from mmsdesk.models.activity import AlertAcknowledgement, AuditEvent, FillRecord
from mmsdesk.models.medication import MedicationComponent, MedicationEntry, MedicationEvent
from mmsdesk.models.patient import (
    Caregiver,
    Patient,
    PatientPharmacy,
    PatientPrescriber,
    Pharmacy,
    Prescriber,
)
from mmsdesk.models.practice import PharmacistProfile, ServiceOffering
from mmsdesk.models.record import Allergy, Condition, Observation, PgxResult
from mmsdesk.models.visit import (
    DrugTherapyProblem,
    FollowUp,
    Goal,
    ProblemEvent,
    Recommendation,
    Visit,
)

__all__ = [
    "AlertAcknowledgement",
    "Allergy",
    "AuditEvent",
    "Caregiver",
    "Condition",
    "DrugTherapyProblem",
    "FillRecord",
    "FollowUp",
    "Goal",
    "MedicationComponent",
    "MedicationEntry",
    "MedicationEvent",
    "Observation",
    "Patient",
    "PatientPharmacy",
    "PatientPrescriber",
    "PgxResult",
    "PharmacistProfile",
    "Pharmacy",
    "Prescriber",
    "ProblemEvent",
    "Recommendation",
    "ServiceOffering",
    "Visit",
]
