"""Coded values stored as plain strings (portable to PostgreSQL, readable in the file)."""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class PayerType(StrEnum):
    SELF_PAY = "self_pay"
    MEDICARE_PART_D = "medicare_part_d"
    OTHER = "other"


class AllergyType(StrEnum):
    ALLERGY = "allergy"
    INTOLERANCE = "intolerance"


class Severity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"
    UNKNOWN = "unknown"


# FHIR R4 AllergyIntolerance.category (allergy-intolerance-category) and .criticality
# (allergy-intolerance-criticality) codes: an allergy keeps the source's, "" when not given
ALLERGY_CATEGORIES = ("food", "medication", "environment", "biologic")
ALLERGY_CRITICALITIES = ("low", "high", "unable-to-assess")


class ConditionStatus(StrEnum):
    ACTIVE = "active"
    RESOLVED = "resolved"
    INACTIVE = "inactive"


class MedicationKind(StrEnum):
    PRESCRIPTION = "prescription"
    OTC = "otc"
    HERBAL = "herbal"
    SUPPLEMENT = "supplement"


class MedicationStatus(StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    STOPPED = "stopped"


class InfoSource(StrEnum):
    PATIENT = "patient"
    BOTTLE = "bottle"
    PHARMACY_RECORD = "pharmacy_record"
    PRESCRIBER_RECORD = "prescriber_record"
    DISCHARGE_LIST = "discharge_list"
    IMPORT = "import"


class ServiceType(StrEnum):
    CMR = "cmr"
    TMR = "tmr"
    MED_REC = "med_rec"
    PGX = "pgx"
    CHRONIC_CARE = "chronic_care"
    DISEASE_STATE = "disease_state"
    ADHERENCE = "adherence"
    POLYPHARMACY = "polypharmacy"
    DUR = "dur"
    FOLLOW_UP = "follow_up"


SERVICE_LABELS: dict[str, str] = {
    ServiceType.CMR: "Comprehensive medication review (CMR)",
    ServiceType.TMR: "Targeted medication review (TMR)",
    ServiceType.MED_REC: "Medication reconciliation",
    ServiceType.PGX: "Pharmacogenomic follow-up",
    ServiceType.CHRONIC_CARE: "Chronic care management",
    ServiceType.DISEASE_STATE: "Disease-state management",
    ServiceType.ADHERENCE: "Adherence program",
    ServiceType.POLYPHARMACY: "Polypharmacy management",
    ServiceType.DUR: "Drug utilization review (DUR)",
    ServiceType.FOLLOW_UP: "Follow-up",
}


class Modality(StrEnum):
    HOME = "home"
    VIDEO = "video"
    TELEPHONE = "telephone"
    CLINIC = "clinic"


class VisitStatus(StrEnum):
    DRAFT = "draft"
    COMPLETE = "complete"
    CANCELLED = "cancelled"


class ProblemCategory(StrEnum):
    """The seven drug therapy problem categories (Cipolle, Strand and Morley)."""

    UNNECESSARY = "unnecessary_drug_therapy"
    NEEDS_ADDITIONAL = "needs_additional_therapy"
    INEFFECTIVE = "ineffective_drug"
    DOSAGE_TOO_LOW = "dosage_too_low"
    ADVERSE_REACTION = "adverse_drug_reaction"
    DOSAGE_TOO_HIGH = "dosage_too_high"
    ADHERENCE = "adherence"


PROBLEM_CATEGORY_LABELS: dict[str, str] = {
    ProblemCategory.UNNECESSARY: "Unnecessary drug therapy",
    ProblemCategory.NEEDS_ADDITIONAL: "Needs additional drug therapy",
    ProblemCategory.INEFFECTIVE: "Ineffective drug",
    ProblemCategory.DOSAGE_TOO_LOW: "Dosage too low",
    ProblemCategory.ADVERSE_REACTION: "Adverse drug reaction",
    ProblemCategory.DOSAGE_TOO_HIGH: "Dosage too high",
    ProblemCategory.ADHERENCE: "Adherence",
}


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ProblemStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Outcome(StrEnum):
    RESOLVED = "resolved"
    IMPROVED = "improved"
    UNCHANGED = "unchanged"
    WORSE = "worse"
    UNABLE_TO_ASSESS = "unable_to_assess"


class Intervention(StrEnum):
    START = "start"
    STOP = "stop"
    CHANGE_DOSE = "change_dose"
    CHANGE_DRUG = "change_drug"
    MONITOR = "monitor"
    EDUCATE = "educate"
    REFER = "refer"


# The intervention in words, as documents and screens show it.
INTERVENTION_LABELS: dict[str, str] = {
    Intervention.START: "Start", Intervention.STOP: "Stop",
    Intervention.CHANGE_DOSE: "Change the dose", Intervention.CHANGE_DRUG: "Change the medicine",
    Intervention.MONITOR: "Monitor", Intervention.EDUCATE: "Educate", Intervention.REFER: "Refer",
}


class Recipient(StrEnum):
    PATIENT = "patient"
    PRESCRIBER = "prescriber"
    PHARMACIST = "pharmacist"


class SendMethod(StrEnum):
    FAX = "fax"
    PHONE = "phone"
    LETTER = "letter"
    PORTAL = "portal"
    IN_PERSON = "in_person"


class DocumentRecipient(StrEnum):
    """Who received the visit's documents (the CMR summary): the plan's records ask."""

    PATIENT = "patient"
    CAREGIVER = "caregiver"
    PRESCRIBER = "prescriber"


DOCUMENT_RECIPIENT_LABELS = {"patient": "The patient", "caregiver": "A caregiver",
                             "prescriber": "The prescriber"}


class DeliveryMethod(StrEnum):
    IN_PERSON = "in_person"
    MAIL = "mail"
    PORTAL = "portal"
    FAX = "fax"


DELIVERY_LABELS = {"in_person": "In person", "mail": "Mail", "portal": "Patient portal",
                   "fax": "Fax"}


class Response(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    MODIFIED = "modified"
    DECLINED = "declined"
    NO_ANSWER = "no_answer"


class GoalStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    NOT_MET = "not_met"
    CANCELLED = "cancelled"
