"""The patient's record as a FHIR R4 Bundle (type "collection").

Patient, Medication (code, form, one ingredient per component with its strength as a Ratio)
and the MedicationStatement that points at it (status, effective period, dosage, reason); a
prescription medicine also as the prescriber's MedicationRequest, with the prescriber as a
Practitioner (interop/fhir_request.py says which is which),
AllergyIntolerance,
Condition (ICD-10-CM and SNOMED CT), Observation (LOINC, UCUM quantity) and pharmacogenomic
results as Observations in the shape of the HL7 Genomics Reporting guide (LOINC 84413-4
genotype display name with a "gene studied" component, 53040-2 for the phenotype).
Resource ids are the records' stable UUIDs, so exporting twice gives the same ids.
Each resource declares the profile it meets (interop/fhir_profiles.py: US Core 6.1.0, SMP 1.0.0):
Conditions carry the problem-list category, a day's systolic and diastolic pressures are one
85354-9 panel with two components, vitals and labs their category and UCUM units, and each
ingredient its RxNorm ingredient code where the dictionary knows it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from mmsdesk import paths
from mmsdesk.clinical.dictionary import get_dictionary
from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.dictionary.naming import full_form
from mmsdesk.interop import fhir_profiles as prof
from mmsdesk.models import (
    Allergy,
    Condition,
    MedicationEntry,
    Observation,
    Patient,
    PgxResult,
)
from mmsdesk.models.base import utcnow
from mmsdesk.models.measures import MEASURES_BY_KEY
from mmsdesk.models.patient import Prescriber

LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
UCUM = "http://unitsofmeasure.org"
HGNC = "http://www.genenames.org/geneId"
ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
IDENTIFIER_SYSTEM = "urn:mmsdesk:patient"

PGX_GENOTYPE = "84413-4"  # Genotype display name
PGX_PHENOTYPE = "53040-2"  # Genetic variation's effect on drug metabolism
PGX_GENE = "48018-6"  # Gene studied [ID]

# our units -> UCUM codes
UCUM_UNITS = {"mg": "mg", "mcg": "ug", "g": "g", "unit": "[U]", "meq": "meq", "mmol": "mmol",
              "%": "%", "ml": "mL", "l": "L", "hr": "h", "actuat": "{actuat}", "dose": "{dose}"}
MED_STATUS = {"active": "active", "on_hold": "on-hold", "stopped": "stopped"}
GENDER = {"female": "female", "male": "male", "other": "other", "unknown": "unknown"}
# clinical.sig frequency code -> timing.repeat (frequency, period, periodUnit); the import
# reads them back with fhir_bundle.TIMING_CODES
TIMING_REPEAT = {"daily": (1, 1, "d"), "bid": (2, 1, "d"), "tid": (3, 1, "d"), "qid": (4, 1, "d"),
                 "q4h": (1, 4, "h"), "q6h": (1, 6, "h"), "q8h": (1, 8, "h"), "q12h": (1, 12, "h"),
                 "qod": (1, 2, "d"), "weekly": (1, 1, "wk"), "monthly": (1, 1, "mo")}
CRITICALITY = {"severe": "high", "moderate": "low", "mild": "low", "unknown": "unable-to-assess"}


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _clean(obj: Any) -> Any:
    """Drop empty values: FHIR forbids empty strings, arrays and objects."""
    if isinstance(obj, dict):
        out = {k: _clean(v) for k, v in obj.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(obj, list):
        items = [_clean(v) for v in obj]
        return [v for v in items if v not in (None, "", [], {})]
    return obj


def _concept(text: str, *codings: tuple[str, str, str]) -> dict[str, Any]:
    return {"coding": [{"system": s, "code": c, "display": d} for s, c, d in codings if c],
            "text": text}


def _patient(p: Patient) -> dict[str, Any]:
    return {
        "resourceType": "Patient", "id": p.uuid, "meta": prof.meta(prof.PATIENT),
        "identifier": [{"system": IDENTIFIER_SYSTEM, "value": p.uuid}],
        "name": [{"use": "official", "family": p.last_name,
                  "given": [n for n in (p.first_name, p.middle_name) if n]}]
        + ([{"use": "nickname", "given": [p.preferred_name]}] if p.preferred_name else []),
        "gender": GENDER.get(p.sex, "unknown"), "birthDate": _d(p.date_of_birth),
        "deceasedDateTime": _d(p.deceased_date),
        "telecom": [{"system": k, "value": val} for k, val in (("phone", p.phone),
                                                                ("email", p.email)) if val],
        "address": [{"line": [x for x in (p.address_line1, p.address_line2) if x],
                     "city": p.city, "state": p.state, "postalCode": p.postal_code,
                     "country": p.country}],
        "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47",
                                                     "code": p.preferred_language}]},
                           "preferred": True}],
    }


def _amount(value: float, unit: str) -> dict[str, Any]:
    code = UCUM_UNITS.get(unit, "")
    q: dict[str, Any] = {"value": value, "unit": unit}
    if code:
        q.update(system=UCUM, code=code)
    return q


def _strength(c: Component) -> dict[str, Any] | None:
    """An ingredient's amount as a Ratio: 250 mg per 5 mL, 80 mcg per actuation, 5 mg per 1."""
    if c.amount is None:
        return None
    per = _amount(c.per_amount or 1, c.per_unit) if c.per_unit else {"value": 1}
    return {"numerator": _amount(c.amount, c.unit), "denominator": per}


