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

from dataclasses import dataclass

from sqlalchemy import select

from mmsdesk.models import ServiceOffering
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
    """The reverse of :func:`cpt_string` (unknown codes keep an empty description)."""
    out: list[CptLine] = []
    for part in (p.strip() for p in (text or "").split(";")):
        if not part:
            continue
        code, _, units = part.partition("x")
        out.append(CptLine(code, int(units) if units.isdigit() else 1,
                           CPT_DESCRIPTIONS.get(code, "")))
    return out


def service_price(store: Store, service: str) -> float | None:
    """The self-pay price of the practice's active offering for ``service`` (the first one
    entered when there are several), or None when the practice has none."""
    with store.session() as s:
        return s.execute(select(ServiceOffering.price)
                         .where(ServiceOffering.service == service,
                                ServiceOffering.active.is_(True))  # type: ignore[attr-defined]
                         .order_by(ServiceOffering.id).limit(1)).scalar()
