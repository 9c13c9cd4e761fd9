"""`mmsdesk export-fhir` and `mmsdesk import-fhir` as the user runs them."""

from __future__ import annotations

import json

from tests.conftest import run_cli


def test_export_fhir_then_bad_patient(tmp_path):
    data = tmp_path / "d"
    assert run_cli("--data-dir", str(data), "demo").returncode == 0
    rows = json.loads(run_cli("--data-dir", str(data), "patients", "list", "--json").stdout)
    pid = next(r["id"] for r in rows if r["last_name"] == "Müller")
    out = tmp_path / "muller.json"
    res = run_cli("--data-dir", str(data), "export-fhir", str(pid), str(out))
    assert res.returncode == 0, res.stderr
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert bundle["resourceType"] == "Bundle" and bundle["entry"][0]["resource"]["birthDate"] == "1943-05-14"
    assert f"Wrote {len(bundle['entry'])} resources" in res.stdout
    missing = run_cli("--data-dir", str(data), "export-fhir", "9999", str(tmp_path / "x.json"))
    assert missing.returncode == 2 and missing.stderr.strip() == "mmsdesk: No patient with id 9999."
    assert not (tmp_path / "x.json").exists()


def test_import_fhir_json_and_truncated_refusal(tmp_path):
    from tests.conftest import shared_data

    folder = shared_data("synthea-r4")
    good = sorted(p for p in folder.glob("*.json") if not p.name.startswith("TRUNCATED"))[2]
    data = tmp_path / "d"
    res = run_cli("--data-dir", str(data), "import-fhir", str(good), "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert set(out) == {"patient_id", "created"}
    assert set(out["created"]) == {"medications", "allergies", "conditions", "observations", "pgx"}
    assert out["created"]["medications"] == 10 and out["created"]["allergies"] == 3
    # Plain output names the counts; a second import matches the patient and adds nothing.
    again = run_cli("--data-dir", str(data), "import-fhir", str(good))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"Imported into existing patient {out['patient_id']}: 0 medications")
    listing = json.loads(run_cli("--data-dir", str(data), "patients", "list", "--json").stdout)
    truncated = next(folder.glob("TRUNCATED-*.json"))
    bad = run_cli("--data-dir", str(data), "import-fhir", str(truncated), "--json")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.count("\n") == 1 and "not valid JSON" in bad.stderr and truncated.name in bad.stderr
    assert json.loads(run_cli("--data-dir", str(data), "patients", "list", "--json").stdout) == listing
