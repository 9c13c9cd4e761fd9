"""Outcomes report PDF (read back) and CSV from a generated practice."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import timedelta

import pytest
from pypdf import PdfReader

from mmsdesk.bench.practice import PracticeSize, generate_practice
from mmsdesk.reports import outcomes as report
from mmsdesk.services.outcomes import OutcomesService
from tests.conftest import TODAY


@pytest.fixture
def data(store):
    generate_practice(store, PracticeSize(60, 300, 500), TODAY, seed=11)
    return OutcomesService(store).report(TODAY - timedelta(days=364), TODAY)


def test_pdf_holds_the_figures(data, tmp_path):
    pdf = report.build_pdf(data, practice_name="Rivera Medication Care")
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Outcomes report" in text and "Rivera Medication Care" in text
    assert f"Visits completed {data.visits_total}" in text.replace("\n", " ")
    assert f"Problems resolved {data.problems_resolved}" in text.replace("\n", " ")
    assert "Comprehensive medication review (CMR)" in text  # a chart label
    assert "Patients at goal, before and after" in text
    assert f"Page {len(reader.pages)}" in text
    out = tmp_path / "outcomes.pdf"
    out.write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(out), str(tmp_path / "page")], check=True)
        assert (tmp_path / "page-1.png").exists()


def test_csv_round_trips_the_figures(data):
    rows = list(csv.DictReader(io.StringIO(report.to_csv(data))))
    got = {(r["section"], r["item"]): r["value"] for r in rows}
    assert got[("period", "start")] == data.start.isoformat()
    for label, value in data.series()["Visits by service"]:
        assert got[("Visits by service", label)] == f"{value:g}"
    assert int(got[("Problems resolved", "count")]) == data.problems_resolved
    a1c = data.goals[0]
    assert int(got[("Goals", f"{a1c.goal}: at goal after")]) == a1c.met_after


def test_empty_period_still_builds(store):
    d = OutcomesService(store).report(TODAY, TODAY)
    text = PdfReader(io.BytesIO(report.build_pdf(d))).pages[0].extract_text()
    assert "No data in this period" in text
    with pytest.raises(ValueError):
        OutcomesService(store).report(TODAY, TODAY - timedelta(days=1))


def test_export_is_audited(store, data):
    from sqlalchemy import select

    from mmsdesk.models import AuditEvent, PharmacistProfile

    with store.session() as s:
        s.add(PharmacistProfile(name="Dana Rivera", practice_name="Rivera Medication Care"))
    service = OutcomesService(store)
    pdf = service.export(data, "pdf")
    assert "Rivera Medication Care" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert service.export(data, "csv").startswith(b"section,item,value")
    with store.session() as s:
        details = list(s.execute(select(AuditEvent.detail).where(
            AuditEvent.entity == "outcomes_report")).scalars())
    period = f"{data.start.isoformat()} to {data.end.isoformat()}"
    assert details == [f"pdf: {period}", f"csv: {period}"]
    with pytest.raises(ValueError):
        service.export(data, "docx")
