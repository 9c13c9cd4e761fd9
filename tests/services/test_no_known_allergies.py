""""No known allergies" is a statement the pharmacist records, not an allergy: the printed
list says it in the patient's language, and an allergy recorded later ends it, so no list
ever says "No known allergies; Penicillin (hives)"."""

from __future__ import annotations

from sqlalchemy import select

from mmsdesk.models import Allergy
from mmsdesk.services.chart_header import record_no_known_allergies
from mmsdesk.services.documents import render_document
from mmsdesk.services.record import AllergyInput, RecordService
from tests.conftest import TODAY
from tests.reports.pdfcheck import pdftotext


def _no_allergy_rows(store) -> int:
    from mmsdesk.services.patients import PatientService

    with store.session() as s:
        listed = {a.patient_id for a in s.execute(select(Allergy)).scalars()}
    return next(r.id for r in PatientService(store).list_rows() if r.id not in listed)


def _allergy_line(text: str) -> str:
    flat = " ".join(text.split())
    start = flat.index("lerg")  # "Allergies or side effects:" / "Alergias o efectos…"
    return flat[start:start + 120]


def test_the_statement_prints_then_a_recorded_allergy_ends_it(demo_store):
    pid = _no_allergy_rows(demo_store)
    record_no_known_allergies(demo_store, pid, TODAY)
    english = _allergy_line(pdftotext(render_document(demo_store, "pml", pid, today=TODAY)))
    assert "No known allergies" in english, english
    spanish = _allergy_line(pdftotext(render_document(demo_store, "pml", pid, today=TODAY,
                                                      lang="es")))
    assert "Sin alergias conocidas" in spanish and "No known" not in spanish, spanish

    RecordService(demo_store).add(pid, AllergyInput("Penicillin", reaction="hives"), TODAY)
    with demo_store.session() as s:
        left = [a.substance for a in s.execute(
            select(Allergy).where(Allergy.patient_id == pid)).scalars()]
    assert left == ["Penicillin"]
    after = _allergy_line(pdftotext(render_document(demo_store, "pml", pid, today=TODAY)))
    assert "Penicillin" in after and "No known allergies" not in after, after
