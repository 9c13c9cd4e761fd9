"""Medicare Part D MTM targeting criteria, per plan year, and when the next CMR/TMR is due.

The thresholds per plan year live in the knowledge base (``resources/knowledge/mtm/
criteria.json``), each year with its source: 2025 from CMS's "CY 2025 Medication Therapy
Management Program Guidance and Submission Instructions" (at least 3 of the 10 core chronic
diseases, at least 8 Part D drugs, annual Part D drug cost at least $1,623); a year whose
cost was not confirmed takes the earlier year's and says so. The pharmacist can enter a
year's figures (``mtm_criteria.json`` in ``paths.config_dir()``), which then win.
Reviews (42 CFR 423.153(d)(1)(vii)): a CMR offered to a new enrollee within 60 days, then
one CMR each plan year; targeted medication reviews at least quarterly. The mapping of
conditions to the core diseases (ICD-10-CM prefixes and names) is ours.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from mmsdesk import paths
from mmsdesk.models import Condition, MedicationEntry, Patient, Visit
from mmsdesk.models.enums import ServiceType
from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.store import Store

SOURCE = ("42 CFR 423.153(d); CMS CY 2025 Medication Therapy Management Program Guidance and "
          "Submission Instructions (reviewed 2026-11-24)")
CONFIG_FILE = "mtm_criteria.json"
NEW_ENROLLEE_CMR_DAYS = 60

# The 10 core chronic diseases: (ICD-10-CM code prefixes, name patterns).
CORE_DISEASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Alzheimer's disease": (("G30",), (r"alzheimer",)),
    "Bone disease-arthritis": (("M05", "M06", "M15", "M16", "M17", "M18", "M19", "M80", "M81"),
                               (r"osteoporo", r"osteoarthrit", r"rheumatoid arthrit",
                                r"\barthritis")),
    "Chronic heart failure": (("I50", "I11.0", "I13.0", "I13.2", "I110", "I130", "I132"),
                              (r"heart failure", r"\bchf\b", r"\bhfref\b", r"\bhfpef\b")),
    "Diabetes": (("E08", "E09", "E10", "E11", "E13"), (r"diabet",)),
    "Dyslipidemia": (("E78",), (r"lipid", r"cholesterol", r"triglycerid")),
    "End-stage renal disease": (("N18.6", "N186", "Z99.2", "Z992"),
                                (r"end[- ]stage (renal|kidney)", r"\besrd\b")),
    "HIV/AIDS": (("B20", "Z21"), (r"\bhiv\b", r"\baids\b")),
    "Hypertension": (("I10", "I11", "I12", "I13", "I15", "I16"), (r"(?<!pulmonary )hypertensi",)),
    "Mental health": (("F20", "F21", "F22", "F23", "F24", "F25", "F28", "F29", "F30", "F31",
                       "F32", "F33", "F34", "F39", "F41", "F43.1", "F431"),
                      (r"depress", r"schizo", r"bipolar", r"anxiety", r"\bptsd\b",
                       r"post-?traumatic stress")),
    "Respiratory disease": (("J41", "J42", "J43", "J44", "J45", "J84"),
                            (r"asthma", r"\bcopd\b", r"chronic obstructive", r"emphysema",
                             r"chronic bronchitis", r"pulmonary fibrosis")),
}


@dataclass(frozen=True)
class MtmCriteria:
    year: int
    min_core_diseases: int = 3
    min_part_d_drugs: int = 8
    min_annual_cost: float = 1623.0
    assumed_from: int | None = None  # set when the year has no entry of its own
    source: str = ""  # where the year's figures come from (the knowledge base or the pharmacist)
    to_confirm: bool = False  # the cost is an earlier year's: the pharmacist should confirm it


COST_NOT_KNOWN = "cost not known"
KNOWLEDGE_FILE = ("mtm", "criteria.json")  # under paths.knowledge_dir()
ENTERED = "entered by the pharmacist"


def knowledge_criteria() -> dict[int, MtmCriteria]:
    """The thresholds per plan year from the knowledge base, each with its source; a year
    whose cost is not confirmed (null) takes the nearest earlier year's, marked to confirm."""
    raw = json.loads(paths.knowledge_dir().joinpath(*KNOWLEDGE_FILE).read_text(encoding="utf-8"))
    out: dict[int, MtmCriteria] = {}
    for year in sorted(int(y) for y in raw["years"]):
        row = raw["years"][str(year)]
        cost = row.get("min_annual_cost")
        earlier = out.get(max((y for y in out if y < year), default=-1))
        if cost is None and earlier is None:
            raise ValueError(f"{year}: no cost threshold and no earlier year to take it from")
        out[year] = MtmCriteria(
            year, int(row["min_core_diseases"]), int(row["min_part_d_drugs"]),
            float(cost if cost is not None else earlier.min_annual_cost),  # type: ignore[union-attr]
            assumed_from=None, source=str(row.get("source", "")),
            to_confirm=cost is None)
    return out


def config_path() -> Path:
    return paths.config_dir() / CONFIG_FILE


