"""Medication calendar for the patient: a grid of morning / noon / evening / bedtime with each
medicine, its dose and what it is for; "as needed" medicines and those not taken every day
listed apart."""

from __future__ import annotations

import re
from typing import BinaryIO

from reportlab.platypus import Flowable, Paragraph, Spacer

from mmsdesk.i18n import _ as gettext
from mmsdesk.reports.common import Context, open_document, to_bytes
from mmsdesk.reports.data import DocumentData, MedicationItem
from mmsdesk.reports.flowables import data_table, para
from mmsdesk.reports.pml import title_line
from mmsdesk.reports.styles import SHADE, markup

TITLE = "My medication calendar"
SLOTS = ("morning", "noon", "evening", "bedtime")
SLOT_LABELS = {"morning": "Morning", "noon": "Noon", "evening": "Evening", "bedtime": "Bedtime"}
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


def story(ctx: Context) -> list[Flowable]:
    s, _ = ctx.sheet, ctx._
    current = ctx.data.current_medications
    daily = [(m, slots(m)) for m in current if not m.as_needed]
    scheduled = sorted([(m, t) for m, t in daily if t], key=lambda x: SLOTS.index(x[1][0]))
    other = [m for m, t in daily if not t]
    prn = [m for m in current if m.as_needed]
    out: list[Flowable] = [title_line(ctx, TITLE), para(_(INTRO), s)]
    w = ctx.width
    rows = []
    style = []
    for r, (m, times) in enumerate(scheduled, 1):
        amount = dose(m) or _("take")
        cells: list[Flowable] = [para(m.name, s, "cell_bold"), para(m.indication, s, "cell")]
        for c, slot in enumerate(SLOTS, 2):
            if slot in times:
                cells.append(Paragraph(f"<b>{markup(amount)}</b>", s["center"]))
                style.append(("BACKGROUND", (c, r), (c, r), SHADE))
            else:
                cells.append(para("", s, "cell"))
        rows.append(cells)
    if rows:
        head = [_("Medicine"), _("What it is for")] + [_(SLOT_LABELS[t]) for t in SLOTS]
        slot_w = w * 0.12
        out.append(data_table(head, rows, [w * 0.30, w * 0.22] + [slot_w] * 4, s, zebra=False,
                              extra_style=style))
    if other:
        out.append(Paragraph(markup(_("Medicines not taken every day, or at other times")), s["h2"]))
        out.append(data_table([_("Medicine"), _("How I use it"), _("What it is for")],
                              [[para(m.name, s, "cell_bold"), para(m.directions, s, "cell"),
                                para(m.indication, s, "cell")] for m in other],
                              [w * 0.34, w * 0.40, w * 0.26], s))
    if prn:
        out.append(Paragraph(markup(_("Only when needed (as needed)")), s["h2"]))
        out.append(data_table([_("Medicine"), _("How I use it"), _("What it is for")],
                              [[para(m.name, s, "cell_bold"), para(m.directions, s, "cell"),
                                para(m.indication, s, "cell")] for m in prn],
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
