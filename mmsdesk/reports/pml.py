"""Personal Medication List (PML): FORMATS.md part 2, landscape so the seven columns read.

Current medicines first, then stopped ones crossed out with the date and the reason, then
blank rows for the patient to add medicines."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Paragraph, Spacer, TableStyle

from mmsdesk.reports.common import Context, open_document, to_bytes
from mmsdesk.reports.data import DocumentData, MedicationItem
from mmsdesk.reports.flowables import Table, box, data_table, fields_table, para
from mmsdesk.reports.styles import RULE, SHADE, markup

TITLE = "Personal Medication List"
COLUMNS = ("Medication:", "How I use it:", "Why I use it:", "Prescriber:",
           "Date I started using it:", "Date I stopped using it:", "Why I stopped using it:")
INSTRUCTIONS = (
    "Keep this list up to date with all your prescription medicines, over-the-counter drugs, "
    "herbals, vitamins and minerals.",
    "Take this list with you every time you see a doctor or other health care provider, and "
    "when you go to the hospital or emergency room.",
    "Use the blank rows to add new medicines.",
    "Cross out medicines you no longer use, and write the date and why you stopped using them.",
)
WIDTHS = (0.19, 0.19, 0.15, 0.12, 0.115, 0.115, 0.12)


def title_line(ctx: Context, title: str) -> Paragraph:
    p = ctx.data.patient
    _ = ctx._
    return Paragraph(f"{markup(_(title))} {markup(_('for'))} {markup(p.name)}, "
                     f"{markup(_('DOB:'))} {markup(ctx.d(p.date_of_birth))}", ctx.sheet["title"])


def allergy_lines(ctx: Context) -> list[str]:
    out = []
    for a in ctx.data.allergies:
        what = a.reaction or ctx._("reaction not recorded")
        kind = "" if a.type == "allergy" else f" ({ctx._('side effect')})"
        out.append(f"{a.substance}{kind}: {what}")
    return out


def _row(ctx: Context, m: MedicationItem) -> list[Flowable]:
    s = ctx.sheet
    name = m.name + (f" ({ctx._('as needed')})" if m.as_needed and "as needed" not in
                     m.directions.lower() else "")
    values = [name, m.directions, m.indication, m.prescriber, ctx.d(m.started)]
    if m.current:
        cells = [para(values[0], s, "cell_bold")] + [para(v, s, "cell") for v in values[1:]]
        if m.status == "on_hold":
            cells[1] = Paragraph(f"{markup(m.directions)} <i>({markup(ctx._('on hold'))})</i>",
                                 s["cell"])
        return cells + [para("", s, "cell"), para("", s, "cell")]
    struck = [Paragraph(f"<strike>{markup(v)}</strike>", s["cell_struck"]) for v in values]
    stopped = ctx.d(m.stopped) or ctx._("date not known")
    return struck + [para(stopped, s, "cell_bold"), para(m.stop_reason, s, "cell")]


def medication_table(ctx: Context) -> Flowable:
    s, _ = ctx.sheet, ctx._
    data = ctx.data
    rows = [_row(ctx, m) for m in data.current_medications]
    rows += [_row(ctx, m) for m in data.stopped_medications]
    rows += [[Spacer(1, s.body_size * 2.2)] + [""] * 6 for _n in range(data.blank_rows)]
    widths = [w * ctx.width for w in WIDTHS]
    return data_table([_(c) for c in COLUMNS], rows, widths, s)


LARGE_WIDTHS = (0.32, 0.27, 0.22, 0.19)


def _dates_line(ctx: Context, m: MedicationItem | None) -> Paragraph:
    """Large print: the three date columns as one labelled line under the medicine."""
    _ = ctx._
    started = ctx.d(m.started) if m else ""
    stopped = (ctx.d(m.stopped) or _("date not known")) if m and not m.current else ""
    reason = m.stop_reason if m and not m.current else ""
    blank = "_" * 10
    parts = [f"<b>{markup(_(COLUMNS[4]))}</b> {markup(started) or blank}",
             f"<b>{markup(_(COLUMNS[5]))}</b> {markup(stopped) or blank}",
             f"<b>{markup(_(COLUMNS[6]))}</b> {markup(reason) or blank}"]
    return Paragraph("&nbsp;&nbsp; ".join(parts), ctx.sheet["cell"])


def large_print_table(ctx: Context) -> Flowable:
    """Four columns a 16 pt line can hold, with the dates on a second line per medicine."""
    s, _ = ctx.sheet, ctx._
    data = ctx.data
    rows: list[list[Flowable | str]] = []
    style: list[tuple] = []  # type: ignore[type-arg]
    meds: list[MedicationItem | None] = [*data.current_medications, *data.stopped_medications]
    meds += [None] * data.blank_rows
    for i, m in enumerate(meds):
        r = 1 + 2 * i
        if m is None:
            rows.append([Spacer(1, s.body_size * 2), "", "", ""])
        else:
            rows.append(_row(ctx, m)[:4])
        rows.append([_dates_line(ctx, m), "", "", ""])
        style += [("SPAN", (0, r + 1), (-1, r + 1)), ("LINEABOVE", (0, r + 1), (-1, r + 1), 0.3, RULE)]
        if i % 2:
            style.append(("BACKGROUND", (0, r), (-1, r + 1), SHADE))
    widths = [w * ctx.width for w in LARGE_WIDTHS]
    return data_table([_(c) for c in COLUMNS[:4]], rows, widths, s, zebra=False,
                      extra_style=style)


def header_fields(ctx: Context) -> list[tuple[str, object]]:
    p, _ = ctx.data.patient, ctx._
    last = ctx.d(ctx.data.last_reviewed) if ctx.data.last_reviewed else ctx.d(ctx.data.prepared_on)
    return [
        (_("Phone:"), p.phone),
        (_("Emergency contact:"), p.emergency_contact),
        (_("Primary care provider:"), p.primary_care),
        (_("Pharmacies:"), "; ".join(p.pharmacies)),
        (_("Date prepared:"), ctx.d(ctx.data.prepared_on)),
        (_("Date last reviewed:"), last),
    ]


def two_column_fields(ctx: Context, pairs: list[tuple[str, object]]) -> Flowable:
    """Header details side by side: label | value | label | value."""
    s = ctx.sheet
    label_w = (2.9 if ctx.data.large_print else 2.1) * inch
    if ctx.width < 9 * inch:  # portrait (large print): one column
        return fields_table(pairs, s, ctx.width, label_w)
    half = (len(pairs) + 1) // 2
    left, right = pairs[:half], pairs[half:]
    cols = (ctx.width * 0.46, ctx.width * 0.54)
    left_t = fields_table(left, s, cols[0] - 10, label_w)
    right_t = fields_table(right, s, cols[1], label_w * 0.95)
    t = Table([[left_t, right_t]], colWidths=list(cols))
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return t


def story(ctx: Context) -> list[Flowable]:
    s, _ = ctx.sheet, ctx._
    data = ctx.data
    out: list[Flowable] = [title_line(ctx, TITLE)]
    out.append(two_column_fields(ctx, header_fields(ctx)))
    out.append(Spacer(1, s.body_size * 0.6))
    out += [Paragraph(f"• {markup(_(t))}", s["body"]) for t in INSTRUCTIONS]
    allergies = [para(line, s, "cell") for line in allergy_lines(ctx)]
    if not allergies:
        allergies = [para(_("No allergies or side effects recorded."), s, "note")]
    out.append(box(_("Allergies or side effects:"), allergies, s, ctx.width,
                   write_lines=0 if data.allergies else 1))
    out.append(Spacer(1, s.body_size * 0.6))
    out.append(large_print_table(ctx) if data.large_print else medication_table(ctx))
    out.append(Spacer(1, s.body_size * 0.8))
    other = [para(data.other_information, s, "cell")] if data.other_information else []
    out.append(box(_("Other information:"), other, s, ctx.width, write_lines=2))
    out.append(Spacer(1, s.body_size * 0.8))
    notes = [para(data.questions, s, "cell")] if data.questions else []
    out.append(box(_("My notes and questions:"), notes, s, ctx.width, write_lines=3))
    return out


def build(data: DocumentData, out: BinaryIO) -> None:
    ctx = open_document(data, out, ctx_title(data), clinical=True, wide=not data.large_print)
    ctx.build(story(ctx))


def ctx_title(data: DocumentData) -> str:
    from mmsdesk.i18n import _

    return _(TITLE, data.lang)


def build_pdf(data: DocumentData) -> bytes:
    return to_bytes(build, data)
