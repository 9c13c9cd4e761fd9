"""Billing for a visit: suggested MTM CPT codes from the time spent, and the self-pay price.

CPT codes for medication therapy management by a pharmacist (face-to-face):
99605 initial 15 minutes, new patient; 99606 initial 15 minutes, established patient;
99607 each additional 15 minutes (add-on, listed with 99605 or 99606).

Rounding rule (CPT's time rule, "a unit of time is attained when the mid-point is passed",
the same midpoint rule CMS applies to timed codes): any time from 1 minute takes the
initial-15-minutes code; each additional 15-minute unit of 99607 counts once more than half
of it (8 minutes or more) has passed. So 1-22 minutes: the initial code only; 23-37 minutes:
+ 99607 x1; 38-52 minutes: + 99607 x2; and so on. 0 minutes (or less): no code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from mmsdesk.models import Condition, ServiceOffering
from mmsdesk.store import Store

UNIT_MINUTES = 15
MIDPOINT_MINUTES = 8  # more than half of a 15-minute unit
NEW_PATIENT, ESTABLISHED, ADDITIONAL = "99605", "99606", "99607"
CPT_DESCRIPTIONS: dict[str, str] = {
    NEW_PATIENT: "Medication therapy management by a pharmacist, face-to-face, new patient, "
                 "initial 15 minutes",
    ESTABLISHED: "Medication therapy management by a pharmacist, face-to-face, established "
                 "patient, initial 15 minutes",
    ADDITIONAL: "Medication therapy management by a pharmacist, each additional 15 minutes",
}


@dataclass(frozen=True)
class CptLine:
    code: str
    units: int
    description: str


def additional_units(minutes: int) -> int:
    """Units of 99607 for ``minutes`` of face-to-face time (midpoint rule, see module doc)."""
    extra = minutes - UNIT_MINUTES
    if extra < MIDPOINT_MINUTES:
        return 0
    return (extra - MIDPOINT_MINUTES) // UNIT_MINUTES + 1


def suggest_cpt(minutes: int, is_new_patient: bool) -> list[CptLine]:
    if minutes is None or minutes <= 0:
        return []
    first = NEW_PATIENT if is_new_patient else ESTABLISHED
    lines = [CptLine(first, 1, CPT_DESCRIPTIONS[first])]
    extra = additional_units(minutes)
    if extra:
        lines.append(CptLine(ADDITIONAL, extra, CPT_DESCRIPTIONS[ADDITIONAL]))
    return lines


def cpt_string(lines: list[CptLine]) -> str:
    """"99605;99607x2": codes ";"-joined, a unit count after "x" when above one."""
    return ";".join(line.code if line.units == 1 else f"{line.code}x{line.units}"
                    for line in lines if line.units > 0)


def parse_cpt_string(text: str) -> list[CptLine]:
    """The reverse of :func:`cpt_string`, the one reader of stored CPT codes: ";" or ","
    between codes, spaces and a capital X forgiven (unknown codes keep an empty description)."""
    out: list[CptLine] = []
    for part in (p.strip() for p in (text or "").replace(",", ";").split(";")):
        if not part:
            continue
        code, _, units = part.lower().partition("x")
        code, units = code.strip().upper(), units.strip()
        out.append(CptLine(code, int(units) if units.isdigit() else 1,
                           CPT_DESCRIPTIONS.get(code, "")))
    return out


# A Medicare Part D plan pays for its MTM program's services (the CMR, targeted reviews): the
# enrollee has no cost sharing for them, so the patient is charged nothing.
PLAN_PAID_PAYERS = frozenset({"medicare_part_d"})


def plan_pays(payer_type: str) -> bool:
    return payer_type in PLAN_PAID_PAYERS


def visit_cpt(cpt_codes: str, minutes: int | None, is_new_patient: bool) -> list[CptLine]:
    """The codes a completed visit was billed with, else those its time suggests (a draft)."""
    return parse_cpt_string(cpt_codes) if cpt_codes else suggest_cpt(minutes or 0,
                                                                     is_new_patient)


def line_charges(price: float, lines: list[CptLine]) -> list[float]:
    """The service's price spread over its CPT lines by units (cents to the first line), so
    that a claim's line charges add up to the price."""
    units = sum(line.units for line in lines)
    if not lines or units <= 0:
        return []
    each = [round(price * line.units / units, 2) for line in lines]
    each[0] = round(each[0] + price - sum(each), 2)
    return each


def offering_price(s: Session, service: str) -> float | None:
    """The self-pay price of the practice's active offering for ``service`` (the first one
    entered when there are several), or None when the practice has none."""
    value = s.execute(select(ServiceOffering.price)
                      .where(ServiceOffering.service == service,
                             ServiceOffering.active.is_(True))  # type: ignore[attr-defined]
                      .order_by(ServiceOffering.id).limit(1)).scalar()
    return float(value) if value is not None else None


def diagnoses(s: Session, patient_id: int, stored: str = "") -> list[tuple[str, str]]:
    """The ICD-10-CM codes a visit addressed, with their descriptions: those stored with the
    visit when it was completed, else the patient's active conditions that carry a code (a
    review goes through every condition the medicines treat). At most 12, a claim's limit."""
    conditions = s.execute(select(Condition).where(Condition.patient_id == patient_id)
                           .order_by(Condition.id)).scalars().all()
    names = {c.icd10_code.strip().upper(): c.name.strip() for c in conditions if c.icd10_code}
    if stored:
        codes = [c.strip().upper() for c in stored.replace(",", ";").split(";") if c.strip()]
    else:
        codes = [c.icd10_code.strip().upper() for c in conditions
                 if c.icd10_code.strip() and c.status == "active"]
    out: list[tuple[str, str]] = []
    for code in dict.fromkeys(codes):
        out.append((code, names.get(code, "")))
    return out[:MAX_DIAGNOSES]


MAX_DIAGNOSES = 12
_ICD10 = re.compile(r"[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?")


def diagnosis_codes_problem(text: str) -> str | None:
    """Codes typed for a visit: ICD-10-CM codes ("I10; E11.9"), at most 12."""
    codes = [c.strip().upper() for c in (text or "").replace(",", ";").split(";") if c.strip()]
    bad = [c for c in codes if not _ICD10.fullmatch(c)]
    if bad:
        return (f"{', '.join(bad)}: not an ICD-10-CM code (a letter, two digits, then an "
                "optional point and up to 4 more, for example I10 or E11.9).")
    if len(codes) > MAX_DIAGNOSES:
        return f"At most {MAX_DIAGNOSES} diagnosis codes on a claim."
    return None


def service_price(store: Store, service: str) -> float | None:
    """:func:`offering_price` in a session of its own."""
    with store.session() as s:
        return offering_price(s, service)
