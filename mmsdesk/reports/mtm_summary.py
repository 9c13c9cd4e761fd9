"""The printable MTM summary per plan: for each Part D plan, its figures (beneficiaries, CMRs,
TMRs, recommendations to prescribers and the changes they brought) and one line per service
with the elements the plan reports (reports/mtm_data.py names the CMS document). Built from
:class:`MtmRecordsData`; no database, no Qt, no clock."""

from __future__ import annotations

import io
from datetime import date
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mmsdesk.reports.mtm_data import (
    DELIVERY_LABELS,
    RECIPIENT_LABELS,
    MtmRecordsData,
    PlanSummary,
)

PAGE = landscape(letter)
HEAD = ["Member id", "Beneficiary", "Born", "Service", "Date", "CMR offered", "Delivery",
        "Recipient", "Summary sent", "Recs sent", "Changed"]


SHORT_SERVICE = {"offer": "Offer"}


def _d(day: date | None) -> str:
    return day.strftime("%m/%d/%Y") if day else "—"


def plan_figures(plan: PlanSummary) -> list[tuple[str, str]]:
    return [("Beneficiaries served", str(plan.beneficiaries)),
            ("Comprehensive medication reviews (CMR)", str(plan.count("CMR"))),
            ("Targeted medication reviews (TMR)", str(plan.count("TMR"))),
            ("Other MTM services", str(plan.count("other"))),
            ("CMR offered, none received", str(plan.count("offer"))),
            ("Recommendations to prescribers", str(plan.recommendations)),
            ("Recommendations that resulted in a change", str(plan.changes))]


def plan_rows(plan: PlanSummary) -> list[list[str]]:
    return [[r.member_id or "—", f"{r.last_name}, {r.first_name}", _d(r.date_of_birth),
             SHORT_SERVICE.get(r.service, r.service), _d(r.service_date),
             _d(r.cmr_offer_date) if r.service in ("CMR", "offer") else "",
             DELIVERY_LABELS.get(r.delivery_method, "—"),
             RECIPIENT_LABELS.get(r.recipient, "—"), _d(r.written_summary_sent_on)
             if r.service == "CMR" else "", str(r.recommendations_to_prescriber),
             str(r.recommendations_resulting_in_change)] for r in plan.records]


def build(data: MtmRecordsData, out: BinaryIO) -> None:
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName="Helvetica", fontSize=9,
                          leading=12)
    h1 = ParagraphStyle("h1", parent=styles["Heading1"], fontName="Helvetica-Bold", fontSize=15)
    period = f"{_d(data.start)} to {_d(data.end)}"

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(0.6 * inch, 0.45 * inch, f"MTM services by plan · {period} · "
                          "contains patient information")
        canvas.drawRightString(PAGE[0] - 0.6 * inch, 0.45 * inch, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(out, pagesize=PAGE, leftMargin=0.6 * inch, rightMargin=0.6 * inch,
                            topMargin=0.6 * inch, bottomMargin=0.7 * inch,
                            title="MTM services by plan", author=data.practice_name or "MMS Desk")
    story: list = []
    provider = f"Provider NPI {data.provider_npi}" if data.provider_npi else "Provider NPI not set"
    if not data.plans:
        story += [Paragraph("MTM services by plan", h1),
                  Paragraph(f"Period: {period}. No MTM service was completed in the period.", body)]
    for i, plan in enumerate(data.plans):
        if i:
            story.append(PageBreak())
        story += [Paragraph(f"MTM services — {plan.plan_name or 'No plan recorded'}", h1),
                  Paragraph(f"Period: {period}. {data.practice_name + '. ' if data.practice_name else ''}"
                            f"{provider}.", body), Spacer(1, 6)]
        figures = Table(plan_figures(plan), colWidths=[3.6 * inch, 0.9 * inch], hAlign="LEFT")
        figures.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 9),
                                     ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                                     ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey)]))
        story += [figures, Spacer(1, 8)]
        for line in plan.missing:
            story.append(Paragraph(f"To complete before sending: {line}.", body))
        table = Table([HEAD] + plan_rows(plan), repeatRows=1,
                      colWidths=[w * inch for w in (0.95, 1.45, 0.8, 0.55, 0.8, 0.8, 0.95, 1.15,
                                                    0.85, 0.7, 0.6)])
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 8),
                                   ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [Spacer(1, 6), table]
    doc.build(story, onFirstPage=footer, onLaterPages=footer)


def build_pdf(data: MtmRecordsData) -> bytes:
    buf = io.BytesIO()
    build(data, buf)
    return buf.getvalue()
