"""Refill CSV import: mapping, errors naming the line, all or nothing."""

from __future__ import annotations

import re
import string
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mmsdesk.interop.refill_csv import RefillImportError, guess_mapping, parse_refill_csv
from mmsdesk.models import AuditEvent, FillRecord, Patient
from mmsdesk.services import refills
from tests.conftest import TODAY

GOOD = """Date Filled,Drug Name,Qty,Days Supply,Pharmacy
2026-01-05,Lisinopril 10 mg tablet,30,30,Main Street Pharmacy
02/04/2026,Lisinopril 10 mg tablet,30,30,Main Street Pharmacy
2026-01-05,"Atorvastatin 40 mg, tablet",90,90,
"""


@pytest.fixture
def patient_id(store):
    with store.session() as s:
        p = Patient(first_name="Ana", last_name="Ruiz", date_of_birth=date(1950, 1, 1))
        s.add(p)
        s.flush()
        return p.id


def fill_count(store) -> int:
    with store.session() as s:
        return s.execute(select(func.count()).select_from(FillRecord)).scalar_one()


def test_guess_mapping_reads_common_headers():
    m = guess_mapping(["Date Filled", "Drug Name", "Qty", "Days Supply", "Pharmacy"])
    assert m == {"fill_date": "Date Filled", "drug": "Drug Name", "quantity": "Qty",
                 "days_supply": "Days Supply", "pharmacy": "Pharmacy"}


def test_parse_good_file():
    f = parse_refill_csv(GOOD, today=TODAY)
    assert [(r.line, r.fill_date, r.days_supply) for r in f.rows] == [
        (2, date(2026, 1, 5), 30), (3, date(2026, 2, 4), 30), (4, date(2026, 1, 5), 90)]
    assert f.rows[2].drug == "Atorvastatin 40 mg, tablet"
    assert f.rows[0].quantity == 30.0


def test_explicit_mapping_for_odd_headers():
    text = "When,What,Supply\n2026-03-01,Metformin 500 mg,30\n"
    with pytest.raises(RefillImportError, match="no column for date filled"):
        parse_refill_csv(text)
    f = parse_refill_csv(text, {"fill_date": "When", "drug": "What", "days_supply": "Supply"})
    assert f.rows[0].drug == "Metformin 500 mg"


def test_every_bad_line_is_named():
    text = GOOD + "2026-13-40,Metformin,30,30,\n2026-02-01,,30,30,\n2026-02-01,Metformin,30,abc,\n"
    with pytest.raises(RefillImportError) as err:
        parse_refill_csv(text, source="fills.csv")
    msg = str(err.value)
    assert msg.startswith("fills.csv: nothing imported")
    assert "line 5: the date filled is not a date" in msg
    assert "line 6: the drug is empty" in msg
    assert "line 7: the days' supply is not a number" in msg
    assert "Metformin" not in msg  # no medicine names in messages (they may be logged)


def test_line_numbers_count_quoted_newlines():
    text = 'date,drug,days supply\n2026-01-01,"Two\nline drug",30\n2026-01-02,x,0\n'
    with pytest.raises(RefillImportError, match="line 4: the days' supply must be between"):
        parse_refill_csv(text)


def test_import_writes_all_rows_once(store, patient_id, tmp_path):
    path = tmp_path / "fills.csv"
    path.write_text(GOOD, encoding="utf-8")
    res = refills.import_csv(store, patient_id, path, today=TODAY)
    assert (res.added, res.skipped_duplicates) == (3, 0)
    again = refills.import_csv(store, patient_id, path, today=TODAY)
    assert (again.added, again.skipped_duplicates) == (0, 3)
    assert fill_count(store) == 3
    with store.session() as s:
        details = list(s.execute(select(AuditEvent.detail).where(
            AuditEvent.action == "import", AuditEvent.patient_id == patient_id)).scalars())
    assert details == ["refill history (csv): 3 fills added, 0 already recorded",
                       "refill history (csv): 0 fills added, 3 already recorded"]
    summary = refills.patient_adherence(store, patient_id, date(2026, 3, 5))
    lis = next(r for r in summary.by_drug if r.key == "lisinopril")
    assert (lis.days_in_period, lis.days_covered) == (60, 60)
    assert [c.key for c in summary.by_class] == ["RAS antagonists", "Statins"]


