"""services/documents: which family first, language, visit choice, errors, drafts, audit,
the Spanish documents and catalogue, and the PML straight from a FHIR bundle."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from mmsdesk.i18n import CATALOGS, missing, normalise_language, short_date
from mmsdesk.models import AuditEvent, Patient, Visit
from mmsdesk.services import documents
from mmsdesk.services.document_samples import add_sample_visit
from mmsdesk.services.validation import ValidationError
from mmsdesk.services.visits.draft import ActionItem, PlanItem, ProblemDraft, VisitDraft
from tests.conftest import TODAY, shared_data
from tests.reports.pdfcheck import all_text, font_problems, pages_text


def _new_patient(store, payer="self_pay", lang="en"):
    with store.session() as s:
        p = Patient(first_name="Dolores", last_name="Hernández", date_of_birth=date(1950, 3, 1),
                    payer_type=payer, preferred_language=lang)
        s.add(p)
        s.flush()
        return p.id


def test_preferred_family_follows_the_visit_payer(store):
    part_d = _new_patient(store, "medicare_part_d")
    cash = _new_patient(store, "self_pay")
    assert documents.preferred_family(store, part_d) == "cms-summary"
    assert documents.preferred_family(store, cash) == "pml"
    visit = add_sample_visit(store, cash, TODAY)
    with store.session() as s:
        s.get(Visit, visit).payer_type = "medicare_part_d"
    assert documents.preferred_family(store, cash) == "cms-summary"
    assert documents.preferred_family(store, cash, visit) == "cms-summary"
    with pytest.raises(LookupError):
        documents.preferred_family(store, 9999)


def test_language_defaults_to_the_patients_when_printable(store):
    es = _new_patient(store, lang="es-US")
    vi = _new_patient(store, lang="vi")
    assert "Lista personal de medicamentos" in all_text(documents.render_document(
        store, "pml", es, today=TODAY))
    assert "Personal Medication List" in all_text(documents.render_document(
        store, "pml", vi, today=TODAY))
    assert "Personal Medication List" in all_text(documents.render_document(
        store, "pml", es, lang="en", today=TODAY))
    assert normalise_language("Spanish") == "es" and normalise_language(None) == "en"


def test_errors_are_clear(store):
    pid = _new_patient(store)
    with pytest.raises(ValidationError, match="needs a visit"):
        documents.render_document(store, "invoice", pid, today=TODAY)
    with pytest.raises(ValidationError, match="needs a visit"):
        documents.render_document(store, "cms-summary", pid, today=TODAY)
    with pytest.raises(ValidationError, match="Unknown document"):
        documents.render_document(store, "brochure", pid, today=TODAY)
    with pytest.raises(ValidationError, match="no open recommendation"):
        documents.render_document(store, "prescriber-letter", pid, today=TODAY)
    with pytest.raises(LookupError):
        documents.render_document(store, "pml", 12345, today=TODAY)
    other = _new_patient(store)
    visit = add_sample_visit(store, other, TODAY)
    with pytest.raises(LookupError):
        documents.render_document(store, "map", pid, visit_id=visit, today=TODAY)


def test_latest_visit_is_used_and_a_draft_visit_prints_from_its_draft(demo_store):
    pid = _new_patient(demo_store)
    add_sample_visit(demo_store, pid, date(2026, 6, 1))
    with demo_store.session() as s:  # a visit still in progress, later than the completed one
        v = Visit(patient_id=pid, service="tmr", visit_date=TODAY, status="draft")
        s.add(v)
        s.flush()
        draft = VisitDraft(patient_id=pid, service="tmr", visit_date=TODAY, visit_id=v.id)
        draft.assess.problems.append(ProblemDraft("p1", "adherence", "Misses evening doses"))
        draft.plan.plans.append(PlanItem("k1", "p1", "change_drug", "prescriber", None,
                                         "Switch to a once-daily product"))
        draft.plan.action_items.append(ActionItem("Evening doses", "Use a pill box by the bed"))
        v.draft_json = draft.to_json()
    text = all_text(documents.render_document(demo_store, "map", pid, today=TODAY))
    assert "Use a pill box by the bed" in text and "Warfarin and your INR" not in text
    letter = all_text(documents.render_document(demo_store, "prescriber-letter", pid,
                                                today=TODAY))
    # recommendations already sent stay open (pending) until answered: they print too
    assert "Consider reducing the weekly warfarin dose" in letter


def test_save_and_print_write_audit_rows_without_phi(doc_store, tmp_path):
    store, pid, visit = doc_store
    pdf = documents.render_document(store, "pml", pid, visit_id=visit, today=TODAY)
    out = documents.save_document(store, "pml", pid, pdf, tmp_path / "list.pdf", visit_id=visit)
    assert out.read_bytes() == pdf and not (tmp_path / "list.pdf.part").exists()
    documents.record_print(store, "map", pid, pdf, visit_id=visit)
    with store.session() as s:
        rows = s.execute(select(AuditEvent).where(AuditEvent.entity == "document")).scalars().all()
    assert [(r.action, r.patient_id) for r in rows] == [("export", pid), ("print", pid)]
    assert rows[0].detail.startswith("pml; pages=") and "sha256=" in rows[0].detail
    for r in rows:
        assert "Müller" not in r.detail and "José" not in r.detail and "1943" not in r.detail
    from mmsdesk.store.audit import verify_chain

    with store.engine.connect() as conn:
        assert verify_chain(conn).first_bad_id is None


def test_spanish_documents_use_the_catalogue(doc_store):
    store, pid, visit = doc_store
    pml = all_text(documents.render_document(store, "pml", pid, visit_id=visit, lang="es",
                                             today=TODAY))
    for label in ("Lista personal de medicamentos de José Müller", "Fecha de nacimiento: 14 may 1943",
                  "Alergias o efectos secundarios:", "Cómo lo uso:", "Para qué lo uso:",
                  "Página 1 de", "Mis notas y preguntas:"):
        assert label in pml
    for english in ("How I use it:", "Why I use it:", "Page 1 of", "Other information:"):
        assert english not in pml
    cms = all_text(documents.render_document(store, "cms-summary", pid, visit_id=visit,
                                             lang="es", today=TODAY))
    for label in ("Gracias por hablar conmigo el 24 de noviembre de 2026",
                  "Lista de tareas recomendadas", "Cómo lo tomo", "Efectos secundarios que he tenido:",
                  "Cómo desechar con seguridad"):
        assert label in cms
    # the same components, with the dose form in Spanish (ingredient names are not translated)
    assert "Warfarin 5 mg tableta (Coumadin)" in cms


def test_every_patient_label_has_a_spanish_translation():
    from mmsdesk.reports import action_plan, cms_summary, invoice, med_calendar, pml

    texts = [*pml.COLUMNS, *pml.INSTRUCTIONS, pml.TITLE, action_plan.TITLE, action_plan.INTRO,
             action_plan.QUESTIONS_LINE, action_plan.FOLLOW_UP, *cms_summary.COLUMNS,
             cms_summary.THANKS, cms_summary.DOC1, cms_summary.DOC2, cms_summary.USE,
             cms_summary.CALL, cms_summary.TTY, cms_summary.FORWARD, cms_summary.TO_DO_TITLE,
             cms_summary.TO_DO_INTRO, cms_summary.TO_DO_BRING, cms_summary.LIST_TITLE,
             cms_summary.LIST_BRING, cms_summary.LIST_NOTE, documents.DISPOSAL,
             med_calendar.TITLE, med_calendar.INTRO, *med_calendar.SLOT_LABELS.values(),
             *invoice.METHODS.values(), *action_plan.CHANGE_TALKED.values(),
             *action_plan.CHANGE_WHAT.values(), *action_plan.CHANGE_TO_DO.values(),
             action_plan.OLD_STRENGTH_TO_DO, action_plan.NO_DIRECTIONS]
    assert not missing("es", texts)
    for en, es in CATALOGS["es"].items():  # placeholders survive translation
        assert sorted(_fields(en)) == sorted(_fields(es)), en
    assert short_date(date(2026, 3, 4), "es") == "4 mar 2026"
    assert short_date(date(2026, 3, 4), "en") == "03/04/2026"


def _fields(text):
    import string

    return [f for _, f, _, _ in string.Formatter().parse(text) if f]


def test_pml_from_a_fhir_bundle():
    from mmsdesk.reports import pml
    from mmsdesk.services.document_fhir import document_from_fhir

    folder = shared_data("synthea-r4")
    bundle = next(p for p in sorted(folder.glob("*.json")) if p.stat().st_size > 50_000)
    data = document_from_fhir(bundle, today=TODAY)
    pdf = pml.build_pdf(data)
    text = " ".join(pages_text(pdf))
    assert data.patient.name in text
    assert "Personal Medication List for" in text
    for m in data.current_medications:
        assert m.name in text
    assert not font_problems(pdf)
    names = [m.name.casefold() for m in data.medications]
    assert len(names) == len(set(names))  # a medicine ordered again is listed once


def test_documents_without_a_visit_leave_room_to_write(store):
    pid = _new_patient(store)
    text = all_text(documents.render_document(store, "map", pid, lang="en", today=TODAY))
    assert text.count("What we talked about:") == 2 and "My follow-up plan:" in text
    pml = all_text(documents.render_document(store, "pml", pid, lang="en", today=TODAY))
    assert "Date last reviewed: 11/24/2026" in pml  # no visit yet: reviewed as prepared


def test_visit_note_of_a_draft_visit_says_so(store):
    pid = _new_patient(store)
    visit = add_sample_visit(store, pid, TODAY, status="draft")
    text = all_text(documents.render_document(store, "visit-note", pid, visit_id=visit,
                                              today=TODAY))
    assert "Draft (visit not completed)" in text
