"""Medication calendar for the patient, to fill a pill box from: a grid of morning / noon /
evening / bedtime with each medicine, its dose (and meal) and what it is for, placed from its
sig (``clinical/pillbox.py``); medicines not taken every day with their days, "as needed"
medicines in their own box with the most a day (never in the slots), and directions the sig
reader could not read as written."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import BinaryIO

from reportlab.platypus import Flowable, Paragraph, Spacer

from mmsdesk.clinical.pillbox import Placement, place
from mmsdesk.clinical.sig import UNITS, format_amount
from mmsdesk.clinical.sig_es import UNITS_ES, UNITS_ES_EXTRA, WEEKDAYS_ES, meal_es
from mmsdesk.clinical.sig_read import Sig
from mmsdesk.i18n import _ as gettext
from mmsdesk.reports.common import Context, open_document, to_bytes
from mmsdesk.reports.data import DocumentData, MedicationItem
from mmsdesk.reports.flowables import data_table, para
from mmsdesk.reports.pml import title_line
from mmsdesk.reports.styles import SHADE, markup

TITLE = "My medication calendar"
SLOTS = ("morning", "noon", "evening", "bedtime")
SLOT_LABELS = {"morning": "Morning", "noon": "Noon", "evening": "Evening", "bedtime": "Bedtime"}
DAYS = {"qod": "Every other day", "weekly": "Once a week", "monthly": "Once a month",
        "once": "One time only"}
INTRO = ("Take each medicine at the times marked with its dose. Keep this calendar where you "
         "take your medicines, and bring it to your visits.")
_FREQ_SLOTS = {"daily": ("morning",), "bid": ("morning", "evening"), "q12h": ("morning", "evening"),
               "tid": ("morning", "noon", "evening"), "q8h": ("morning", "noon", "evening"),
               "qid": SLOTS, "q6h": SLOTS}
_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"four times a day|4 times a day|every 6 hours", SLOTS),
    (r"three times a day|3 times a day|every 8 hours", ("morning", "noon", "evening")),
    (r"twice a day|two times a day|2 times a day|every 12 hours", ("morning", "evening")),
    (r"morning|breakfast", ("morning",)),
    (r"\bnoon\b|lunch|midday", ("noon",)),
    (r"evening|dinner|supper", ("evening",)),
    (r"bedtime|at night", ("bedtime",)),
    (r"once a day|every day|once daily|\bdaily\b", ("morning",)),
)
_NOT_DAILY = re.compile(r"week|every other day|month|one time only|as directed")
_DOSE = re.compile(r"^(?:take|inhale|apply|inject|use|place|instill|insert|chew|dissolve)\s+"
                   r"([\d½¼¾.,/]+(?:\s*(?:to|-|or)\s*[\d½¼¾.,/]+)?\s+[a-zA-Z]+)", re.I)


def slots(m: MedicationItem) -> tuple[str, ...]:
    """When in the day a medicine is taken: structured times, else read from the directions."""
    if m.times_of_day:
        return tuple(t for t in SLOTS if t in m.times_of_day)
    text = m.directions.lower()
    if _NOT_DAILY.search(text) or m.frequency in {"weekly", "monthly", "qod", "once"}:
        return ()
    found: list[str] = []
    for pattern, times in _PHRASES:
        if re.search(pattern, text):
            found += [t for t in times if t not in found]
            if len(times) > 1 or pattern.startswith("once"):
                break
    if not found and m.frequency in _FREQ_SLOTS:
        found = list(_FREQ_SLOTS[m.frequency])
    return tuple(t for t in SLOTS if t in found)


def dose(m: MedicationItem) -> str:
    if m.dose:
        return m.dose
    match = _DOSE.search(m.directions.strip())
    return match.group(1) if match else ""


def placement(m: MedicationItem) -> Placement:
    """Where a medicine goes: from its sig when every word of it was read; an as-needed one
    always in its own box; else the slots read from the directions (or "other")."""
    if m.sig is not None and m.sig.understood:
        return place(m.sig)
    if m.as_needed:
        return Placement("as_needed")
    found = slots(m)
    return Placement("daily", slots=found) if found else Placement("other")


def _meal_hint(ctx: Context, m: MedicationItem) -> str:
    if m.sig is None or not m.sig.meal[1]:
        return ""
    relation, meal = m.sig.meal
    if ctx.data.lang == "es":
        return meal_es(relation, meal, m.sig.meal_minutes)
    lead = f"{m.sig.meal_minutes} minutes " if m.sig.meal_minutes else ""
    return f"{lead}{relation} {meal}"


def _day(ctx: Context, day: str) -> str:
    return WEEKDAYS_ES[day] if ctx.data.lang == "es" else day.capitalize()


def days_text(ctx: Context, p: Placement) -> str:
    """The days of a medicine not taken every day, in the document's language."""
    _ = ctx._
    if p.except_weekdays:
        return _("Every day except {days}").format(
            days=", ".join(_day(ctx, d) for d in p.except_weekdays))
    if p.weekdays:
        return _("Every {days}").format(days=", ".join(_day(ctx, d) for d in p.weekdays))
    return _(DAYS.get(p.frequency, "")) if p.frequency else ""


def _amount(ctx: Context, sig: Sig) -> str:
    d = sig.directions
    if d.dose_amount is None:
        return ""
    if ctx.data.lang == "es":
        one, many = {**UNITS_ES, **UNITS_ES_EXTRA}.get(d.dose_unit, (d.dose_unit, d.dose_unit))
    else:
        one, many = d.dose_unit, UNITS.get(d.dose_unit, d.dose_unit)
    return f"{format_amount(d.dose_amount)} {one if 0 < d.dose_amount <= 1 else many}".strip()


