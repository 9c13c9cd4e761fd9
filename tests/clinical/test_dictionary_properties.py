"""Property tests: any text at all gives a well-formed answer, never an exception or a silent drop."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmsdesk.clinical.dictionary import resolve, search
from mmsdesk.clinical.dictionary.model import MATCH_KINDS

_WORDS = st.sampled_from(["warfarin", "Coumadin", "5", "MG", "/", "-", "[", "]", "Oral", "Tablet",
                          "HCl", "24 HR", "NDA020800", "bactrim ds", "xyz", "simvistatin", "%",
                          "0.5", "mg/ml", "(", ")", "'", "ß", "é", "\u200b"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=200), st.lists(_WORDS, max_size=12).map(" ".join)))
def test_resolve_always_answers_well_formed(text):
    res = resolve(text)
    assert res.text == text
    assert res.match in MATCH_KINDS
    assert 0.0 <= res.confidence <= 1.0
    assert all(i == i.lower() and i.strip() == i and i for i in res.ingredients)
    if res.match == "unrecognised":
        assert res.ingredients == () and res.confidence == 0.0
    else:
        assert res.ingredients


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.integers(min_value=0, max_value=30))
def test_search_respects_the_limit_and_never_raises(text, limit):
    hits = search(text, limit)
    assert len(hits) <= limit
    assert all(h.ingredients for h in hits)
