"""Prescriber recommendation letter (fax-ready): one letter per prescriber, each numbered on
its own, covering that prescriber's open recommendations, with a reply section to fax back."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.units import inch
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    TableStyle,
)

from mmsdesk.reports.common import Context, open_document, to_bytes
from mmsdesk.reports.data import DocumentData, PrescriberLetter, RecommendationItem
from mmsdesk.reports.flowables import Checkbox, Table, data_table, fields_table, para
from mmsdesk.reports.styles import ACCENT, RULE, SHADE, markup
from mmsdesk.reports.templates import NewSection

TITLE = "Pharmacist recommendation"
REPLY_CHOICES = ("Accept", "Accept with modification", "Decline")


def _identifiers(ctx: Context, letter: PrescriberLetter) -> list[Flowable]:
    s, data = ctx.sheet, ctx.data
    pr, ph, pt = letter.prescriber, data.practice, data.patient
    to = ", ".join(x for x in (pr.name, pr.practice) if x)
    sender = ", ".join(x for x in (ph.signature, ph.practice_name) if x)
    pairs: list[tuple[str, object]] = [
        ("To:", to + (f" · Fax {pr.fax}" if pr.fax else "") + (f" · Phone {pr.phone}" if pr.phone else "")),
        ("From:", sender + (f" · Fax {ph.fax}" if ph.fax else "") + (f" · Phone {ph.phone}" if ph.phone else "")
         + (f" · NPI {ph.npi}" if ph.npi else "")),
        ("Date:", ctx.d(data.prepared_on)),
        ("Patient:", f"{pt.name} · DOB {ctx.d(pt.date_of_birth)}"
         + (f" · Phone {pt.phone}" if pt.phone else "")),
    ]
    if pt.member_id:
        pairs.append(("Plan / member ID:", f"{pt.plan_name} {pt.member_id}".strip()))
    return [fields_table(pairs, s, ctx.width, 1.9 * inch)]


def _reply(ctx: Context) -> Table:
    s = ctx.sheet
    size = s.body_size
    cells: list[Flowable] = []
    widths: list[float] = []
    for label, share in zip(REPLY_CHOICES, (0.22, 0.46, 0.32), strict=True):
        cells += [Checkbox(size * 0.9), para(label, s, "cell_bold")]
        widths += [size * 1.5, (ctx.width - 3 * size * 1.5 - 2) * share]
    t = Table([cells], colWidths=widths)
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 2)]))
    return t


def _recommendation(ctx: Context, n: int, rec: RecommendationItem) -> list[Flowable]:
    s = ctx.sheet
    head = f"{n}. {rec.category}" if rec.category else f"{n}. Recommendation"
    if rec.priority == "high":
        head += " (high priority)"
    meds = f" <i>({markup(', '.join(rec.medications))})</i>" if rec.medications else ""
    rows: list[list[Flowable]] = [
        [Paragraph(f"<b>Problem:</b> {markup(rec.problem or '—')}{meds}", s["cell"])]]
    evidence = "; ".join(e.strip().rstrip(".") for e in rec.evidence)
    labs = "recent results above" if ctx.data.labs else "no laboratory values on file"
    rows.append([Paragraph(f"<b>Evidence:</b> {markup(evidence + ('; ' if evidence else '') + labs)}.",
                           s["cell"])])
    text = f"{rec.intervention}: {rec.recommendation}" if rec.intervention else rec.recommendation
    rows.append([Paragraph(f"<b>Recommendation:</b> {markup(text)}", s["cell_bold"])])
    rows.append([Paragraph("<b>Prescriber's response:</b>", s["cell"])])
    rows.append([_reply(ctx)])
    rows.append([Paragraph("<b>Modification or reason:</b>", s["cell"])])
    rows += [[Spacer(1, s.body_size * 1.5)], [Spacer(1, s.body_size * 1.5)]]
    block = Table(rows, colWidths=[ctx.width], splitByRow=1, splitInRow=1)
    pad = s.body_size * 0.4
    block.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.9, ACCENT), ("BACKGROUND", (0, 2), (-1, 2), SHADE),
        ("LINEABOVE", (0, 3), (-1, 3), 0.6, RULE), ("LINEBELOW", (0, 6), (-1, 7), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.6), ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.6),
    ]))
    return [KeepTogether([Paragraph(markup(head), s["h3"]), block]), Spacer(1, s.body_size * 0.6)]


def _letter(ctx: Context, letter: PrescriberLetter) -> list[Flowable]:
    s, data = ctx.sheet, ctx.data
    v = data.visit
    out: list[Flowable] = [NewSection(), Paragraph(TITLE, s["title"]), *_identifiers(ctx, letter),
                           Spacer(1, s.body_size * 0.6)]
    service = v.service[:1].lower() + v.service[1:] if v else ""
    seen = f" for a {service} on {ctx.d(v.visit_date)}" if v and v.visit_date else ""
    out.append(para(f"Dear {letter.prescriber.name}: I met our mutual patient {data.patient.name}"
                    f"{seen}. I would like to suggest the following for your consideration. "
                    "Please mark your response to each item, sign below and fax this letter back.",
                    s))
    if data.labs:
        out.append(Paragraph("Recent results", s["h3"]))
        out.append(para(" · ".join(data.labs), s))
    for n, rec in enumerate(letter.recommendations, 1):
        out += _recommendation(ctx, n, rec)
    sign = Table([[para("Prescriber signature:", s, "label"), "", para("Date:", s, "label"), ""]],
                 colWidths=[ctx.width * 0.28, ctx.width * 0.40, ctx.width * 0.10, ctx.width * 0.22],
                 rowHeights=[s.body_size * 2.6])
    sign.setStyle(TableStyle([("LINEBELOW", (1, 0), (1, 0), 0.6, RULE),
                              ("LINEBELOW", (3, 0), (3, 0), 0.6, RULE),
                              ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    ph = data.practice
    back = f"Please fax back to {ph.signature or ph.practice_name} at {ph.fax or ph.phone or '—'}"
    if ph.phone and ph.fax:
        back += f" (questions: {ph.phone})"
    box = Table([[para(back + ".", s, "cell_bold")]], colWidths=[ctx.width])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, ACCENT),
                             ("TOPPADDING", (0, 0), (-1, -1), 6),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
    out.append(KeepTogether([Spacer(1, s.body_size * 0.6), sign, Spacer(1, s.body_size * 0.8),
                             box]))
    meds = [[para(m.name, s, "cell"), para(m.directions, s, "cell")]
            for m in data.current_medications]
    if meds:
        out.append(Paragraph("For reference: current medications (as reported to the pharmacist)", s["h3"]))
        out.append(data_table(["Medication", "Directions"], meds,
                              [ctx.width * 0.45, ctx.width * 0.55], s))
    return out


def story(ctx: Context) -> list[Flowable]:
    out: list[Flowable] = []
    for i, letter in enumerate(ctx.data.letters):
        if i:
            out.append(PageBreak())
        out += _letter(ctx, letter)
    return out


def build(data: DocumentData, out: BinaryIO) -> None:
    ctx = open_document(data, out, TITLE, clinical=True, lang="en")
    ctx.build(story(ctx))


def build_pdf(data: DocumentData) -> bytes:
    return to_bytes(build, data)
