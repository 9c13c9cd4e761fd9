"""A completed visit as a Pharmacist eCare Plan: a FHIR R4 document Bundle in the shape of the
HL7 Pharmacist Care Plan guide (PhCP 1.0.0, STU1, http://hl7.org/fhir/us/phcp), which builds
on the C-CDA on FHIR care plan and US Core 6.1.0.

The Composition (PhCP-Composition, LOINC 18776-5 plan of care) comes first, then what its
sections point at: the patient, the pharmacist and the prescribers (Practitioner) and the care
team, the health concerns (the patient's active conditions) and the drug therapy problems
found at the visit (PhCP-Medication-Therapy-Condition, with their category coded), the goals,
the CarePlan whose activities are the visit's recommendations (each with its recipient and
status, what it addresses and its goals), and the medication list (SMP MedicationStatements).
Translation only: it reads and writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any

from mmsdesk.interop import fhir_profiles as prof
from mmsdesk.interop.fhir_export import (
    LOINC,
    SNOMED,
    _clean,
    _concept,
    _condition,
    _medication,
    _patient,
)
from mmsdesk.interop.fhir_request import practitioner, prescriber_resource, resource_id
from mmsdesk.models import Condition, MedicationEntry, Patient
from mmsdesk.models.base import utcnow
from mmsdesk.models.enums import PROBLEM_CATEGORY_LABELS, ProblemCategory
from mmsdesk.models.patient import Prescriber
from mmsdesk.models.practice import PharmacistProfile
from mmsdesk.models.visit import DrugTherapyProblem, Goal, Recommendation, Visit

CARE_PLAN_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"
# Our problem categories (Cipolle, Strand and Morley) as a code system of their own, always
# sent as a coding beside the SNOMED CT one where there is one
DTP_CATEGORY = "urn:mmsdesk:codesystem:drug-therapy-problem-category"
# PhCP-Medication-Therapy-Condition (PhCP 1.0.0) binds Condition.code, preferred, to the VSAC
# value set 2.16.840.1.113762.1.4.1096.213 (SNOMED CT medication therapy problems):
DTP_VALUE_SET = "http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113762.1.4.1096.213"
# Its expansion is published only through VSAC (a UMLS licence); it could not be read here. So a
# category gets a SNOMED CT code only where the concept is the category as a whole and its id and
# name were checked in published FHIR material: 62014003 (SNOMED CT US edition, as coded in
# public FHIR examples), 702565001 (as in US Core's medication adherence codes and the PhCP
# authors' sample care plan, Lantana Group's PhCP transforms, samples/sampleCDA.xml). The other
# five categories go with our code and the text, which a preferred binding allows.
DTP_SNOMED: dict[str, tuple[str, str]] = {
    ProblemCategory.ADVERSE_REACTION: ("62014003", "Adverse reaction caused by drug (disorder)"),
    ProblemCategory.ADHERENCE: ("702565001", "Non-compliance of drug therapy (finding)"),
}


def dtp_code(category: str, text: str) -> dict[str, Any]:
    """A drug therapy problem's Condition.code: SNOMED CT where mapped, then our category."""
    label = PROBLEM_CATEGORY_LABELS.get(category, category)
    sct = DTP_SNOMED.get(category)
    codings = [{"system": SNOMED, "code": sct[0], "display": sct[1]}] if sct else []
    codings.append({"system": DTP_CATEGORY, "code": category, "display": label})
    return {"coding": codings, "text": text or label}
SECTIONS = {  # section -> (LOINC code, display) as the C-CDA on FHIR care plan names them
    "health_concerns": ("75310-3", "Health concerns document"),
    "goals": ("61146-7", "Goals"),
    "interventions": ("62387-6", "Interventions provided"),
    "medications": ("10160-0", "History of Medication use Narrative"),
    "care_team": ("85847-2", "Patient Care team information"),
}
GOAL_LIFECYCLE = {"open": "active", "met": "completed", "not_met": "completed",
                  "cancelled": "cancelled"}
GOAL_ACHIEVEMENT = {"met": "achieved", "not_met": "not-achieved"}
RESPONSE_WORDS = {"pending": "awaiting a reply", "accepted": "accepted",
                  "modified": "accepted with changes", "declined": "declined",
                  "no_answer": "no answer"}


def activity_status(r: Recommendation) -> str:
    """The intervention's status (CarePlan activity status): done once applied, cancelled when
    declined, stopped without an answer, under way while sent or accepted, else not started."""
    if r.applied_on is not None or (r.recipient != "prescriber" and r.response == "accepted"):
        return "completed"
    if r.response == "declined":
        return "cancelled"
    if r.response == "no_answer":
        return "stopped"
    if r.response in ("accepted", "modified") or r.sent_on is not None:
        return "in-progress"
    return "not-started"


