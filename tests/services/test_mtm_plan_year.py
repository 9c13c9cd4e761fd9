"""Plan-year MTM (#20 item 5): CMR and TMR due dates by the plan year and the enrolment date;
'cost not known' when costs are missing; thresholds per year in the knowledge base with their
source."""

from __future__ import annotations

from datetime import date

import pytest

from mmsdesk.services import eligibility as el

D = date
# enrolled, last CMR, last CMR or TMR, today -> next CMR, new enrollee, next TMR
ROWS = [
    # new enrollee: the CMR offer within 60 days of enrolment; no TMR before a first review
    ("new enrollee", D(2026, 3, 1), None, None, D(2026, 3, 20),
     D(2026, 4, 30), True, None),
    ("new enrollee, offer missed (same plan year): overdue", D(2026, 3, 1), None, None,
     D(2026, 11, 24), D(2026, 4, 30), True, None),
    ("new enrollee whose 60 days cross the year", D(2026, 12, 15), None, None, D(2027, 1, 10),
     D(2027, 2, 13), True, None),
    # the case: enrolled years ago, never a CMR: this plan year's, not 'new enrollee'
    ("enrolled years ago, no CMR", D(2022, 1, 1), None, None, D(2026, 11, 24),
     D(2026, 12, 31), False, None),
    ("a CMR before enrolment does not count", D(2026, 3, 1), D(2026, 1, 5), D(2026, 1, 5),
     D(2026, 3, 10), D(2026, 4, 30), True, None),
    # annual: one CMR each plan year
    ("CMR done this plan year", D(2024, 5, 1), D(2026, 2, 10), D(2026, 2, 10), D(2026, 3, 1),
     D(2027, 12, 31), False, D(2026, 6, 30)),
    ("CMR done last plan year", D(2024, 5, 1), D(2025, 11, 20), D(2025, 11, 20),
     D(2026, 2, 1), D(2026, 12, 31), False, D(2026, 3, 31)),
    # quarterly TMR: by the end of this quarter unless a review was done in it
    ("TMR done this quarter", D(2024, 5, 1), D(2026, 2, 10), D(2026, 8, 3), D(2026, 9, 1),
     D(2027, 12, 31), False, D(2026, 12, 31)),
    ("TMR not yet this quarter", D(2024, 5, 1), D(2026, 2, 10), D(2026, 5, 3), D(2026, 8, 1),
     D(2027, 12, 31), False, D(2026, 9, 30)),
    # crossing a year: the CMR of last December does not cover the new plan year
    ("crossing a year", D(2024, 5, 1), D(2026, 12, 10), D(2026, 12, 10), D(2027, 1, 5),
     D(2027, 12, 31), False, D(2027, 3, 31)),
    ("enrolment in the future: nothing due", D(2027, 2, 1), None, None, D(2026, 12, 1),
     None, False, None),
]


@pytest.mark.parametrize(("case", "enrolled", "cmr", "review", "today", "next_cmr", "new",
                          "next_tmr"), ROWS, ids=[r[0] for r in ROWS])
def test_plan_year_due_dates(case, enrolled, cmr, review, today, next_cmr, new, next_tmr):
    due = el.reviews_due(enrolled, cmr, review, today)
    assert (due.next_cmr, due.new_enrollee, due.next_tmr) == (next_cmr, new, next_tmr)


def test_not_enrolled_has_nothing_due():
    assert el.reviews_due(None, None, None, D(2026, 1, 1)) == el.ReviewsDue(None, None)


CONDS = [("Diabetes", "E11.9"), ("Hypertension", "I10"), ("Hyperlipidemia", "E78.5")]


def test_cost_not_known_rather_than_not_eligible():
    c = el.criteria_for(2025)
    none = el.ReviewsDue(None, None)
    unknown = el.assess(c, CONDS, [None] * 8, none)
    assert unknown.verdict == el.COST_NOT_KNOWN and not unknown.eligible
    partly = el.assess(c, CONDS, [100.0] * 6 + [None, None], none)
    assert partly.verdict == el.COST_NOT_KNOWN
    enough = el.assess(c, CONDS, [300.0] * 6 + [None, None], none)  # $1,800 already
    assert enough.verdict == "meets"
    known_low = el.assess(c, CONDS, [100.0] * 8, none)
    assert known_low.verdict == "does not meet"
    too_few = el.assess(c, CONDS[:2], [None] * 8, none)  # the cost cannot change this
    assert too_few.verdict == "does not meet"


def test_thresholds_per_year_in_the_knowledge_base_with_their_source():
    kb = el.knowledge_criteria()
    assert kb[2025].min_annual_cost == 1623.0 and not kb[2025].to_confirm
    assert "CY 2025 Medication Therapy Management Program Guidance" in kb[2025].source
    # 2026: not confirmed in the references available: the 2025 figure, to be confirmed
    c26 = el.criteria_for(2026)
    assert c26.assumed_from == 2025 and c26.to_confirm and c26.min_annual_cost == 1623.0
    assert "CY 2026" in c26.source
    el.save_criteria(el.MtmCriteria(2026, 3, 8, 1700.0))
    c26 = el.criteria_for(2026)
    assert c26.min_annual_cost == 1700.0 and c26.assumed_from is None
    assert c26.source == el.ENTERED
