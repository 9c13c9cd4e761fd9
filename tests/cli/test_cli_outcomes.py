"""`mmsdesk outcomes`, `refills`, `followups ics` and `mtm` run headless and fail in one line."""

from __future__ import annotations

import csv
import json

from pypdf import PdfReader

from tests.conftest import run_cli


def test_refills_pdc_outcomes_ics_mtm(tmp_path):
    data = str(tmp_path / "d")
    assert run_cli("--data-dir", data, "demo").returncode == 0
    fills = tmp_path / "fills.csv"
    fills.write_text("Fill Date,Medication,Days\n2026-01-02,Lisinopril 10 mg,30\n"
                     "2026-02-01,Lisinopril 10 mg,30\n", encoding="utf-8")
    out = run_cli("--data-dir", data, "refills", "import", "--patient", "1", str(fills),
                  "--map", "fill_date=Fill Date", "--map", "drug=Medication",
                  "--map", "days_supply=Days")
    assert out.returncode == 0, out.stderr
    assert "Imported 2 fills" in out.stdout
    pdc = run_cli("--data-dir", data, "refills", "pdc", "--patient", "1", "--json")
    assert pdc.returncode == 0, pdc.stderr
    rows = json.loads(pdc.stdout)
    assert any(r["key"] == "lisinopril" and r["fills"] == 2 for r in rows)

    stay = run_cli("--data-dir", data, "refills", "pdc", "--patient", "1", "--json",
                   "--hospital", "2026-01-10:2026-01-14")
    assert stay.returncode == 0, stay.stderr
    with_stay = next(r for r in json.loads(stay.stdout) if r["key"] == "lisinopril")
    without = next(r for r in rows if r["key"] == "lisinopril")
    assert with_stay["days"] == without["days"] - 5
    wrong = run_cli("--data-dir", data, "refills", "pdc", "--patient", "1", "--hospital", "2026-01-10")
    assert wrong.returncode == 2 and "FROM:TO" in wrong.stderr

    bad = tmp_path / "bad.csv"
    bad.write_text("Date Filled,Drug,Days Supply\n2026-01-02,x,30\nnot a date,y,30\n", encoding="utf-8")
    err = run_cli("--data-dir", data, "refills", "import", "--patient", "1", str(bad))
    assert err.returncode == 2
    assert err.stderr.count("\n") == 1 and "line 3" in err.stderr and "Traceback" not in err.stderr

    pdf, csv_path = tmp_path / "o.pdf", tmp_path / "o.csv"
    rep = run_cli("--data-dir", data, "outcomes", "--from", "2025-01-01", "--to", "12/31/2025",
                  "--pdf", str(pdf), "--csv", str(csv_path))
    assert rep.returncode == 0, rep.stderr
    assert "Outcomes report" in PdfReader(str(pdf)).pages[0].extract_text()
    rows = list(csv.reader(csv_path.open(encoding="utf-8")))
    assert rows[1] == ["period", "start", "2025-01-01"]
    backwards = run_cli("--data-dir", data, "outcomes", "--from", "2025-02-01", "--to", "2025-01-01")
    assert backwards.returncode == 2 and "before" in backwards.stderr

    ics = run_cli("--data-dir", data, "followups", "ics")
    assert ics.returncode == 0 and ics.stdout.startswith("BEGIN:VCALENDAR")

    mtm = run_cli("--data-dir", data, "mtm", "--patient", "1", "--year", "2025", "--json")
    assert mtm.returncode == 0, mtm.stderr
    assert json.loads(mtm.stdout)["year"] == 2025
    assert json.loads(mtm.stdout)["verdict"] in ("meets", "does not meet", "cost not known")
    assert "CY 2025" in json.loads(mtm.stdout)["threshold_source"]
    missing = run_cli("--data-dir", data, "mtm", "--patient", "999")
    assert missing.returncode == 2 and "not found" in missing.stderr
