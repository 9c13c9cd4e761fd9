"""A Good Faith Estimate for a follow-up planned at a visit, given before the follow-up takes
place (45 CFR 149.610(b)(1)(vi)), kept as issued, with the rule's deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from mmsdesk.models import FollowUp, Patient, ServiceOffering
from mmsdesk.services import estimates
from mmsdesk.services.documents import render_document
from mmsdesk.services.validation import ValidationError
from tests.conftest import TODAY, run_cli
from tests.reports.pdfcheck import pdftotext

D = date


@pytest.mark.parametrize(("scheduled", "service", "deadline"), [
    (D(2026, 11, 2), D(2026, 11, 4), None),  # Mon for Wed: 2 business days ahead, no time set
    (D(2026, 11, 2), D(2026, 11, 5), D(2026, 11, 3)),  # 3 ahead: the next business day
    (D(2026, 11, 2), D(2026, 11, 13), D(2026, 11, 3)),  # 8 ahead (Veterans Day, Wed 11th)
    (D(2026, 11, 2), D(2026, 11, 16), D(2026, 11, 3)),  # 9 ahead (the 11th is no business day)
    (D(2026, 11, 2), D(2026, 11, 17), D(2026, 11, 5)),  # 10 ahead: 3 business days
    (D(2026, 11, 25), D(2026, 12, 4), D(2026, 11, 27)),  # Thanksgiving is no business day
    (D(2026, 12, 24), D(2027, 1, 8), D(2026, 12, 28)),  # Christmas (Fri), the weekend
    (D(2026, 11, 6), D(2026, 11, 11), None),  # Fri for Wed: Mon, Tue (the 11th a holiday)
    (D(2026, 7, 2), D(2026, 7, 8), D(2026, 7, 6)),  # the 4th a Saturday: observed Fri 3rd
])
def test_the_deadline_by_the_rule(scheduled, service, deadline):
    assert estimates.estimate_deadline(scheduled, service) == deadline


def test_federal_holidays_2026_and_new_year_observed_in_december():
    h = estimates.federal_holidays(2026)
    assert len(h) == 11
    assert {D(2026, 1, 1), D(2026, 1, 19), D(2026, 2, 16), D(2026, 5, 25), D(2026, 6, 19),
            D(2026, 7, 3), D(2026, 9, 7), D(2026, 10, 12), D(2026, 11, 11), D(2026, 11, 26),
            D(2026, 12, 25)} == h
    assert D(2021, 12, 31) in estimates.federal_holidays(2021)  # 1 Jan 2022 was a Saturday


@pytest.fixture
def planned(doc_store):
    """José, self-paying now, with the telephone follow-up his CMR planned (two weeks out),
    scheduled on the day of the CMR; the catalogue prices a follow-up at $60 for 20 min."""
    store, pid, _visit = doc_store
    with store.session() as s:
        s.get(Patient, pid).payer_type = "self_pay"
        fu = s.execute(select(FollowUp).where(FollowUp.visit_id == _visit)).scalars().one()
        fu.created_at = datetime.combine(TODAY, datetime.min.time(), tzinfo=UTC)
        for o in s.execute(select(ServiceOffering).where(
                ServiceOffering.service == fu.service)).scalars():
            s.delete(o)
        s.add(ServiceOffering(service=fu.service, name="Follow-up", duration_minutes=20,
                              price=60.0))
        fid, due = fu.id, fu.due_on
    return store, pid, fid, due


def test_an_estimate_for_a_planned_follow_up_is_kept_as_issued(planned):
    store, pid, fid, due = planned
    row = next(r for r in estimates.planned_follow_ups(store, pid) if r.id == fid)
    assert row.estimate_issued_on is None and "INR result" in row.label
    issued = estimates.issue_follow_up_estimate(store, pid, fid, TODAY)
    # scheduled Tue 11/24 for Tue 12/08: 9 business days ahead (Thanksgiving), so within 1
    assert issued.newly_issued and not issued.late and issued.deadline == D(2026, 11, 25)
    pdf = render_document(store, "gfe", pid, follow_up_id=fid, lang="en", today=TODAY)
    text = pdftotext(pdf)
    assert "Good Faith Estimate" in text and due.strftime("%m/%d/%Y") in text
    assert "$60.00" in text and "99606" in text and "By telephone" in text
    assert f"{due:%Y%m%d}-F{fid:05d}" in text
    # a later price does not alter the estimate given; reprinted days later, as issued
    with store.session() as s:
        s.execute(select(ServiceOffering).where(ServiceOffering.price == 60.0)).scalar_one() \
            .price = 95.0
    later = TODAY + timedelta(days=5)
    again = estimates.issue_follow_up_estimate(store, pid, fid, later)
    assert not again.newly_issued and again.issued_on == TODAY
    text = pdftotext(render_document(store, "gfe", pid, follow_up_id=fid, lang="en",
                                     today=later))
    assert "$60.00" in text and "$95.00" not in text
    assert next(r for r in estimates.planned_follow_ups(store, pid)
                if r.id == fid).estimate_issued_on == TODAY


def test_the_visits_own_estimate_and_the_follow_ups_live_side_by_side(planned, doc_store):
    store, pid, fid, _due = planned
    _s, _p, visit = doc_store
    from mmsdesk.models import Visit

    estimates.issue_follow_up_estimate(store, pid, fid, TODAY)
    with store.session() as s:
        v = s.get(Visit, visit)
        v.status, v.payer_type = "draft", "self_pay"  # before the service
        s.add(ServiceOffering(service="cmr", name="CMR", duration_minutes=60, price=150.0))
    own = pdftotext(render_document(store, "gfe", pid, visit_id=visit, lang="en", today=TODAY))
    assert "$150.00" in own
    fu = pdftotext(render_document(store, "gfe", pid, follow_up_id=fid, lang="en", today=TODAY))
    assert "$60.00" in fu and "$150.00" not in fu


def test_the_estimate_is_kept_on_the_follow_up_itself(planned, doc_store):
    """On its own row (migration 0008), not in the planning visit's estimate; so a follow-up
    planned without a visit (booked by telephone) can have one too."""
    store, pid, fid, _due = planned
    _s, _p, visit = doc_store
    from mmsdesk.models import Visit

    estimates.issue_follow_up_estimate(store, pid, fid, TODAY)
    with store.session() as s:
        fu = s.get(FollowUp, fid)
        assert fu.estimate_issued_on == TODAY and '"service_on"' in fu.estimate_json
        assert s.get(Visit, visit).estimate_json == ""
        booked = FollowUp(patient_id=pid, due_on=TODAY + timedelta(days=21), service=fu.service,
                          modality="telephone", reason="blood pressure log",
                          created_at=fu.created_at)
        s.add(booked)
        s.flush()
        bid = booked.id
    issued = estimates.issue_follow_up_estimate(store, pid, bid, TODAY)
    assert issued.newly_issued
    text = pdftotext(render_document(store, "gfe", pid, follow_up_id=bid, lang="en",
                                     today=TODAY))
    assert "$60.00" in text and f"{TODAY + timedelta(days=21):%m/%d/%Y}" in text


def test_issued_after_the_deadline_says_so(planned):
    store, pid, fid, _due = planned
    issued = estimates.issue_follow_up_estimate(store, pid, fid, D(2026, 11, 30))
    assert issued.late and "after the 11/25/2026 deadline" in issued.warning()
    assert "149.610" in issued.warning()


def test_no_estimate_when_the_plan_pays_or_the_follow_up_is_done(planned):
    store, pid, fid, _due = planned
    with store.session() as s:
        s.get(Patient, pid).payer_type = "medicare_part_d"
    with pytest.raises(ValidationError):
        estimates.issue_follow_up_estimate(store, pid, fid, TODAY)
    with store.session() as s:
        s.get(Patient, pid).payer_type = "self_pay"
        s.get(FollowUp, fid).done = True
    with pytest.raises(ValidationError):
        estimates.issue_follow_up_estimate(store, pid, fid, TODAY)
    with pytest.raises(LookupError):
        estimates.issue_follow_up_estimate(store, pid + 1, fid, TODAY)
    from mmsdesk.services.documents import gather

    with pytest.raises(ValidationError):  # nothing issued: nothing to reprint
        gather(store, "gfe", pid, follow_up_id=fid, today=TODAY)


def test_report_command_issues_a_follow_up_estimate_and_warns_when_late(tmp_path):
    from mmsdesk.services.demo import load_demo
    from mmsdesk.services.document_samples import add_sample_visit, ensure_profile
    from mmsdesk.store import Store

    folder = tmp_path / "practice"
    with Store.open(folder / "mmsdesk.sqlite3") as store:
        load_demo(store, TODAY)
        ensure_profile(store)
        add_sample_visit(store, 1, TODAY)
        with store.session() as s:
            s.get(Patient, 1).payer_type = "self_pay"
            fu = s.execute(select(FollowUp).where(
                FollowUp.reason == "INR result and knee pain")).scalars().one()
            # scheduled long ago for today + 14: issued today, it is late
            fu.created_at = datetime(2026, 1, 5, tzinfo=UTC)
            fu.due_on = date.today() + timedelta(days=30)
            fid = fu.id
            if not s.execute(select(ServiceOffering).where(
                    ServiceOffering.service == fu.service)).first():
                s.add(ServiceOffering(service=fu.service, name="Follow-up",
                                      duration_minutes=20, price=60.0))
    out = tmp_path / "gfe.pdf"
    r = run_cli("--data-dir", str(folder), "--no-encryption", "report", "gfe", "--patient", "1",
                "--follow-up", str(fid), "--lang", "en", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "deadline" in r.stderr and "149.610" in r.stderr
    assert "Good Faith Estimate" in pdftotext(out.read_bytes())
    r = run_cli("--data-dir", str(folder), "--no-encryption", "report", "pml", "--patient", "1",
                "--follow-up", str(fid), "--out", str(out))
    assert r.returncode == 2 and "gfe only" in r.stderr


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_estimate_is_one_page_at_normal_print(planned, doc_store, lang):
    """It ran onto a second page for two lines (English) and four (Spanish)."""
    from mmsdesk.models import Visit
    from mmsdesk.services.documents import pdf_pages

    store, pid, fid, _due = planned
    _s, _p, visit = doc_store
    with store.session() as s:
        v = s.get(Visit, visit)
        v.status, v.payer_type = "draft", "self_pay"
        s.add(ServiceOffering(service="cmr", name="CMR", duration_minutes=60, price=150.0))
    for kw in ({"visit_id": visit}, {"follow_up_id": fid}):
        pdf = render_document(store, "gfe", pid, lang=lang, today=TODAY, **kw)
        assert pdf_pages(pdf) == 1, kw
        text = pdftotext(pdf)
        assert "1-800-985-3059" in text and "149.610" not in text  # the notices, whole
