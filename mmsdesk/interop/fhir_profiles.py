"""The FHIR profiles our exports declare, with the guide and version each comes from.

Every exported resource names in ``meta.profile`` the profile it meets; the tests hold each
resource to that profile's required and must-support elements (tests/interop/test_fhir_profiles.py).

Guides (all on FHIR R4 4.0.1):
- US Core 6.1.0 (STU6.1), http://hl7.org/fhir/us/core/ImplementationGuide/hl7.fhir.us.core
- Standardized Medication Profile (SMP) 1.0.0 (STU1), http://hl7.org/fhir/us/smp
- Pharmacist Care Plan (PhCP) 1.0.0 (STU1), http://hl7.org/fhir/us/phcp
"""

from __future__ import annotations

from typing import Any

US_CORE_VERSION = "6.1.0"
SMP_VERSION = "1.0.0"
PHCP_VERSION = "1.0.0"

_US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"
_SMP = "http://hl7.org/fhir/us/smp/StructureDefinition/"
_PHCP = "http://hl7.org/fhir/us/phcp/StructureDefinition/"

PATIENT = _US_CORE + "us-core-patient"
ALLERGY = _US_CORE + "us-core-allergyintolerance"
CONDITION = _US_CORE + "us-core-condition-problems-health-concerns"
MEDICATION = _US_CORE + "us-core-medication"
MEDICATION_REQUEST = _US_CORE + "us-core-medicationrequest"
LAB = _US_CORE + "us-core-observation-lab"
SIMPLE_OBSERVATION = _US_CORE + "us-core-simple-observation"
BLOOD_PRESSURE = _US_CORE + "us-core-blood-pressure"
PRACTITIONER = _US_CORE + "us-core-practitioner"
ORGANIZATION = _US_CORE + "us-core-organization"
CARE_TEAM = _US_CORE + "us-core-careteam"
GOAL = _US_CORE + "us-core-goal"
CARE_PLAN = _US_CORE + "us-core-careplan"
SMP_MEDICATION = _SMP + "smp-medication"  # US Core Medication with code and status required
SMP_MEDICATION_STATEMENT = _SMP + "smp-medicationstatement"
SMP_MEDICATION_LIST = _SMP + "smp-medication-list"
SMP_BUNDLE = _SMP + "smp-bundle"
CLINICAL_DOCUMENT = "http://hl7.org/fhir/StructureDefinition/clinicaldocument"  # FHIR R4 core
PHCP_COMPOSITION = _PHCP + "PhCP-Composition"
PHCP_MEDICATION_THERAPY_CONDITION = _PHCP + "PhCP-Medication-Therapy-Condition"

# US Core 6.1.0 vital-sign profiles by LOINC code (each derives from FHIR's vital signs profile)
VITAL_PROFILES = {
    "29463-7": _US_CORE + "us-core-body-weight",
    "8302-2": _US_CORE + "us-core-body-height",
    "39156-5": _US_CORE + "us-core-bmi",
    "8867-4": _US_CORE + "us-core-heart-rate",
    "85354-9": BLOOD_PRESSURE,
}
BP_PANEL, BP_SYSTOLIC, BP_DIASTOLIC = "85354-9", "8480-6", "8462-4"

CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
# US Core 6.1.0's Condition category slice (value set us-core-problem-or-health-concern) takes
# problem-list-item from the code system above and health-concern from US Core's own
US_CORE_CONDITION_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/condition-category"
HEALTH_CONCERN = {"system": US_CORE_CONDITION_CATEGORY, "code": "health-concern",
                  "display": "Health Concern"}
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"


def meta(*profiles: str) -> dict[str, Any]:
    """The ``meta`` element that declares the profiles a resource meets."""
    return {"profile": list(profiles)}
