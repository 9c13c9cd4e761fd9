"""A generated practice (200 patients, 1,000 visits, 3,000 problems): every dashboard count
and outcomes figure checked against direct SQL."""

from __future__ import annotations

import statistics
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from mmsdesk.bench.practice import PracticeSize, generate_practice
from mmsdesk.services.dashboard import REVIEW_HORIZON_DAYS, DashboardService
from mmsdesk.services.eligibility import reviews_due
from mmsdesk.services.outcomes import OutcomesService
from mmsdesk.store import Store
from tests.conftest import TODAY

START = TODAY - timedelta(days=364)


@pytest.fixture(scope="module")
def practice(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("practice") / "mmsdesk.sqlite3")
    generate_practice(store, PracticeSize(200, 1000, 3000), TODAY)
    yield store
    store.close()


def sql(store, query: str, **params):
    with store.session() as s:
        return s.execute(text(query), {"today": TODAY, "start": START, "end": TODAY, **params}).all()


def one(store, query: str, **params):
    return sql(store, query, **params)[0][0]


def test_the_practice_has_the_asked_size(practice):
    assert one(practice, "SELECT count(*) FROM patient") == 200
    assert one(practice, "SELECT count(*) FROM visit") == 1000
    assert one(practice, "SELECT count(*) FROM drug_therapy_problem") == 3000


def test_dashboard_counts_match_sql(practice):
    d = DashboardService(practice).load(TODAY, limit=100_000)
    fu = """SELECT f.id, f.patient_id, f.visit_id, julianday(:today) - julianday(f.due_on)
            FROM follow_up f JOIN patient p ON p.id = f.patient_id
            WHERE f.done = 0 AND f.due_on <= :today AND p.deceased_date IS NULL"""
    rows = sql(practice, fu)
    assert len(rows) > 20
    assert {(r.follow_up_id, r.patient_id, r.visit_id, r.days_overdue) for r in d.follow_ups} == \
        {(i, p, v, int(days)) for i, p, v, days in rows}
    assert d.overdue_follow_ups == sum(1 for r in rows if r[3] > 0)
    assert d.due_today == sum(1 for r in rows if r[3] == 0)
    assert d.totals.follow_ups == len(rows)

    probs = sql(practice, """SELECT patient_id, count(*), sum(priority = 'high'),
                               max(julianday(:today) - julianday(identified_on))
                             FROM drug_therapy_problem WHERE status = 'open' GROUP BY patient_id""")
    assert len(probs) > 50
    assert {(r.patient_id, r.open_count, r.high_priority, r.oldest_age_days)
            for r in d.open_problems} == {(p, n, h, int(a)) for p, n, h, a in probs}
    assert d.open_problem_count == one(
        practice, "SELECT count(*) FROM drug_therapy_problem WHERE status = 'open'")
    assert d.totals.patients_with_open_problems == len(probs)
    ages = [r.oldest_age_days for r in d.open_problems]
    assert ages == sorted(ages, reverse=True)

    recs = sql(practice, """SELECT id, julianday(:today) - julianday(sent_on) FROM recommendation
                            WHERE recipient = 'prescriber' AND response = 'pending'
                            AND sent_on IS NOT NULL""")
    assert len(recs) > 10
    assert {(r.recommendation_id, r.days_waiting) for r in d.pending_recommendations} == \
        {(i, int(w)) for i, w in recs}
    assert d.totals.pending_recommendations == len(recs)

    drafts = sql(practice, "SELECT id, patient_id, current_step FROM visit WHERE status = 'draft'")
    assert {(r.visit_id, r.patient_id, r.step) for r in d.drafts} == set(map(tuple, drafts))
    assert d.totals.drafts == len(drafts)

    last = sql(practice, """
        WITH last AS (
          SELECT p.id AS pid, p.mtm_enrolled_on AS enrolled,
            (SELECT max(visit_date) FROM visit v WHERE v.patient_id = p.id AND v.status = 'complete'
               AND v.service = 'cmr' AND v.visit_date >= p.mtm_enrolled_on) AS cmr,
            (SELECT max(visit_date) FROM visit v WHERE v.patient_id = p.id AND v.status = 'complete'
               AND v.service IN ('cmr', 'tmr') AND v.visit_date >= p.mtm_enrolled_on) AS review
          FROM patient p WHERE p.mtm_enrolled_on IS NOT NULL AND p.deceased_date IS NULL)
        SELECT pid, enrolled, cmr, review FROM last""")
    horizon = TODAY + timedelta(days=REVIEW_HORIZON_DAYS)
    due = []
    for pid, enrolled, cmr, review in last:  # the plan-year rule (tested on its own table)
        r = reviews_due(*(date.fromisoformat(x) if x else None for x in (enrolled, cmr, review)),
                        TODAY)
        due += [(pid, kind, d.isoformat()) for kind, d in (("cmr", r.next_cmr),
                                                             ("tmr", r.next_tmr))
                if d is not None and d <= horizon]
    assert len(due) > 10
    assert {(r.patient_id, r.kind, r.due_on) for r in d.reviews_due} == \
        {(p, k, date.fromisoformat(x)) for p, k, x in due}
    assert d.totals.reviews_due == len(due)


