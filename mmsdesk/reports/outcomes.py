"""The practice outcomes report: PDF (ReportLab, with charts) and CSV, from the DTO of
``services.outcomes``. No database, no Qt, no clock: the period and the figures come in."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, BinaryIO

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

if TYPE_CHECKING:
    from mmsdesk.reports.outcomes_data import OutcomesReportData

BLUE = colors.HexColor("#2b6cb0")
LIGHT = colors.HexColor("#9ab8d8")


def _d(day) -> str:  # type: ignore[no-untyped-def]
    return day.strftime("%m/%d/%Y")


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.0f} %"


def key_figures(data: OutcomesReportData) -> list[tuple[str, str]]:
    a = data.adherence
    rows = [
        ("Visits completed", f"{data.visits_total}"),
        ("Drug therapy problems identified", f"{data.problems_total}"),
        ("Recommendations made", f"{data.recommendations_total}"),
        ("Accepted (with or without changes), of those answered", _pct(data.acceptance_rate)),
        ("Problems resolved", f"{data.problems_resolved}"),
        ("Median days to resolution", "—" if data.median_days_to_resolution is None
         else f"{data.median_days_to_resolution:g}"),
    ]
    for g in data.goals:
        rows.append((f"{g.goal}: patients at goal before → after (of {g.patients})",
                     f"{g.met_before} → {g.met_after}"))
    rows.append((f"Adherence program: mean PDC before → after ({a.patients} patients)",
                 f"{_pct(a.mean_pdc_before)} → {_pct(a.mean_pdc_after)}"))
    rows.append(("Adherence program: patients with PDC ≥ 80 % before → after",
                 f"{a.at_goal_before} → {a.at_goal_after}"))
    return rows


def to_csv(data: OutcomesReportData) -> str:
    """One row per figure: section, item, value (period in the first row)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "item", "value"])
    w.writerow(["period", "start", data.start.isoformat()])
    w.writerow(["period", "end", data.end.isoformat()])
    for section, items in data.series().items():
        for label, value in items:
            w.writerow([section, label, f"{value:g}"])
    w.writerow(["Problems resolved", "count", data.problems_resolved])
    w.writerow(["Problems resolved", "median days to resolution",
                "" if data.median_days_to_resolution is None else f"{data.median_days_to_resolution:g}"])
    for g in data.goals:
        w.writerow(["Goals", f"{g.goal}: patients with values before and after", g.patients])
        w.writerow(["Goals", f"{g.goal}: at goal before", g.met_before])
        w.writerow(["Goals", f"{g.goal}: at goal after", g.met_after])
    a = data.adherence
    w.writerow(["Adherence program", "patients", a.patients])
    w.writerow(["Adherence program", "mean PDC before",
                "" if a.mean_pdc_before is None else f"{a.mean_pdc_before:.4f}"])
    w.writerow(["Adherence program", "mean PDC after",
                "" if a.mean_pdc_after is None else f"{a.mean_pdc_after:.4f}"])
    w.writerow(["Adherence program", "PDC at least 80% before", a.at_goal_before])
    w.writerow(["Adherence program", "PDC at least 80% after", a.at_goal_after])
    return out.getvalue()


def bar_chart(title: str, items: list[tuple[str, float]], second: list[float] | None = None,
              legend: tuple[str, str] | None = None, width: float = 6.5 * inch) -> Drawing:
    """A horizontal bar chart; with ``second``, a lighter twin bar per label (before/after)."""
    n = max(1, len(items))
    bar_h = 14 if second is None else 20
    height = 36 + n * bar_h + (14 if legend else 0)
    d = Drawing(width, height)
    d.add(String(0, height - 12, title, fontName="Helvetica-Bold", fontSize=11))
    if not items:
        d.add(String(0, height - 30, "No data in this period", fontName="Helvetica", fontSize=10))
        return d
    chart = HorizontalBarChart()
    chart.x, chart.y = 2.3 * inch, 8 + (14 if legend else 0)
    chart.width, chart.height = width - chart.x - 0.5 * inch, n * bar_h
    labels = [lbl if len(lbl) <= 38 else lbl[:36] + "…" for lbl, _ in items]
    values = [[float(v) for _, v in reversed(items)]]
    if second is not None:  # the chart draws the first series lowest: put "after" first
        values.insert(0, [float(v) for v in reversed(second)])
    chart.data = values
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labels.fontName = "Helvetica"
    chart.bars[0].fillColor = BLUE if second is None else LIGHT
    if second is not None:
        chart.bars[1].fillColor = BLUE
    chart.barLabelFormat = "%d"
    chart.barLabels.fontSize = 8
    chart.barLabels.fontName = "Helvetica"
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    if legend:
        for i, (name, color) in enumerate(zip(legend, (BLUE, LIGHT), strict=True)):
            from reportlab.graphics.shapes import Rect

            x = chart.x + i * 1.6 * inch
            d.add(Rect(x, 0, 9, 9, fillColor=color, strokeColor=None))
            d.add(String(x + 13, 1, name, fontName="Helvetica", fontSize=9))
    return d


def build(data: OutcomesReportData, out: BinaryIO, practice_name: str = "") -> None:
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName="Helvetica", fontSize=10,
                          leading=13)
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], fontName="Helvetica-Bold", fontSize=16)
    period = f"{_d(data.start)} to {_d(data.end)}"

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(0.75 * inch, 0.5 * inch, f"Outcomes report · {period}")
        canvas.drawRightString(letter[0] - 0.75 * inch, 0.5 * inch, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(out, pagesize=letter, leftMargin=0.75 * inch, rightMargin=0.75 * inch,
                            topMargin=0.75 * inch, bottomMargin=0.8 * inch,
                            title="Outcomes report", author=practice_name or "MMS Desk")
    story: list = [Paragraph("Outcomes report" + (f" — {practice_name}" if practice_name else ""), h1),
                   Paragraph(f"Period: {period}. Counts cover records dated in the period; "
                             "no patient is named in this report.", body), Spacer(1, 10)]
    table = Table([[Paragraph(k, body), v] for k, v in key_figures(data)],
                  colWidths=[4.9 * inch, 2.0 * inch])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "Helvetica", 10),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story += [table, Spacer(1, 14)]
    for title, items in data.chart_series().items():
        story += [KeepTogether([bar_chart(title, items)]), Spacer(1, 12)]
    goals = [(g.goal, g.met_before) for g in data.goals]
    story.append(KeepTogether([bar_chart(
        "Patients at goal, before and after", goals, [g.met_after for g in data.goals],
        ("Before", "After"))]))
    a = data.adherence
    if a.mean_pdc_before is not None and a.mean_pdc_after is not None:
        story += [Spacer(1, 12), Paragraph(
            f"Adherence program: {a.patients} patients; mean proportion of days covered "
            f"{_pct(a.mean_pdc_before)} in the 180 days before their first adherence visit, "
            f"{_pct(a.mean_pdc_after)} after it (PQA method).", body)]
    doc.build(story, onFirstPage=footer, onLaterPages=footer)


def build_pdf(data: OutcomesReportData, practice_name: str = "") -> bytes:
    buf = io.BytesIO()
    build(data, buf, practice_name)
    return buf.getvalue()
