"""Medication Action Plan (MAP): FORMATS.md part 2, filled from the visit's action items."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.platypus import Flowable, Paragraph, Spacer

from mmsdesk.i18n import _ as gettext
from mmsdesk.reports.common import Context, open_document, to_bytes
from mmsdesk.reports.data import DocumentData, MedicationChange
from mmsdesk.reports.flowables import form_block, keep_together, para
from mmsdesk.reports.pml import title_line
from mmsdesk.reports.styles import markup

TITLE = "Medication Action Plan"
INTRO = ("This action plan will help you get the best results from your medications if you: "
         "read 'What we talked about', take the steps listed in the 'What I need to do' boxes, "
         "fill in 'What I did and when I did it', fill in 'My follow-up plan' and 'Questions I "
         "want to ask'.")
FOLLOW_UP = "Next contact with your pharmacist: {modality}, by {date}"
QUESTIONS_LINE = ("If you have any questions about your action plan, call {pharmacist} at "
                  "{phone}, {hours}.")


def questions_line(ctx: Context) -> str:
    p = ctx.data.practice
    who = p.pharmacist or p.practice_name or ctx._("your pharmacist")
    if p.practice_name and p.pharmacist:
        who = f"{p.pharmacist} ({p.practice_name})"
    hours = p.hours or ctx._("during office hours")
    return ctx._(QUESTIONS_LINE).format(pharmacist=who, phone=p.phone or "—", hours=hours)


def follow_up_text(ctx: Context) -> str:
    v = ctx.data.visit
    if v is None or v.follow_up_due is None:
        return ctx.data.follow_up_plan
    text = ctx._(FOLLOW_UP).format(modality=ctx._(v.follow_up_modality),
                                   date=ctx.long(v.follow_up_due))
    return text + (f" ({v.follow_up_reason})" if v.follow_up_reason else "") + "."


# What a change to the medication list means for the patient, in plain words.
CHANGE_TALKED = {
    "started": "New medicine: {name}.",
    "stopped": "{name}: stopped on {date}.",
    "held": "{name}: on hold from {date}.",
    "resumed": "{name}: started again on {date}.",
    "changed": "{name}: changed on {date}.",
}
CHANGE_WHAT = {
    "strength": "The strength is now {after} (it was {before}).",
    "directions": "How you take it is now: {after}",
    "medicine": "It replaces {before}.",
    "form": "It is now a {after} (it was a {before}).",
}
CHANGE_TO_DO = {
    "started": "{directions}",
    "stopped": "Stop using {name}. Keep what is left apart from your other medicines until you "
               "can dispose of it safely.",
    "held": "Do not use {name} until your pharmacist or prescriber tells you to start again.",
    "resumed": "{directions}",
    "changed": "From now on: {directions}",
}
OLD_STRENGTH_TO_DO = ("Set aside the medicine of the old strength and ask your pharmacist what to "
                     "do with it.")
NO_DIRECTIONS = "Use it as your prescriber told you."


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def change_texts(ctx: Context, ch: MedicationChange) -> tuple[str, str]:
    """("What we talked about", "What I need to do") for one change to the list."""
    _ = ctx._
    talked = [_(CHANGE_TALKED.get(ch.action, CHANGE_TALKED["changed"])).format(
        name=ch.name, date=ctx.d(ch.on))]
    for what, before, after in ch.changes:
        if what in CHANGE_WHAT and (before or what == "directions"):
            talked.append(_sentence(_(CHANGE_WHAT[what]).format(before=before, after=after)))
    directions = ch.directions or _(NO_DIRECTIONS)
    todo = [_sentence(_(CHANGE_TO_DO.get(ch.action, CHANGE_TO_DO["changed"])).format(
        name=ch.name, directions=directions))]
    if ch.action == "changed" and any(w == "strength" for w, _b, _a in ch.changes):
        todo.append(_(OLD_STRENGTH_TO_DO))
    return " ".join(talked), " ".join(todo)


def story(ctx: Context) -> list[Flowable]:
    s, _ = ctx.sheet, ctx._
    data = ctx.data
    out: list[Flowable] = [title_line(ctx, TITLE),
                           Paragraph(f"<b>{markup(_('Date prepared:'))}</b> "
                                     f"{markup(ctx.d(data.prepared_on))}", s["body"]),
                           para(_(INTRO), s), Spacer(1, s.body_size * 0.4)]
    for ch in data.medication_changes:
        talked_text, todo_text = change_texts(ctx, ch)
        block = form_block([(_("What we talked about:"), [para(talked_text, s, "cell")], 0),
                            (_("What I need to do:"), [para(todo_text, s, "cell")], 0),
                            (_("What I did and when I did it:"), [], 2)], s, ctx.width)
        out.append(keep_together(block, Spacer(1, s.body_size * 0.8)))
    items = list(data.action_items) or ([] if data.medication_changes else [None, None])
    for item in items:
        talked = [para(item.talked_about, s, "cell")] if item else []
        todo = [para(item.to_do, s, "cell")] if item else []
        block = form_block([(_("What we talked about:"), talked, 0 if item else 2),
                            (_("What I need to do:"), todo, 0 if item else 2),
                            (_("What I did and when I did it:"), [], 2)], s, ctx.width)
        out.append(keep_together(block, Spacer(1, s.body_size * 0.8)))
    plan = [para(follow_up_text(ctx), s, "cell")] if follow_up_text(ctx) else []
    out.append(form_block([(_("My follow-up plan:"), plan, 2)], s, ctx.width))
    out.append(Spacer(1, s.body_size * 0.8))
    asks = [para(data.questions, s, "cell")] if data.questions else []
    out.append(form_block([(_("Questions I want to ask:"), asks, 3)], s, ctx.width))
    out.append(Spacer(1, s.body_size * 0.8))
    out.append(Paragraph(f"<b>{markup(questions_line(ctx))}</b>", s["body"]))
    return out


def build(data: DocumentData, out: BinaryIO) -> None:
    ctx = open_document(data, out, gettext(TITLE, data.lang), clinical=True)
    ctx.build(story(ctx))


def build_pdf(data: DocumentData) -> bytes:
    return to_bytes(build, data)
