"""What the chart header (and the top of every visit step) shows: who the patient is, weight
and kidney function with their dates, the allergy state and the open problems.

Allergies have three states: listed; "no known allergies" (the pharmacist asked and recorded
it: an Allergy row whose substance_code is ``NKA_CODE``, as FHIR records "no known allergy"
with an AllergyIntolerance, so no schema change); "allergies not asked" (nothing recorded).
A real allergy recorded later wins over the statement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from mmsdesk.clinical.screening.kidney import kidney
from mmsdesk.models import Allergy, DrugTherapyProblem, Observation, Patient
from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.patient_holds import held_text
from mmsdesk.services.screening import INACTIVE, age_on, context_for_patient
from mmsdesk.store import Store

NKA_CODE = "nka"  # Allergy.substance_code of the "no known allergies" statement
NKA_TEXT = "No known allergies"
NKA_WORDS = frozenset({"no known allergies", "no known allergy", "nka", "nkda",
                       "no known drug allergies", "no known drug allergy"})
LISTED, NKA, NOT_ASKED = "listed", "nka", "not_asked"
SEX_WORDS = {"male": "male", "female": "female", "other": "other", "unknown": "sex not recorded"}


def _d(day: date | None) -> str:
    return day.strftime("%m/%d/%Y") if day else "date unknown"


@dataclass(frozen=True)
class ChartHeader:
    patient_id: int
    name: str
    age: int | None
    sex: str  # words: "female", "sex not recorded"
    weight: str  # "61 kg (10/02/2026)" or "no weight on file"
    kidney: str  # "eGFR 45 (10/02/2026) · CrCl 38 mL/min (creatinine 10/02/2026)" or why none
    kidney_known: bool  # False: nothing usable (missing or stale): shown as a warning
    allergy_state: str  # LISTED | NKA | NOT_ASKED
    allergies: tuple[str, ...]  # "penicillin (hives)", one per active allergy
    open_problems: int
    high_priority_problems: int
    deceased_on: date | None
    # team mode: "Held by NAME until TIME UTC (taken along to DEVICE)" while a colleague has
    # taken the chart along (services/take_along.py); "" otherwise
    held: str = ""

    @property
    def allergy_text(self) -> str:
        if self.allergy_state == LISTED:
            return "Allergies: " + "; ".join(self.allergies)
        return NKA_TEXT if self.allergy_state == NKA else "Allergies not asked"


def _kidney_text(ctx) -> tuple[str, bool]:  # type: ignore[no-untyped-def]
    k = kidney(ctx)
    parts = []
    if k.egfr.value is not None:
        parts.append(f"eGFR {k.egfr.value:g} ({_d(ctx.lab_date('egfr'))})")
    if k.crcl.value is not None:
        parts.append(f"CrCl {k.crcl.value:g} mL/min (creatinine {_d(ctx.lab_date('creatinine'))})")
    if parts:
        return " · ".join(parts), True
    stale = [m.line for m in (k.egfr, k.crcl) if "stale" in m.line]
    return ("Kidney function: " + (stale[0] if stale else "none on file")), False


def chart_header(store: Store, patient_id: int, today: date) -> ChartHeader:
    with store.session() as s:
        p = s.get(Patient, patient_id)
        if p is None:
            raise LookupError(f"no patient with id {patient_id}")
        name = " ".join(x for x in (p.first_name, p.middle_name, p.last_name) if x)
        if p.preferred_name:
            name += f" “{p.preferred_name}”"
        ctx = context_for_patient(s, patient_id, today)
        weight = s.execute(select(Observation.value, Observation.unit, Observation.taken_on)
                           .where(Observation.patient_id == patient_id,
                                  Observation.measure == "weight")
                           .order_by(Observation.taken_on.desc()).limit(1)).first()  # type: ignore[attr-defined]
        rows = s.execute(select(Allergy.substance, Allergy.reaction, Allergy.substance_code)
                         .where(Allergy.patient_id == patient_id,
                                Allergy.status.not_in(INACTIVE))  # type: ignore[attr-defined]
                         .order_by(Allergy.id)).all()
        is_open = (DrugTherapyProblem.patient_id == patient_id,
                   DrugTherapyProblem.status == "open")
        n_open, n_high = s.execute(select(func.count(), func.count().filter(
            DrugTherapyProblem.priority == "high")).where(*is_open)).one()
        died = p.deceased_date
        born, sex = p.date_of_birth, p.sex
        held = held_text(s, patient_id)
    real = tuple(f"{sub} ({reaction})" if reaction else sub
                 for sub, reaction, code in rows if not is_no_known_allergies(sub, code))
    state = LISTED if real else NKA if rows else NOT_ASKED
    kidney_line, known = _kidney_text(ctx)
    weight_line = (f"{weight[0]:g} {weight[1] or 'kg'} ({_d(weight[2])})" if weight
                   else "no weight on file")
    return ChartHeader(patient_id, name, age_on(born, min(today, died or today)),
                       SEX_WORDS.get(sex, sex), weight_line, kidney_line, known, state, real,
                       int(n_open), int(n_high or 0), died, held)


def is_no_known_allergies(substance: str, code: str) -> bool:
    """The statement, recorded here or imported as text ("NKDA", "No known drug allergies")."""
    return code == NKA_CODE or " ".join(substance.lower().split()) in NKA_WORDS


def record_no_known_allergies(store: Store, patient_id: int, today: date) -> ChangeSet:
    """The pharmacist asked: the patient has no known allergies. Refused when one is listed."""
    with store.session() as s:
        active = s.execute(select(Allergy.substance, Allergy.substance_code).where(
            Allergy.patient_id == patient_id,
            Allergy.status.not_in(INACTIVE))).all()  # type: ignore[attr-defined]
        if any(not is_no_known_allergies(sub, code) for sub, code in active):
            raise ValueError("Allergies are listed for this patient: remove them first.")
        if not active:
            s.add(Allergy(patient_id=patient_id, substance=NKA_TEXT, substance_code=NKA_CODE,
                          recorded_date=today, verified=True))
    return ChangeSet.of(changes.ALLERGIES, patient_id=patient_id)
