"""The patient's medication list as a Standardized Medication Profile (HL7 SMP 1.0.0, STU1,
http://hl7.org/fhir/us/smp): a collection Bundle (smp-bundle) whose List (smp-medication-list,
a point-in-time snapshot authored by the pharmacist) points at one SMP MedicationStatement per
current medicine, each with its Medication. Made from a visit, it also carries the Medication
Action Plan as a Composition (FHIR's clinical document profile; SMP defines none): what was
talked about and what the patient will do, and the goals. Translation only.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from typing import Any

from mmsdesk.interop import fhir_profiles as prof
from mmsdesk.interop.fhir_careplan import _pharmacist, _ref
from mmsdesk.interop.fhir_export import LOINC, _clean, _concept, _medication, _patient
from mmsdesk.models import MedicationEntry, Patient
from mmsdesk.models.base import utcnow
from mmsdesk.models.practice import PharmacistProfile

MED_LIST = ("10160-0", "History of Medication use Narrative")
ACTION_PLAN = ("18776-5", "Plan of care note")
ACTIONS_SECTION = ("62387-6", "Interventions provided")
GOALS_SECTION = ("61146-7", "Goals")


@dataclass(frozen=True)
class ActionPlan:
    """The visit's Medication Action Plan: (talked about, to do) pairs and the goals' words."""

    visit_uuid: str
    visit_date: date
    items: Sequence[tuple[str, str]]
    goals: Sequence[str] = ()


@dataclass(frozen=True)
class SmpRecords:
    patient: Patient
    pharmacist: PharmacistProfile | None
    medications: Sequence[MedicationEntry]  # the current list
    as_of: date
    action_plan: ActionPlan | None = None


def _div(html: str) -> dict[str, str]:
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{html}</div>'}


def _action_plan(plan: ActionPlan, subject: dict[str, Any], author: dict[str, Any],
                 med_list: dict[str, Any], stamp: str) -> dict[str, Any]:
    rows = "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td></tr>" for a, b in plan.items)
    goals = "".join(f"<li>{escape(g)}</li>" for g in plan.goals)
    sections = [{
        "title": "What we talked about and what I need to do",
        "code": _concept(ACTIONS_SECTION[1], (LOINC, *ACTIONS_SECTION)),
        "text": _div("<table><tr><th>What we talked about</th><th>What I need to do</th></tr>"
                     f"{rows}</table>" if plan.items else "<p>No action items.</p>"),
    }, {
        "title": "My medication list", "code": _concept(MED_LIST[1], (LOINC, *MED_LIST)),
        "text": _div("<p>The medicines on the list of the same date.</p>"),
        "entry": [_ref(med_list)],
    }]
    if plan.goals:
        sections.append({"title": "Goals", "code": _concept(GOALS_SECTION[1],
                                                              (LOINC, *GOALS_SECTION)),
                         "text": _div(f"<ul>{goals}</ul>")})
    return {
        "resourceType": "Composition",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:mmsdesk:map:{plan.visit_uuid}")),
        "meta": prof.meta(prof.CLINICAL_DOCUMENT), "language": "en-US",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{plan.visit_uuid}"},
        "status": "final", "type": _concept("Medication Action Plan", (LOINC, *ACTION_PLAN)),
        "subject": subject, "date": stamp, "author": [author], "title": "Medication Action Plan",
        "event": [{"period": {"start": plan.visit_date.isoformat()}}],
        "section": sections,
    }


def build_smp(rec: SmpRecords, now: datetime | None = None) -> dict[str, Any]:
    """The SMP Bundle (a JSON-ready dict)."""
    p = rec.patient
    stamp = (now or utcnow()).isoformat(timespec="seconds")
    subject = {"reference": f"urn:uuid:{p.uuid}"}
    pharmacist = _pharmacist(rec.pharmacist)
    meds: list[dict[str, Any]] = []
    for m in rec.medications:
        meds += _medication(m, subject)
    statements = [r for r in meds if r["resourceType"] == "MedicationStatement"]
    key = f"{p.uuid}:{rec.as_of.isoformat()}"
    med_list = {
        "resourceType": "List",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:mmsdesk:medlist:{key}")),
        "meta": prof.meta(prof.SMP_MEDICATION_LIST),
        "text": _div("<ul>" + "".join(f"<li>{escape(s['medicationReference']['display'])}</li>"
                                      for s in statements) + "</ul>"
                     if statements else "<p>No current medicines.</p>"),
        "status": "current", "mode": "snapshot", "title": "Current medication list",
        "code": _concept(MED_LIST[1], (LOINC, *MED_LIST)), "subject": subject,
        "date": rec.as_of.isoformat(), "source": _ref(pharmacist),
        "entry": [{"item": _ref(s, s["medicationReference"]["display"])} for s in statements],
        "emptyReason": None if statements else {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/list-empty-reason",
            "code": "nilknown"}]},
    }
    resources = [med_list, _patient(p), pharmacist, *meds]
    if rec.action_plan is not None:
        resources.insert(0, _action_plan(rec.action_plan, subject, _ref(pharmacist), med_list,
                                         stamp))
    return _clean({
        "resourceType": "Bundle", "meta": prof.meta(prof.SMP_BUNDLE), "type": "collection",
        "timestamp": stamp,
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    })