def load_all_criteria() -> dict[int, MtmCriteria]:
    """The knowledge base's years, with the years the pharmacist entered over them."""
    out = knowledge_criteria()
    try:
        raw = json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return out
    if not isinstance(raw, dict):
        return out
    for year_text, row in raw.items():
        try:
            year = int(year_text)
            out[year] = MtmCriteria(year, int(row["min_core_diseases"]),
                                    int(row["min_part_d_drugs"]), float(row["min_annual_cost"]),
                                    source=ENTERED)
        except (KeyError, TypeError, ValueError):
            continue  # a broken entry falls back to the default rather than stopping the app
    return out


def save_criteria(criteria: MtmCriteria) -> None:
    """Store one year's thresholds (kept with the others in the JSON file)."""
    if criteria.min_core_diseases < 1 or criteria.min_part_d_drugs < 1 or criteria.min_annual_cost < 0:
        raise ValueError("MTM thresholds must be positive numbers")
    data = {str(y): {"min_core_diseases": c.min_core_diseases,
                     "min_part_d_drugs": c.min_part_d_drugs,
                     "min_annual_cost": c.min_annual_cost}
            for y, c in load_all_criteria().items() if c.source == ENTERED}
    data[str(criteria.year)] = {"min_core_diseases": criteria.min_core_diseases,
                                "min_part_d_drugs": criteria.min_part_d_drugs,
                                "min_annual_cost": criteria.min_annual_cost}
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def criteria_for(year: int) -> MtmCriteria:
    """The year's thresholds; a year without its own entry takes the nearest earlier one
    (its cost then to be confirmed)."""
    all_ = load_all_criteria()
    if year in all_:
        c = all_[year]
        if c.to_confirm:  # in the knowledge base without a confirmed cost
            earlier = max(y for y in all_ if y < year)
            return replace(c, assumed_from=earlier)
        return c
    earlier = [y for y in all_ if y < year] or [min(all_)]
    base = all_[max(earlier)]
    return MtmCriteria(year, base.min_core_diseases, base.min_part_d_drugs,
                       base.min_annual_cost, assumed_from=base.year, source=base.source,
                       to_confirm=True)


def core_disease_of(name: str, icd10: str) -> str:
    """The core chronic disease a condition belongs to, or ""."""
    code = icd10.strip().upper()
    low = name.lower()
    for disease, (prefixes, patterns) in CORE_DISEASES.items():
        if code and any(code.startswith(p) for p in prefixes):
            return disease
        if any(re.search(p, low) for p in patterns):
            return disease
    return ""


@dataclass(frozen=True)
class ReviewsDue:
    next_cmr: date | None
    next_tmr: date | None
    new_enrollee: bool = False  # the CMR due is the new enrollee's (within 60 days)
    cmr_done_this_year: bool = False  # a CMR already done in today's plan year


