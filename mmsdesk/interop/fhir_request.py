"""A chart prescription as a US Core MedicationRequest (US Core 6.1.0, us-core-medicationrequest),
and the prescriber as a US Core Practitioner.

What is a MedicationRequest and what a MedicationStatement: a MedicationRequest is an order, the
prescriber's; a MedicationStatement is what the patient takes as she and her sources report it.
Every chart medicine is exported as a statement (the SMP list). A medicine of kind
"prescription" was also ordered by a prescriber, so it is exported as a request too: intent
"order", the chart's status, ``reportedBoolean`` true (we know the order from the patient, the
bottle, a pharmacy or a discharge list, not from the prescriber's own system), the same
Medication resource as the statement, the prescriber as requester (US Core's invariant
us-core-21 wants a requester on every order: when the chart names no prescriber, the requester
carries a data-absent-reason "unknown"), and the directions as dosageInstruction (text and
timing). An over-the-counter medicine, a herbal or
a supplement has no order and stays a statement only. ``authoredOn`` is left out: the chart
knows when the patient started a medicine, not when the prescription was written, and a must-
support element is sent only when known. The statement points at its request (``basedOn``).
A pharmacist's recommendation to start or change a drug is not an order; it is an activity of
the eCare Plan (interop/fhir_careplan.py).
Translation only: it reads and writes nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from mmsdesk.interop import fhir_profiles as prof
from mmsdesk.interop.fhir_export import MED_STATUS, _dosage, _medication_id
from mmsdesk.models import MedicationEntry
from mmsdesk.models.enums import MedicationKind
from mmsdesk.models.patient import Prescriber
from mmsdesk.parsing import npi_check_digit_ok

NPI = "http://hl7.org/fhir/sid/us-npi"
PRACTITIONER_ID = "urn:mmsdesk:practitioner"
REQUEST_CATEGORY = "http://terminology.hl7.org/CodeSystem/medicationrequest-category"
# US Core's way to say a value it requires is not known (its "Missing Data" rules)
UNKNOWN = {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                          "valueCode": "unknown"}]}


def resource_id(kind: str, key: str) -> str:
    """A stable id for a resource made from a record (the same on every export)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:mmsdesk:{kind}:{key}"))


def practitioner(key: str, name: tuple[str, str], npi: str, credentials: str) -> dict[str, Any]:
    """A US Core Practitioner: identified by NPI when it is a valid one (us-core-16 and -17:
    ten digits, the check digit right), else by our own key; ``name`` is (given, family)."""
    given, family = name
    npi = npi.strip()
    ident = ({"system": NPI, "value": npi} if npi_check_digit_ok(npi)
             else {"system": PRACTITIONER_ID, "value": key})
    return {"resourceType": "Practitioner", "id": resource_id("practitioner", key),
            "meta": prof.meta(prof.PRACTITIONER), "identifier": [ident],
            "name": [{"family": family or given, "given": [given] if family and given else [],
                      "suffix": [credentials] if credentials else []}]}


def prescriber_resource(d: Prescriber) -> dict[str, Any]:
    return practitioner(d.uuid, (d.first_name, d.last_name), d.npi, d.credentials)


def is_order(m: MedicationEntry) -> bool:
    """Whether the chart medicine was ordered by a prescriber (a prescription medicine)."""
    return m.kind == MedicationKind.PRESCRIPTION


def medication_request(m: MedicationEntry, subject: dict[str, str],
                       requester: dict[str, Any] | None, requester_name: str = ""
                       ) -> dict[str, Any]:
    """The prescription ``m`` as a US Core MedicationRequest (see the module's note)."""
    return {
        "resourceType": "MedicationRequest", "id": resource_id("medicationrequest", m.uuid),
        "meta": prof.meta(prof.MEDICATION_REQUEST),
        "status": MED_STATUS.get(m.status, "unknown"),
        "statusReason": {"text": m.stop_reason} if m.stop_reason else None,
        "intent": "order",
        "category": [{"coding": [{"system": REQUEST_CATEGORY, "code": "community",
                                  "display": "Community"}]}],
        "reportedBoolean": True,
        "medicationReference": {"reference": f"urn:uuid:{_medication_id(m)}",
                                "display": m.name()},
        "subject": subject,
        # us-core-21: an order names its requester; when the chart does not, it says so
        "requester": ({"reference": f"urn:uuid:{requester['id']}",
                       "display": requester_name or None} if requester else UNKNOWN),
        "reasonCode": [{"text": m.indication}] if m.indication else [],
        "dosageInstruction": [_dosage(m)],
    }
