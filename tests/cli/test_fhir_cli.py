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
