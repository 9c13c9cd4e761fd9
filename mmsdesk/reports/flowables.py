"""Building blocks shared by the documents: text, tables with repeated headers that split
across pages (also inside a long row), labelled boxes, lines to write on, checkboxes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, TableStyle
from reportlab.platypus import Table as _Table

from mmsdesk.reports.styles import ACCENT, FONT, RULE, SHADE, Stylesheet, markup


class Table(_Table):  # type: ignore[misc]
    """A ReportLab table whose cell font is ours: ReportLab sets each cell's font, even for a
    cell holding only flowables, and its default (Helvetica) would not be embedded."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT),
                                  ("FONTSIZE", (0, 0), (-1, -1), 12)]))

Cell = Flowable | str


def para(text: object, sheet: Stylesheet, style: str = "body") -> Paragraph:
    """A paragraph of plain text (escaped, NFC, fallback font where needed)."""
    return Paragraph(markup(text), sheet[style])


def rich(html: str, sheet: Stylesheet, style: str = "body") -> Paragraph:
    """A paragraph of markup the caller built with :func:`markup` pieces."""
    return Paragraph(html, sheet[style])


def labelled(label: str, value: object, sheet: Stylesheet, style: str = "body") -> Paragraph:
    """"<b>Label</b> value" on one paragraph."""
    return Paragraph(f"<b>{markup(label)}</b> {markup(value)}", sheet[style])


class Checkbox(Flowable):
    """An empty square to tick by hand."""

    def __init__(self, size: float) -> None:
        super().__init__()
        self.size = size

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setStrokeColor(colors.black)
        self.canv.setLineWidth(1)
        self.canv.rect(0, 0, self.size, self.size * 0.92)


def _cell(value: Cell, sheet: Stylesheet, style: str) -> Flowable:
    return value if isinstance(value, Flowable) else para(value, sheet, style)


TALL_ROW = 250.0  # points: a row taller than this may split across pages (else it moves whole)


def _has_tall_row(data: Sequence[Sequence[Flowable]], widths: Sequence[float],
                  sheet: Stylesheet) -> bool:
    pad = sheet.body_size * 0.7
    for row in data:
        for cell, w in zip(row, widths, strict=False):
            if isinstance(cell, Flowable) and cell.wrap(w - pad, 10_000)[1] > TALL_ROW:
                return True
    return False


def data_table(header: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[float],
               sheet: Stylesheet, *, zebra: bool = True,
               extra_style: Sequence[tuple] = ()) -> Table:  # type: ignore[type-arg]
    """A table with a shaded header row repeated on every page; long rows split too."""
    pad = sheet.body_size * 0.35
    data = [[para(h, sheet, "header_cell") for h in header]]
    data += [[_cell(c, sheet, "cell") for c in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1, splitByRow=1,
                  splitInRow=int(_has_tall_row(data, widths, sheet)))
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
    ]
    if zebra:
        style += [("BACKGROUND", (0, i), (-1, i), SHADE) for i in range(2, len(data), 2)]
    style += list(extra_style)
    table.setStyle(TableStyle(style))
    return table


def keep_together(*flowables: Flowable) -> KeepTogether:
    """``KeepTogether`` over ``flowables``, unnesting any KeepTogether among them: ReportLab's
    KeepTogether reports an endless height to force a split, so one nested in another always
    pushed its content to the next page, however much room was left."""
    content: list[Flowable] = []
    for f in flowables:
        content += list(f._content) if isinstance(f, KeepTogether) else [f]
    return KeepTogether(content)


def box(label: str, content: Sequence[Flowable], sheet: Stylesheet, width: float,
        write_lines: int = 0) -> Flowable:
    """A bordered box headed by a bold label, with content and/or lines to write on."""
    rows: list[list[Flowable]] = [[para(label, sheet, "label")]]
    rows += [[f] for f in content]
    rows += [[Spacer(1, sheet.body_size * 1.6)] for _ in range(write_lines)]
    t = Table(rows, colWidths=[width], splitByRow=1, splitInRow=1)
    pad = sheet.body_size * 0.4
    style = [
        ("BOX", (0, 0), (-1, -1), 0.9, ACCENT),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.6),
    ]
    first_line = 1 + len(content)
    for i in range(first_line, first_line + write_lines):
        style.append(("LINEBELOW", (0, i), (-1, i), 0.4, RULE))
    t.setStyle(TableStyle(style))
    return KeepTogether([t])  # a short box moves whole to the next page; a long one splits


def checklist(items: Sequence[str], sheet: Stylesheet, width: float) -> Table:
    """One row per action: a checkbox and the action's text."""
    size = sheet.body_size
    rows = [[Checkbox(size * 0.9), para(text, sheet, "cell")] for text in items if text.strip()]
    if not rows:
        rows = [[Checkbox(size * 0.9), Spacer(1, size)]]
    t = Table(rows, colWidths=[size * 1.5, width - size * 1.5], splitByRow=1, splitInRow=1)
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (0, -1), size * 0.25),
        ("TOPPADDING", (1, 0), (1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.25),
    ]))
    return t


def fields_table(pairs: Sequence[tuple[str, object]], sheet: Stylesheet, width: float,
                 label_width: float) -> Table:
    """Label | value rows (patient header details, letter identifiers)."""
    rows = [[para(label, sheet, "label"), para(value, sheet, "cell")] for label, value in pairs]
    t = Table(rows, colWidths=[label_width, width - label_width], splitByRow=1, splitInRow=1)
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return t


def write_on_lines(n: int, sheet: Stylesheet, width: float) -> Table:
    rows = [[Spacer(1, sheet.body_size * 1.6)] for _ in range(max(1, n))]
    t = Table(rows, colWidths=[width])
    t.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE)]))
    return t


def form_block(sections: Sequence[tuple[str, Sequence[Flowable], int]], sheet: Stylesheet,
               width: float) -> Flowable:
    """One bordered block of labelled parts: (label, content, lines to write on) each."""
    rows: list[list[Flowable]] = []
    style: list[tuple] = [("BOX", (0, 0), (-1, -1), 0.9, ACCENT)]  # type: ignore[type-arg]
    pad = sheet.body_size * 0.4
    style += [("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
              ("TOPPADDING", (0, 0), (-1, -1), pad * 0.6),
              ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.6)]
    for label, content, lines in sections:
        i = len(rows)
        rows.append([para(label, sheet, "label")])
        style.append(("BACKGROUND", (0, i), (-1, i), SHADE))
        if i:
            style.append(("LINEABOVE", (0, i), (-1, i), 0.6, RULE))
        rows += [[f] for f in content]
        for _n in range(lines):
            style.append(("LINEBELOW", (0, len(rows)), (-1, len(rows)), 0.4, RULE))
            rows.append([Spacer(1, sheet.body_size * 1.6)])
    t = Table(rows, colWidths=[width], splitByRow=1, splitInRow=1)
    t.setStyle(TableStyle(style))
    return KeepTogether([t])