@dataclass(frozen=True)
class CarePlanRecords:
    """What the eCare Plan is built from, as stored."""

    visit: Visit
    patient: Patient
    pharmacist: PharmacistProfile | None
    prescribers: Sequence[Prescriber]
    conditions: Sequence[Condition]
    problems: Sequence[DrugTherapyProblem]
    goals: Sequence[Goal]
    recommendations: Sequence[Recommendation]
    medications: Sequence[MedicationEntry]


def _ref(res: dict[str, Any], display: str = "") -> dict[str, Any]:
    return {"reference": f"urn:uuid:{res['id']}", "display": display or None}


def _pharmacist(p: PharmacistProfile | None) -> dict[str, Any]:
    name = (p.name if p else "") or "Pharmacist"
    given, _, family = name.rpartition(" ")
    return practitioner(p.uuid if p else "pharmacist", (given, family or name),
                        p.npi if p else "", p.credentials if p else "")


def _dtp(d: DrugTherapyProblem, subject: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Condition", "id": d.uuid,
        "meta": prof.meta(prof.PHCP_MEDICATION_THERAPY_CONDITION),
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                       "condition-clinical",
                                       "code": "active" if d.status == "open" else "resolved"}]},
        "category": [{"coding": [dict(prof.HEALTH_CONCERN)]}],
        "code": dtp_code(d.category, d.description),
        "subject": subject, "recordedDate": d.identified_on.isoformat(),
        "abatementDateTime": d.resolved_on.isoformat() if d.resolved_on else None,
        "severity": {"text": d.priority} if d.priority else None,
        "evidence": [{"detail": [], "code": [{"text": m}]}
                     for m in d.medications.split(";") if m],
        "note": [{"text": f"Cause: {d.cause}"}] if d.cause else [],
    }


def _goal(g: Goal, subject: dict[str, Any], addresses: list[dict[str, Any]]) -> dict[str, Any]:
    target: dict[str, Any] = {"measure": {"text": g.measure}, "dueDate": g.due_on.isoformat()
                              if g.due_on else None}
    if g.target_value is not None:
        target["detailString"] = f"{g.comparator} {g.target_value:g}"
    return {
        "resourceType": "Goal", "id": g.uuid, "meta": prof.meta(prof.GOAL),
        "lifecycleStatus": GOAL_LIFECYCLE.get(g.status, "active"),
        "achievementStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/"
                                          "goal-achievement",
                                          "code": GOAL_ACHIEVEMENT[g.status]}]}
        if g.status in GOAL_ACHIEVEMENT else None,
        "description": {"text": g.target or g.measure}, "subject": subject,
        "target": [target], "addresses": addresses, "note": [{"text": g.notes}] if g.notes else [],
    }


def _narrative(rows: list[str]) -> dict[str, str]:
    items = "".join(f"<li>{escape(r)}</li>" for r in rows) or "<li>None recorded.</li>"
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><ul>'
                                          f"{items}</ul></div>"}


def _section(key: str, title: str, entries: list[dict[str, Any]], rows: list[str]
             ) -> dict[str, Any]:
    code, display = SECTIONS[key]
    section: dict[str, Any] = {"title": title, "code": _concept(display, (LOINC, code, display)),
                               "text": _narrative(rows), "entry": entries}
    if not entries:
        section["emptyReason"] = {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/list-empty-reason",
            "code": "nilknown"}]}
    return section