def _medication_resource(m: MedicationEntry) -> dict[str, Any]:
    """Medication: the product's code, form and one ingredient per component."""
    form, _ = m.dose_form, m.release
    ingredients = [{"itemCodeableConcept": _concept(c.ingredient, (RXNORM,
                                                                    _ingredient_code(c.ingredient),
                                                                    c.ingredient)),
                    "isActive": True, "strength": _strength(c)}
                   for c in m.component_values()] if m.recognised else []
    return {
        "resourceType": "Medication", "id": _medication_id(m),
        "meta": prof.meta(prof.MEDICATION, prof.SMP_MEDICATION), "status": "active",
        "code": _concept(m.name(), (RXNORM, m.rxnorm_code, m.name())),
        "form": {"text": full_form(form, m.release)} if form else None,
        "ingredient": ingredients,
    }


def _ingredient_code(name: str) -> str:
    """The RxNorm ingredient code (TTY IN) the dictionary gives this ingredient, or ""."""
    ingredient = get_dictionary().ingredient(name)
    return ingredient.rxnorm if ingredient else ""


def _medication_id(m: MedicationEntry) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:mmsdesk:medication:{m.uuid}"))


def _dosage(m: MedicationEntry) -> dict[str, Any]:
    """The entry's directions as a Dosage (text, timing, route, dose), for the statement's
    dosage and the request's dosageInstruction alike."""
    dosage: dict[str, Any] = {"text": m.directions_text(), "asNeededBoolean": m.as_needed or None}
    if m.as_needed and m.as_needed_reason:
        dosage.pop("asNeededBoolean")
        dosage["asNeededCodeableConcept"] = {"text": m.as_needed_reason}
    if m.route:
        dosage["route"] = {"text": m.route}
    if m.dose_amount is not None:
        dosage["doseAndRate"] = [{"doseQuantity": {"value": m.dose_amount, "unit": m.dose_unit}}]
    repeat = TIMING_REPEAT.get(m.frequency)
    if repeat:
        dosage["timing"] = {"repeat": dict(zip(("frequency", "period", "periodUnit"), repeat,
                                               strict=True))}
    return dosage


def _medication(m: MedicationEntry, subject: dict[str, str]) -> list[dict[str, Any]]:
    dosage = _dosage(m)
    medication = _medication_resource(m)
    statement = {
        "resourceType": "MedicationStatement", "id": m.uuid,
        "meta": prof.meta(prof.SMP_MEDICATION_STATEMENT),
        "status": MED_STATUS.get(m.status, "unknown"),
        "statusReason": [{"text": m.stop_reason}] if m.stop_reason else [],
        "medicationReference": {"reference": f"urn:uuid:{medication['id']}",
                                "display": m.name()},
        "subject": subject,
        "effectivePeriod": {"start": _d(m.started), "end": _d(m.stopped)},
        "dateAsserted": m.updated_at.isoformat() if m.updated_at else None,
        "reasonCode": [{"text": m.indication}] if m.indication else [],
        "note": [{"text": m.notes}] if m.notes else [],
        "dosage": [dosage],
    }
    return [medication, statement]


def _substance_coding(a: Allergy) -> tuple[str, str, str]:
    """The substance's code under its own system: ``system|code`` as imported, a bare number
    an RxNorm code (the record's convention), anything else (a class key) not exported."""
    system, sep, code = a.substance_code.partition("|")
    if sep and system and code:
        return system, code, a.substance
    return (RXNORM, a.substance_code, a.substance) if a.substance_code.isdigit() else ("", "", "")


def criticality(a: Allergy) -> str:
    """The criticality written out: the source's when it gave one, else what the severity
    tells (an allergy recorded here has none of its own)."""
    return a.criticality or CRITICALITY.get(a.severity, "unable-to-assess")


