"""Each document read back: the labels of FORMATS.md, every active medicine with its
directions and indication, the visit's plan, and what must not be there."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mmsdesk.models import MedicationEntry, Visit
from mmsdesk.reports import action_plan, cms_summary, pml
from mmsdesk.services.documents import render_document
from mmsdesk.services.visits.draft import VisitDraft
from tests.conftest import TODAY, med_entry
from tests.reports.pdfcheck import all_text, pages_text, pdftotext


def _render(doc_store, kind, **kw):
    store, pid, visit = doc_store
    return render_document(store, kind, pid, visit_id=visit, lang=kw.pop("lang", "en"),
                           today=TODAY, **kw)


def _active(store, pid):
    with store.session() as s:
        return [m for m in s.execute(select(MedicationEntry).where(
            MedicationEntry.patient_id == pid)).scalars() if m.status == "active"]


def _draft(store, visit):
    with store.session() as s:
        return VisitDraft.from_json(s.get(Visit, visit).draft_json)


def _has_all(text, needles):
    missing = [n for n in needles if n not in text]
    assert not missing, f"missing from the PDF: {missing}"


def test_pml_has_every_label_and_every_active_medicine(doc_store):
    store, pid, _ = doc_store
    pdf = _render(doc_store, "pml")
    text = all_text(pdf)
    _has_all(text, ["Personal Medication List for José Müller, DOB: 05/14/1943",
                    "Phone:", "Emergency contact:", "Lucía Müller", "Primary care provider:",
                    "Pharmacies:", "Date prepared:", "Date last reviewed:",
                    "Allergies or side effects:", "Penicillin: hives",
                    *pml.COLUMNS, "Other information:", "My notes and questions:",
                    *pml.INSTRUCTIONS])
    meds = _active(store, pid)
    assert len(meds) >= 10
    for m in meds:
        _has_all(text, [m.name(), m.directions, m.indication])
    assert "Rivera Medication Care" in pdftotext(pdf)  # the letterhead, read by poppler too


def test_pml_crosses_out_stopped_medicines_with_date_and_reason(doc_store):
    from datetime import date

    store, pid, _ = doc_store
    with store.session() as s:
        s.add(med_entry(pid, "Naproxen 220 MG Oral Tablet", "naproxen", status="stopped",
                              directions="Take 1 tablet by mouth twice a day",
                              indication="for back pain", stopped=date(2026, 10, 3),
                              stop_reason="stomach pain and black stools"))
    text = all_text(_render(doc_store, "pml"))
    _has_all(text, ["Naproxen", "10/03/2026", "stomach pain and black stools"])
    # the CMS Medication List shows current medicines only
    cms_pages = pages_text(_render(doc_store, "cms-summary"))
    list_pages = [t for t in cms_pages if "Bring your Medication List" in t
                  or "Side effects I have had:" in t]
    assert list_pages and not any("Naproxen" in t for t in list_pages)


def test_map_is_filled_from_the_visit_plan(doc_store):
    store, _pid, visit = doc_store
    text = all_text(_render(doc_store, "map"))
    _has_all(text, ["Medication Action Plan for José Müller, DOB: 05/14/1943", "Date prepared:",
                    action_plan.INTRO, "What I did and when I did it:", "My follow-up plan:",
                    "Questions I want to ask:",
                    "If you have any questions about your action plan, call Elena Rivera "
                    "(Rivera Medication Care) at (555) 240-7788, Monday to Friday, 9 am to 5 pm."])
    items = _draft(store, visit).plan.action_items
    assert len(items) == 3
    assert text.count("What we talked about:") == len(items)
    assert text.count("What I need to do:") == len(items)
    for item in items:
        _has_all(text, [item.talked_about, *item.to_do.splitlines()])


def test_cms_summary_cover_letter_todo_list_and_medication_list(doc_store):
    store, pid, visit = doc_store
    pdf = _render(doc_store, "cms-summary")
    pages = pages_text(pdf)
    text = " ".join(pages)
    _has_all(text, [
        "Thank you for talking with me on November 24, 2026, about your health and "
        "medications. As a follow-up to our conversation, I have included two documents:",
        cms_summary.DOC1, cms_summary.DOC2, "I look forward to working with you and your doctors",
        "Prairie Senior Rx (PDP)", "TTY users can call 711.", "Elena Rivera, PharmD, BCGP",
        "Dear José Müller:", "14 Walnut Street",
        "Recommended To-Do List for José Müller, DOB: 05/14/1943", "Prepared on:",
        cms_summary.TO_DO_INTRO, cms_summary.TO_DO_BRING, "My To-Do List",
        "What we talked about:", "What I should do:", "Safe disposal of unused medicines",
        "Medication List for José Müller, DOB: 05/14/1943", cms_summary.LIST_BRING,
        cms_summary.LIST_NOTE, *cms_summary.COLUMNS, "Allergies:", "Side effects I have had:"])
    # cover letter, To-Do List and Medication List each start a page
    assert "Thank you for talking" in pages[0]
    assert any(t.find("Recommended To-Do List for") >= 0 for t in pages[1:])
    for item in _draft(store, visit).plan.action_items:
        _has_all(text, [item.talked_about, *item.to_do.splitlines()])
    for m in _active(store, pid):
        _has_all(text, [m.name(), m.directions, m.indication])


def test_prescriber_letters_one_per_prescriber_with_reply_section(doc_store):
    pdf = _render(doc_store, "prescriber-letter")
    pages = pages_text(pdf)
    text = " ".join(pages)
    starts = [i for i, t in enumerate(pages) if "Pharmacist recommendation" in t]
    assert len(starts) == 2  # Dr Okafor and Dr Patel
    letters = [" ".join(pages[a:b]) for a, b in zip(starts, [*starts[1:], len(pages)],
                                                        strict=True)]
    okafor = next(t for t in letters if "To: Chidi Okafor, MD" in t)
    patel = next(t for t in letters if "To: Anita Patel, MD" in t)
    for first in starts:  # each letter is numbered on its own
        assert "Page 1 of" in pages[first]
    _has_all(text, ["Accept", "Accept with modification", "Decline", "Modification or reason:",
                    "Prescriber signature:", "Date:", "Please fax back to Elena Rivera, PharmD, "
                    "BCGP at (555) 240-7789", "José Müller · DOB 05/14/1943",
                    "Consider reducing the weekly warfarin dose", "Please confirm stopping ibuprofen",
                    "Warfarin with amiodarone", "INR 3.6", "Fax (555) 233-9101"])
    assert "Please confirm stopping ibuprofen" in patel
    assert "Please confirm stopping ibuprofen" not in okafor  # each prescriber, their own items
    assert "Consider reducing the weekly warfarin dose" not in patel
    assert "Stop ibuprofen; use acetaminophen" not in text  # the patient's own item is not sent


def test_visit_note_is_soap_with_billing_details(doc_store):
    text = all_text(_render(doc_store, "visit-note"))
    _has_all(text, ["Visit note", "S — Subjective", "O — Objective", "A — Assessment",
                    "P — Plan", "Comprehensive medication review (CMR)", "In person (home visit)",
                    "50 minutes", "99605 × 1, 99607 × 2 (3 units)", "Medicare Part D",
                    "Bruises easily", "Dosage too high", "Adverse drug reaction",
                    "INR 3.6, above the 2–3 goal", "Change the dose", "INR 2 to 3",
                    "Telephone follow-up by 12/08/2026", "Penicillin (hives)", "NPI 1093817462"])


def test_calendar_grid_and_as_needed_apart(doc_store):
    store, pid, _ = doc_store
    pages = pages_text(_render(doc_store, "calendar"))
    text = " ".join(pages)
    _has_all(text, ["My medication calendar for José Müller", "Morning", "Noon", "Evening",
                    "Bedtime", "What it is for", "Only when needed (as needed)"])
    meds = _active(store, pid)
    for m in meds:
        _has_all(text, [m.name(), m.indication])
    prn = text.index("Only when needed (as needed)")
    for m in meds:
        where = text.index(m.name())
        assert (where > prn) == m.as_needed, m.name()


@pytest.mark.parametrize(("paid", "title", "balance"), [(150.0, "Receipt", "$0.00"),
                                                         (None, "Invoice", "$150.00")])
def test_invoice_and_receipt(doc_store, paid, title, balance):
    store, _pid, visit = doc_store
    with store.session() as s:  # a self-paying patient (a Part D CMR charges nothing)
        v = s.get(Visit, visit)
        v.amount_paid, v.payer_type = paid, "self_pay"
    text = all_text(_render(doc_store, "invoice"))
    _has_all(text, [title, "Rivera Medication Care", "Comprehensive medication review (CMR)",
                    "$150.00", f"Balance due {balance}", "Billed to:", "José Müller"])
    assert ("Paid (Card, 11/24/2026)" in text) == (paid is not None)


def test_letterhead_logo_and_knowledge_base_version(doc_store):
    import io
    import json

    from PIL import Image
    from pypdf import PdfReader

    from mmsdesk import paths
    from mmsdesk.models import PharmacistProfile

    store, _pid, _visit = doc_store
    buf = io.BytesIO()
    Image.new("RGB", (120, 60), (31, 95, 139)).save(buf, "PNG")
    with store.session() as s:
        s.execute(select(PharmacistProfile)).scalars().one().logo_png = buf.getvalue()
    kb = json.loads((paths.knowledge_dir() / "screening" / "kb.json").read_text("utf-8"))
    for kind in ("pml", "map", "cms-summary", "prescriber-letter", "visit-note", "calendar"):
        pdf = _render(doc_store, kind)
        for n, text in enumerate(pages_text(pdf), 1):
            assert f"MMS Desk knowledge base {kb['version']}" in text, (kind, n)
            assert "Date prepared: 11/24/2026" in text
        first = PdfReader(io.BytesIO(pdf)).pages[0]
        xobjects = first["/Resources"].get_object().get("/XObject", {})
        assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values()), kind
    invoice = all_text(_render(doc_store, "invoice"))
    assert "knowledge base" not in invoice  # not a clinical document
