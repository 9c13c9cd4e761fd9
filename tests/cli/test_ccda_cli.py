"""A real C-CDA wherever a list comes in on the command line: `mmsdesk import` (preview and
all or nothing), `mmsdesk screen`, `mmsdesk reconcile --list KIND=FILE`; a truncated copy
refused with exit 2 and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli, shared_data

NIST = "NIST__CCDA_CCD_b1_Ambulatory_v2.xml"


def _cli(data: Path, *args: str):
    return run_cli("--data-dir", str(data), "--no-encryption", *args)


def test_import_ccda_preview_then_import_then_again(tmp_path: Path):
    doc = shared_data("ccda", NIST)
    data = tmp_path / "d"
    pre = _cli(data, "import", str(doc), "--preview", "--json")
    assert pre.returncode == 0, pre.stderr
    out = json.loads(pre.stdout)
    assert out["format"] == "ccda" and out["patient"] == "Myra Jones"
    assert out["existing_patient_id"] is None and "patient_id" not in out
    assert out["to_create"]["medications"] == 1  # the current list; the discharge list is not
    assert out["to_create"]["allergies"] == 3 and out["to_create"]["conditions"] >= 1
    assert any(s.startswith("Discharge medications (1") and "reconciliation" in s
               for s in out["skipped"])
    assert out["document"]["author"] == "Henry Seven"
    assert out["document"]["date"] == "2012-09-12"
    assert [(x["kind"], x["imported"]) for x in out["document"]["lists"]] == [
        ("current", True), ("discharge", False)]
    listing = json.loads(_cli(data, "patients", "list", "--json").stdout)
    assert listing == []  # the preview wrote nothing
    res = _cli(data, "import", str(doc), "--json")
    assert res.returncode == 0, res.stderr
    done = json.loads(res.stdout)
    assert done["created"]["medications"] == 1 and done["created"]["allergies"] == 3
    again = _cli(data, "import", str(doc))
    assert again.returncode == 0, again.stderr
    assert f"Imported into existing patient {done['patient_id']}: 0 medications" in again.stdout
    assert "C-CDA: " in again.stdout and "Discharge medications: 1" in again.stdout


def test_import_fhir_bundle_through_import(tmp_path: Path):
    good = sorted(p for p in shared_data("synthea-r4").glob("*.json")
                  if not p.name.startswith("TRUNCATED"))[2]
    res = _cli(tmp_path / "d", "import", str(good), "--json")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["format"] == "fhir" and out["document"] is None
    assert out["created"]["medications"] == 10 and out["created"]["allergies"] == 3


def test_truncated_ccda_refused_everywhere_nothing_written(tmp_path: Path):
    raw = shared_data("ccda", NIST).read_bytes()
    cut = tmp_path / "discharge.xml"
    cut.write_bytes(raw[: len(raw) // 2])
    data = tmp_path / "d"
    imp = _cli(data, "import", str(cut), "--json")
    assert imp.returncode == 2 and imp.stdout == ""
    assert imp.stderr.count("\n") == 1 and "discharge.xml: not a readable C-CDA" in imp.stderr
    assert not (data / "mmsdesk.sqlite3").exists()  # nothing written, not even a store
    scr = _cli(data, "screen", str(cut))
    assert scr.returncode == 2 and scr.stderr.count("\n") == 1 and "cut short" in scr.stderr


def test_screen_ccda_screens_the_discharge_list(tmp_path: Path):
    res = run_cli("screen", str(shared_data("ccda", NIST)), "--today", "2012-09-13")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["format"] == "ccda"
    assert [m["text"] for m in out["medications"]] == [
        "120 ACTUAT Fluticasone propionate 0.11 MG/ACTUAT Metered Dose Inhaler"]
    assert out["medications"][0]["ingredients"] == ["fluticasone"]
    assert out["medications"][0]["status"] == "active"  # a discharge list's dates do not end it
    assert [(x["kind"], x["screened"]) for x in out["document"]["lists"]] == [
        ("current", False), ("discharge", True)]
    assert out["patient"]["name"] == "Myra Jones" and out["patient"]["age"] == 65
    assert out["patient"]["allergies"] == ["Codeine", "Aspirin"]  # penicillin: inactive
    text = run_cli("screen", str(shared_data("ccda", NIST)), "--format", "text")
    assert text.returncode == 0 and "list screened: Discharge medications" in text.stdout
    # a CCD with a home list only: its current medications are screened
    ccd = run_cli("screen", str(shared_data("ccda", "EMERGE__Patient-1.xml")))
    assert ccd.returncode == 0, ccd.stderr
    meds = json.loads(ccd.stdout)["medications"]
    assert len(meds) == 8 and all(m["ingredients"] for m in meds)


def test_reconcile_with_a_ccda_discharge_list(tmp_path: Path):
    data = tmp_path / "d"
    assert _cli(data, "demo").returncode == 0
    rows = json.loads(_cli(data, "patients", "list", "--json").stdout)
    pid = rows[0]["id"]
    doc = shared_data("ccda", NIST)
    before = (data / "mmsdesk.sqlite3").read_bytes()
    out = _cli(data, "reconcile", "--patient", str(pid), "--list", f"discharge={doc}", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    (lst,) = result["lists"]
    assert lst["kind"] == "discharge_list" and lst["medicines"] == 1
    assert lst["date"] == "2012-09-12"  # the document's date
    assert lst["label"] == (f"Discharge list ({doc.name}): Henry Seven, Community Health and "
                            "Hospitals")
    omission = [d for d in result["discrepancies"] if d["kind"] == "omission"]
    assert [d["ingredients"] for d in omission] == [["fluticasone"]]
    assert (data / "mmsdesk.sqlite3").read_bytes() == before
