"""Adherence from refill history: proportion of days covered (PDC), PQA method.

Method (Pharmacy Quality Alliance, "Proportion of Days Covered" adherence measures, as used
for the CMS Part D star ratings; reviewed 2026-11-24):

* The measurement period runs from the first fill in the window (the index prescription start
  date) to the end of the window. Fills dated before the window are not counted.
* Fills of the *same drug* (same ingredients) that overlap are shifted forward: the later fill
  starts the day after the earlier supply runs out.
* For a *class*, a day is covered when any drug of the class covers it; fills of different
  drugs are not shifted (a switch within the class is not double counted).
* Supply that runs past the end of the period is cut at the end.
* Optional hospital (inpatient or skilled nursing) days are taken out of the period, and
  supply is not used up during them (the supply on hand is carried past the stay).
* PQA only scores a patient with at least two fills on different dates, the first at least
  91 days before the end of the period; other results still get a PDC here, marked
  ``measurable=False``.
* For a class, fills are "the same drug" when they share the class's target ingredient, so
  lisinopril followed by lisinopril/hydrochlorothiazide is shifted like a refill.
* PDC below 80 % is flagged. Gaps of uncovered days longer than a threshold are listed.

Pure functions over dataclasses: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

PDC_THRESHOLD = 0.80
DEFAULT_GAP_DAYS = 30
MIN_PERIOD_DAYS = 91  # PQA: index date at least 91 days before the end of the period
SOURCE = "PQA Proportion of Days Covered method (PDC-DR, PDC-RASA, PDC-STA), reviewed 2026-11-24"


@dataclass(frozen=True)
class Fill:
    drug: str  # a key for "the same drug": ingredients ";"-joined, or the text as given
    fill_date: date
    days_supply: int
    label: str = ""  # what to show


@dataclass(frozen=True)
class Gap:
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class Segment:
    """A stretch of supply on the timeline (after shifting), for drawing."""

    drug: str
    start: date
    end: date  # inclusive


@dataclass(frozen=True)
class PdcResult:
    key: str  # drug key or class name
    label: str
    period_start: date | None
    period_end: date
    days_in_period: int
    days_covered: int
    fills: int
    measurable: bool  # PQA: two fills on different dates, the first >= 91 days before the end
    gaps: tuple[Gap, ...] = ()
    segments: tuple[Segment, ...] = ()
    drugs: tuple[str, ...] = field(default=())

    @property
    def pdc(self) -> float | None:
        if self.days_in_period <= 0:
            return None
        return self.days_covered / self.days_in_period

    @property
    def below_threshold(self) -> bool:
        p = self.pdc
        return p is not None and p < PDC_THRESHOLD


def _hospital_days(stays: Iterable[tuple[date, date]]) -> set[date]:
    days: set[date] = set()
    for start, end in stays:
        d = start
        while d <= end:
            days.add(d)
            d += timedelta(days=1)
    return days


def shifted_segments(fills: Sequence[Fill], period_end: date,
                     hospital: set[date] | None = None) -> list[Segment]:
    """Supply segments of ONE drug, overlaps shifted forward, hospital days skipped.

    A segment covers the days on which the patient had that drug at home to take; it is cut
    at ``period_end``.
    """
    hospital = hospital or set()
    segments: list[Segment] = []
    next_free: date | None = None
    for f in sorted(fills, key=lambda f: f.fill_date):
        if f.days_supply <= 0:
            continue
        start = f.fill_date if next_free is None or f.fill_date >= next_free else next_free
        if not hospital:  # no stays: the supply is one stretch of days
            next_free = start + timedelta(days=f.days_supply)
            if start <= period_end:
                segments.append(Segment(f.drug, start, min(period_end, next_free - timedelta(days=1))))
            continue
        remaining = f.days_supply
        d = start
        seg_start: date | None = None
        while remaining > 0 and d <= period_end:
            if d in hospital:
                if seg_start is not None:
                    segments.append(Segment(f.drug, seg_start, d - timedelta(days=1)))
                    seg_start = None
            else:
                if seg_start is None:
                    seg_start = d
                remaining -= 1
            d += timedelta(days=1)
        if seg_start is not None:
            segments.append(Segment(f.drug, seg_start, d - timedelta(days=1)))
        next_free = d + timedelta(days=remaining)  # the day after this supply runs out
    return segments


def compute_pdc(fills: Sequence[Fill], period_end: date, *, key: str = "", label: str = "",
                period_start: date | None = None,
                hospital_stays: Iterable[tuple[date, date]] = (),
                gap_days: int = DEFAULT_GAP_DAYS) -> PdcResult:
    """PDC over ``fills`` (one drug, or several drugs of one class).

    Fills of the same ``drug`` key are shifted when they overlap; different drugs are merged
    day by day. ``period_start`` limits which fills count (fills before it are ignored).
    """
    inside = [f for f in fills if f.fill_date <= period_end
              and (period_start is None or f.fill_date >= period_start) and f.days_supply > 0]
    drugs = tuple(sorted({f.drug for f in inside}))
    if not inside:
        return PdcResult(key, label or key, None, period_end, 0, 0, 0, False, drugs=drugs)
    hospital = _hospital_days(hospital_stays)
    first = min(f.fill_date for f in inside)
    segments: list[Segment] = []
    for drug in drugs:
        segments += shifted_segments([f for f in inside if f.drug == drug], period_end, hospital)
    if hospital:
        days_in_period, days_covered, gaps = _count_by_day(segments, first, period_end,
                                                           hospital, gap_days)
    else:
        days_in_period, days_covered, gaps = _count_by_interval(segments, first, period_end,
                                                                gap_days)
    measurable = (len({f.fill_date for f in inside}) >= 2
                  and (period_end - first).days + 1 >= MIN_PERIOD_DAYS)
    return PdcResult(key, label or key, first, period_end, days_in_period, days_covered,
                     len(inside), measurable, tuple(gaps),
                     tuple(sorted(segments, key=lambda s: (s.drug, s.start))), drugs)


def _count_by_interval(segments: list[Segment], first: date, end: date,
                       gap_days: int) -> tuple[int, int, list[Gap]]:
    """(days in period, days covered, long gaps) by merging intervals: no stays to skip."""
    merged: list[list[date]] = []
    for seg in sorted(segments, key=lambda g: g.start):
        lo, hi = max(seg.start, first), min(seg.end, end)
        if lo > hi:
            continue
        if merged and lo <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    covered = sum((hi - lo).days + 1 for lo, hi in merged)
    gaps: list[Gap] = []
    cursor = first
    for lo, hi in merged + [[end + timedelta(days=1), end]]:
        if lo > cursor:
            gap = Gap(cursor, lo - timedelta(days=1))
            if gap.days > gap_days:
                gaps.append(gap)
        cursor = max(cursor, hi + timedelta(days=1))
    return (end - first).days + 1, covered, gaps


def _count_by_day(segments: list[Segment], first: date, end: date, hospital: set[date],
                  gap_days: int) -> tuple[int, int, list[Gap]]:
    """The same count day by day, leaving hospital days out of the period."""
    covered: set[date] = set()
    for seg in segments:
        d = seg.start
        while d <= seg.end:
            covered.add(d)
            d += timedelta(days=1)
    counted = [first + timedelta(days=i) for i in range((end - first).days + 1)]
    counted = [d for d in counted if d not in hospital]
    gaps: list[Gap] = []
    run: list[date] = []
    for d in counted + [None]:  # type: ignore[list-item]
        if d is not None and d not in covered:
            run.append(d)
            continue
        if run and Gap(run[0], run[-1]).days > gap_days:
            gaps.append(Gap(run[0], run[-1]))
        run = []
    return len(counted), sum(1 for d in counted if d in covered), gaps


ClassOf = Callable[[str], str]


def pdc_by_drug(fills: Sequence[Fill], period_end: date, **kw: object) -> list[PdcResult]:
    out = []
    for drug in sorted({f.drug for f in fills}):
        mine = [f for f in fills if f.drug == drug]
        label = next((f.label for f in mine if f.label), drug)
        out.append(compute_pdc(mine, period_end, key=drug, label=label, **kw))  # type: ignore[arg-type]
    return out


def pdc_by_class(fills: Sequence[Fill], period_end: date, class_of: ClassOf,
                 **kw: object) -> list[PdcResult]:
    """PDC per therapeutic class; drugs with no known class are left out.

    Within a PQA class, a fill's "drug" becomes its target ingredient(s) of that class, so a
    combination product and its single-ingredient partner are shifted as one drug.
    """
    groups: dict[str, list[Fill]] = {}
    for f in fills:
        cls = class_of(f.drug)
        if cls:
            target = class_target(f.drug, cls) or f.drug
            groups.setdefault(cls, []).append(Fill(target, f.fill_date, f.days_supply, f.label))
    return [compute_pdc(groups[c], period_end, key=c, label=c, **kw)  # type: ignore[arg-type]
            for c in sorted(groups)]


# The three PQA adherence-measure classes (Part D star ratings), by ingredient.
# Source: PQA adherence measure specifications and medication value sets (PDC-DR, PDC-RASA,
# PDC-STA); ingredient lists written here from the public measure descriptions, reviewed
# 2026-11-24. Other drugs take the drug dictionary's plain class when it is available.
PQA_CLASSES: dict[str, frozenset[str]] = {
    "Diabetes medicines (non-insulin)": frozenset({
        "metformin", "glipizide", "glyburide", "glimepiride", "pioglitazone", "rosiglitazone",
        "sitagliptin", "saxagliptin", "linagliptin", "alogliptin", "liraglutide",
        "dulaglutide", "exenatide", "semaglutide", "lixisenatide", "tirzepatide",
        "repaglinide", "nateglinide", "canagliflozin", "dapagliflozin", "empagliflozin",
        "ertugliflozin", "bexagliflozin"}),
    "RAS antagonists": frozenset({
        "benazepril", "captopril", "enalapril", "fosinopril", "lisinopril", "moexipril",
        "perindopril", "quinapril", "ramipril", "trandolapril", "azilsartan", "candesartan",
        "eprosartan", "irbesartan", "losartan", "olmesartan", "telmisartan", "valsartan",
        "aliskiren"}),
    "Statins": frozenset({
        "atorvastatin", "fluvastatin", "lovastatin", "pitavastatin", "pravastatin",
        "rosuvastatin", "simvastatin"}),
}


def pqa_class(drug_key: str) -> str:
    """The PQA measure class of a drug key (ingredients ";"-joined), or ""."""
    ingredients = {i.strip() for i in drug_key.lower().replace("/", ";").split(";")}
    for name, members in PQA_CLASSES.items():
        if ingredients & members:
            return name
    return ""


def class_target(drug_key: str, class_name: str) -> str:
    """The ingredients of ``drug_key`` that belong to PQA class ``class_name`` (";"-joined)."""
    members = PQA_CLASSES.get(class_name)
    if not members:
        return ""
    ingredients = {i.strip() for i in drug_key.lower().replace("/", ";").split(";")}
    return ";".join(sorted(ingredients & members))
