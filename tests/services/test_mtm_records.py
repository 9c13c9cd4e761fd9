"""MTM records for plans (#21 item 4): the rows for the demo practice's year equal the visits in
the store, computed here from SQL row by row (with each CMR's offer, and a row for an enrollee
offered a CMR who had none); the CSV, JSON and the summary per plan."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from pypdf import PdfReader
from sqlalchemy import text

from mmsdesk.models.practice import PharmacistProfile
from mmsdesk.reports.mtm_data import MtmRecord
from mmsdesk.services.mtm_records import (
    export_records,
    export_summary,
    mtm_records,
    records_bytes,
)
from tests.conftest import run_cli

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
# one plan year, so "the same plan year" is the period itself (:a to :b)
EXPECTED_SQL = """
SELECT v.id, p.plan_name, p.member_id, v.service, v.visit_date, v.modality, v.recipient,
       v.delivered_on,
       (SELECT count(*) FROM recommendation r WHERE r.visit_id = v.id
          AND r.recipient = 'prescriber'),
       (SELECT count(*) FROM recommendation r WHERE r.visit_id = v.id
          AND r.recipient = 'prescriber' AND r.response IN ('accepted', 'modified')),
       CASE WHEN v.service = 'cmr' THEN
         (SELECT min(o.offered_on) FROM mtm_offer o WHERE o.patient_id = v.patient_id
            AND o.offered_on <= v.visit_date AND o.offered_on >= :a) END
FROM visit v JOIN patient p ON p.id = v.patient_id
WHERE v.status = 'complete' AND v.visit_date BETWEEN :a AND :b
  AND (v.service IN ('cmr', 'tmr') OR v.payer_type = 'medicare_part_d') {plan}
UNION ALL
SELECT 0, p.plan_name, p.member_id, 'offer', min(o.offered_on), '', '', NULL, 0, 0,
       min(o.offered_on)
FROM mtm_offer o JOIN patient p ON p.id = o.patient_id
WHERE o.offered_on BETWEEN :a AND :b {plan}
  AND NOT EXISTS (SELECT 1 FROM visit c WHERE c.patient_id = o.patient_id
                    AND c.status = 'complete' AND c.service = 'cmr'
                    AND c.visit_date BETWEEN :a AND :b)
