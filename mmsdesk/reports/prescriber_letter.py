"""Prescriber recommendation letter (fax-ready): one letter per prescriber, each numbered on
its own and one page where it fits, covering that prescriber's open recommendations: the
problem, the evidence the rule used (values, inputs, dates, the medicines with their doses and
the guideline line), the recommendation in one sentence, reply boxes and the signature on the
page of the last reply. The current list (after the visit) is attached only on request."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    TableStyle,
)

from mmsdesk.reports.common import Context, open_document, to_bytes
from mmsdesk.reports.data import DocumentData, PrescriberLetter, RecommendationItem
from mmsdesk.reports.flowables import Checkbox, Table, data_table, para
from mmsdesk.reports.styles import ACCENT, RULE, SHADE, markup
from mmsdesk.reports.templates import NewSection
from mmsdesk.reports.wording import sentence  # noqa: F401 (its home; re-exported)

TITLE = "Pharmacist recommendation"
REPLY_CHOICES = ("Accept", "Accept with modification", "Decline")


def _identifiers(ctx: Context, letter: PrescriberLetter) -> list[Flowable]:
    s, data = ctx.sheet, ctx.data
    pr, ph, pt = letter.prescriber, data.practice, data.patient
    to = ", ".join(x for x in (pr.name, pr.practice) if x)
    sender = ", ".join(x for x in (ph.signature, ph.practice_name) if x)
    patient = (f"{pt.name} · DOB {ctx.d(pt.date_of_birth)}"
               + (f" · Phone {pt.phone}" if pt.phone else "")
               + (f" · {pt.plan_name} {pt.member_id}".rstrip() if pt.member_id else ""))
    d = s["cell"]
    to_lines = [f"<b>To:</b> {markup(pr.name)}", markup(pr.practice),
                " · ".join(x for x in (f"Fax {pr.fax}" if pr.fax else "",
                                       f"Phone {pr.phone}" if pr.phone else "") if x)]
    from_lines = [f"<b>From:</b> {markup(ph.signature or ph.practice_name)}",
                  markup(ph.practice_name) if ph.signature else "",
                  " · ".join(x for x in (f"Fax {ph.fax}" if ph.fax else "",
                                         f"Phone {ph.phone}" if ph.phone else "") if x),
                  f"NPI {ph.npi}" if ph.npi else ""]
    head = Table([[Paragraph("<br/>".join(x for x in to_lines if x), d),
                   Paragraph("<br/>".join(x for x in from_lines if x), d)]],
                 colWidths=[ctx.width * 0.5] * 2)
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0)]))
    about = Paragraph(f"<b>Patient:</b> {markup(patient)} · <b>Date:</b> "
                      f"{markup(ctx.d(data.prepared_on))}", d)
    del to, sender
    return [head, about]


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


def _recommendation(ctx: Context, n: int,
                    rec: RecommendationItem) -> tuple[Paragraph, Table, Table]:
    """The heading, the problem with its evidence, and the recommendation with its reply."""
    s = ctx.sheet
    head = f"{n}. {rec.category}" if rec.category else f"{n}. Recommendation"
    if rec.priority == "high":
        head += " (high priority)"
    rows: list[list[Flowable]] = [
        [Paragraph(f"<b>Problem:</b> {markup(rec.problem or '—')}", s["cell"])]]
    evidence = [Paragraph(f"• {markup(e)}", s["cell"]) for e in rec.evidence]
    rows.append([Paragraph("<b>Evidence:</b>" + ("" if evidence else " none on file."), s["cell"])])
    rows += [[e] for e in evidence]
    lower: list[list[Flowable]] = [
        [Paragraph(f"<b>Recommendation:</b> "
                   f"{markup(sentence(rec.intervention, rec.recommendation))}", s["cell_bold"])],
        [_reply(ctx)],
        [Paragraph("<b>Modification or reason:</b>", s["cell"])],
        [Spacer(1, s.body_size * 1.4)]]
    pad = s.body_size * 0.35
    common = [("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
              ("TOPPADDING", (0, 0), (-1, -1), pad * 0.5),
              ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.5)]
    upper = Table(rows, colWidths=[ctx.width], splitByRow=1, splitInRow=1)
    upper.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.9, ACCENT), *common]))
    reply = Table(lower, colWidths=[ctx.width])
    reply.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.9, ACCENT),
                               ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                               ("LINEBELOW", (0, -1), (-1, -1), 0.4, RULE), *common]))
    heading = ParagraphStyle("letter_h3", parent=s["h3"], keepWithNext=0)
    return Paragraph(markup(head), heading), upper, reply


def _signature(ctx: Context) -> list[Flowable]:
    s, data = ctx.sheet, ctx.data
    sign = Table([[para("Prescriber signature:", s, "label"), "", para("Date:", s, "label"), ""]],
                 colWidths=[ctx.width * 0.28, ctx.width * 0.40, ctx.width * 0.10, ctx.width * 0.22],
                 rowHeights=[s.body_size * 2.4])
    sign.setStyle(TableStyle([("LINEBELOW", (1, 0), (1, 0), 0.6, RULE),
                              ("LINEBELOW", (3, 0), (3, 0), 0.6, RULE),
                              ("VALIGN", (0, 0), (-1, -1), "BOTTOM")]))
    ph = data.practice
    back = f"Please fax back to {ph.signature or ph.practice_name} at {ph.fax or ph.phone or '—'}"
    if ph.phone and ph.fax:
        back += f" (questions: {ph.phone})"
    box = Table([[para(back + ".", s, "cell_bold")]], colWidths=[ctx.width])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1.2, ACCENT),
                             ("TOPPADDING", (0, 0), (-1, -1), 4),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return [Spacer(1, s.body_size * 0.3), sign, Spacer(1, s.body_size * 0.5), box]


def _letter(ctx: Context, letter: PrescriberLetter) -> list[Flowable]:
    s, data = ctx.sheet, ctx.data
    v = data.visit
    title = ParagraphStyle("letter_title", parent=s["h2"], spaceBefore=0)
    out: list[Flowable] = [NewSection(), Paragraph(TITLE, title), *_identifiers(ctx, letter),
                           Spacer(1, s.body_size * 0.4)]
    service = v.service[:1].lower() + v.service[1:] if v else ""
    seen = f" for a {service} on {ctx.d(v.visit_date)}" if v and v.visit_date else ""
    out.append(para(f"Dear {letter.prescriber.name}: I saw our mutual patient {data.patient.name}"
                    f"{seen} and suggest the following. Please mark a response to each item, "
                    "sign below and fax this page back.", s))
    blocks = [_recommendation(ctx, n, rec) for n, rec in enumerate(letter.recommendations, 1)]
    for i, (head, upper, reply) in enumerate(blocks):
        if i == len(blocks) - 1:  # the signature stays on the page of the last reply boxes
            out += [head, upper, KeepTogether([reply, *_signature(ctx)])]
        else:
            out += [KeepTogether([head, upper, reply]), Spacer(1, s.body_size * 0.3)]
    if data.attach_list:
        meds = [[para(m.name, s, "cell"), para(m.directions, s, "cell")]
                for m in data.current_medications]
        when = f" after the visit on {ctx.d(v.visit_date)}" if v and v.visit_date else ""
        out += [PageBreak(), Paragraph(f"Attached: current medication list{when}", s["h3"])]
        out.append(data_table(["Medication", "Directions"], meds,
                              [ctx.width * 0.45, ctx.width * 0.55], s) if meds
                   else para("No current medicines on the list.", s, "note"))
    return out


def story(ctx: Context) -> list[Flowable]:
    out: list[Flowable] = []
    for i, letter in enumerate(ctx.data.letters):
        if i:  # each letter is faxed on its own: it starts with the full letterhead
            out += [NextPageTemplate("first"), PageBreak()]
        out += _letter(ctx, letter)
    return out


def build(data: DocumentData, out: BinaryIO) -> None:
    ctx = open_document(data, out, TITLE, clinical=True, lang="en")
    ctx.build(story(ctx))


def build_pdf(data: DocumentData) -> bytes:
    return to_bytes(build, data)
