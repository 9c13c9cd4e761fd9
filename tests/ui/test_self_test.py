"""mmsdesk --self-test in a subprocess from the checkout (the built binary: test_installer)."""

from __future__ import annotations

from mmsdesk.ui.self_test import check_pdf
from tests.conftest import run_cli


def test_self_test_prints_one_ok_line(tmp_path):
    result = run_cli("--self-test", env={"QT_QPA_PLATFORM": "xcb-not-there"})  # forced offscreen
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("self-test ok: MMS Desk ")
    assert "(offscreen)" in lines[0] and "PDF" in lines[0]
    assert "package barcode decoded" in lines[0]  # zxing-cpp bundled and working
    assert not (tmp_path / "data").exists()  # the pharmacist's data folder is never touched


def test_check_pdf_refuses_what_is_not_a_whole_pdf():
    import pytest

    with pytest.raises(ValueError, match="not a PDF"):
        check_pdf(b"<html>")
    with pytest.raises(ValueError, match="truncated"):
        check_pdf(b"%PDF-1.4\n/Type /Page\n")
    with pytest.raises(ValueError, match="no pages"):
        check_pdf(b"%PDF-1.4\n%%EOF\n")
    assert check_pdf(b"%PDF-1.4\n/Type /Page\n/Type /Page\n%%EOF\n") == 2