GROUP BY o.patient_id, p.plan_name, p.member_id
ORDER BY 2, 5, 1
"""
DELIVERY = {"home": "face_to_face", "clinic": "face_to_face", "telephone": "telephone",
            "video": "telehealth"}
SERVICE = {"cmr": "CMR", "tmr": "TMR", "offer": "offer"}
RECIPIENT = {"patient": "beneficiary", "caregiver": "caregiver", "prescriber": "prescriber",
             "": ""}
DELIVERY[""] = ""


def _practice(store) -> None:
    """The demo practice's NPI and the delivery of one CMR's documents; a follow-up as a TMR."""
    with store.session() as s:
        s.add(PharmacistProfile(name="Ana Ruiz", npi="1093817466", practice_name="Ruiz MTM"))
        s.execute(text("UPDATE visit SET recipient = 'caregiver', recipient_name = 'Rosa Diaz', "
                       "recipient_relation = 'daughter', delivery_method = 'mail', "
                       "delivered_on = '2026-07-01' WHERE id = 1"))
        s.execute(text("UPDATE visit SET service = 'tmr' WHERE id = 5"))
        s.commit()


def _expected(store, plan: str | None = None) -> list[tuple]:
    where = "AND p.plan_name = :plan" if plan else ""
    with store.session() as s:
        rows = s.execute(text(EXPECTED_SQL.format(plan=where)),
                         {"a": YEAR[0].isoformat(), "b": YEAR[1].isoformat(), "plan": plan}).all()
    return [(vid, plan_name, member, SERVICE.get(service, "other"), str(day),
             DELIVERY.get(modality, "other"), RECIPIENT[recipient],
             str(sent) if sent and service == "cmr" else None, recs, changed,
             str(offered) if offered else None)
            for vid, plan_name, member, service, day, modality, recipient, sent, recs, changed,
            offered in rows]


def _got(records: list[MtmRecord]) -> list[tuple]:
    return [(r.visit_id, r.plan_name, r.member_id, r.service, r.service_date.isoformat(),
             r.delivery_method, r.recipient,
             r.written_summary_sent_on.isoformat() if r.written_summary_sent_on else None,
             r.recommendations_to_prescriber, r.recommendations_resulting_in_change,
             r.cmr_offer_date.isoformat() if r.cmr_offer_date else None)
            for r in records]


def test_the_years_records_match_the_visits_in_the_store_row_by_row(demo_store):
    _practice(demo_store)
    data = mtm_records(demo_store, *YEAR)
    expected = _expected(demo_store)
    assert len(expected) == 8
    assert _got(data.records) == expected
    # the demo's offers: each CMR but Kowalski's was offered; O'Brien's initial offer counts;
    # Washington was offered and has had no CMR: a row of its own
    offered = {(r.last_name, r.service): r.cmr_offer_date for r in data.records
               if r.service in ("CMR", "offer")}
    assert offered[("Kowalski", "CMR")] is None
    assert offered[("O'Brien", "CMR")] == date(2026, 4, 8)  # the initial offer, not Apr 26
    assert offered[("Washington", "offer")] == date(2026, 10, 25)
    assert all(offered[(n, "CMR")] for n in ("Müller", "Nguyễn", "O'Brien"))
    assert {r.provider_npi for r in data.records} == {"1093817466"}
    cmr = next(r for r in data.records if r.visit_id == 1)
    assert (cmr.recipient_name, cmr.recipient_relation, cmr.written_summary_method,
            cmr.delivery_method_code) == ("Rosa Diaz", "daughter", "mail", "01")
    tmr = next(r for r in data.records if r.visit_id == 5)
    assert tmr.service == "TMR" and tmr.delivery_method_code == "02"
    assert tmr.written_summary_sent_on is None


def test_one_plan_and_the_csv_and_json(demo_store, tmp_path):
    _practice(demo_store)
    plan = "Prairie Senior Rx (PDP)"
    data = mtm_records(demo_store, *YEAR, plan="  prairie senior rx (pdp) ")
    assert [p.plan_name for p in data.plans] == [plan]
    assert _got(data.records) == _expected(demo_store, plan)
    rows = list(csv.DictReader(io.StringIO(records_bytes(data, "csv").decode("utf-8"))))
    assert list(rows[0]) == MtmRecord.columns()
    assert [(r["visit_id"], r["service"], r["recipient"]) for r in rows] == [
        (str(g[0]), g[3], g[6]) for g in _expected(demo_store, plan)]
    out = tmp_path / "mtm.json"
    assert export_records(demo_store, data, out) == len(rows)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert [r["visit_id"] for r in doc["records"]] == [int(r["visit_id"]) for r in rows]
    with demo_store.session() as s:
        audit = s.execute(text("SELECT detail FROM audit_event WHERE entity = 'mtm_records'")).all()
    assert audit and "Prairie" not in audit[-1][0]


def test_the_summary_prints_one_section_per_plan_with_its_figures(demo_store, tmp_path):
    _practice(demo_store)
    data = mtm_records(demo_store, *YEAR)
    pdf = tmp_path / "summary.pdf"
    export_summary(demo_store, data, pdf)
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(str(pdf)).pages]
    whole = "\n".join(pages)
    for plan in data.plans:
        assert f"MTM services — {plan.plan_name}" in whole
        for r in plan.records:
            assert r.member_id in whole
    prairie = next(p for p in pages if "Prairie Senior Rx" in p)
    assert "Comprehensive medication reviews (CMR) 2" in prairie
    assert "Targeted medication reviews (TMR) 1" in prairie
    # a CMR whose summary's delivery is not recorded is flagged for the plan
    assert "1 CMR(s) without the recipient" in prairie


def test_cli_mtm_records_and_the_eligibility_command_beside_it(tmp_path):
    data = str(tmp_path / "d")
    assert run_cli("--data-dir", data, "demo").returncode == 0
    out, pdf = tmp_path / "mtm.csv", tmp_path / "mtm.pdf"
    res = run_cli("--data-dir", data, "mtm", "records", "--from", "2026-01-01", "--to",
                  "2026-12-31", "--out", str(out), "--pdf", str(pdf))
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 8 and f"{len(rows)} MTM service(s)" in res.stdout
    assert sum(bool(r["cmr_offer_date"]) for r in rows) == 4
    assert PdfReader(str(pdf)).pages
    bad = run_cli("--data-dir", data, "mtm", "records", "--from", "2026-12-31", "--to",
                  "2026-01-01", "--out", str(out))
    assert bad.returncode == 2 and "--to is before --from" in bad.stderr
    assert run_cli("--data-dir", data, "mtm").returncode == 2
    assert run_cli("--data-dir", data, "mtm", "--patient", "1", "--json").returncode == 0