def _quarter_end(day: date) -> date:
    month = ((day.month - 1) // 3) * 3 + 3
    nxt = date(day.year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def reviews_due(enrolled_on: date | None, last_cmr: date | None, last_review: date | None,
                today: date) -> ReviewsDue:
    """When the next CMR and TMR are due, by the plan year (a Part D plan year is the
    calendar year) and the enrolment date (42 CFR 423.153(d)(1)(vii); CMS MTM guidance):

    - a new enrollee is offered a CMR within 60 days of enrolment (while that offer is the
      one owed: in the enrolment's plan year, or before the 60 days are over);
    - after that, one CMR each plan year: due by December 31 when none was done this year,
      else by December 31 of the next year;
    - targeted reviews at least quarterly once the first review is done: due by the end of
      this quarter when no CMR or TMR was done in it, else by the end of the next quarter.

    ``last_cmr`` and ``last_review`` (the latest CMR or TMR) count only on or after enrolment.
    A patient not enrolled (or enrolled after ``today``) has nothing due.
    """
    if enrolled_on is None or enrolled_on > today:
        return ReviewsDue(None, None)
    cmr_since = last_cmr if last_cmr is not None and last_cmr >= enrolled_on else None
    review = last_review if last_review is not None and last_review >= enrolled_on else None
    offer_by = enrolled_on + timedelta(days=NEW_ENROLLEE_CMR_DAYS)
    done_this_year = cmr_since is not None and cmr_since.year == today.year
    if cmr_since is None and (today.year == enrolled_on.year or today <= offer_by):
        cmr, new = offer_by, True
    elif done_this_year:
        cmr, new = date(today.year + 1, 12, 31), False
    else:
        cmr, new = date(today.year, 12, 31), False
    tmr = None
    if review is not None:
        this_quarter = _quarter_end(today)
        tmr = (_quarter_end(this_quarter + timedelta(days=1))
               if _quarter_end(review) == this_quarter else this_quarter)
    return ReviewsDue(cmr, tmr, new, done_this_year)


@dataclass(frozen=True)
class Eligibility:
    criteria: MtmCriteria
    core_diseases: tuple[str, ...]
    part_d_drugs: int
    annual_cost: float
    drugs_without_cost: int
    reviews: ReviewsDue
    reasons: tuple[str, ...] = field(default=())

    @property
    def meets_diseases(self) -> bool:
        return len(self.core_diseases) >= self.criteria.min_core_diseases

    @property
    def meets_drugs(self) -> bool:
        return self.part_d_drugs >= self.criteria.min_part_d_drugs

    @property
    def meets_cost(self) -> bool:
        return self.annual_cost >= self.criteria.min_annual_cost

    @property
    def cost_known(self) -> bool:
        """Every Part D drug has a cost entered, or those entered already reach the threshold."""
        return self.drugs_without_cost == 0 or self.meets_cost

    @property
    def eligible(self) -> bool:
        return self.meets_diseases and self.meets_drugs and self.meets_cost

    @property
    def verdict(self) -> str:
        """"meets", "does not meet", or "cost not known" (diseases and drugs met, the cost
        short only because some drugs have no cost entered)."""
        if self.eligible:
            return "meets"
        if self.meets_diseases and self.meets_drugs and not self.cost_known:
            return COST_NOT_KNOWN
        return "does not meet"


def assess(criteria: MtmCriteria, conditions: list[tuple[str, str]],
           drug_costs: list[float | None], reviews: ReviewsDue) -> Eligibility:
    """Pure: conditions as (name, ICD-10-CM), one cost (or None) per active Part D drug."""
    diseases = tuple(sorted({d for d in (core_disease_of(n, c) for n, c in conditions) if d}))
    cost = sum(c for c in drug_costs if c is not None)
    unknown = sum(1 for c in drug_costs if c is None)
    reasons = [
        f"{len(diseases)} of {criteria.min_core_diseases} core chronic diseases needed",
        f"{len(drug_costs)} of {criteria.min_part_d_drugs} Part D drugs needed",
        f"estimated annual cost ${cost:,.0f} of ${criteria.min_annual_cost:,.0f} needed"
        + (f" ({unknown} drugs without a cost)" if unknown else ""),
    ]
    if criteria.assumed_from is not None:
        reasons.append(f"no thresholds confirmed for {criteria.year}; "
                       f"using {criteria.assumed_from}'s")
    return Eligibility(criteria, diseases, len(drug_costs), cost, unknown, reviews, tuple(reasons))


def patient_eligibility(store: Store, patient_id: int, today: date,
                        year: int | None = None) -> Eligibility:
    with store.session() as s:
        patient = s.get(Patient, patient_id)
        if patient is None:
            raise LookupError(f"patient {patient_id} not found")
        conditions = [(c.name, c.icd10_code) for c in s.execute(
            select(Condition).where(Condition.patient_id == patient_id,
                                    Condition.status == "active")).scalars()]
        costs = [m.annual_cost for m in s.execute(
            select(MedicationEntry).where(MedicationEntry.patient_id == patient_id,
                                          MedicationEntry.status == "active",
                                          MedicationEntry.part_d.is_(True))).scalars()]  # type: ignore[attr-defined]
        visits = s.execute(select(Visit.service, Visit.visit_date).where(
            Visit.patient_id == patient_id, Visit.status == "complete",
            Visit.service.in_([ServiceType.CMR.value, ServiceType.TMR.value]))).all()  # type: ignore[attr-defined]
        enrolled = patient.mtm_enrolled_on
    cmrs = [d for svc, d in visits if svc == ServiceType.CMR.value]
    reviews = reviews_due(enrolled, max(cmrs, default=None),
                          max((d for _, d in visits), default=None), today)
    return assess(criteria_for(year or today.year), conditions, costs, reviews)


@dataclass(frozen=True)
class PartDCost:
    medication_id: int
    name: str
    annual_cost: float | None


def part_d_costs(store: Store, patient_id: int) -> list[PartDCost]:
    """The active Part D medicines with their estimated annual cost (None: not entered)."""
    with store.session() as s:
        meds = s.execute(select(MedicationEntry).where(
            MedicationEntry.patient_id == patient_id, MedicationEntry.status == "active",
            MedicationEntry.part_d.is_(True)).order_by(MedicationEntry.id)).scalars().all()  # type: ignore[attr-defined]
        return [PartDCost(m.id, m.name(), m.annual_cost) for m in meds]  # type: ignore[arg-type]


def set_annual_costs(store: Store, patient_id: int,
                     costs: dict[int, float | None]) -> ChangeSet:
    """Enter the estimated annual cost of the patient's Part D medicines (None clears one)."""
    for cost in costs.values():
        if cost is not None and not 0 <= cost < 10_000_000:
            raise ValueError("An annual cost is a dollar amount from 0.")
    with store.session() as s:
        for med_id, cost in costs.items():
            m = s.get(MedicationEntry, med_id)
            if m is None or m.patient_id != patient_id:
                raise LookupError(f"no medicine {med_id} for this patient")
            if m.annual_cost != cost:
                m.annual_cost = cost
    return ChangeSet.of(changes.MEDICATIONS, patient_id=patient_id)
