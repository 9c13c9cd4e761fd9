"""How long the patient's lists run, read back with pdftotext: the PML holds 15 medicines on
two landscape pages at normal print with medicines on page 1 (a compact portrait form too),
large print (16 pt) starts its medicines on page 1, and blank rows fill the last page rather
than adding one."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from mmsdesk.reports import data as d
from mmsdesk.reports import pml
from tests.reports.pdfcheck import font_sizes, pages_text, pdftotext

# José Müller's list as the demo prints it (12 medicines), repeated as needed
MEDS = (
    ("Amiodarone 200 mg tablet", "Take 1 tablet by mouth every morning", "for heart rhythm"),
    ("Digoxin 0.125 mg tablet", "Take 1 tablet by mouth every morning",
     "for heart rate and heart failure"),
    ("Diphenhydramine 25 mg capsule", "Take 1 capsule by mouth at bedtime", "for sleep"),
    ("Fish oil 1,000 mg capsule", "Take 1 capsule by mouth every day", "for the heart (own choice)"),
    ("Furosemide 40 mg tablet (Lasix)", "Take 1 tablet by mouth every morning",
     "to remove extra fluid"),
    ("Lisinopril 10 mg tablet", "Take 1 tablet by mouth every morning",
     "for blood pressure and the heart"),
    ("Metoprolol 50 mg extended-release tablet (Toprol XL)", "Take 1 tablet by mouth every morning",
     "for heart rate and heart failure"),
    ("Omeprazole 20 mg delayed-release capsule", "Take 1 capsule by mouth before breakfast",
     "for heartburn"),
    ("Spironolactone 25 mg tablet", "Take 1 tablet by mouth every morning", "for heart failure"),
    ("Warfarin 5 mg tablet (Coumadin)", "Take 1 tablet by mouth every evening",
     "to prevent blood clots (atrial fibrillation)"),
    ("Acetaminophen 500 mg tablet", "Take 2 tablets by mouth as needed for pain, at most 6 a day",
     "for pain"),
    ("Ibuprofen 200 mg tablet (Advil)", "Take 2 tablets by mouth as needed for knee pain",
     "for knee pain"),
)


def document(n: int, *, large: bool = False, compact: bool = False, lang: str = "en",
             stopped: int = 1) -> d.DocumentData:
    """``n`` medicines in all, ``stopped`` of them stopped (crossed out with date and reason)."""
    meds = []
    for i in range(n):
        name, how, why = MEDS[i % len(MEDS)]
        m = d.MedicationItem(name, how, why, "Chidi Okafor, MD", date(2020, 6, 10))
        if i >= n - stopped:
            m = replace(m, status="stopped", stopped=date(2024, 6, 1),
                        stop_reason="did not work well enough")
        meds.append(m)
    return d.DocumentData(
        patient=d.PatientInfo("José Müller", date(1943, 5, 14), phone="(555) 310-2211",
                              emergency_contact="Lucía Müller (daughter), (555) 310-8890",
                              primary_care="Anita Patel, MD, (555) 201-4400",
                              pharmacies=("Main Street Pharmacy, (555) 210-5500",
                                          "PrairieRx Mail Order, (800) 555-0188")),
        practice=d.PracticeInfo("Elena Rivera", "PharmD", "Rivera Medication Care",
                                "1200 Oak Avenue, Suite 4, Springfield, IL 62704",
                                "(555) 240-7788", "(555) 240-7789", "care@riveramed.example"),
        prepared_on=date(2026, 11, 24), lang=lang, large_print=large, compact=compact,
        medications=tuple(meds), allergies=(d.AllergyItem("Penicillin", "hives"),),
        other_information="Bleeding signs with warfarin; safe pain relief; sleep hygiene.")


def _first_words(data: d.DocumentData) -> list[str]:
    return [m.name.split()[0] for m in data.medications]


# (medicines, large print, compact, most pages, of them stopped)
LIMITS = [
    (5, False, False, 1, 1), (15, False, False, 2, 0), (14, False, False, 2, 1),
    (25, False, False, 3, 1),
    (5, True, False, 2, 1), (15, True, False, 4, 1), (25, True, False, 6, 1),
    (5, False, True, 1, 1), (15, False, True, 2, 1), (25, False, True, 3, 1),
]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(("n", "large", "compact", "most", "stopped"), LIMITS)
def test_pml_page_counts_and_medicines_on_page_1(n, large, compact, most, stopped, lang):
    data = document(n, large=large, compact=compact, lang=lang, stopped=stopped)
    pdf = pml.build_pdf(data)
    pages = pages_text(pdf)
    assert len(pages) <= most, f"{n} medicines: {len(pages)} pages"
    assert _first_words(data)[0] in pages[0], "page 1 carries medicines"
    text = pdftotext(pdf)
    for word in set(_first_words(data)):  # every medicine printed
        assert text.count(word) >= _first_words(data).count(word), word
    assert len(re.findall(r"(?:Page|Página) 1 (?:of|de) ", " ".join(pages))) == 1
    assert min(font_sizes(pdf)) >= (16 if large else 12) - 0.01


def test_fifteen_medicines_two_landscape_pages_with_the_seven_columns():
    pdf = pml.build_pdf(document(15, stopped=0))
    pages = pages_text(pdf)
    assert len(pages) == 2
    for page in pages:
        assert "Medication: How I use it: Why I use it: Prescriber:" in page
    assert "Other information:" in pages[-1] and "My notes and questions:" in pages[-1]
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert float(box.width) > float(box.height)


def test_five_current_medicines_on_one_page():
    assert len(pages_text(pml.build_pdf(document(5, stopped=0)))) == 1


def test_compact_form_is_portrait():
    box = PdfReader(io.BytesIO(pml.build_pdf(document(15, compact=True)))).pages[0].mediabox
    assert float(box.width) < float(box.height)


@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("n", range(1, 19, 3))
def test_blank_rows_never_add_a_page(n, large):
    with_rows = pml.build_pdf(replace(document(n, large=large), blank_rows=4))
    without = pml.build_pdf(replace(document(n, large=large), blank_rows=0))
    assert len(pages_text(with_rows)) == len(pages_text(without))


def test_blank_rows_fill_the_room_left():
    """A short list leaves room: more than the 4 blank rows asked for are drawn."""
    from reportlab.platypus import Spacer

    rows = pml.BlankRows([100.0, 100.0], 30.0, [Spacer(1, 100)], least=1, most=12)
    rows.canv = None  # not needed for Spacers
    assert rows._rows_for(200, 400) == 10  # (400 - 100) // 30
    assert rows._rows_for(200, 90) == 3  # what follows goes to the next page anyway: fill this one


# A stopped medicine's reason as a pharmacist may type it: 323 characters. In the reason's
# column (0.9 inch) it stood a page tall: 15 medicines ran to 4 pages, 5 to 3.
LONG_REASON = (
    "Stopped by the cardiologist after the hospital stay in March because the heart rate "
    "dropped to the forties and she felt dizzy when standing; the family doctor agreed and "
    "asked to watch the pulse at home twice a day for two weeks, then to bring the log to the "
    "next appointment before deciding on any other medicine for this.")
# (medicines, large print, compact, most pages)
LONG_REASON_LIMITS = [(5, False, False, 1), (15, False, False, 2), (25, False, False, 3),
                      (5, False, True, 1), (15, False, True, 2), (25, False, True, 3),
                      (5, True, False, 2), (15, True, False, 4), (25, True, False, 6)]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(("n", "large", "compact", "most"), LONG_REASON_LIMITS)
def test_a_long_stop_reason_is_printed_whole_within_the_page_counts(n, large, compact, most,
                                                                    lang):
    data = document(n, large=large, compact=compact, lang=lang)
    meds = list(data.medications)
    meds[-1] = replace(meds[-1], stop_reason=LONG_REASON)
    data = replace(data, medications=tuple(meds))
    pdf = pml.build_pdf(data)
    pages = pages_text(pdf)
    assert len(pages) <= most, f"{n} medicines: {len(pages)} pages"
    assert _first_words(data)[0] in pages[0], "page 1 carries medicines"
    words = " ".join(pages).split()
    reason = LONG_REASON.split()
    start = words.index(reason[0])
    assert words[start:start + len(reason)] == reason, "the reason printed whole, in order"
    if not (large or compact):  # the cell points to the line under the medicine
        assert ("(ver abajo)" if lang == "es" else "(see below)") in " ".join(pages)


def test_a_short_stop_reason_stays_in_its_cell():
    pdf = pml.build_pdf(document(5))
    assert "did not work well enough" in pdftotext(pdf) and "(see below)" not in pdftotext(pdf)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_demo_patient_with_the_most_medicines_on_two_pages_compact_too(demo_store, lang):
    """The compact portrait form is for a short list: two pages for the demo's longest list
    (it printed three), and so is the standard form."""
    from sqlalchemy import func, select

    from mmsdesk.models import MedicationEntry
    from mmsdesk.services.document_samples import ensure_profile
    from mmsdesk.services.documents import pdf_pages, render_document
    from tests.conftest import TODAY

    ensure_profile(demo_store)  # (without it, a warning heads every page: not for patients)
    with demo_store.session() as s:
        pid, n = s.execute(select(MedicationEntry.patient_id, func.count())
                           .group_by(MedicationEntry.patient_id)
                           .order_by(func.count().desc()).limit(1)).one()
    assert n >= 14
    for compact in (True, False):
        pdf = render_document(demo_store, "pml", pid, lang=lang, compact=compact, today=TODAY)
        assert pdf_pages(pdf) <= 2, (compact, pdf_pages(pdf))
        box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
        assert (float(box.width) < float(box.height)) == compact


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(("large", "compact"), [(False, True), (True, False)])
@pytest.mark.parametrize("n", [12, 15, 25])
def test_a_medicines_dates_line_stays_on_its_page(n, large, compact, lang):
    """The portrait forms print each medicine's dates on a line under it (short labels, one
    line in large print too): the demo's compact Spanish list had Metoprolol at the foot of
    page 1 and its dates at the top of page 2."""
    data = document(n, large=large, compact=compact, lang=lang)
    label = {"en": "Started:", "es": "Empecé:"}
    names = {w for w in _first_words(data)}
    pages = pages_text(pml.build_pdf(data))
    assert len(pages) >= 2
    for i, page in enumerate(pages):
        on_page = sum(page.count(w) for w in names)
        assert page.count(label[lang]) == on_page, f"page {i + 1}"