def build_careplan(rec: CarePlanRecords, now: datetime | None = None) -> dict[str, Any]:
    """The visit's eCare Plan as an R4 document Bundle (a JSON-ready dict)."""
    v, p = rec.visit, rec.patient
    stamp = (now or utcnow()).isoformat(timespec="seconds")
    patient = _patient(p)
    subject = {"reference": f"urn:uuid:{p.uuid}"}
    pharmacist = _pharmacist(rec.pharmacist)
    doctors = {d.id: prescriber_resource(d) for d in rec.prescribers}
    names = {d.id: d.display_name for d in rec.prescribers}
    concerns = [_condition(c, subject) for c in rec.conditions if c.status == "active"]
    for c in concerns:
        c["category"] = [{"coding": [dict(prof.HEALTH_CONCERN)]}]
    dtps = {d.id: _dtp(d, subject) for d in rec.problems}
    goals = [_goal(g, subject, [_ref(dtps[g.problem_id])] if g.problem_id in dtps else [])
             for g in rec.goals]
    goal_by_problem: dict[int | None, list[dict[str, Any]]] = {}
    for g, res in zip(rec.goals, goals, strict=True):
        goal_by_problem.setdefault(g.problem_id, []).append(_ref(res))
    team = {
        "resourceType": "CareTeam", "id": resource_id("careteam", v.uuid),
        "meta": prof.meta(prof.CARE_TEAM), "status": "active", "subject": subject,
        "name": "Medication management care team",
        "participant": [{"role": [{"text": "Pharmacist"}], "member": _ref(pharmacist)}]
        + [{"role": [{"text": "Prescriber"}], "member": _ref(doc, names[k])}
           for k, doc in doctors.items()],
    }
    activities = []
    for r in rec.recommendations:
        performer = ([_ref(doctors[r.prescriber_id], names[r.prescriber_id])]
                     if r.recipient == "prescriber" and r.prescriber_id in doctors
                     else [subject] if r.recipient == "patient" else [_ref(pharmacist)])
        activities.append({"detail": {
            "kind": "MedicationRequest" if r.intervention in ("start", "stop", "change_dose",
                                                              "change_drug") else None,
            "code": {"text": r.intervention},
            "reasonReference": [_ref(dtps[r.problem_id])] if r.problem_id in dtps else [],
            "goal": goal_by_problem.get(r.problem_id, []),
            "status": activity_status(r),
            "statusReason": {"text": f"Sent to the {r.recipient}"
                             + (f" on {r.sent_on.isoformat()}" if r.sent_on else "")
                             + f"; {RESPONSE_WORDS.get(r.response, r.response)}"
                             + (f" on {r.response_on.isoformat()}" if r.response_on else "")},
            "performer": performer, "description": r.text,
        }})
    careplan = {
        "resourceType": "CarePlan", "id": resource_id("careplan", v.uuid),
        "meta": prof.meta(prof.CARE_PLAN),
        "text": _narrative([r.text for r in rec.recommendations]),
        "status": "active" if any(a["detail"]["status"] in ("not-started", "in-progress")
                                  for a in activities) else "completed",
        "intent": "plan",
        "category": [{"coding": [{"system": CARE_PLAN_CATEGORY, "code": "assess-plan"}]}],
        "title": "Pharmacist care plan", "subject": subject,
        "period": {"start": v.visit_date.isoformat()}, "created": v.visit_date.isoformat(),
        "author": _ref(pharmacist), "careTeam": [_ref(team)],
        "addresses": [_ref(c) for c in concerns] + [_ref(d) for d in dtps.values()],
        "goal": [_ref(g) for g in goals], "activity": activities,
    }
    meds: list[dict[str, Any]] = []
    for m in rec.medications:
        meds += _medication(m, subject)
    statements = [r for r in meds if r["resourceType"] == "MedicationStatement"]
    composition = {
        "resourceType": "Composition", "id": resource_id("composition", v.uuid),
        "meta": prof.meta(prof.PHCP_COMPOSITION), "language": "en-US",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{v.uuid}"},
        "status": "final",
        "type": _concept("Plan of care note", (LOINC, "18776-5", "Plan of care note")),
        "subject": subject, "date": stamp, "author": [_ref(pharmacist)],
        "title": "Pharmacist Care Plan",
        "attester": [{"mode": "legal", "time": stamp, "party": _ref(pharmacist)}],
        "event": [{"period": {"start": v.visit_date.isoformat(), "end": v.visit_date.isoformat()},
                   "detail": [_ref(careplan)]}],
        "section": [
            _section("care_team", "Care team", [_ref(team)],
                     ["Pharmacist"] + [names[k] for k in doctors]),
            _section("health_concerns", "Health concerns",
                     [_ref(c) for c in concerns] + [_ref(d) for d in dtps.values()],
                     [c["code"]["text"] for c in concerns]
                     + [f"{PROBLEM_CATEGORY_LABELS.get(d.category, d.category)}: {d.description}"
                        for d in rec.problems]),
            _section("goals", "Goals", [_ref(g) for g in goals],
                     [g.target or g.measure for g in rec.goals]),
            _section("interventions", "Interventions", [_ref(careplan)],
                     [f"{r.text} ({r.recipient}, {activity_status(r)})"
                      for r in rec.recommendations]),
            _section("medications", "Medications", [_ref(s) for s in statements],
                     [s["medicationReference"]["display"] for s in statements]),
        ],
    }
    resources = ([composition, patient, pharmacist, *doctors.values(), team, *concerns,
                  *dtps.values(), *goals, careplan, *meds])
    return _clean({
        "resourceType": "Bundle",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{resource_id('ecp', v.uuid)}"},
        "type": "document", "timestamp": stamp,
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    })