def _dose_of(ctx: Context, m: MedicationItem) -> str:
    if m.dose:
        return m.dose
    if m.sig is not None and not m.sig.steps and (m.sig.understood or m.sig.directions.dose_unit):
        return _amount(ctx, m.sig)  # a dose read before words the reader could not place
    return dose(m)


def _when(ctx: Context, times: tuple[str, ...]) -> str:
    return ", ".join(ctx._(SLOT_LABELS[t]) for t in times)


def _taper(ctx: Context, p: Placement) -> str:
    _ = ctx._
    out = []
    for first, step in p.steps:
        last = first + (step.for_days or 1) - 1
        days = _("Days {first} to {last}").format(first=first, last=last)
        times = place(step).slots
        out.append(f"{days}: {_amount(ctx, step)}" + (f" ({_when(ctx, times)})" if times else ""))
    return "; ".join(out)


def _most(ctx: Context, m: MedicationItem, p: Placement) -> str:
    _ = ctx._
    if p.most_units:
        unit = ""
        if m.sig is not None and m.sig.directions.dose_unit:
            sig = m.sig
            unit = _amount(ctx, Sig(directions=replace(sig.directions, dose_amount=p.most_units)))
        return unit or _("{n} a day").format(n=format_amount(p.most_units))
    if p.most_doses:
        return _("{n} times a day").format(n=p.most_doses) if p.most_doses > 1 else _("once a day")
    return _("as the label says")


def story(ctx: Context) -> list[Flowable]:
    s, _ = ctx.sheet, ctx._
    current = ctx.data.current_medications
    placed = [(m, placement(m)) for m in current]
    scheduled = sorted([(m, p) for m, p in placed if p.box == "daily" and p.slots],
                       key=lambda x: SLOTS.index(x[1].slots[0]))
    not_daily = [(m, p) for m, p in placed if p.box == "not_daily"]
    other = [m for m, p in placed if p.box == "other" or (p.box == "daily" and not p.slots)]
    prn = [(m, p) for m, p in placed if p.box == "as_needed"]
    out: list[Flowable] = [title_line(ctx, TITLE), para(_(INTRO), s)]
    w = ctx.width
    rows = []
    style = []
    for r, (m, p) in enumerate(scheduled, 1):
        amount = _dose_of(ctx, m) or _("take")
        hint = _meal_hint(ctx, m)
        name = markup(m.name)
        if p.for_days:
            name += f"<br/><i>{markup(_('for {n} days').format(n=p.for_days))}</i>"
        cells: list[Flowable] = [Paragraph(f"<b>{name}</b>", s["cell"]), para(m.indication, s, "cell")]
        for c, slot in enumerate(SLOTS, 2):
            if slot in p.slots:
                text = f"<b>{markup(amount)}</b>" + (f"<br/>{markup(hint)}" if hint else "")
                cells.append(Paragraph(text, s["center"]))
                style.append(("BACKGROUND", (c, r), (c, r), SHADE))
            else:
                cells.append(para("", s, "cell"))
        rows.append(cells)
    if rows:
        head = [_("Medicine"), _("What it is for")] + [_(SLOT_LABELS[t]) for t in SLOTS]
        slot_w = w * 0.12
        out.append(data_table(head, rows, [w * 0.30, w * 0.22] + [slot_w] * 4, s, zebra=False,
                              extra_style=style))
    if not_daily:
        out.append(Paragraph(markup(_("Not every day: on these days")), s["h2"]))
        nd_rows = []
        for m, p in not_daily:
            if p.steps:
                days, when = _taper(ctx, p), ""
            else:
                days, when = days_text(ctx, p), _when(ctx, p.slots)
                hint = _meal_hint(ctx, m)
                when = ", ".join(x for x in (when, hint) if x)
            amount = _dose_of(ctx, m) if not p.steps else ""
            nd_rows.append([para(m.name, s, "cell_bold"), para(days, s, "cell"),
                            para(", ".join(x for x in (amount, when) if x), s, "cell"),
                            para(m.indication, s, "cell")])
        out.append(data_table([_("Medicine"), _("Days"), _("How much, when"), _("What it is for")],
                              nd_rows, [w * 0.27, w * 0.30, w * 0.23, w * 0.20], s))
    if prn:
        out.append(Paragraph(markup(_("Only when needed (as needed)")), s["h2"]))
        out.append(data_table([_("Medicine"), _("How I use it"), _("The most in a day"),
                               _("What it is for")],
                              [[para(m.name, s, "cell_bold"), para(m.directions, s, "cell"),
                                para(_most(ctx, m, p), s, "cell_bold"),
                                para(m.indication, s, "cell")] for m, p in prn],
                              [w * 0.27, w * 0.35, w * 0.16, w * 0.22], s))
    if other:
        out.append(Paragraph(markup(_("Other medicines: use as the label says")), s["h2"]))
        out.append(data_table([_("Medicine"), _("How I use it"), _("What it is for")],
                              [[para(m.name, s, "cell_bold"), para(m.directions, s, "cell"),
                                para(m.indication, s, "cell")] for m in other],
                              [w * 0.34, w * 0.40, w * 0.26], s))
    if not current:
        out.append(para(_("No current medicines on the list."), s, "note"))
    out.append(Spacer(1, s.body_size))
    return out


def build(data: DocumentData, out: BinaryIO) -> None:
    ctx = open_document(data, out, gettext(TITLE, data.lang), clinical=True, wide=True)
    ctx.build(story(ctx))


def build_pdf(data: DocumentData) -> bytes:
    return to_bytes(build, data)
