"""Fill histories as pharmacies export them (issue 19, item 3): the same fills in six shapes
(comma, tab, semicolon, pipe; with and without NDC; dates with times; hyphenated NDCs; a
title line above the header) import to the same result; an NDC alone names the drug through
the dictionary's NDC directory; a file with two patients is matched by name and birth date,
the unmatched listed; a broken row is named by its line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from mmsdesk.interop.refill_csv import (
    RefillImportError,
    load_refill_file,
    ndc11,
    parse_date,
    parse_refill_csv,
)
from mmsdesk.models import FillRecord, Patient, PatientPharmacy, Pharmacy
from mmsdesk.services import refills
from tests.conftest import TODAY

# The same three fills, as each shape writes them: (date, drug, strength, qty, days, NDC)
FILLS = [("2026-01-05", "Metformin", "500 mg", "60", "30", "00093-7212-01"),
         ("2026-02-04", "Metformin", "500 mg", "60", "30", "0093-7212-01"),
         ("2026-02-10", "Lisinopril", "10 mg", "30", "30", "68180-0513-01")]
US = {"2026-01-05": "01/05/2026 10:32 AM", "2026-02-04": "02/04/2026 9:10 AM",
      "2026-02-10": "02/10/2026 4:45 PM"}


def _shape(sep: str, *, ndc: bool, dates: str, title: bool = False) -> str:
    head = ["Rx #", "Fill Date", "Drug Name", "Strength", "Qty", "Days Supply"]
    head += ["NDC"] if ndc else []
    head += ["Prescriber", "Prescriber NPI", "Sig", "Pharmacy", "NCPDP"]
    lines = ["Prescription history report,,,"] if title else []
    lines.append(sep.join(head))
    for n, (day, drug, strength, qty, days, code) in enumerate(FILLS, start=1):
        when = {"iso": day, "iso-time": f"{day}T09:10:00", "us-time": US[day]}[dates]
        row = [f"{700100 + n}", when, drug, strength, qty, days]
        row += [code] if ndc else []
        row += ["Dr Ana Ruiz", "1234567893", "take 1 tablet by mouth daily",
                "Main Street Pharmacy", "0512345"]
        lines.append(sep.join(row))
    return "\n".join(lines) + "\n"


SHAPES = {
    "comma": _shape(",", ndc=True, dates="iso"),
    "tab, dates with times": _shape("\t", ndc=True, dates="us-time"),
    "semicolon, no NDC": _shape(";", ndc=False, dates="iso-time"),
    "pipe, title line": _shape("|", ndc=True, dates="us-time", title=True),
    "comma, no NDC, times": _shape(",", ndc=False, dates="us-time"),
    "tab, ISO times": _shape("\t", ndc=True, dates="iso-time"),
}


def _result(text: str) -> list[tuple[object, ...]]:
    parsed = parse_refill_csv(text, source="fills.csv", today=TODAY)
    return [(r.fill_date, r.drug, r.quantity, r.days_supply, r.rx_number, r.prescriber_npi,
             r.sig) for r in parsed.rows]


def test_six_shapes_read_to_the_same_fills():
    results = {name: _result(text) for name, text in SHAPES.items()}
    expected = results["comma"]
    assert [r[:4] for r in expected] == [
        (date(2026, 1, 5), "Metformin 500 mg", 60.0, 30),
        (date(2026, 2, 4), "Metformin 500 mg", 60.0, 30),
        (date(2026, 2, 10), "Lisinopril 10 mg", 30.0, 30)]
    assert expected[0][4:] == ("700101", "1234567893", "take 1 tablet by mouth daily")
    for name, got in results.items():
        assert got == expected, name


def _stored(store, pid: int) -> list[tuple[object, ...]]:
    """Every field a fill keeps, with its pharmacy's name and NCPDP id, oldest first."""
    return sorted((f.fill_date, f.drug, f.quantity, f.days_supply, f.ndc, f.rx_number,
                   f.prescriber, f.prescriber_npi, f.sig, f.pharmacy, f.pharmacy_ncpdp)
                  for f in refills.fill_history(store, pid))