def _allergy(a: Allergy, patient: dict[str, str]) -> dict[str, Any]:
    return {
        "resourceType": "AllergyIntolerance", "id": a.uuid, "meta": prof.meta(prof.ALLERGY),
        "clinicalStatus": {"coding": [{"system": ALLERGY_CLINICAL, "code": a.status
                                       if a.status in ("active", "inactive") else "active"}]},
        "verificationStatus": {"coding": [{"system": ALLERGY_VERIFICATION,
                                           "code": "confirmed" if a.verified else "unconfirmed"}]},
        "type": a.type if a.type in ("allergy", "intolerance") else None,
        "category": [c for c in a.category.split(";") if c] or None,
        "criticality": criticality(a),
        "code": _concept(a.substance, _substance_coding(a)),
        "patient": patient, "recordedDate": _d(a.recorded_date),
        "reaction": [{"manifestation": [{"text": a.reaction}],
                      "severity": a.severity if a.severity in ("mild", "moderate", "severe")
                      else None}] if a.reaction else [],
        "note": [{"text": a.notes}] if a.notes else [],
    }


def _condition(c: Condition, subject: dict[str, str]) -> dict[str, Any]:
    return {
        "resourceType": "Condition", "id": c.uuid, "meta": prof.meta(prof.CONDITION),
        "clinicalStatus": {"coding": [{"system": CONDITION_CLINICAL, "code": c.status}]},
        "category": [{"coding": [{"system": prof.CONDITION_CATEGORY, "code": "problem-list-item",
                                  "display": "Problem List Item"}]}],
        "code": _concept(c.name, (ICD10CM, c.icd10_code, c.name), (SNOMED, c.snomed_code, c.name)),
        "subject": subject, "onsetDateTime": _d(c.onset_date),
        "note": [{"text": c.notes}] if c.notes else [],
    }


def _quantity(o: Observation) -> dict[str, Any]:
    """The value in the measure's UCUM unit (converted from another accepted unit)."""
    m = MEASURES_BY_KEY.get(o.measure)
    if m is not None and m.unit and m.accepts_unit(o.unit or m.unit):
        value = m.to_canonical(o.value, o.unit or m.unit)
        return {"value": round(value, 4), "unit": m.unit, "system": UCUM, "code": m.unit}
    return {"value": o.value, "unit": o.unit, "system": UCUM, "code": o.unit} if o.unit \
        else {"value": o.value}


def _observation(o: Observation, subject: dict[str, str]) -> dict[str, Any]:
    m = MEASURES_BY_KEY.get(o.measure)
    label = m.label if m else o.measure
    loinc = o.loinc or (m.loinc if m else "")
    if m and m.kind == "vital" and (m.loinc in prof.VITAL_PROFILES):
        category, profile = "vital-signs", prof.VITAL_PROFILES[m.loinc]
    elif m and m.kind == "vital":  # a pain score: not one of the vital signs FHIR profiles
        category, profile = "exam", prof.SIMPLE_OBSERVATION
    else:
        category, profile = "laboratory", prof.LAB
    return {
        "resourceType": "Observation", "id": o.uuid, "meta": prof.meta(profile),
        "status": "final",
        "category": [{"coding": [{"system": OBS_CATEGORY, "code": category}]}],
        "code": _concept(label, (LOINC, loinc, label)),
        "subject": subject, "effectiveDateTime": _d(o.taken_on),
        "valueQuantity": _quantity(o),
        "note": [{"text": o.notes}] if o.notes else [],
    }


def _bp_component(o: Observation | None, loinc: str, label: str) -> dict[str, Any]:
    part: dict[str, Any] = {"code": _concept(label, (LOINC, loinc, label))}
    if o is None:
        part["dataAbsentReason"] = {"coding": [{"system": prof.DATA_ABSENT, "code": "unknown"}]}
    else:
        part["valueQuantity"] = _quantity(o)
    return part


def _blood_pressures(observations: Sequence[Observation],
                     subject: dict[str, str]) -> list[dict[str, Any]]:
    """Each reading as one 85354-9 panel (US Core blood pressure): the systolic and diastolic
    taken the same day are its two components; a lone one has the other marked absent."""
    days: dict[date | None, dict[str, list[Observation]]] = {}
    for o in observations:
        days.setdefault(o.taken_on, {}).setdefault(o.measure, []).append(o)
    panels = []
    for day, kinds in days.items():
        sys_list, dia_list = kinds.get("bp_systolic", []), kinds.get("bp_diastolic", [])
        for i in range(max(len(sys_list), len(dia_list))):
            s = sys_list[i] if i < len(sys_list) else None
            d = dia_list[i] if i < len(dia_list) else None
            ids = ":".join(x.uuid for x in (s, d) if x is not None)
            panels.append({
                "resourceType": "Observation",
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:mmsdesk:bp:{ids}")),
                "meta": prof.meta(prof.BLOOD_PRESSURE), "status": "final",
                "category": [{"coding": [{"system": OBS_CATEGORY, "code": "vital-signs"}]}],
                "code": _concept("Blood pressure panel",
                                 (LOINC, prof.BP_PANEL, "Blood pressure panel with all children optional")),
                "subject": subject, "effectiveDateTime": _d(day),
                "component": [_bp_component(s, prof.BP_SYSTOLIC, "Systolic blood pressure"),
                              _bp_component(d, prof.BP_DIASTOLIC, "Diastolic blood pressure")],
                "note": [{"text": x.notes} for x in (s, d) if x is not None and x.notes],
            })
    return panels


