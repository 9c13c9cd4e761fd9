"""Medication list CSV: every column, accents kept, formulas neutralised."""

from __future__ import annotations

import csv
from datetime import date

from mmsdesk.interop.csv_export import COLUMNS, write_medication_csv
from mmsdesk.services.medications import MedicationService
from tests.conftest import TODAY


def test_demo_patient_csv(demo_store, tmp_path):
    from mmsdesk.services.patients import PatientService

    pid = next(r.id for r in PatientService(demo_store).list_rows() if r.last_name == "Müller")
    svc = MedicationService(demo_store)
    rows = svc.list_for_patient(pid)
    svc.stop(rows[0].id, date(2026, 11, 1), "=HYPERLINK(bad)", TODAY)
    out = tmp_path / "meds.csv"
    write_medication_csv(svc.list_for_patient(pid), str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert tuple(table[0]) == COLUMNS
    assert len(table) == 1 + len(rows)
    by_name = {r[0]: r for r in table[1:]}
    warfarin = by_name["Warfarin 5 mg tablet (Coumadin)"]
    assert warfarin[10:13] == ["warfarin", "5 mg", "oral tablet"]
    assert warfarin[6] == "stopped" and warfarin[9] == "'=HYPERLINK(bad)"
    assert warfarin[1] == "Take 1 tablet by mouth every evening"
