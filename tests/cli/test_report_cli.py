"""`mmsdesk report KIND --patient ID [--visit ID] [--lang es] [--large-print] --out FILE.pdf`
and `mmsdesk report pml --fhir BUNDLE.json --out FILE.pdf`: the contract other tools use."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mmsdesk.models import AuditEvent
from tests.conftest import TODAY, run_cli, shared_data
from tests.reports.pdfcheck import all_text, font_problems, font_sizes

KINDS = ("pml", "map", "cms-summary", "prescriber-letter", "visit-note", "calendar", "invoice",
         "claim")


@pytest.fixture
def data_dir(tmp_path):
    from mmsdesk.services.demo import load_demo
    from mmsdesk.services.document_samples import add_sample_visit, ensure_profile
    from mmsdesk.store import Store

    folder = tmp_path / "cli-data"
    with Store.open(folder / "mmsdesk.sqlite3") as store:
        load_demo(store, TODAY)
        ensure_profile(store)
        visit = add_sample_visit(store, 1, TODAY)
    return folder, visit


def _report(folder, *args):
    return run_cli("--data-dir", str(folder), "--no-encryption", "report", *args)


def test_every_kind_writes_a_pdf_and_an_audit_row(data_dir, tmp_path):
    folder, visit = data_dir
    for kind in KINDS:
        out = tmp_path / f"{kind}.pdf"
        r = _report(folder, kind, "--patient", "1", "--visit", str(visit), "--out", str(out))
        assert r.returncode == 0, r.stderr
        pdf = out.read_bytes()
        assert pdf.startswith(b"%PDF") and "José Müller" in all_text(pdf)
        assert not font_problems(pdf)
    from mmsdesk.store import Store

    with Store.open(folder / "mmsdesk.sqlite3", create=False) as store, store.session() as s:
        rows = s.execute(select(AuditEvent).where(AuditEvent.action == "export")).scalars().all()
    assert sorted(r.detail.split(";")[0] for r in rows) == sorted(KINDS)


def test_language_and_large_print_options(data_dir, tmp_path):
    folder, _visit = data_dir
    out = tmp_path / "es.pdf"
    r = _report(folder, "map", "--patient", "1", "--lang", "es", "--large-print", "--out", str(out))
    assert r.returncode == 0, r.stderr
    text = all_text(out.read_bytes())
    assert "Plan de acción para mis medicamentos" in text and "Página 1 de" in text
    assert min(font_sizes(out.read_bytes())) >= 16
    out_en = tmp_path / "en.pdf"
    assert _report(folder, "map", "--patient", "1", "--lang", "en", "--out",
                   str(out_en)).returncode == 0
    assert "Medication Action Plan" in all_text(out_en.read_bytes())


def test_compact_pml_and_letter_with_the_list(data_dir, tmp_path):
    import io

    from pypdf import PdfReader

    folder, visit = data_dir
    out = tmp_path / "compact.pdf"
    assert _report(folder, "pml", "--patient", "1", "--compact", "--out", str(out)).returncode == 0
    box = PdfReader(io.BytesIO(out.read_bytes())).pages[0].mediabox
    assert float(box.width) < float(box.height)  # portrait
    letter = tmp_path / "letter.pdf"
    assert _report(folder, "prescriber-letter", "--patient", "1", "--visit", str(visit),
                   "--with-list", "--out", str(letter)).returncode == 0
    assert "Attached: current medication list" in all_text(letter.read_bytes())
    plain = tmp_path / "plain.pdf"
    assert _report(folder, "prescriber-letter", "--patient", "1", "--visit", str(visit),
                   "--out", str(plain)).returncode == 0
    assert "Attached: current medication list" not in all_text(plain.read_bytes())


def test_errors_are_one_line_with_exit_code_2(data_dir, tmp_path):
    folder, _visit = data_dir
    r = _report(folder, "invoice", "--patient", "999", "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and "no patient" in r.stderr and "Traceback" not in r.stderr
    r = _report(folder, "brochure", "--patient", "1", "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 2
    r = _report(folder, "map", "--fhir", "x.json", "--out", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and "medication list only" in r.stderr
    r = _report(folder, "pml", "--patient", "1", "--out", str(tmp_path / "missing" / "x.pdf"))
    assert r.returncode == 2 and "does not exist" in r.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_pml_straight_from_a_fhir_bundle(data_dir, tmp_path):
    folder, _visit = data_dir
    bundle = next(p for p in sorted(shared_data("synthea-r4").glob("*.json"))
                  if p.stat().st_size > 50_000)
    out = tmp_path / "fhir.pdf"
    r = _report(folder, "pml", "--fhir", str(bundle), "--out", str(out))
    assert r.returncode == 0, r.stderr
    text = all_text(out.read_bytes())
    assert "Personal Medication List for" in text and "Rivera Medication Care" in text
    truncated = next((p for p in sorted(shared_data("synthea-r4").glob("*.json"))
                      if _broken(p)), None)
    if truncated is not None:
        r = _report(folder, "pml", "--fhir", str(truncated), "--out", str(tmp_path / "t.pdf"))
        assert r.returncode == 2 and truncated.name in r.stderr


def _broken(path):
    import json

    try:
        json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return True
    return False
