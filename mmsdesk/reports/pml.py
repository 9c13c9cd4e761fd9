"""Personal Medication List (PML): FORMATS.md part 2, landscape so the seven columns read.

Current medicines first, then stopped ones crossed out with the date and the reason, then
blank rows for the patient to add medicines."""

from __future__ import annotations

from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, TableStyle

from mmsdesk.reports.common import Context, open_document, to_bytes
from mmsdesk.reports.data import DocumentData, MedicationItem
from mmsdesk.reports.flowables import Table, box, data_table, fields_table, para
from mmsdesk.reports.styles import ACCENT, RULE, SHADE, Stylesheet, markup

TITLE = "Personal Medication List"
COLUMNS = ("Medication:", "How I use it:", "Why I use it:", "Prescriber:",
           "Date I started using it:", "Date I stopped using it:", "Why I stopped using it:")
INSTRUCTIONS = (  # FORMATS.md part 2's four instructions, short enough for three lines
    "Keep this list up to date: prescription and over-the-counter medicines, herbals, "
    "vitamins and minerals.",
    "Take it to every doctor or other health care visit, and to the hospital or emergency "
    "room.",
    "Use the blank rows to add new medicines.",
    "Cross out medicines you no longer use; write the date and why you stopped.",
)
WIDTHS = (0.21, 0.21, 0.17, 0.11, 0.105, 0.105, 0.09)
_dense: dict[bool, Stylesheet] = {}


def dense(sheet: Stylesheet) -> Stylesheet:
    """The same sizes with a tighter line spacing, for the list's cells (more rows a page)."""
    if sheet.large_print not in _dense:
        styles = dict(sheet.styles)
        for name in ("cell", "cell_bold", "cell_struck", "header_cell", "label"):
            styles[name] = ParagraphStyle(name + "_dense", parent=sheet[name],
                                          leading=sheet.body_size * 1.12)
        _dense[sheet.large_print] = Stylesheet(sheet.large_print, sheet.body_size, styles)
    return _dense[sheet.large_print]


def _tight(sheet: Stylesheet) -> list[tuple]:  # type: ignore[type-arg]
    pad = sheet.body_size * 0.16
    return [("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1.5)]


def title_line(ctx: Context, title: str, style: ParagraphStyle | None = None) -> Paragraph:
    p = ctx.data.patient
    _ = ctx._
    return Paragraph(f"{markup(_(title))} {markup(_('for'))} {markup(p.name)}, "
                     f"{markup(_('DOB:'))} {markup(ctx.d(p.date_of_birth))}",
                     style or ctx.sheet["title"])


def allergy_lines(ctx: Context) -> list[str]:
    out = []
    for a in ctx.data.allergies:
        what = a.reaction or ctx._("reaction not recorded")
        kind = "" if a.type == "allergy" else f" ({ctx._('side effect')})"
        out.append(f"{a.substance}{kind}: {what}")
    return out


def _row(ctx: Context, m: MedicationItem) -> list[Flowable]:
    s = dense(ctx.sheet)
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
    return struck + [para(stopped, s, "cell"), para(m.stop_reason, s, "cell")]


def _taller_than_its_row(row: list[Flowable], widths: list[float], size: float) -> bool:
    """The last cell (the reason stopped) would make the row more than two lines taller."""
    inner = [w - 2 * size * 0.35 for w in widths]  # data_table's padding
    heights = [c.wrap(w, 10_000)[1] for c, w in zip(row, inner, strict=True)]
    return heights[-1] > max(heights[:-1]) + 2 * size * 1.12


def medication_table(ctx: Context) -> Flowable:
    """Current medicines, then stopped ones. A stopped medicine's long reason (a column
    0.9 inch wide: 300 characters stood a page tall) goes on a line of its own across the
    table under the medicine, its cell pointing to it: the whole text, a few lines high."""
    s, _ = dense(ctx.sheet), ctx._
    data = ctx.data
    widths = [w * ctx.width for w in WIDTHS]
    rows: list[list[Flowable | str]] = [_row(ctx, m) for m in data.current_medications]
    style: list[tuple] = []  # type: ignore[type-arg]
    for m in data.stopped_medications:
        row = _row(ctx, m)
        rows.append(row)
        if m.stop_reason and _taller_than_its_row(row, widths, s.body_size):
            row[-1] = Paragraph(f"<i>{markup(_('(see below)'))}</i>", s["cell"])
            rows.append([Paragraph(f"<b>{markup(_(COLUMNS[6]))}</b> {markup(m.stop_reason)}",
                                   s["cell"])] + [""] * (len(COLUMNS) - 1))
            r = len(rows)  # the table's row index (the header is row 0)
            shade = SHADE if (r - 1) % 2 == 0 else colors.white  # as its medicine's row
            style += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), shade),
                      ("NOSPLIT", (0, r - 1), (-1, r))]  # the reason stays under its medicine
    if not rows:
        return Spacer(1, 0)
    return data_table([_(c) for c in COLUMNS], rows, widths, s,
                      extra_style=_tight(s) + style)


