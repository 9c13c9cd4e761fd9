"""Turn a parsed FHIR bundle into the screening engine's PatientContext (no DB, no Qt).

Medication text is resolved to ingredients with the drug dictionary (RxNorm code first when the
bundle carries one). Only ``active`` medications are screened; repeated active requests for the
same product text (renewals) count once. Conditions and allergies that are inactive or resolved are
left out; for each lab the most recent value in a known unit is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.screening import MedicationInput, PatientContext
from mmsdesk.clinical.screening.bundle_context import LOINC_FIELDS, convert
from mmsdesk.clinical.screening.inputs import medication_input
from mmsdesk.interop.fhir_bundle import ParsedBundle

INACTIVE = ("inactive", "resolved", "entered-in-error", "refuted", "remission")


@dataclass(frozen=True)
class ResolvedEntry:
    text: str
    status: str
    ingredients: tuple[str, ...]
    match: str
    components: tuple[Component, ...] = ()  # strength per ingredient, when known
    last_ordered: date | None = None  # the newest of authoredOn / effective start / end
    directions: str = ""  # the dosage text as written
    route: str = ""  # as the dictionary read the product ("oral", "injection"...)


def age_on(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def resolve_medications(bundle: ParsedBundle) -> list[ResolvedEntry]:
    from mmsdesk.clinical.dictionary import resolve

    out = []
    for m in bundle.medications:
        r = None
        for code in m.rxnorm_codes:
            r = resolve(m.text, rxnorm=code)
            if r.ingredients:
                break
        if r is None or not r.ingredients:
            r = resolve(m.text)
        comps = tuple(Component(i.text.lower(), i.amount, i.unit, i.per_amount, i.per_unit)
                      for i in m.ingredients)
        if not comps or {c.ingredient for c in comps} != set(r.ingredients):
            comps = tuple(r.components)
        dates = [d for d in (m.authored, m.effective_start, m.effective_end) if d is not None]
        out.append(ResolvedEntry(m.text, m.status or "unknown", tuple(r.ingredients), r.match,
                                 comps, max(dates) if dates else None, m.dosage_text,
                                 r.route))
    return out


def context_from_bundle(bundle: ParsedBundle, today: date,
                        entries: list[ResolvedEntry] | None = None) -> PatientContext:
    entries = entries if entries is not None else resolve_medications(bundle)
    meds: dict[tuple[str, tuple[str, ...]], MedicationInput] = {}
    for e in entries:
        if e.status == "active" and e.ingredients:
            # a renewal is the same product written the same way; a brand and its generic, or
            # two strengths, are two entries (the same-ingredient check must see both)
            key = (" ".join(e.text.lower().split()), tuple(sorted(e.ingredients)))
            m = medication_input(e.text, e.ingredients, "active", e.match,
                                 components=e.components, directions_text=e.directions,
                                 last_ordered=e.last_ordered, route=e.route)
            old = meds.get(key)
            if old is None or (m.last_ordered or date.min) > (old.last_ordered or date.min):
                meds[key] = m  # a renewal: the newest order stands for the product
    labs: dict[str, tuple[date, float]] = {}
    for o in bundle.observations:
        if o.value is None:
            continue
        for field, codes in LOINC_FIELDS.items():
            if o.loinc in codes:
                value = convert(field, o.value, o.unit)
                when = o.date or date.min
                if value is not None and (field not in labs or when >= labs[field][0]):
                    labs[field] = (when, value)
    patient = bundle.patient
    sex = patient.sex.lower() if patient and patient.sex.lower() in ("male", "female") else ""
    conditions = [c for c in bundle.conditions if c.clinical_status not in INACTIVE]
    died = patient.deceased_date if patient else None
    return PatientContext(
        medications=tuple(meds.values()),
        age=age_on(patient.birth_date if patient else None, min(today, died or today)), sex=sex,
        today=today, deceased_on=died, deceased=bool(patient and patient.deceased),
        lab_dates=tuple((f, when) for f, (when, _) in sorted(labs.items()) if when != date.min),
        conditions=tuple(c.text for c in conditions if c.text),
        condition_codes=tuple(code for c in conditions for code in (c.icd10, c.snomed) if code),
        allergies=tuple(a.text for a in bundle.allergies
                        if a.text and a.clinical_status not in INACTIVE),
        pgx=tuple((p.gene, p.phenotype or p.diplotype) for p in bundle.pgx),
        **{field: value for field, (_, value) in labs.items()})
