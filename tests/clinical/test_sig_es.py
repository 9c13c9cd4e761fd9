"""Structured directions in Spanish: one row per case, and the English line for the same codes."""

from __future__ import annotations

import pytest

from mmsdesk.clinical.sig import Directions, render
from mmsdesk.clinical.sig_es import render_es

CASES = [
    (Directions(1, "tablet", "oral", "daily", ("morning",)),
     "Take 1 tablet by mouth every morning", "Tome 1 tableta por la boca por la mañana"),
    (Directions(2, "tablet", "oral", "bid", ("morning", "evening")),
     "Take 2 tablets by mouth every morning and evening",
     "Tome 2 tabletas por la boca por la mañana y por la noche"),
    (Directions(2, "puff", "inhaled", "q4h", as_needed=True, as_needed_reason="wheezing"),
     "Inhale 2 puffs by mouth every 4 hours as needed for wheezing",
     "Inhale 2 inhalaciones por la boca cada 4 horas cuando lo necesite (wheezing)"),
    (Directions(0.5, "tablet", "oral", "", ("bedtime",)),
     "Take ½ tablet by mouth at bedtime", "Tome ½ tableta por la boca al acostarse"),
    (Directions(1, "patch", "transdermal", "weekly", ("morning",)),
     "Apply 1 patch to the skin once a week, in the morning",
     "Aplique 1 parche en la piel una vez a la semana, por la mañana"),
    (Directions(10, "unit", "subcutaneous", "daily", ("bedtime",)),
     "Inject 10 units under the skin at bedtime",
     "Inyecte 10 unidades debajo de la piel al acostarse"),
]


@pytest.mark.parametrize(("d", "english", "spanish"), CASES)
def test_render_es(d, english, spanish):
    assert render(d) == english
    assert render_es(d) == spanish


def test_spanish_patient_documents_translate_structured_directions(store):
    from datetime import date

    from mmsdesk.models import MedicationEntry, Patient
    from mmsdesk.services.documents import render_document
    from tests.conftest import TODAY
    from tests.reports.pdfcheck import all_text

    with store.session() as s:
        p = Patient(first_name="Dolores", last_name="Hernández", date_of_birth=date(1948, 1, 1),
                    preferred_language="es")
        s.add(p)
        s.flush()
        s.add(MedicationEntry(patient_id=p.id, text_given="Metformin 500 MG Oral Tablet",
                              directions="Take 1 tablet by mouth every morning and evening",
                              dose_amount=1, dose_unit="tablet", route="oral", frequency="bid",
                              times_of_day="morning;evening", indication="para el azúcar"))
        s.add(MedicationEntry(patient_id=p.id, text_given="Fish oil",
                              directions="one with lunch", indication="for the heart"))
        pid = p.id
    es = all_text(render_document(store, "pml", pid, today=TODAY))
    assert "Tome 1 tableta por la boca por la mañana y por la noche" in es
    assert "one with lunch" in es  # free text stays as written
    en = all_text(render_document(store, "pml", pid, lang="en", today=TODAY))
    assert "Take 1 tablet by mouth every morning and evening" in en
    cal = all_text(render_document(store, "calendar", pid, today=TODAY))
    assert "1 tableta" in cal and "Mañana" in cal
