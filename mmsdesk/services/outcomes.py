"""The outcomes report over a date range: what the practice did and what it achieved.

Definitions (each figure counts records whose date falls in [start, end], both included):
* visits: completed visits by service and by modality (visit date);
* problems identified: by category and by cause (identified on);
* recommendations made: those of a completed visit in the range, else sent in the range;
  counted by the prescriber's (or patient's) response;
* problems resolved: resolved on a date in the range; median days from identified to resolved;
* goals met before/after, for patients with a completed visit in the range: the latest value
  on or before their first visit in the range ("before") and the latest value after it up to
  the end ("after"); A1c < 7 %, blood pressure < 130/80 mm Hg (systolic and diastolic taken
  the same day). Targets: ADA Standards of Care in Diabetes 2025 (A1c < 7 % for many adults),
  2017 ACC/AHA high blood pressure guideline (< 130/80); reviewed 2026-11-24;
* adherence change, for patients with a completed adherence-program visit in the range: mean
  PDC per drug in the 180 days before their first such visit and from it to the end.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import func, or_, select

from mmsdesk.models import (
    DrugTherapyProblem,
    Observation,
    PharmacistProfile,
    Recommendation,
    Visit,
)
from mmsdesk.models.enums import PROBLEM_CATEGORY_LABELS, SERVICE_LABELS, ServiceType
from mmsdesk.reports.outcomes_data import (
    AdherenceChange,
    GoalAttainment,
    OutcomesReportData,
)
from mmsdesk.services import adherence
from mmsdesk.services.refills import fills_for
from mmsdesk.store import Store

ADHERENCE_BEFORE_DAYS = 180
A1C_GOAL = 7.0
BP_GOAL = (130.0, 80.0)
RESPONSE_LABELS = {"accepted": "Accepted", "modified": "Accepted with changes",
                   "declined": "Declined", "pending": "Waiting for an answer",
                   "no_answer": "No answer"}


def _counts(rows: list[tuple[str, int]]) -> dict[str, int]:
    return {k: n for k, n in sorted(rows, key=lambda r: (-r[1], r[0]))}


class OutcomesService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def report(self, start: date, end: date) -> OutcomesReportData:
        if end < start:
            raise ValueError("the end of the period is before its start")
        with self.store.session() as session:
            s = session.connection()  # Core rows: no ORM loading cost
            done = (Visit.status == "complete", Visit.visit_date >= start, Visit.visit_date <= end)
            by_service = _counts(s.execute(select(Visit.service, func.count()).where(*done)
                                           .group_by(Visit.service)).all())
            by_modality = _counts(s.execute(select(Visit.modality, func.count()).where(*done)
                                            .group_by(Visit.modality)).all())
            ident = (DrugTherapyProblem.identified_on >= start,
                     DrugTherapyProblem.identified_on <= end)
            by_category = _counts(s.execute(
                select(DrugTherapyProblem.category, func.count()).where(*ident)
                .group_by(DrugTherapyProblem.category)).all())
            by_cause = _counts([(c or "(not recorded)", n) for c, n in s.execute(
                select(DrugTherapyProblem.cause, func.count()).where(*ident)
                .group_by(DrugTherapyProblem.cause)).all()])
            made_on = func.coalesce(Visit.visit_date, Recommendation.sent_on)
            recs = _counts(s.execute(
                select(Recommendation.response, func.count())
                .outerjoin(Visit, Visit.id == Recommendation.visit_id)
                .where(or_(Visit.id.is_(None), Visit.status == "complete"),  # type: ignore[union-attr]
                       made_on >= start, made_on <= end)
                .group_by(Recommendation.response)).all())
            resolved = s.execute(
                select(DrugTherapyProblem.identified_on, DrugTherapyProblem.resolved_on)
                .where(DrugTherapyProblem.status == "resolved",
                       DrugTherapyProblem.resolved_on >= start,  # type: ignore[operator]
                       DrugTherapyProblem.resolved_on <= end)).all()  # type: ignore[operator]
            first_visit = dict(s.execute(
                select(Visit.patient_id, func.min(Visit.visit_date)).where(*done)
                .group_by(Visit.patient_id)).all())
            goals = self._goals(s, first_visit, end)
            program = dict(s.execute(
                select(Visit.patient_id, func.min(Visit.visit_date))
                .where(*done, Visit.service == ServiceType.ADHERENCE.value)
                .group_by(Visit.patient_id)).all())
        days = [(r - i).days for i, r in resolved]
        return OutcomesReportData(
            start, end, by_service, by_modality, by_category, by_cause, recs, len(resolved),
            statistics.median(days) if days else None, goals,
            self._adherence(program, end),
            {"service": dict(SERVICE_LABELS), "category": dict(PROBLEM_CATEGORY_LABELS),
             "response": dict(RESPONSE_LABELS)})

    def export(self, data: OutcomesReportData, fmt: str) -> bytes:
        """The report as "pdf" or "csv" bytes; the export is recorded in the audit trail."""
        from mmsdesk.reports import outcomes as report
        from mmsdesk.store.audit import record_event

        if fmt == "pdf":
            with self.store.session() as s:
                practice = s.execute(select(PharmacistProfile.practice_name, PharmacistProfile.name)
                                     .order_by(PharmacistProfile.id)).first()
            out = report.build_pdf(data, (practice[0] or practice[1]) if practice else "")
        elif fmt == "csv":
            out = report.to_csv(data).encode("utf-8")
        else:
            raise ValueError(f"unknown format {fmt!r}")
        with self.store.session() as s:
            record_event(s, "export", "outcomes_report",
                         detail=f"{fmt}: {data.start.isoformat()} to {data.end.isoformat()}")
        return out

    @staticmethod
    def _goals(s, first_visit: dict[int, date], end: date) -> tuple[GoalAttainment, ...]:  # type: ignore[no-untyped-def]
        if not first_visit:
            return (GoalAttainment("A1c < 7 %", 0, 0, 0), GoalAttainment("BP < 130/80", 0, 0, 0))
        series: dict[tuple[int, str], list[tuple[date, float]]] = defaultdict(list)
        rows = s.execute(
            select(Observation.patient_id, Observation.measure, Observation.taken_on,
                   Observation.value)
            .where(Observation.measure.in_(["a1c", "bp_systolic", "bp_diastolic"]),  # type: ignore[attr-defined]
                   Observation.taken_on <= end)
            .order_by(Observation.taken_on, Observation.id)).all()
        for pid, m, taken, value in rows:
            if pid in first_visit:
                series[(pid, m)].append((taken, value))
        a1c = [0, 0, 0]
        bp = [0, 0, 0]
        for pid, visit_on in first_visit.items():
            pair = _before_after(series.get((pid, "a1c"), []), visit_on)
            if pair:
                a1c[0] += 1
                a1c[1] += pair[0] < A1C_GOAL
                a1c[2] += pair[1] < A1C_GOAL
            sys_by_day = dict(series.get((pid, "bp_systolic"), []))  # latest of a day wins
            dia_by_day = dict(series.get((pid, "bp_diastolic"), []))
            both = [(d, (sys_by_day[d], dia_by_day[d])) for d in sorted(sys_by_day)
                    if d in dia_by_day]
            pair_bp = _before_after(both, visit_on)
            if pair_bp:
                bp[0] += 1
                bp[1] += _bp_ok(pair_bp[0])
                bp[2] += _bp_ok(pair_bp[1])
        return (GoalAttainment("A1c < 7 %", *a1c), GoalAttainment("BP < 130/80", *bp))

    def _adherence(self, program: dict[int, date], end: date) -> AdherenceChange:
        fills = fills_for(self.store, program) if program else {}
        before: list[float] = []
        after: list[float] = []
        for pid, visit_on in program.items():
            mine = fills.get(pid, [])
            b = _mean_pdc(mine, visit_on - timedelta(days=ADHERENCE_BEFORE_DAYS),
                          visit_on - timedelta(days=1))
            a = _mean_pdc(mine, visit_on, end)
            if b is not None and a is not None:
                before.append(b)
                after.append(a)
        return AdherenceChange(
            len(before), statistics.fmean(before) if before else None,
            statistics.fmean(after) if after else None,
            sum(1 for v in before if v >= adherence.PDC_THRESHOLD),
            sum(1 for v in after if v >= adherence.PDC_THRESHOLD))


def _before_after(values: list[tuple[date, float]], visit_on: date) -> tuple[float, float] | None:
    """(latest value on or before the visit, latest value after it), or None."""
    pre = [v for d, v in values if d <= visit_on]
    post = [v for d, v in values if d > visit_on]
    if not pre or not post:
        return None
    return pre[-1], post[-1]


def _bp_ok(value: tuple[float, float]) -> bool:
    return value[0] < BP_GOAL[0] and value[1] < BP_GOAL[1]


def _mean_pdc(fills: list[adherence.Fill], start: date, end: date) -> float | None:
    if end < start:
        return None
    results = [r.pdc for r in adherence.pdc_by_drug(fills, end, period_start=start)
               if r.pdc is not None]
    return statistics.fmean(results) if results else None


__all__ = ["OutcomesService", "OutcomesReportData", "GoalAttainment", "AdherenceChange"]