class BlankRows(Flowable):
    """The blank rows to add medicines: as many as the page has room for above what must
    follow them on it (``reserve``), at least ``least``; never a page of their own. When what
    follows cannot fit on this page anyway, they fill it to the bottom."""

    def __init__(self, widths: list[float], row_height: float, reserve: list[Flowable],
                 least: int = 1, most: int = 12, second_line: bool = False) -> None:
        super().__init__()
        self.widths, self.row_height, self.reserve = widths, row_height, reserve
        self.least, self.most, self.second_line = least, most, second_line
        self.table: Table | None = None

    def _rows_for(self, width: float, height: float) -> int:
        parts: list[Flowable] = []
        for f in self.reserve:  # a KeepTogether reports an endless height: measure its content
            parts += list(f._content) if isinstance(f, KeepTogether) else [f]
        need = sum(f.wrapOn(self.canv, width, height)[1] + f.getSpaceBefore()
                   + f.getSpaceAfter() for f in parts)
        room = height - need if height >= need else height
        return max(0, min(self.most, int(room // self.row_height)))

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        n = self._rows_for(aw, ah)
        if n == 0 or n < self.least:
            self.table = None
            return aw, 0
        per = 2 if self.second_line else 1
        rows = [[""] * len(self.widths) for _ in range(n * per)]
        heights = [self.row_height / per] * (n * per)
        t = Table(rows, colWidths=self.widths, rowHeights=heights)
        style = [("GRID", (0, 0), (-1, -1), 0.5, RULE)]
        if self.second_line:
            style = [("BOX", (0, 0), (-1, -1), 0.5, RULE)]
            for i in range(0, n * per, 2):
                style += [("LINEBELOW", (0, i + 1), (-1, i + 1), 0.5, RULE),
                          ("LINEBELOW", (0, i), (-1, i), 0.3, RULE),
                          ("SPAN", (0, i + 1), (-1, i + 1))]
                style += [("LINEAFTER", (c, i), (c, i), 0.5, RULE)
                          for c in range(len(self.widths) - 1)]
        t.setStyle(TableStyle(style))
        self.table = t
        return t.wrap(aw, ah)

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []  # the rows are made to fit: nothing moves to the next page

    def draw(self) -> None:
        if self.table is not None:
            self.table.drawOn(self.canv, 0, 0)


LARGE_WIDTHS = (0.32, 0.27, 0.22, 0.19)


# The portrait forms' short labels for the three date columns (FORMATS.md's full labels head
# the landscape form's columns): the line under each medicine then holds on one line, in
# large print too, and 15 medicines take 4 large-print pages instead of 5.
SHORT_DATES = ("Started:", "Stopped:", "Why I stopped:")


def _dates_line(ctx: Context, m: MedicationItem | None) -> Paragraph:
    """Portrait: the three date columns as one labelled line under the medicine."""
    _ = ctx._
    started = ctx.d(m.started) if m else ""
    stopped = (ctx.d(m.stopped) or _("date not known")) if m and not m.current else ""
    reason = m.stop_reason if m and not m.current else ""
    blank = "_" * 10
    labels = SHORT_DATES
    parts = [f"<b>{markup(_(labels[0]))}</b> {markup(started) or blank}",
             f"<b>{markup(_(labels[1]))}</b> {markup(stopped) or blank}",
             f"<b>{markup(_(labels[2]))}</b> "
             f"{markup(reason) or blank * (1 if ctx.data.large_print else 2)}"]
    return Paragraph("&nbsp;&nbsp; ".join(parts), dense(ctx.sheet)["cell"])


def large_print_table(ctx: Context) -> Flowable:
    """Four columns a 16 pt line can hold, with the dates on a second line per medicine."""
    s, _ = dense(ctx.sheet), ctx._
    data = ctx.data
    rows: list[list[Flowable | str]] = []
    style: list[tuple] = []  # type: ignore[type-arg]
    meds: list[MedicationItem | None] = [*data.current_medications, *data.stopped_medications]
    for i, m in enumerate(meds):
        r = 1 + 2 * i
        if m is None:
            rows.append([Spacer(1, s.body_size * 2), "", "", ""])
        else:
            rows.append(_row(ctx, m)[:4])
        rows.append([_dates_line(ctx, m), "", "", ""])
        style += [("SPAN", (0, r + 1), (-1, r + 1)), ("LINEABOVE", (0, r + 1), (-1, r + 1), 0.3, RULE),
                  ("NOSPLIT", (0, r), (-1, r + 1))]  # a medicine's dates stay under it
        if i % 2:
            style.append(("BACKGROUND", (0, r), (-1, r + 1), SHADE))
    widths = [w * ctx.width for w in LARGE_WIDTHS]
    if not rows:
        return Spacer(1, 0)
    return data_table([_(c) for c in COLUMNS[:4]], rows, widths, s, zebra=False,
                      extra_style=_tight(s) + style)


def portrait(data: DocumentData) -> bool:
    """Large print and the compact form are portrait, with the dates under each medicine."""
    return data.large_print or data.compact


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
    if ctx.data.large_print:  # portrait at 16 pt: one column
        return fields_table(pairs, s, ctx.width, label_w)
    # each "Label value" on one paragraph; landscape: three columns of two (phone, primary
    # care, prepared over the others); the compact portrait form: two columns of three
    d = dense(s)
    cells = [Paragraph(f"<b>{markup(label)}</b> {markup(value)}", d["cell"]) for label, value in pairs]
    if ctx.width < 9 * inch:  # the short ones (phone, dates) beside the long ones
        grid = [[cells[i], cells[j]] for i, j in ((0, 1), (4, 2), (5, 3))]
        widths = [ctx.width * 0.40, ctx.width * 0.60]
    else:
        grid = [cells[0::2][:3], cells[1::2][:3]]
        widths = [ctx.width * 0.30, ctx.width * 0.42, ctx.width * 0.28]
    t = Table(grid, colWidths=widths)
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                           ("TOPPADDING", (0, 0), (-1, -1), 0),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return t


def instructions(ctx: Context) -> Flowable:
    """The four instructions: one under the other in portrait, two by two in landscape."""
    s, _ = ctx.sheet, ctx._
    items = [Paragraph(f"• {markup(_(t))}", dense(s)["cell"]) for t in INSTRUCTIONS]
    if ctx.width < 9 * inch:
        t = Table([[i] for i in items], colWidths=[ctx.width])
    else:
        t = Table([items[:2], items[2:]], colWidths=[ctx.width * 0.5] * 2)
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 0),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return t


def allergies_box(ctx: Context) -> Flowable:
    """One bordered line (or more): "Allergies or side effects: Penicillin: hives; …"."""
    s, _ = ctx.sheet, ctx._
    lines = allergy_lines(ctx)
    label = f"<b>{markup(_('Allergies or side effects:'))}</b> "
    text = "; ".join(markup(x) for x in lines) or f"<i>{markup(_('No allergies or side effects recorded.'))}</i>"
    rows = [[Paragraph(label + text, dense(s)["cell"])]]
    if not lines:
        rows.append([Spacer(1, s.body_size * 1.4)])
    t = Table(rows, colWidths=[ctx.width])
    pad = s.body_size * 0.4
    t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.9, ACCENT),
                           ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                           ("LEFTPADDING", (0, 0), (-1, -1), pad),
                           ("TOPPADDING", (0, 0), (-1, -1), pad * 0.5),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.6)]))
    return t


