"""Layout read back: names in any script on every page with "Page X of Y", embedded fonts,
12 pt minimum (16 pt in large print), 40 medicines over several pages with repeated headers,
a 2,000-character instruction wrapped without clipping."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest

from mmsdesk.models import Patient
from mmsdesk.services.documents import DOCUMENT_KINDS, render_document
from tests.conftest import TODAY, med_entry
from tests.reports.pdfcheck import (
    font_names,
    font_problems,
    font_sizes,
    pages_text,
    pdftotext,
    word_boxes,
)

NAMES = [  # (first, middle, last, as printed)
    ("José", "", "Müller", "José Müller"),
    ("An", "Văn", "Nguyễn", "An Văn Nguyễn"),
    ("Ольга", "", "Иванова", "Ольга Иванова"),
    ("太郎", "", "山田", "山田 太郎"),
]
PATIENT_KINDS = ("pml", "map", "cms-summary", "calendar")


def _patient(store, first, middle, last, meds=3, nfd=False):
    norm = (lambda t: unicodedata.normalize("NFD", t)) if nfd else (lambda t: t)
    with store.session() as s:
        p = Patient(first_name=norm(first), middle_name=norm(middle), last_name=norm(last),
                    date_of_birth=date(1944, 2, 29), payer_type="medicare_part_d")
        s.add(p)
        s.flush()
        for i in range(meds):
            s.add(med_entry(p.id, f"Medicine {i} 10 MG Oral Tablet",
                                  directions="Take 1 tablet by mouth every morning",
                                  indication=f"for reason {i}"))
        return p.id


def _visit(store, pid):
    from mmsdesk.services.document_samples import add_sample_visit

    return add_sample_visit(store, pid, TODAY)


@pytest.mark.parametrize(("first", "middle", "last", "printed"), NAMES)
def test_names_in_every_script_on_every_page(store, first, middle, last, printed):
    pid = _patient(store, first, middle, last, meds=30, nfd=True)  # stored decomposed
    _visit(store, pid)
    for kind in PATIENT_KINDS:
        pdf = render_document(store, kind, pid, lang="en", today=TODAY)
        pages = pages_text(pdf)
        assert len(pages) >= 2, kind
        for n, text in enumerate(pages, 1):
            assert printed in text, f"{kind} page {n}"
            assert f"Page {n} of {len(pages)}" in text, f"{kind} page {n}"
            assert "DOB: 02/29/1944" in text
        assert printed in pdftotext(pdf)  # poppler reads the same NFC name
        assert not font_problems(pdf), font_problems(pdf)
    if "山田" in printed:  # characters Noto Sans lacks come from the fallback font
        assert "DroidSansFallback" in font_names(pdf)
    else:
        assert "DroidSansFallback" not in font_names(pdf)


@pytest.mark.parametrize("kind", DOCUMENT_KINDS)
@pytest.mark.parametrize("large", [False, True])
def test_every_document_embeds_its_fonts_and_keeps_the_minimum_size(doc_store, kind, large):
    store, pid, visit = doc_store
    if kind == "gfe":  # an estimate is for a self-paying patient, from the catalogue
        from mmsdesk.models import ServiceOffering, Visit

        with store.session() as s:
            v = s.get(Visit, visit)
            v.payer_type, v.status = "self_pay", "draft"  # given before the service
            s.add(ServiceOffering(service="cmr", name="CMR", duration_minutes=60, price=150.0))
    pdf = render_document(store, kind, pid, visit_id=visit, large_print=large, today=TODAY)
    assert not font_problems(pdf), font_problems(pdf)
    sizes = font_sizes(pdf)
    assert sizes and min(sizes) >= (16 if large else 12)
    pages = pages_text(pdf)
    for text in pages:
        assert "José Müller" in text and ("DOB" in text or "Fecha de nacimiento" in text)
        assert re.search(r"(Page|Página) \d+ (of|de) \d+", text)


def test_forty_medicines_paginate_with_repeated_headers(store):
    pid = _patient(store, "Harold", "", "Washington", meds=40)
    pdf = render_document(store, "pml", pid, today=TODAY)
    pages = pages_text(pdf)
    assert len(pages) >= 4
    with_rows = [t for t in pages if re.search(r"Medicine \d+ 10 MG", t)]
    assert len(with_rows) >= 3
    for text in with_rows:
        assert "Medication: How I use it: Why I use it: Prescriber:" in text
    joined = " ".join(pages)
    for i in range(40):
        assert f"Medicine {i} 10 MG Oral Tablet" in joined and f"for reason {i}" in joined
    cms = pages_text(render_document(store, "cms-summary", pid, visit_id=_visit(store, pid),
                                     today=TODAY))
    list_pages = [t for t in cms if re.search(r"Medicine \d+ 10 MG", t)]
    assert len(list_pages) >= 2
    for text in list_pages:
        assert "Medication How I take it Why I use it Prescriber" in text


def _long_text(n_chars=2000):
    words, i = [], 0
    while len(" ".join(words)) < n_chars:
        words.append(f"w{i:04d}")
        i += 1
    return words


@pytest.mark.parametrize("kind", ["pml", "cms-summary", "calendar", "map", "visit-note"])
@pytest.mark.parametrize("large", [False, True])
def test_a_2000_character_instruction_wraps_without_clipping(store, kind, large):
    from sqlalchemy import select

    from mmsdesk.models import Visit
    from mmsdesk.services.visits.draft import ActionItem, VisitDraft

    words = _long_text()
    text = " ".join(words)
    assert len(text) >= 2000
    pid = _patient(store, "Ingrid", "", "Sørensen", meds=2)
    with store.session() as s:
        s.add(med_entry(pid, "Longamed 5 MG",
                              directions=text, indication="for " + text[:300]))
    visit = _visit(store, pid)
    with store.session() as s:
        v = s.execute(select(Visit).where(Visit.id == visit)).scalar_one()
        draft = VisitDraft.from_json(v.draft_json)
        draft.plan.action_items.append(ActionItem(talked_about=text, to_do=text))
        v.draft_json = draft.to_json()
    pdf = render_document(store, kind, pid, visit_id=visit, large_print=large, today=TODAY)
    found = " ".join(pages_text(pdf))
    positions = [found.find(w) for w in words]
    assert all(p >= 0 for p in positions), "a word of the long text is missing"
    boxes = word_boxes(pdf)
    margin = (0.5 if kind == "pml" else 0.7) * 72 - 2  # the list has half-inch margins
    for page, w, h, x0, y0, x1, y1, word in boxes:
        assert margin <= x0 and x1 <= w - margin, f"page {page}: {word!r} outside the margins"
        assert 0 <= y0 and y1 <= h, f"page {page}: {word!r} off the page"
    long_words = {b[7] for b in boxes if re.fullmatch(r"w\d{4}", b[7])}
    assert set(words) <= long_words  # every word drawn whole, none cut


def test_documents_are_reproducible(doc_store):
    store, pid, visit = doc_store
    a = render_document(store, "map", pid, visit_id=visit, today=TODAY)
    b = render_document(store, "map", pid, visit_id=visit, today=TODAY)
    assert a == b


def test_a_short_box_stays_on_the_first_page_when_it_fits(doc_store):
    """Regression: a KeepTogether nested in another always moved to the next page, leaving
    the PML's first page without its allergies and medicines and each MAP block on its own
    page."""
    from tests.reports.pdfcheck import pages_text

    store, pid, visit = doc_store
    pml = pages_text(render_document(store, "pml", pid, visit_id=visit, lang="en", today=TODAY))
    assert "Allergies or side effects:" in pml[0]
    assert "Medication:" in pml[0] and "Amiodarone" in pml[0]
    plan = pages_text(render_document(store, "map", pid, visit_id=visit, lang="en", today=TODAY))
    assert plan[0].count("What we talked about:") >= 2


def test_the_visit_note_starts_its_medication_table_under_the_subjective(store):
    """The section headings were kept with the whole of what follows: with 14 medicines the
    Objective heading took its table to page 2 and left two thirds of page 1 empty. The table
    now starts on page 1, its header repeated where it continues."""
    pid = _patient(store, "Harold", "", "Washington", meds=14)
    pages = pages_text(render_document(store, "visit-note", pid, visit_id=_visit(store, pid),
                                       today=TODAY))
    assert "O — Objective" in pages[0] and "Medicine 0 10 MG Oral Tablet" in pages[0], pages[0]
    rest = [t for t in pages[1:] if re.search(r"Medicine \d+ 10 MG", t)]
    assert rest and "Current medication Directions Indication" in rest[0]