def test_shapes_import_to_the_same_records(store, tmp_path: Path):
    """Each shape into its own patient: the same stored fills, NDC, Rx number, prescriber,
    NPI, sig and pharmacy included (the NDC only where the shape has one); one pharmacy row,
    found again by its NCPDP id; importing a second shape to the same patient adds nothing."""
    stored = {}
    for i, (name, text) in enumerate(SHAPES.items()):
        with store.session() as s:
            p = Patient(first_name="Ana", last_name=f"Diaz{i}", date_of_birth=date(1950, 1, 2))
            s.add(p)
            s.flush()
            pid = p.id
        path = tmp_path / f"shape{i}.csv"
        path.write_text(text, encoding="utf-8")
        result = refills.import_csv(store, pid, path, today=TODAY)
        assert (result.added, result.skipped_duplicates) == (3, 0), name
        assert refills.import_csv(store, pid, path, today=TODAY).added == 0, name
        stored[name] = _stored(store, pid)
    expected = [(date(2026, 1, 5), "Metformin 500 mg", 60.0, 30, "00093721201", "700101"),
                (date(2026, 2, 4), "Metformin 500 mg", 60.0, 30, "00093721201", "700102"),
                (date(2026, 2, 10), "Lisinopril 10 mg", 30.0, 30, "68180051301", "700103")]
    same = ("Dr Ana Ruiz", "1234567893", "take 1 tablet by mouth daily",
            "Main Street Pharmacy", "0512345")
    for name, got in stored.items():
        with_ndc = "no NDC" not in name
        assert got == [(*e[:4], e[4] if with_ndc else "", e[5], *same) for e in expected], name
    with store.session() as s:
        assert [(p.name, p.ncpdp) for p in s.execute(select(Pharmacy)).scalars()] == [
            ("Main Street Pharmacy", "0512345")]
        rows = s.execute(select(FillRecord.drug_text, FillRecord.ingredients)).all()
    assert sorted(set(rows)) == [("Lisinopril 10 mg", "lisinopril"),
                                 ("Metformin 500 mg", "metformin")]


def test_pharmacy_found_by_ncpdp_npi_or_name(store, tmp_path: Path):
    """A fill's pharmacy is the store's pharmacy with its NCPDP id, else its NPI, else its
    name (any case) when that one has no other id; else a new pharmacy; an id the file gives
    is written into a pharmacy found by name without one."""
    with store.session() as s:
        p = Patient(first_name="Bo", last_name="Chen", date_of_birth=date(1941, 6, 7))
        s.add_all([p, Pharmacy(name="Corner Drug", npi="1003000126"),
                   Pharmacy(name="Mail Rx")])
        s.flush()
        pid = p.id
    path = tmp_path / "fills.csv"
    path.write_text(
        "Fill Date,Drug,Days Supply,Pharmacy,Pharmacy NCPDP\n"
        "2026-01-05,metformin 500 mg,30,CORNER DRUG STORE #12,1003000126\n"  # by NPI
        "2026-01-06,lisinopril 10 mg,30,mail rx,0598765\n"  # by name; NCPDP written in
        "2026-01-07,atorvastatin 20 mg,30,,0598765\n"  # by that NCPDP now
        "2026-01-08,amlodipine 5 mg,30,New Pharmacy,\n"  # created
        "2026-01-09,aspirin 81 mg,30,,\n", encoding="utf-8")  # none
    assert refills.import_csv(store, pid, path, today=TODAY).added == 5
    got = {f.drug.split()[0]: (f.pharmacy, f.pharmacy_ncpdp, f.pharmacy_npi)
           for f in refills.fill_history(store, pid)}
    assert got == {"metformin": ("Corner Drug", "", "1003000126"),
                   "lisinopril": ("Mail Rx", "0598765", ""),
                   "atorvastatin": ("Mail Rx", "0598765", ""),
                   "amlodipine": ("New Pharmacy", "", ""),
                   "aspirin": ("", "", "")}
    # the pharmacies that filled the patient's prescriptions join the care team, the first
    # one primary; a second import links nothing twice
    path.write_text("Fill Date,Drug,Days Supply,Pharmacy,Pharmacy NCPDP\n"
                    "2026-02-05,metformin 500 mg,30,Corner Drug,1003000126\n", encoding="utf-8")
    assert refills.import_csv(store, pid, path, today=TODAY).added == 1
    with store.session() as s:
        team = s.execute(select(Pharmacy.name, PatientPharmacy.is_primary).join(
            PatientPharmacy, PatientPharmacy.pharmacy_id == Pharmacy.id).where(
            PatientPharmacy.patient_id == pid).order_by(Pharmacy.name)).all()
    assert [tuple(t) for t in team] == [("Corner Drug", True), ("Mail Rx", False),
                                       ("New Pharmacy", False)]


@pytest.mark.parametrize("column,value,message", [
    ("Prescriber NPI", "12345", "line 2: the prescriber NPI is not 10 digits"),
    ("NCPDP", "12345", "line 2: the pharmacy NCPDP/NPI is not 7 digits (NCPDP) or 10 (NPI)"),
    ("Rx #", "R" * 33, "line 2: the Rx number is not at most 32 characters")])
def test_identifiers_of_the_wrong_shape_named_by_line(column: str, value: str, message: str):
    text = SHAPES["comma"]
    head, first, *rest = text.splitlines()
    cells = first.split(",")
    cells[head.split(",").index(column)] = value
    with pytest.raises(RefillImportError) as err:
        parse_refill_csv("\n".join([head, ",".join(cells), *rest]), source="f.csv", today=TODAY)
    assert err.value.errors == [message]


@pytest.mark.parametrize("text,expected", [
    ("00093721201", "00093721201"), ("0093-7212-01", "00093721201"),
    ("00093-212-01", "00093021201"), ("00093-7212-1", "00093721201"),
    ("00093-7212-01", "00093721201"), ("93-7212-01", ""), ("0093721201", ""), ("abc", "")])
def test_ndc_forms(text: str, expected: str):
    assert ndc11(text) == expected


