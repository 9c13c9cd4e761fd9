"""`mmsdesk kb import-ndc/import-rxnorm/status` from the command line."""

from __future__ import annotations

import json

from tests.conftest import run_cli, shared_data


def test_import_ndc_with_progress_then_status_and_resolve(tmp_path):
    data = str(tmp_path / "d")
    path = shared_data("fda-ndc", "openfda-annotation-test-product.txt")
    out = run_cli("--data-dir", data, "kb", "import-ndc", str(path))
    assert out.returncode == 0, out.stderr
    assert "Imported 3 products from openfda-annotation-test-product.txt" in out.stdout
    assert "importing openfda-annotation-test-product.txt: 100%" in out.stderr
    status = json.loads(run_cli("--data-dir", data, "kb", "status", "--json").stdout)
    assert status["imported"]["ndc"]["products"] == 3
    assert status["version"] and status["reviewed_on"] and status["ingredients"] >= 600
    code = json.loads(run_cli("--data-dir", data, "drug", "resolve", "0069-4200", "--json").stdout)
    assert code["ingredients"] == ["sildenafil"] and code["match"] == "code"


def test_failed_import_is_one_line_and_leaves_the_dictionary(tmp_path):
    data = str(tmp_path / "d")
    good = shared_data("fda-ndc", "openfda-annotation-test-product.txt")
    assert run_cli("--data-dir", data, "kb", "import-ndc", str(good)).returncode == 0
    bad = tmp_path / "product.txt"
    bad.write_text(good.read_text(encoding="utf-8") + "0069-9999\tshort\n", encoding="utf-8")
    out = run_cli("--data-dir", data, "kb", "import-ndc", str(bad))
    assert out.returncode == 2
    last = out.stderr.strip().splitlines()[-1]
    assert last == ("mmsdesk: product.txt: line 5: expected 20 tab-separated fields, found 2; "
                    "nothing was imported and the dictionary is unchanged")
    status = json.loads(run_cli("--data-dir", data, "kb", "status", "--json").stdout)
    assert status["imported"]["ndc"]["file"] == "openfda-annotation-test-product.txt"
    missing = run_cli("--data-dir", data, "kb", "import-rxnorm", str(tmp_path / "nope.RRF"))
    assert missing.returncode == 2 and "nope.RRF: no such file" in missing.stderr
