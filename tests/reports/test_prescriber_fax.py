"""The prescriber fax read back: one page per prescriber (two at most in large print), the
evidence the rule used (a renal rule's creatinine clearance with its inputs and dates; an
interaction's two drugs with their doses; the guideline line), the recommendation in one
sentence, the signature on the page of the reply boxes, the current list only on request."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from mmsdesk.models import DrugTherapyProblem, Prescriber, Recommendation, Visit
from mmsdesk.reports.prescriber_letter import sentence
from mmsdesk.services.documents import render_document
from mmsdesk.services.letter_evidence import us_dates
from mmsdesk.services.screening import screen_patient
from tests.conftest import TODAY
from tests.reports.pdfcheck import pages_text, pdftotext


def _letter_pages(pdf: bytes) -> list[list[str]]:
    """The pages of each letter (each letter numbers its own pages)."""
    letters: list[list[str]] = []
    for text in pages_text(pdf):
        n = int(re.search(r"Page (\d+) of \d+", text).group(1))
        if n == 1:
            letters.append([])
        letters[-1].append(text)
    return letters


def _renal_problem(store, pid: int) -> str:
    """A visit whose problem was raised by a renal rule with a CrCl in its evidence."""
    alert = next(a for a in screen_patient(store, pid, TODAY).alerts
                 if a.kind == "renal" and any("CrCl" in e for e in a.evidence))
    with store.session() as s:
        presc = s.execute(select(Prescriber)).scalars().first()
        v = Visit(patient_id=pid, service="cmr", modality="home", visit_date=TODAY,
                  status="complete")
        s.add(v)
        s.flush()
        p = DrugTherapyProblem(patient_id=pid, visit_id=v.id, category="dosage_too_high",
                               medications=";".join(alert.drugs), priority="high",
                               description=f"{alert.drugs[0]} dose too high for the kidneys",
                               alert_key=alert.key, identified_on=TODAY)
        s.add(p)
        s.flush()
        s.add(Recommendation(patient_id=pid, visit_id=v.id, problem_id=p.id,
                             intervention="change_dose", recipient="prescriber",
                             prescriber_id=presc.id, priority="high",
                             text=f"Reduce the {alert.drugs[0]} dose for a CrCl below 30."))
    return alert


@pytest.mark.parametrize("pid", [2])
def test_a_renal_problem_shows_the_creatinine_clearance_and_its_inputs(demo_store, pid):
    alert = _renal_problem(demo_store, pid)
    text = pdftotext(render_document(demo_store, "prescriber-letter", pid, today=TODAY))
    crcl = next(e for e in alert.evidence if "CrCl" in e)
    assert " ".join(us_dates(crcl).split()) in text  # value, weight, age, sex, creatinine, dates
    assert re.search(r"CrCl [\d.]+ mL/min \(Cockcroft-Gault", text)
    assert re.search(r"creatinine [\d.]+ mg/dL on \d\d/\d\d/\d{4}", text)
    assert re.search(r"\d+(\.\d+)? kg on \d\d/\d\d/\d{4}", text)
    source = next(e for e in alert.evidence if e.startswith("Source:"))
    assert " ".join(source.split()) in text  # the guideline line
    assert "recent results above" not in text


def test_an_interaction_shows_the_two_drugs_with_their_doses(doc_store):
    store, pid, visit = doc_store
    text = pdftotext(render_document(store, "prescriber-letter", pid, visit_id=visit,
                                     today=TODAY))
    okafor = text[text.index("Dear Chidi Okafor"):]
    assert "Warfarin with amiodarone" in okafor
    assert "Warfarin 5 mg tablet (Coumadin): Take 1 tablet by mouth every evening" in okafor
    assert "Amiodarone 200 mg tablet: Take 1 tablet by mouth every morning" in okafor
    assert "INR 3.6 (11/17/2026)" in okafor
    patel = text[text.index("Dear Anita Patel"):text.index("Dear Chidi Okafor")]
    assert "Ibuprofen 200 mg tablet (Advil): Take 2 tablets by mouth as needed for knee pain" \
        in patel


@pytest.mark.parametrize(("large", "most"), [(False, 1), (True, 2)])
def test_one_page_per_prescriber_signature_with_the_reply(doc_store, large, most):
    store, pid, visit = doc_store
    pdf = render_document(store, "prescriber-letter", pid, visit_id=visit, large_print=large,
                          today=TODAY)
    letters = _letter_pages(pdf)
    assert len(letters) == 2
    for pages in letters:
        assert len(pages) <= most
        assert "1200 Oak Avenue" in pages[0]  # each letter starts with the full letterhead
        last_reply = max(i for i, t in enumerate(pages) if "Accept with modification" in t)
        assert "Prescriber signature:" in pages[last_reply]
    text = pdftotext(pdf)
    assert "Stop: " not in text and "Change the dose: Consider" not in text
    assert "Please confirm stopping ibuprofen; acetaminophen up to 3 g a day for knee pain." \
        in text
    assert "Attached: current medication list" not in text


def test_the_current_list_is_attached_only_on_request(doc_store):
    store, pid, visit = doc_store
    text = pdftotext(render_document(store, "prescriber-letter", pid, visit_id=visit,
                                     today=TODAY, attach_list=True))
    assert text.count("Attached: current medication list after the visit on 11/24/2026") == 2
    assert "Spironolactone 25 mg tablet" in text


@pytest.mark.parametrize(("intervention", "text", "expected"), [
    ("Stop", "Stop ibuprofen", "Stop ibuprofen."),
    ("Stop", "stop ibuprofen.", "Stop ibuprofen."),
    ("Stop", "Please confirm stopping ibuprofen", "Please confirm stopping ibuprofen."),
    ("Change the dose", "Consider 2.5 mg", "Consider 2.5 mg."),
    ("Change the dose", "warfarin 4 mg on Mondays", "Change the dose: warfarin 4 mg on Mondays."),
    ("Start", "", "Start."),
    ("", "Recheck the INR", "Recheck the INR."),
])
def test_the_recommendation_in_one_sentence(intervention, text, expected):
    assert sentence(intervention, text) == expected
