"""Technicians prepare, pharmacists decide (#22 team mode): the services refuse a technician
the clinical steps and signatures, whatever screen or command asks. Both engines."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from mmsdesk.models import DrugTherapyProblem, Recommendation, Visit
from mmsdesk.services import documents, people
from mmsdesk.services.medications import MedicationInput, MedicationService
from mmsdesk.services.patients import PatientInput, PatientService
from mmsdesk.services.visits.service import VisitService
from mmsdesk.store.who import NotPermitted
from tests.conftest import TODAY
from tests.services.test_visits import _full_draft
from tests.services.visit_helpers import NOW, REPLY, make_bob, sent_recommendation


def _as(store, role: str) -> None:
    people.add_person(store, login="ana", name="Ana Ruiz", passphrase="pharmacist pass")
    people.add_person(store, login="tom", name="Tom Lee", role="technician",
                      passphrase="technician pass")
    if role == "technician":
        people.sign_in(store, "tom", "technician pass")
    else:
        people.sign_in(store, "ana", "pharmacist pass")


def _count(store, table) -> int:
    with store.session() as s:
        return s.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_technician_prepares_the_chart_the_list_the_visit_and_the_pml(store, chart, tmp_path):
    _as(store, "technician")
    pid, _ = PatientService(store).create(PatientInput("Rosa", "Díaz", date(1950, 2, 3)), TODAY)
    MedicationService(store).add(pid, MedicationInput("Lisinopril 10 MG Oral Tablet",
                                                      directions_text="1 tablet daily"), TODAY)
    draft = _full_draft(store, chart)  # the whole visit prepared and saved as a draft
    VisitService(store).save_draft(draft)
    pdf = documents.render_document(store, "pml", chart.patient_id, today=TODAY)
    out = documents.save_document(store, "pml", chart.patient_id, pdf, tmp_path / "pml.pdf")
    assert out.exists()


def test_a_technician_cannot_complete_a_visit_and_nothing_is_written(store, chart):
    draft = _full_draft(store, chart)
    _as(store, "technician")
    with pytest.raises(NotPermitted) as refused:
        VisitService(store).complete(draft, now=NOW + timedelta(minutes=45))
    assert str(refused.value) == (
        "Only a pharmacist can complete a visit (it records the problems, recommendations and "
        "decisions); Tom Lee is signed in as a technician.")
    assert _count(store, DrugTherapyProblem) == 0 and _count(store, Recommendation) == 0
    with store.session() as s:
        assert s.get(Visit, draft.visit_id).status == "draft"


def test_a_pharmacist_completes_it_and_the_trail_names_her(store, chart):
    draft = _full_draft(store, chart)
    _as(store, "pharmacist")
    VisitService(store).complete(draft, now=NOW + timedelta(minutes=45))
    assert _count(store, DrugTherapyProblem) == 2
    from mmsdesk.models import AuditEvent

    with store.session() as s:
        actors = set(s.execute(select(AuditEvent.actor).where(
            AuditEvent.entity == "drug_therapy_problem")).scalars())
    assert actors == {"Ana Ruiz"}


def test_a_technician_files_a_prescriber_reply_but_does_not_apply_it(store):
    bob = make_bob(store)
    rec_id = sent_recommendation(store, bob, "stop", medication_id=bob.doxazosin)
    _as(store, "technician")
    svc = VisitService(store)
    with pytest.raises(NotPermitted, match="Only a pharmacist can make a prescriber's"):
        svc.record_reply(rec_id, "accepted", REPLY, apply=True)
    assert MedicationService(store).list_for_patient(bob.patient_id)[0].status == "active"
    svc.record_response(rec_id, "accepted", REPLY, "filed")  # filing the answer: allowed
    with store.session() as s:
        assert s.get(Recommendation, rec_id).response == "accepted"


@pytest.mark.parametrize("kind", ["cms-summary", "prescriber-letter"])
def test_a_technician_cannot_sign_and_issue_the_pharmacists_documents(store, chart, tmp_path,
                                                                       kind):
    _as(store, "technician")
    target = tmp_path / "doc.pdf"
    with pytest.raises(NotPermitted, match="Only a pharmacist can sign and issue"):
        documents.save_document(store, kind, chart.patient_id, b"%PDF-1.4", target)
    with pytest.raises(NotPermitted):
        documents.record_print(store, kind, chart.patient_id, b"%PDF-1.4")
    assert not target.exists()


def test_the_signed_in_pharmacist_signs_the_letter_and_summary(store):
    from mmsdesk.services.document_samples import add_sample_visit, ensure_profile
    from tests.reports.pdfcheck import pdftotext

    pid, _ = PatientService(store).create(PatientInput("Rosa", "Díaz", date(1950, 2, 3)), TODAY)
    ensure_profile(store)
    add_sample_visit(store, pid, TODAY)
    profile_signer = documents.practice_info(store).signature
    people.add_person(store, login="ana", name="Ana Ruiz", credentials="PharmD, BCGP",
                      npi="1234567893", passphrase="pharmacist pass")
    people.sign_in(store, "ana", "pharmacist pass")
    info = documents.practice_info(store)
    assert (info.signature, info.npi) == ("Ana Ruiz, PharmD, BCGP", "1234567893")
    assert profile_signer != info.signature
    for kind in ("prescriber-letter", "cms-summary"):
        text = pdftotext(documents.render_document(store, kind, pid, today=TODAY))
        assert "Ana Ruiz, PharmD, BCGP" in text, kind
        assert profile_signer not in text, kind
