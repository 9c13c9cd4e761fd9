"""The bilingual vocabulary of plain words (what a medicine is for, a reaction)."""

from __future__ import annotations

import pytest

from mmsdesk.services.vocabulary import vocabulary


@pytest.mark.parametrize(("english", "spanish"), [
    ("for blood pressure", "para la presión arterial"),
    ("For Blood Pressure", "para la presión arterial"),
    ("to prevent stroke (atrial fibrillation)",
     "para prevenir un derrame cerebral (fibrilación auricular)"),
    ("for the heart (own choice)", "para el corazón (por decisión propia)"),
    ("for gout and the heart", "para la gota y el corazón"),
    ("for diabetes and cholesterol", "para la diabetes y el colesterol"),
    ("for asthma and to stop smoking", "para el asma y para dejar de fumar"),
    ("for something unheard of", None),
    ("for gout and something else", None),
    ("", ""),
])
def test_indications(english, spanish):
    assert vocabulary("es").indication(english) == spanish


def test_reactions():
    es = vocabulary("es")
    assert es.reaction("Hives") == "ronchas (urticaria)"
    assert es.reaction("a rash nobody has named") is None
