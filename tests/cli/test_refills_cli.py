"""`mmsdesk refills import` as pharmacies' files come: a column mapping remembered per
pharmacy, a preview that writes nothing, a file of several patients matched by name and
birth date with the unmatched listed."""

from __future__ import annotations

import json

from tests.conftest import run_cli


def _patients(data: str) -> dict[str, dict]:
    rows = json.loads(run_cli("--data-dir", data, "patients", "list", "--json").stdout)
    return {r["last_name"]: r for r in rows}


def test_mapping_remembered_per_pharmacy_and_preview(tmp_path):
    data = str(tmp_path / "d")
    assert run_cli("--data-dir", data, "demo").returncode == 0
    pid = str(next(iter(_patients(data).values()))["id"])
    odd = tmp_path / "corner.txt"
    odd.write_text("Dispensed On;Item Description;Supply\n"
                   "01/02/2026 08:15 AM;Lisinopril 10 mg;30\n"
                   "02/01/2026 08:20 AM;Lisinopril 10 mg;30\n", encoding="utf-8")
    first = run_cli("--data-dir", data, "refills", "import", "--patient", pid, str(odd),
                    "--pharmacy", "Corner Drug", "--preview", "--map", "fill_date=Dispensed On",
                    "--map", "drug=Item Description", "--map", "days_supply=Supply")
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "Would import 2 fills (0 already recorded); nothing written"
    # the next file from the same pharmacy needs no --map
    again = run_cli("--data-dir", data, "refills", "import", "--patient", pid, str(odd),
                    "--pharmacy", "Corner Drug")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "Imported 2 fills (0 already recorded)"
    other = run_cli("--data-dir", data, "refills", "import", "--patient", pid, str(odd),
                    "--pharmacy", "Another Pharmacy")
    assert other.returncode == 2 and "no column for date filled" in other.stderr


def test_file_of_several_patients(tmp_path):
    data = str(tmp_path / "d")
    assert run_cli("--data-dir", data, "demo").returncode == 0
    people = list(_patients(data).values())[:2]
    lines = ["Patient Name|DOB|Date Filled|Drug|Qty|Days Supply"]
    for n, p in enumerate(people):
        y, m, d = p["date_of_birth"].split("-")
        lines.append(f"{p['last_name']}, {p['first_name']}|{m}/{d}/{y}|2026-01-0{n + 2}T10:00:00"
                     f"|metformin 500 mg|60|30")
    lines.append("Nobody Known|01/01/1930|2026-01-05T10:00:00|metformin 500 mg|60|30")
    f = tmp_path / "fills.psv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    pre = run_cli("--data-dir", data, "refills", "import", str(f), "--preview")
    assert pre.returncode == 0, pre.stderr
    assert f"Would import 1 fills for patient {people[0]['id']}" in pre.stdout
    assert "no patient with this name and birth date: Nobody Known, born 01/01/1930 (lines 4)" \
        in pre.stdout
    done = run_cli("--data-dir", data, "refills", "import", str(f))
    assert done.returncode == 0, done.stderr
    assert f"Imported 1 fills for patient {people[1]['id']}" in done.stdout
    twice = run_cli("--data-dir", data, "refills", "import", str(f))
    assert f"Imported 0 fills for patient {people[0]['id']}" in twice.stdout
    assert "2 already recorded" in twice.stdout


def test_fills_listed_with_what_the_pharmacy_file_gave(tmp_path):
    data = str(tmp_path / "d")
    assert run_cli("--data-dir", data, "demo").returncode == 0
    pid = str(next(iter(_patients(data).values()))["id"])
    f = tmp_path / "fills.txt"
    f.write_text("Rx #\tFill Date\tDrug Name\tQty\tDays Supply\tNDC\tPrescriber\tPrescriber NPI"
                 "\tSig\tPharmacy\tNCPDP\n"
                 "700101\t01/05/2026 10:32 AM\tMetformin 500 mg\t60\t30\t00093-7212-01"
                 "\tDr Ana Ruiz\t1234567893\ttake 1 tablet twice daily\tMain Street Pharmacy"
                 "\t0512345\n", encoding="utf-8")
    done = run_cli("--data-dir", data, "refills", "import", "--patient", pid, str(f))
    assert done.returncode == 0, done.stderr
    out = run_cli("--data-dir", data, "refills", "fills", "--patient", pid, "--json")
    assert out.returncode == 0, out.stderr
    [fill] = [r for r in json.loads(out.stdout) if r["rx_number"] == "700101"]
    assert {k: fill[k] for k in ("fill_date", "ndc", "prescriber", "prescriber_npi", "sig",
                                 "pharmacy", "pharmacy_ncpdp", "quantity", "days_supply")} == {
        "fill_date": "2026-01-05", "ndc": "00093721201", "prescriber": "Dr Ana Ruiz",
        "prescriber_npi": "1234567893", "sig": "take 1 tablet twice daily",
        "pharmacy": "Main Street Pharmacy", "pharmacy_ncpdp": "0512345", "quantity": 60.0,
        "days_supply": 30}
    text = run_cli("--data-dir", data, "refills", "fills", "--patient", pid)
    assert ("01/05/2026  Metformin 500 mg  60 for 30 days  NDC 00093721201  Rx 700101  by Dr "
            "Ana Ruiz  NPI 1234567893  at Main Street Pharmacy  NCPDP 0512345  sig: take 1 "
            "tablet twice daily") in text.stdout