def _pgx(g: PgxResult, subject: dict[str, str]) -> dict[str, Any]:
    return {
        "resourceType": "Observation", "id": g.uuid, "meta": prof.meta(prof.LAB),
        "status": "final",
        "category": [{"coding": [{"system": OBS_CATEGORY, "code": "laboratory"}]}],
        "code": _concept("Genotype display name", (LOINC, PGX_GENOTYPE, "Genotype display name")),
        "subject": subject, "effectiveDateTime": _d(g.test_date),
        "valueCodeableConcept": {"text": g.diplotype or g.phenotype},
        "component": [
            {"code": _concept("Gene studied", (LOINC, PGX_GENE, "Gene studied [ID]")),
             "valueCodeableConcept": {"coding": [{"system": HGNC, "display": g.gene}],
                                      "text": g.gene}},
            {"code": _concept("Genetic variation's effect on drug metabolism",
                              (LOINC, PGX_PHENOTYPE, "Genetic variation's effect on drug metabolism")),
             "valueCodeableConcept": {"text": g.phenotype}} if g.phenotype else None,
        ],
        "performer": [{"display": g.lab}] if g.lab else [],
        "note": [{"text": g.notes}] if g.notes else [],
    }


@dataclass(frozen=True)
class PatientRecords:
    """What a bundle is built from: the patient and the rows of each kind, as stored."""

    patient: Patient
    medications: Sequence[MedicationEntry] = ()
    allergies: Sequence[Allergy] = ()
    conditions: Sequence[Condition] = ()
    observations: Sequence[Observation] = ()
    pgx: Sequence[PgxResult] = ()
    prescribers: Sequence[Prescriber] = ()  # those the medicines name (their requests' requester)


def build_bundle(records: PatientRecords, now: datetime | None = None) -> dict[str, Any]:
    """The patient's record as an R4 Bundle (a JSON-ready dict). Translation only: it reads
    nothing and writes nothing."""
    p = records.patient
    ref = {"reference": f"urn:uuid:{p.uuid}"}
    resources = [_patient(p)]
    from mmsdesk.interop.fhir_request import (
        is_order,
        medication_request,
        prescriber_resource,
    )

    doctors = {d.id: prescriber_resource(d) for d in records.prescribers}
    names = {d.id: d.display_name for d in records.prescribers}
    requests = []
    for m in records.medications:
        med, statement = _medication(m, ref)
        resources += [med, statement]
        if is_order(m):  # a prescription: the prescriber's order too (interop/fhir_request.py)
            request = medication_request(m, ref, doctors.get(m.prescriber_id),
                                         names.get(m.prescriber_id, ""))
            statement["basedOn"] = [{"reference": f"urn:uuid:{request['id']}"}]
            requests.append(request)
    resources += list(doctors.values()) + requests
    resources += [_allergy(a, ref) for a in records.allergies]
    resources += [_condition(c, ref) for c in records.conditions]
    bp = ("bp_systolic", "bp_diastolic")
    resources += [_observation(o, ref) for o in records.observations if o.measure not in bp]
    resources += _blood_pressures([o for o in records.observations if o.measure in bp], ref)
    resources += [_pgx(g, ref) for g in records.pgx]
    return _clean({
        "resourceType": "Bundle", "type": "collection",
        "timestamp": (now or utcnow()).isoformat(timespec="seconds"),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    })


def write_json(bundle: dict[str, Any], path: Path | str) -> int:
    """Write the bundle as UTF-8 JSON, whole or not at all; returns the number of entries."""
    with paths.staged_write(path, bundle_bytes(bundle)):
        pass
    return len(bundle["entry"])


def bundle_bytes(bundle: dict[str, Any]) -> bytes:
    """The bundle as the UTF-8 JSON that :func:`write_json` writes."""
    return json.dumps(bundle, ensure_ascii=False, indent=1).encode("utf-8")
