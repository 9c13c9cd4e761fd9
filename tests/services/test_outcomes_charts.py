"""Charts of the outcomes report: free-text causes fold into one "Other" bar, none dropped."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mmsdesk.reports.outcomes_data import fold_into_other


def test_short_lists_are_kept_as_they_are():
    items = [("Forgets doses", 3.0), ("Cost barrier", 1.0)]
    assert fold_into_other(items, 10) == items


def test_the_largest_stay_and_the_rest_are_summed():
    items = [(f"cause {i}", float(i)) for i in range(1, 16)]  # 15 causes, 1..15 problems
    folded = fold_into_other(items, 10)
    assert len(folded) == 10
    assert [label for label, _ in folded[:9]] == [f"cause {i}" for i in range(15, 6, -1)]
    assert folded[-1] == ("Other (6 more)", float(sum(range(1, 7))))


@given(st.lists(st.tuples(st.text(max_size=5), st.integers(0, 50).map(float)), max_size=40),
       st.integers(2, 12))
def test_folding_never_loses_a_problem(items, limit):
    folded = fold_into_other(items, limit)
    assert len(folded) <= max(limit, len(items) if len(items) <= limit else limit)
    assert sum(v for _, v in folded) == sum(v for _, v in items)
