"""SQLModel tables and enums (no Qt). Importing this package registers every table."""

from mmsdesk.models.activity import AlertAcknowledgement, AuditEvent, FillRecord
from mmsdesk.models.documents import TextTranslation
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
from mmsdesk.models.practice_people import PatientHold, Person
from mmsdesk.models.record import Allergy, Condition, Observation, PgxResult
from mmsdesk.models.visit import (
    DrugTherapyProblem,
    FollowUp,
    Goal,
    LabelPhoto,
    MtmOffer,
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
    "LabelPhoto",
    "MedicationComponent",
    "MedicationEntry",
    "MedicationEvent",
    "MtmOffer",
    "Observation",
    "Patient",
    "PatientHold",
    "PatientPharmacy",
    "PatientPrescriber",
    "Person",
    "PgxResult",
    "PharmacistProfile",
    "Pharmacy",
    "Prescriber",
    "ProblemEvent",
    "Recommendation",
    "ServiceOffering",
    "TextTranslation",
    "Visit",
]