def test_dashboard_lists_keep_the_most_urgent_rows_and_full_counts(practice):
    full = DashboardService(practice).load(TODAY, limit=100_000)
    short = DashboardService(practice).load(TODAY, limit=10)
    assert short.totals == full.totals
    assert short.follow_ups == full.follow_ups[:10]
    assert [r.due_on for r in short.follow_ups] == sorted(r.due_on for r in short.follow_ups)
    most_overdue = one(practice, """SELECT min(f.due_on) FROM follow_up f JOIN patient p
                                    ON p.id = f.patient_id WHERE f.done = 0
                                    AND p.deceased_date IS NULL""")
    assert short.follow_ups[0].due_on.isoformat() == most_overdue
    assert short.open_problems == full.open_problems[:10]
    assert short.pending_recommendations == full.pending_recommendations[:10]
    assert short.reviews_due == full.reviews_due[:10]
    assert short.drafts == full.drafts[:10]
    assert all(len(rows) == 10 for rows in (short.follow_ups, short.open_problems,
                                            short.pending_recommendations, short.drafts))


def test_outcomes_figures_match_sql(practice):
    r = OutcomesService(practice).report(START, TODAY)
    done = "status = 'complete' AND visit_date BETWEEN :start AND :end"
    assert r.visits_by_service == dict(sql(practice, f"SELECT service, count(*) FROM visit WHERE {done} GROUP BY service"))
    assert r.visits_by_modality == dict(sql(practice, f"SELECT modality, count(*) FROM visit WHERE {done} GROUP BY modality"))
    ident = "identified_on BETWEEN :start AND :end"
    assert r.problems_by_category == dict(sql(
        practice, f"SELECT category, count(*) FROM drug_therapy_problem WHERE {ident} GROUP BY category"))
    assert r.problems_by_cause == dict(sql(practice, f"""
        SELECT CASE cause WHEN '' THEN '(not recorded)' ELSE cause END, count(*)
        FROM drug_therapy_problem WHERE {ident} GROUP BY cause"""))
    assert r.recommendations == dict(sql(practice, """
        SELECT r.response, count(*) FROM recommendation r LEFT JOIN visit v ON v.id = r.visit_id
        WHERE (v.id IS NULL OR v.status = 'complete')
          AND coalesce(v.visit_date, r.sent_on) BETWEEN :start AND :end GROUP BY r.response"""))
    assert set(r.recommendations) >= {"accepted", "modified", "declined"}
    res = "status = 'resolved' AND resolved_on BETWEEN :start AND :end"
    n = one(practice, f"SELECT count(*) FROM drug_therapy_problem WHERE {res}")
    assert r.problems_resolved == n > 100
    med = one(practice, f"""
        SELECT avg(d) FROM (SELECT julianday(resolved_on) - julianday(identified_on) AS d
        FROM drug_therapy_problem WHERE {res} ORDER BY d LIMIT 2 - (:n % 2) OFFSET (:n - 1) / 2)""", n=n)
    assert r.median_days_to_resolution == pytest.approx(med)

    latest = """
      WITH fv AS (SELECT patient_id, min(visit_date) AS d FROM visit WHERE {done} GROUP BY patient_id),
      pre AS (SELECT o.patient_id, o.value, row_number() OVER (PARTITION BY o.patient_id
                ORDER BY o.taken_on DESC, o.id DESC) AS rn
              FROM observation o JOIN fv ON fv.patient_id = o.patient_id
              WHERE o.measure = 'a1c' AND o.taken_on <= fv.d),
      post AS (SELECT o.patient_id, o.value, row_number() OVER (PARTITION BY o.patient_id
                ORDER BY o.taken_on DESC, o.id DESC) AS rn
              FROM observation o JOIN fv ON fv.patient_id = o.patient_id
              WHERE o.measure = 'a1c' AND o.taken_on > fv.d AND o.taken_on <= :end)
      SELECT count(*), sum(pre.value < 7), sum(post.value < 7)
      FROM pre JOIN post ON pre.patient_id = post.patient_id WHERE pre.rn = 1 AND post.rn = 1"""
    a1c = r.goals[0]
    assert (a1c.patients, a1c.met_before, a1c.met_after) == tuple(sql(practice, latest.format(done=done))[0])
    assert a1c.patients > 20

    bp_sql = """
      WITH fv AS (SELECT patient_id, min(visit_date) AS d FROM visit WHERE {done} GROUP BY patient_id),
      bp AS (SELECT s.patient_id, s.taken_on, s.value AS sys, d.value AS dia
             FROM observation s JOIN observation d ON d.patient_id = s.patient_id
               AND d.taken_on = s.taken_on AND d.measure = 'bp_diastolic'
             WHERE s.measure = 'bp_systolic'),
      pre AS (SELECT bp.*, row_number() OVER (PARTITION BY bp.patient_id ORDER BY bp.taken_on DESC) rn
              FROM bp JOIN fv ON fv.patient_id = bp.patient_id WHERE bp.taken_on <= fv.d),
      post AS (SELECT bp.*, row_number() OVER (PARTITION BY bp.patient_id ORDER BY bp.taken_on DESC) rn
              FROM bp JOIN fv ON fv.patient_id = bp.patient_id
              WHERE bp.taken_on > fv.d AND bp.taken_on <= :end)
      SELECT count(*), sum(pre.sys < 130 AND pre.dia < 80), sum(post.sys < 130 AND post.dia < 80)
      FROM pre JOIN post ON pre.patient_id = post.patient_id WHERE pre.rn = 1 AND post.rn = 1"""
    bp = r.goals[1]
    assert (bp.patients, bp.met_before, bp.met_after) == tuple(sql(practice, bp_sql.format(done=done))[0])