@pytest.mark.parametrize("text", ["01/05/2026 10:32 AM", "2026-01-05T10:32:00",
                                  "2026-01-05T10:32:00-05:00", "1/5/2026 10:32", "20260105",
                                  "01/05/2026 10:32 a.m."])
def test_dates_with_and_without_times(text: str):
    assert parse_date(text) == date(2026, 1, 5)


def test_ndc_alone_names_the_drug_through_the_ndc_directory(tmp_path: Path, ndc_directory):
    text = ("Fill Date|NDC|Qty|Days Supply\n"
            "2026-03-01|00002-1407-01|30|30\n"  # 5-4-2 of the directory's 0002-1407
            "2026-03-31|0002-1407-01|30|30\n")  # 4-4-2
    parsed = parse_refill_csv(text, source="ndc.txt", today=TODAY)
    assert [r.ndc for r in parsed.rows] == ["00002140701", "00002140701"]
    assert all("Quinidine" in r.drug for r in parsed.rows)
    assert {refills.ingredients_of_row(r) for r in parsed.rows} == {"quinidine"}


def test_broken_row_named_by_its_line():
    text = SHAPES["pipe, title line"].replace("02/04/2026 9:10 AM", "02/30/2026 9:10 AM")
    with pytest.raises(RefillImportError) as err:
        parse_refill_csv(text, source="fills.csv", today=TODAY)
    assert err.value.errors == ["line 4: the date filled is not a date (use YYYY-MM-DD or "
                                "MM/DD/YYYY)"]
    bad_ndc = SHAPES["comma"].replace("68180-0513-01", "68180-51-01")
    with pytest.raises(RefillImportError, match="line 4: the NDC is not an NDC"):
        parse_refill_csv(bad_ndc, source="fills.csv", today=TODAY)


def test_two_patients_matched_by_name_and_birth_date_unmatched_listed(store, tmp_path: Path):
    with store.session() as s:
        ana = Patient(first_name="Ana", last_name="Díaz", date_of_birth=date(1950, 1, 2))
        bo = Patient(first_name="Bo", last_name="Chen", date_of_birth=date(1941, 6, 7))
        s.add_all([ana, bo])
        s.flush()
        ids = (ana.id, bo.id)
    path = tmp_path / "store-export.txt"
    path.write_text(
        "Patient\tDOB\tFill Date\tDrug Name\tQty\tDays Supply\n"
        "Diaz, Ana\t01/02/1950\t01/05/2026 10:32 AM\tmetformin 500 mg\t60\t30\n"
        "Bo Chen\t06/07/1941\t01/06/2026 11:00 AM\tatorvastatin 20 mg\t30\t30\n"
        "ANA DIAZ\t1950-01-02\t02/04/2026 09:10 AM\tmetformin 500 mg\t60\t30\n"
        "Cy Park\t03/04/1960\t02/05/2026 10:00 AM\tlisinopril 10 mg\t30\t30\n", encoding="utf-8")
    assert [r.patient for r in load_refill_file(path, today=TODAY).rows][0] == "Diaz, Ana"
    result = refills.import_csv_patients(store, path, today=TODAY)
    assert result.added == {ids[0]: 2, ids[1]: 1}
    assert result.unmatched == ["Cy Park, born 03/04/1960 (lines 5)"]
    with store.session() as s:
        rows = s.execute(select(FillRecord.patient_id, FillRecord.ingredients)).all()
    assert sorted(rows) == sorted([(ids[0], "metformin"), (ids[0], "metformin"),
                                   (ids[1], "atorvastatin")])


def test_several_patients_written_all_or_nothing(store, tmp_path: Path, monkeypatch):
    """The patients of one file go in one transaction: a failure while writing the second
    patient's fills leaves the first patient's out too (each had its own before)."""
    with store.session() as s:
        s.add_all([Patient(first_name="Ana", last_name="Díaz", date_of_birth=date(1950, 1, 2)),
                   Patient(first_name="Bo", last_name="Chen", date_of_birth=date(1941, 6, 7))])
    path = tmp_path / "two.csv"
    path.write_text("Patient,DOB,Fill Date,Drug Name,Days Supply\n"
                    "Ana Diaz,01/02/1950,2026-01-05,metformin 500 mg,30\n"
                    "Bo Chen,06/07/1941,2026-01-06,atorvastatin 20 mg,30\n", encoding="utf-8")
    real = refills.ingredients_of_row

    def failing(row):  # the disk full, say, at Bo's fill
        if row.patient == "Bo Chen":
            raise OSError("disk full")
        return real(row)

    monkeypatch.setattr(refills, "ingredients_of_row", failing)
    with pytest.raises(OSError):
        refills.import_csv_patients(store, path, today=TODAY)
    with store.session() as s:
        assert s.execute(select(FillRecord)).first() is None
    monkeypatch.setattr(refills, "ingredients_of_row", real)
    result = refills.import_csv_patients(store, path, today=TODAY)
    assert sorted(result.added.values()) == [1, 1] and result.change.patient_ids == set(
        result.added)
