"""Bills read back from the PDFs: the invoice with CPT codes and units, ICD-10-CM codes and the
NPI, nothing charged for a plan-paid CMR; the CMS-1500-style claim summary; the Good Faith
Estimate stored with the visit as issued; a document printed before the practice is set up."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from mmsdesk.models import Condition, PharmacistProfile, ServiceOffering, Visit
from mmsdesk.services.documents import render_document
from mmsdesk.services.validation import ValidationError
from tests.conftest import TODAY, run_cli
from tests.reports.pdfcheck import all_text, pages_text, pdftotext


def _pdf(store, kind, pid, visit, lang="en"):
    return render_document(store, kind, pid, visit_id=visit, lang=lang, today=TODAY)


def _text(store, kind, pid, visit, lang="en"):
    return all_text(_pdf(store, kind, pid, visit, lang))


def _payer(store, visit, payer, price=None):
    with store.session() as s:
        v = s.get(Visit, visit)
        v.payer_type, v.price, v.amount_paid = payer, price, None


def _codes(store, pid):
    with store.session() as s:
        return [(c.icd10_code, c.name) for c in s.execute(select(Condition).where(
            Condition.patient_id == pid, Condition.status == "active")).scalars() if c.icd10_code]


def test_invoice_of_a_plan_paid_cmr_charges_the_patient_nothing(doc_store):
    store, pid, visit = doc_store
    _payer(store, visit, "medicare_part_d")
    with store.session() as s:
        s.add(ServiceOffering(service="cmr", name="CMR", duration_minutes=60, price=150.0))
    text = _text(store, "invoice", pid, visit)
    # 50 minutes, new patient: 99605 once and 99607 twice, the price spread over the units
    assert "99605 1 $50.00" in text and "99607 2 $100.00" in text
    assert "new patient, initial 15 minutes" in text and "each additional 15 minutes" in text
    codes = _codes(store, pid)
    assert codes and all(f"{code} {name}" in text for code, name in codes)
    assert "NPI 1093817462" in text and "Tax ID 36-4812957" in text
    assert "Billed to your plan (Medicare Part D); you pay nothing for this service." in text
    assert "Your charge $0.00" in text and "Balance due" not in text
    assert "Nothing to pay" in text and text.startswith("Rivera Medication Care")
    es = _text(store, "invoice", pid, visit, "es")
    assert "Lo que usted paga $0.00" in es and "Código CPT" in es


def test_plan_paid_service_without_a_catalogue_price_still_prints(doc_store):
    store, pid, visit = doc_store
    _payer(store, visit, "medicare_part_d")
    text = _text(store, "invoice", pid, visit)
    assert "Your charge $0.00" in text and "Total charges" not in text


def test_invoice_of_a_self_pay_visit_keeps_its_price_and_balance(doc_store):
    store, pid, visit = doc_store
    _payer(store, visit, "self_pay", 150.0)
    text = _text(store, "invoice", pid, visit)
    assert "Total charges $150.00" in text and "Balance due $150.00" in text
    assert "99605 1 $50.00" in text and "Your charge" not in text


def test_claim_summary_lays_the_claim_out_by_cms_1500_items(doc_store):
    store, pid, visit = doc_store
    _payer(store, visit, "medicare_part_d")
    with store.session() as s:
        s.add(ServiceOffering(service="cmr", name="CMR", duration_minutes=60, price=150.0))
    text = _text(store, "claim", pid, visit)
    codes = _codes(store, pid)
    assert "Claim summary (CMS-1500 items)" in text
    assert "1a. Insured's ID: PSR0041177" in text and "2. Patient's name: José Müller" in text
    assert "3. Birth date, sex: 05/14/1943 M" in text
    assert f"A {codes[0][0]} {codes[0][1]}" in text and f"B {codes[1][0]}" in text
    # item 24: date, place of service (12, home), CPT, pointer, charge, units, rendering NPI
    assert "11/24/2026 12 99605 ABCD $50.00 1 1093817462" in text
    assert "11/24/2026 12 99607 ABCD $100.00 2 1093817462" in text
    assert "25. Federal tax ID: 36-4812957" in text and "28. Total charge: $150.00" in text
    assert "33a. NPI: 1093817462" in text


def test_good_faith_estimate_is_stored_with_the_visit_as_issued(doc_store):
    store, pid, visit = doc_store
    _payer(store, visit, "self_pay", 150.0)
    with pytest.raises(ValidationError, match="given before the service"):
        render_document(store, "gfe", pid, visit_id=visit, today=TODAY)  # complete: too late
    with store.session() as s:
        s.get(Visit, visit).status = "draft"  # a visit started, not done yet
    with store.session() as s:
        s.add(ServiceOffering(service="cmr", name="CMR", duration_minutes=60, price=180.0))
    text = _text(store, "gfe", pid, visit)
    for needed in ("Good Faith Estimate", "Patient: José Müller · DOB: 05/14/1943",
                   "Service: Comprehensive medication review (CMR)",
                   "Scheduled for: 11/24/2026", "Where: The patient's home",
                   "NPI 1093817462 · Tax ID 36-4812957", "99605 1 $45.00", "99607 3 $135.00",
                   "Total estimated charges: $180.00", "not a contract",
                   "at least $400 more", "www.cms.gov/nosurprises",
                   "not included here", "actual services and charges may differ"):
        assert needed in text, needed
    assert all(code in text for code, _ in _codes(store, pid))
    with store.session() as s:
        v = s.get(Visit, visit)
        assert v.estimate_issued_on == TODAY
        assert [x["amount"] for x in json.loads(v.estimate_json)["lines"]] == [45.0, 135.0]
        s.execute(select(ServiceOffering)).scalars().one().price = 300.0
        v.status = "complete"  # printed again after the visit: the one issued, unchanged
    later = all_text(render_document(store, "gfe", pid, visit_id=visit, lang="en",
                                     today=date(2026, 12, 1)))
    assert "Total estimated charges: $180.00" in later  # as issued, not today's price
    assert "Issued on: 11/24/2026" in later
    es = _text(store, "gfe", pid, visit, "es")
    assert "Estimación de buena fe" in es and "no es un contrato" in es


def test_no_good_faith_estimate_for_a_plan_paid_visit(doc_store):
    store, pid, visit = doc_store
    _payer(store, visit, "medicare_part_d")
    with pytest.raises(ValidationError, match="self-pay patient"):
        render_document(store, "gfe", pid, visit_id=visit, today=TODAY)


def test_documents_without_a_profile_say_the_practice_details_are_missing(doc_store):
    store, pid, visit = doc_store
    with store.session() as s:
        s.delete(s.execute(select(PharmacistProfile)).scalars().one())
    for kind in ("cms-summary", "pml", "invoice", "visit-note"):
        text = _text(store, kind, pid, visit)
        assert "PRACTICE DETAILS MISSING (pharmacist's name, phone, address, NPI)" in text, kind
        assert "MMS Desk" not in text.replace("MMS Desk knowledge base", ""), kind
        assert "call me at —" not in text
    pages = pages_text(_pdf(store, "cms-summary", pid, visit))
    assert all("PRACTICE DETAILS MISSING" in page for page in pages)  # on every page
    assert "call me at (phone not set)" in " ".join(pages)
    es = _text(store, "pml", pid, visit, "es")
    assert "FALTAN LOS DATOS DE LA FARMACIA" in es


def test_a_profile_with_everything_prints_no_banner(doc_store):
    store, pid, visit = doc_store
    assert "MISSING" not in _text(store, "cms-summary", pid, visit)


def test_report_command_writes_a_claim_and_warns_without_a_profile(tmp_path):
    from mmsdesk.services.demo import load_demo
    from mmsdesk.store import Store

    folder = tmp_path / "practice"
    with Store.open(folder / "mmsdesk.sqlite3") as store:  # as `mmsdesk demo` makes it
        load_demo(store, TODAY)
    out = tmp_path / "claim.pdf"
    r = run_cli("--data-dir", str(folder), "--no-encryption", "report", "claim", "--patient",
                "1", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "practice's details are missing" in r.stderr
    text = pdftotext(out.read_bytes())
    assert "Claim summary (CMS-1500 items)" in text and "33a. NPI: not set" in text
    assert "PRACTICE DETAILS MISSING" in text


def test_the_sample_profile_passes_the_checks_settings_applies():
    """The sample practice prints an NPI a payer would accept: one Settings would take too
    (it was 1093817465, whose Luhn check digit is wrong)."""
    from mmsdesk.services import validation
    from mmsdesk.services.document_samples import PROFILE

    assert validation.npi(PROFILE["npi"]) is None
