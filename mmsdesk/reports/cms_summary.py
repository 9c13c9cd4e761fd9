"""Medicare Part D CMR written summary in the CMS Standardized Format (FORMATS.md part 1):
cover letter, Recommended To-Do List (with safe disposal) and Medication List, in one PDF."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, TableStyle

from mmsdesk.i18n import _ as gettext
from mmsdesk.reports.common import Context, open_document, to_bytes
from mmsdesk.reports.data import DELIVERY_WORDS, RECIPIENT_WORDS, DocumentData
from mmsdesk.reports.flowables import Table, box, checklist, data_table, para
from mmsdesk.reports.pml import title_line
from mmsdesk.reports.styles import RULE, markup

TITLE = "Your medication review summary"
THANKS = ("Thank you for talking with me on {date}, about your health and medications. As a "
          "follow-up to our conversation, I have included two documents:")
DOC1 = ("Your Recommended To-Do List has steps you should take to get the best results from "
        "your medications.")
DOC2 = "Your Medication List will help you keep track of your medications and how to take them."
USE = "Please use these documents as you take your medications and when you see your doctors."
CALL = "If you want to talk about these documents, please call me at {phone}, {hours}."
TTY = "TTY users can call {tty}."
FORWARD = ("I look forward to working with you and your doctors to help you stay healthy "
           "through the {program} program.")
TO_DO_TITLE = "Recommended To-Do List"
TO_DO_INTRO = ("You can get the best results from your medications by completing the items on "
              "this 'To-Do List.'")
TO_DO_BRING = ("Bring your To-Do List when you go to your doctor. And, share it with your family "
              "or caregivers.")
LIST_TITLE = "Medication List"
LIST_BRING = ("Bring your Medication List when you go to the doctor, hospital, or emergency "
              "room. And, share it with your family or caregivers.")
LIST_NOTE = ("Note any changes to how you take your medications. Cross out medications when "
             "you no longer use them.")
COLUMNS = ("Medication", "How I take it", "Why I use it", "Prescriber")


def prepared(ctx: Context) -> Paragraph:
    return Paragraph(f"<b>{markup(ctx._('Prepared on:'))}</b> {markup(ctx.long(ctx.data.prepared_on))}",
                     ctx.sheet["body"])


def cover_letter(ctx: Context) -> list[Flowable]:
    s, _ = ctx.sheet, ctx._
    data, p, pr = ctx.data, ctx.data.patient, ctx.data.practice
    service_day = data.visit.visit_date if data.visit and data.visit.visit_date else data.prepared_on
    reference = Table([[[para(_("For plan or provider use:"), s, "note"),
                         *[para(line, s, "cell") for line in delivery_lines(ctx)]]]],
                      colWidths=[ctx.width], rowHeights=[0.85 * inch])
    reference.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.4, RULE),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    out: list[Flowable] = [reference, Spacer(1, s.body_size),
                           para(ctx.long(data.prepared_on), s), Spacer(1, s.body_size * 0.5)]
    out += [para(line, s, "cell") for line in (p.name, *p.address_lines)]
    out.append(Spacer(1, s.body_size))
    out.append(para(_("Dear {name}:").format(name=p.name), s))
    out.append(para(_(THANKS).format(date=ctx.long(service_day)), s))
    for n, text in ((1, DOC1), (2, DOC2)):
        out.append(Paragraph(f"{n}. {markup(_(text))}", s["numbered"]))
    out.append(para(_(USE), s))
    phone = pr.phone or _("(phone not set)")
    call = _(CALL).format(phone=phone, hours=pr.hours or _("during office hours"))
    if pr.tty:
        call += " " + _(TTY).format(tty=pr.tty)
    out.append(para(call, s))
    program = (f"{p.plan_name} " if p.plan_name else "") + _("Medication Therapy Management (MTM)")
    out.append(para(_(FORWARD).format(program=program), s))
    out += [Spacer(1, s.body_size * 0.5), para(_("Sincerely,"), s), Spacer(1, s.body_size * 2.5)]
    out += [para(line, s, "cell") for line in (pr.signature, pr.practice_name) if line]
    return out


def delivery_lines(ctx: Context) -> list[str]:
    """Who received the summary and how (the plan's records ask), for the reference box."""
    _, dv = ctx._, ctx.data.delivery
    if dv is None or not dv.recipient:
        return []
    who = _(RECIPIENT_WORDS.get(dv.recipient, dv.recipient))
    if dv.name:
        who += f": {dv.name}" + (f" ({_(dv.relation)})" if dv.relation else "")
    out = [_("Received by: {who}").format(who=who)]
    if dv.method:
        how = _(DELIVERY_WORDS.get(dv.method, dv.method))
        out.append(_("Delivered: {how}").format(how=how)
                   + (f", {ctx.d(dv.on)}" if dv.on else ""))
    return out


def todo_list(ctx: Context) -> list[Flowable]:
    s, _ = ctx.sheet, ctx._
    data = ctx.data
    out: list[Flowable] = [title_line(ctx, TO_DO_TITLE), prepared(ctx), para(_(TO_DO_INTRO), s),
                           para(_(TO_DO_BRING), s), Paragraph(markup(_("My To-Do List")), s["h2"])]
    right = ctx.width * 0.58
    rows = []
    for item in data.action_items:
        actions = [a.strip(" -•") for a in item.to_do.splitlines() if a.strip(" -•")]
        rows.append([para(item.talked_about, s, "cell"), checklist(actions, s, right - s.body_size)])
    if not rows:
        rows = [[Spacer(1, s.body_size * 3), checklist([], s, right - s.body_size)]
                for _n in range(2)]
    out.append(data_table([_("What we talked about:"), _("What I should do:")], rows,
                          [ctx.width - right, right], s, zebra=False))
    out.append(Paragraph(markup(_("Safe disposal of unused medicines")), s["h2"]))
    out.append(para(_(data.disposal) if data.disposal else "", s))
    return out


def medication_list(ctx: Context) -> list[Flowable]:
    s, _ = ctx.sheet, ctx._
    data = ctx.data
    out: list[Flowable] = [title_line(ctx, LIST_TITLE), prepared(ctx), para(_(LIST_BRING), s),
                           para(_(LIST_NOTE), s)]
    rows: list[list[Flowable | str]] = [
        [para(m.name, s, "cell_bold"), para(m.directions, s, "cell"),
         para(m.indication, s, "cell"), para(m.prescriber, s, "cell")]
        for m in data.current_medications]
    rows += [[Spacer(1, s.body_size * 2.2), "", "", ""] for _n in range(data.blank_rows)]
    widths = [w * ctx.width for w in (0.30, 0.30, 0.22, 0.18)]
    out.append(data_table([_(c) for c in COLUMNS], rows, widths, s))
    out.append(Spacer(1, s.body_size))
    allergies = [para(f"{a.substance}: {a.reaction}" if a.reaction else a.substance, s, "cell")
                 for a in data.allergies if a.type == "allergy"]
    effects = [para(f"{a.substance}: {a.reaction}" if a.reaction else a.substance, s, "cell")
               for a in data.allergies if a.type != "allergy"]
    out.append(box(_("Allergies:"), allergies, s, ctx.width, write_lines=1))
    out.append(Spacer(1, s.body_size * 0.6))
    out.append(box(_("Side effects I have had:"), effects, s, ctx.width, write_lines=1))
    return out


def story(ctx: Context) -> list[Flowable]:
    return [*cover_letter(ctx), PageBreak(), *todo_list(ctx), PageBreak(), *medication_list(ctx)]


def build(data: DocumentData, out: BinaryIO) -> None:
    ctx = open_document(data, out, gettext(TITLE, data.lang), clinical=True)
    ctx.build(story(ctx))


def build_pdf(data: DocumentData) -> bytes:
    return to_bytes(build, data)
