"""CMR offers (#21): recorded by the service and the CLI, and read by the MTM records (the latest
offer on or before the CMR in its plan year; an offer alone is a row of its own)."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
from sqlalchemy import select, text

from mmsdesk.models import Patient
from mmsdesk.services.mtm_offers import (
    OfferError,
    OfferRow,
    offer_for,
    patient_offers,
    record_offer,
)
from mmsdesk.services.mtm_records import mtm_records
from tests.conftest import TODAY, run_cli

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _o(day: str, plan: str = "", oid: int = 1) -> OfferRow:
    return OfferRow(oid, 1, date.fromisoformat(day), "mail", plan, "")


@pytest.mark.parametrize(("offers", "cmr_on", "expected"), [
    ([], "2026-06-01", None),
    ([_o("2026-05-01")], "2026-06-01", "2026-05-01"),
    ([_o("2026-06-01")], "2026-06-01", "2026-06-01"),  # offered and done the same day
    ([_o("2026-06-02")], "2026-06-01", None),  # offered after the review
    ([_o("2025-12-20")], "2026-01-10", None),  # last plan year's offer
    ([_o("2026-04-01", oid=2), _o("2026-02-01", oid=1)], "2026-06-01", "2026-02-01"),  # initial
    ([_o("2026-04-01", "Other Plan (PDP)")], "2026-06-01", None),  # made for another plan
    ([_o("2026-04-01", " prairie  SENIOR rx (pdp)")], "2026-06-01", "2026-04-01"),
])
def test_the_offer_that_goes_with_a_cmr(offers, cmr_on, expected):
    got = offer_for(offers, "Prairie Senior Rx (PDP)", date.fromisoformat(cmr_on))
    assert (got.offered_on.isoformat() if got else None) == expected


def _patient(store, last_name: str) -> Patient:
    with store.session() as s:
        return s.execute(select(Patient).where(Patient.last_name == last_name)).scalar_one()


def test_recording_an_offer_and_what_is_refused(demo_store):
    kowalski = _patient(demo_store, "Kowalski")
    row, change = record_offer(demo_store, kowalski.id, date(2026, 7, 1), "telephone",
                               today=TODAY, notes=" left a message first ")
    assert (row.plan_name, row.notes, row.method_label) == (kowalski.plan_name,
                                                            "left a message first", "Telephone")
    assert kowalski.id in change.patient_ids
    assert patient_offers(demo_store, kowalski.id)[0] == row
    with demo_store.session() as s:  # audited like any record
        assert s.execute(text("SELECT count(*) FROM audit_event WHERE entity = 'mtm_offer' "
                              "AND action = 'create' AND entity_id = :i"),
                         {"i": str(row.id)}).scalar_one() == 1
    for kwargs, words in (({"method": "fax"}, "unknown offer method"),
                          ({"offered_on": date(2026, 11, 25)}, "in the future"),
                          ({"patient_id": 9999}, "no patient 9999")):
        args = {"patient_id": kowalski.id, "offered_on": date(2026, 7, 1),
                "method": "mail"} | kwargs
        with pytest.raises(OfferError, match=words):
            record_offer(demo_store, args["patient_id"], args["offered_on"], args["method"],
                         today=TODAY)
    # Kowalski's CMR (Sep 10) now carries the offer; before, it had none
    cmr = next(r for r in mtm_records(demo_store, *YEAR).records
               if r.last_name == "Kowalski" and r.service == "CMR")
    assert cmr.cmr_offer_date == date(2026, 7, 1)


def test_an_offer_alone_is_a_row_and_leaves_when_the_cmr_is_done(demo_store):
    hernandez = _patient(demo_store, "Hernández")
    record_offer(demo_store, hernandez.id, date(2026, 3, 2), "mail", today=TODAY)
    record_offer(demo_store, hernandez.id, date(2026, 8, 3), "telephone", today=TODAY)
    rows = [r for r in mtm_records(demo_store, *YEAR).records if r.patient_id == hernandez.id]
    assert [(r.service, r.service_date, r.cmr_offer_date, r.visit_id) for r in rows] == [
        ("offer", date(2026, 3, 2), date(2026, 3, 2), 0)]  # the initial offer
    plan = next(p for p in mtm_records(demo_store, *YEAR).plans
                if p.plan_name == hernandez.plan_name)
    assert plan.count("offer") == 1 and hernandez.id not in {
        r.patient_id for r in plan.records if r.service != "offer"}
    # outside the period: no row
    assert not [r for r in mtm_records(demo_store, date(2026, 9, 1), YEAR[1]).records
                if r.patient_id == hernandez.id]
    with demo_store.session() as s:  # a CMR later that year: the offer goes with it instead
        s.execute(text("UPDATE visit SET patient_id = :p WHERE patient_id = "
                       "(SELECT id FROM patient WHERE last_name = 'Kowalski')"),
                  {"p": hernandez.id})
        s.commit()
    rows = [r for r in mtm_records(demo_store, *YEAR).records if r.patient_id == hernandez.id]
    assert "offer" not in {r.service for r in rows}
    assert next(r for r in rows if r.service == "CMR").cmr_offer_date == date(2026, 3, 2)


def test_cli_mtm_offer_then_records(tmp_path):
    data = str(tmp_path / "d")
    assert run_cli("--data-dir", data, "demo").returncode == 0
    res = run_cli("--data-dir", data, "mtm", "offer", "7", "--on", "2026-02-03", "--method",
                  "in_person", "--notes", "at the pharmacy counter", "--json")
    assert res.returncode == 0, res.stderr
    offer = json.loads(res.stdout)
    assert (offer["patient_id"], offer["offered_on"], offer["method"]) == (7, "2026-02-03",
                                                                          "in_person")
    assert offer["plan_name"] == "Heartland Rx Basic (PDP)"
    bad = run_cli("--data-dir", data, "mtm", "offer", "7", "--on", "2026-02-03", "--method",
                  "fax")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    missing = run_cli("--data-dir", data, "mtm", "offer", "999", "--on", "2026-02-03",
                      "--method", "mail")
    assert missing.returncode == 2 and "no patient 999" in missing.stderr
    out = tmp_path / "mtm.csv"
    assert run_cli("--data-dir", data, "mtm", "records", "--from", "2026-01-01", "--to",
                   "2026-12-31", "--out", str(out)).returncode == 0
    rows = {(r["patient_id"], r["service"]): r["cmr_offer_date"]
            for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows[("7", "CMR")] == "2026-02-03"