def _naive_pdc(fills: list[tuple[str, date, int]], start: date, end: date) -> float | None:
    """Day-by-day PDC per drug (overlaps pushed forward), averaged: an independent oracle."""
    pdcs = []
    for drug in sorted({f[0] for f in fills}):
        mine = sorted((d, n) for g, d, n in fills if g == drug and start <= d <= end)
        if not mine:
            continue
        covered: set[date] = set()
        cursor = mine[0][0]
        for filled, n in mine:
            cursor = max(cursor, filled)
            for _ in range(n):
                covered.add(cursor)
                cursor += timedelta(days=1)
        days = (end - mine[0][0]).days + 1
        pdcs.append(sum(1 for d in covered if d <= end) / days)
    return statistics.fmean(pdcs) if pdcs else None


def test_adherence_change_matches_sql_and_a_naive_count(practice):
    r = OutcomesService(practice).report(START, TODAY)
    program = sql(practice, """SELECT patient_id, min(visit_date) FROM visit
                               WHERE status = 'complete' AND service = 'adherence'
                               AND visit_date BETWEEN :start AND :end GROUP BY patient_id""")
    before, after = [], []
    for pid, first in program:
        first = date.fromisoformat(first) if isinstance(first, str) else first
        fills = [(g, date.fromisoformat(d) if isinstance(d, str) else d, n) for g, d, n in sql(
            practice, "SELECT ingredients, fill_date, days_supply FROM fill_record WHERE patient_id = :p",
            p=pid)]
        b = _naive_pdc(fills, first - timedelta(days=180), first - timedelta(days=1))
        a = _naive_pdc(fills, first, TODAY)
        if b is not None and a is not None:
            before.append(b)
            after.append(a)
    assert r.adherence.patients == len(before) > 3
    assert r.adherence.mean_pdc_before == pytest.approx(statistics.fmean(before))
    assert r.adherence.mean_pdc_after == pytest.approx(statistics.fmean(after))
    assert r.adherence.at_goal_after == sum(1 for v in after if v >= 0.8)