def test_dictionary_names_ingredients_and_classes(store, patient_id, tmp_path):
    path = tmp_path / "fills.csv"
    path.write_text("Date Filled,Drug,Days Supply\n"
                    "2026-01-01,Lisinopril 10 mg tablet,30\n"
                    "2026-01-21,Zestoretic 20-12.5 tablet,30\n"
                    "2026-01-01,Amlodipine 5 mg tablet,30\n"
                    "2026-01-01,Mystery herbal tea,30\n", encoding="utf-8")
    refills.import_csv(store, patient_id, path, today=TODAY)
    with store.session() as s:
        stored = dict(s.execute(select(FillRecord.drug_text, FillRecord.ingredients)).all())
    assert stored["Zestoretic 20-12.5 tablet"] == "hydrochlorothiazide;lisinopril"
    assert stored["Mystery herbal tea"] == ""
    summary = refills.patient_adherence(store, patient_id, date(2026, 3, 31))
    classes = {c.key: c for c in summary.by_class}
    # the combination shares lisinopril with the first fill, so the class shifts it forward
    assert (classes["RAS antagonists"].days_covered, classes["RAS antagonists"].days_in_period) == (60, 90)
    assert classes["calcium channel blocker (blood pressure)"].days_covered == 30
    assert {r.key for r in summary.by_drug} == {
        "lisinopril", "hydrochlorothiazide;lisinopril", "amlodipine", "mystery herbal tea"}


def test_bad_file_writes_nothing(store, patient_id, tmp_path):
    path = tmp_path / "fills.csv"
    path.write_text(GOOD + "2026-02-01,Metformin,30,-3,\n", encoding="utf-8")
    with pytest.raises(RefillImportError, match="line 5"):
        refills.import_csv(store, patient_id, path, today=TODAY)
    assert fill_count(store) == 0


def test_future_date_refused():
    with pytest.raises(RefillImportError, match="line 2: the date filled is out of range"):
        parse_refill_csv("date,drug,days supply\n2027-01-01,x,30\n", today=TODAY)


def test_binary_file_refused(store, patient_id, tmp_path):
    path = tmp_path / "fills.csv"
    path.write_bytes(b"\x00\x01\x02PK\x03\x04")
    with pytest.raises(RefillImportError, match="fills.csv: nothing imported"):
        refills.import_csv(store, patient_id, path)


CELL = st.one_of(
    st.text(alphabet=string.printable + "éü–\u00a0\x00", max_size=20),
    st.sampled_from(["", "2026-01-05", "13/45/2026", "30", "-1", "0", "1e9", "nan", "inf",
                     "30.5", "Lisinopril 10 mg", '"', '""', "\n", "\r", ",", "2026-02-30"]),
)
HEADER = st.lists(st.sampled_from(["Date Filled", "Drug", "Days Supply", "Qty", "Pharmacy",
                                   "junk", "", "date"]), min_size=0, max_size=6)


@st.composite
def malformed_csv(draw):
    header = draw(HEADER)
    rows = draw(st.lists(st.lists(CELL, max_size=7), max_size=8))
    text = ",".join(header) + "\n" + "\n".join(",".join(r) for r in rows)
    if draw(st.booleans()):  # make sure at least one line is certainly bad
        text = "Date Filled,Drug,Days Supply\n2026-01-05,Lisinopril,30\n" + \
            draw(st.sampled_from(["2026-01-06,Lisinopril,", "x,y,z", ",,", "2026-01-07,,30",
                                  '2026-01-08,"unterminated,30', "2026-01-09,x,400"])) + "\n"
    return text


@settings(max_examples=1200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=malformed_csv())
def test_malformed_csv_never_crashes_names_a_line_and_writes_nothing(store, patient_id,
                                                                     tmp_path, text):
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8", newline="")
    try:
        res = refills.import_csv(store, patient_id, path, today=TODAY)
    except RefillImportError as exc:
        assert re.search(r"line \d+: ", str(exc)), str(exc)
        assert str(exc).startswith("in.csv: nothing imported")
        assert fill_count(store) == 0
        return
    # Accepted: every row was valid, and exactly those rows were written; then clean up.
    assert res.added >= 1
    assert fill_count(store) == res.added
    with store.session() as s:
        for f in s.execute(select(FillRecord)).scalars():
            s.delete(f)