def story(ctx: Context) -> list[Flowable]:
    s, _ = ctx.sheet, ctx._
    data = ctx.data
    gap = s.body_size * 0.3
    title = ctx.sheet["title"]
    if not data.large_print:  # a smaller title leaves a row more for medicines
        title = ParagraphStyle("pml_title", parent=title, fontSize=s.body_size + 5,
                               leading=(s.body_size + 5) * 1.15, spaceAfter=s.body_size * 0.2)
    out: list[Flowable] = [title_line(ctx, TITLE, title)]
    out.append(two_column_fields(ctx, header_fields(ctx)))
    out += [Spacer(1, gap), instructions(ctx), Spacer(1, gap), allergies_box(ctx),
            Spacer(1, gap)]
    out.append(large_print_table(ctx) if portrait(data) else medication_table(ctx))
    other = [para(data.other_information, s, "cell")] if data.other_information else []
    notes = [para(data.questions, s, "cell")] if data.questions else []
    # side by side, in every form: the information printed gets the wider box
    cols = [ctx.width * 0.6, ctx.width * 0.4] if other else [ctx.width / 2] * 2
    boxes = [box(_("Other information:"), other, s, cols[0] - 8, write_lines=0 if other else 1),
             box(_("My notes and questions:"), notes, s, cols[1], write_lines=1 + (not other))]
    pair = Table([[b._content[0] if isinstance(b, KeepTogether) else b for b in boxes]],
                 colWidths=cols)
    pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("RIGHTPADDING", (0, 0), (0, -1), 8),
                              ("RIGHTPADDING", (1, 0), (1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    tail = [Spacer(1, gap), pair]
    if portrait(data):
        widths = [w * ctx.width for w in LARGE_WIDTHS]
        row_h = s.body_size * 4.2
    else:
        widths = [w * ctx.width for w in WIDTHS]
        row_h = s.body_size * 2.3
    out.append(BlankRows(widths, row_h, tail, least=min(1, data.blank_rows),
                         most=max(data.blank_rows, 12), second_line=portrait(data)))
    return out + tail


# Half-inch margins (every office printer prints that close to the edge): a row or two more
# of medicines a page, so 15 of them hold on two pages.
LIST_MARGIN = 0.5 * inch


def build(data: DocumentData, out: BinaryIO) -> None:
    ctx = open_document(data, out, ctx_title(data), clinical=True, wide=not portrait(data),
                        compact=not data.large_print, margin=LIST_MARGIN)
    ctx.build(story(ctx))


def ctx_title(data: DocumentData) -> str:
    from mmsdesk.i18n import _

    return _(TITLE, data.lang)


def build_pdf(data: DocumentData) -> bytes:
    return to_bytes(build, data)
