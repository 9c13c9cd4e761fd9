"""Hypothesis strategies for malformed input: any Unicode, huge text, absurd dates and numbers."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from typing import Any

from hypothesis import strategies as st

RTL = "שלום עליכם مرحبا بكم \u202e\u202d\u200f"
EMOJI = "💊🧑‍⚕️👩🏽‍🦳🏳️‍🌈😀"
COMBINING = "e\u0301a\u0308o\u0302\u0336\u0489Z\u0351\u0352\u0353"
ODD = "\x00\x01\x07\t\n\r\x1b\x7f\u2028\u2029\ufeff\ufffd\ud800\udfff"
SPICE = RTL + EMOJI + COMBINING + ODD + "José Müller Nguyễn Văn An Ольга Иванова 山田 '\";--%_\\"

chars = st.characters(codec=None)  # any code point, surrogates included
spiced = st.text(alphabet=st.sampled_from(SPICE), max_size=60)
long_text = st.builds(lambda s, n: (s * (n // max(1, len(s)) + 1))[:n],
                      st.text(alphabet=st.sampled_from(SPICE), min_size=1, max_size=8),
                      st.integers(9_000, 10_500))
malformed_text = st.one_of(st.text(chars, max_size=120), spiced, long_text,
                           st.sampled_from(["", " ", "\t", "31/02/2020", "02/31/2020",
                                            "1800-01-01", "2200-12-31", "-5", "1e309", "NaN"]))
extreme_dates = st.one_of(
    st.dates(),  # year 1 to 9999
    st.dates(date(1799, 1, 1), date(1801, 12, 31)),
    st.dates(date(2199, 1, 1), date(2201, 12, 31)),
    st.dates(date(2026, 11, 20), date(2026, 11, 30)),
)
date_texts = st.one_of(
    st.builds(lambda m, d, y: f"{m}/{d}/{y}", st.integers(-3, 40), st.integers(-3, 40),
              st.integers(0, 99999)),
    st.builds(lambda y, m, d: f"{y}-{m}-{d}", st.integers(0, 99999), st.integers(-3, 40),
              st.integers(-3, 40)),
    st.sampled_from(["31/02/2020", "02/31/2020", "02/29/2023", "1800-01-01", "2200-02-30",
                     "00/00/0000", "12/31/9999", "13/01/2000", "２０２０-０１-０１"]),
    malformed_text,
)
absurd_numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                           st.integers(-10**15, 10**15).map(float),
                           st.sampled_from([0.0, -0.0, -1.0, 1e-300, 1e300, 99999.0]))


def for_type(tp: Any) -> st.SearchStrategy[Any] | None:
    """A malformed-value strategy for a dataclass field's annotated type."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        parts = [for_type(a) for a in typing.get_args(tp) if a is not type(None)]
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return st.one_of(st.none(), *parts) if type(None) in typing.get_args(tp) else st.one_of(*parts)
    if origin is list:
        inner = for_type(typing.get_args(tp)[0])
        return st.lists(inner, max_size=3) if inner is not None else None
    if tp is str:
        return malformed_text
    if tp is date:
        return extreme_dates
    if tp is bool:
        return st.booleans()
    if tp is float:
        return absurd_numbers
    if tp is int:
        return st.integers(-10**12, 10**12)
    if dataclasses.is_dataclass(tp):
        return malformed(tp)
    return None


PLAUSIBLE = {str: st.sampled_from(["Ann", "Lee", "José Müller", "Nguyễn", "10 mg", "a1c"]),
             date: st.dates(date(1930, 1, 1), date(2026, 11, 1))}


def malformed(cls: type) -> st.SearchStrategy[Any]:
    """Instances of an input dataclass with malformed values in some or all fields.

    Each field is, at random, left at its default (or a plausible value) or malformed, so
    that inputs which are valid except for one odd field (the dangerous ones: they get past
    validation) are generated often.
    """
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if not f.init or f.name.endswith("_id"):
            continue  # record ids come from pickers, not from typing
        strat = for_type(hints[f.name])
        if strat is None:
            continue
        base = [PLAUSIBLE[t] for t in (str, date) if t is hints[f.name] or t in typing.get_args(
            hints[f.name])]
        if f.default is not dataclasses.MISSING:
            base.append(st.just(f.default))
        elif f.default_factory is not dataclasses.MISSING:
            base.append(st.builds(f.default_factory))
        kwargs[f.name] = st.one_of(*base, strat) if base else strat
    return st.builds(cls, **kwargs)
