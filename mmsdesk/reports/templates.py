"""The one page template of every document: letterhead at the top of each page, the
patient's name and date of birth and "Page X of Y" at the bottom, with the date prepared
and (for clinical documents) the knowledge-base version.

"Page X of Y" is drawn when the document is saved, once the page count is known
(:class:`_NumberedCanvas`). A document made of several letters (one per prescriber) numbers
each letter on its own: put :class:`NewSection` at the start of each letter.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from mmsdesk.reports.styles import (
    ACCENT,
    FONT,
    FONT_BOLD,
    MUTED,
    RULE,
    Stylesheet,
    draw_text,
    markup,
)

MARGIN = 0.7 * inch
WARNING_COLOUR = "#b00020"


@dataclass(frozen=True)
class Letterhead:
    practice_name: str
    lines: tuple[str, ...] = ()  # address, "Phone … · Fax …"
    logo_png: bytes | None = None
    warning: str = ""  # drawn in red under the letterhead on every page: details missing


@dataclass(frozen=True)
class RunningText:
    patient_line: str  # "José Müller · DOB: 05/14/1943"
    footer_note: str  # "Date prepared: 11/24/2026 · Knowledge base 2026.11.1"
    page_label: Callable[[int, int], str]  # (page, total) -> "Page 1 of 2"


class NewSection(Flowable):
    """Zero-size marker: pages from here on are numbered as a new section (a new letter)."""

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        doc = getattr(self.canv, "_doctemplate", None)
        if doc is not None:
            doc.section += 1
            doc.section_first_page = True


class DocumentTemplate(BaseDocTemplate):  # type: ignore[misc]
    """Letter paper; letterhead on every page; footer with patient, date, page numbers."""

    def __init__(self, out: BinaryIO, *, sheet: Stylesheet, letterhead: Letterhead,
                 running: RunningText, title: str, author: str = "", lang: str = "en",
                 wide: bool = False, compact: bool = False, margin: float = MARGIN) -> None:
        size = landscape(letter) if wide else letter
        self.margin = margin  # a patient's list may take narrower margins for its rows
        self.sheet = sheet
        self.letterhead = letterhead
        self.running = running
        self.section = 0
        self.section_first_page = False
        width = size[0] - 2 * self.margin
        self._width = width
        self._head_flowables = self._letterhead_flowables()
        self._head_height = max(sum(f.wrap(width - self._logo_width(), size[1])[1]
                                    for f in self._head_flowables), self._logo_height())
        self._short_head = [self._short_letterhead()]
        self._short_height = self._short_head[0].wrap(width, size[1])[1]
        self.short_head = compact and not letterhead.logo_png
        if self.short_head:  # a patient's own list: the practice on one line, more room for rows
            self._head_flowables, self._head_height = self._short_head, self._short_height
        fs = sheet.body_size
        self._foot_height = 2 * fs * 1.3 + 10
        gap = 8 if compact else 12
        top = self.margin + self._head_height + gap
        later_top = self.margin + self._short_height + gap
        bottom = self.margin + self._foot_height + 6
        super().__init__(out, pagesize=size, leftMargin=self.margin, rightMargin=self.margin,
                         topMargin=top, bottomMargin=bottom, title=title,
                         author=author or "MMS Desk", creator="MMS Desk", lang=lang,
                         initialFontName=FONT, initialFontSize=sheet.body_size,
                         initialLeading=sheet.body_size * 1.2)
        first = Frame(self.margin, bottom, width, size[1] - top - bottom, id="first",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        later = Frame(self.margin, bottom, width, size[1] - later_top - bottom, id="later",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate(id="first", frames=[first], onPage=self._draw_first_page,
                         onPageEnd=self._end_page, autoNextPageTemplate="later"),
            PageTemplate(id="later", frames=[later], onPage=self._draw_later_page,
                         onPageEnd=self._end_page),
        ])

    # -- letterhead
    def _logo_width(self) -> float:
        return 1.3 * inch if self.letterhead.logo_png else 0

    def _logo_height(self) -> float:
        return 0.8 * inch if self.letterhead.logo_png else 0

    def _letterhead_flowables(self) -> list[Paragraph]:
        s = self.sheet
        out = [Paragraph(markup(self.letterhead.practice_name), s["letterhead"])]
        out += [Paragraph(markup(line), s["letterhead_small"]) for line in self.letterhead.lines
                if line]
        if self.letterhead.warning:
            out.append(self._warning())
        return out

    def _warning(self) -> Paragraph:
        return Paragraph(f'<font color="{WARNING_COLOUR}"><b>{markup(self.letterhead.warning)}'
                         "</b></font>", self.sheet["letterhead_small"])

    def _short_letterhead(self) -> Paragraph:
        """Pages after the first: the practice's name and its contact line, on one line."""
        lh = self.letterhead
        contact = lh.lines[-1] if lh.lines else ""
        return Paragraph(f"<b>{markup(lh.practice_name)}</b>"
                         + (f" · {markup(contact)}" if contact else "")
                         + (f'<br/><font color="{WARNING_COLOUR}"><b>{markup(lh.warning)}</b>'
                            "</font>" if lh.warning else ""),
                         self.sheet["letterhead_small"])

    def _draw_first_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self._draw_page(canv, self._head_flowables, self._head_height, logo=not self.short_head)

    def _draw_later_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self._draw_page(canv, self._short_head, self._short_height, logo=False)

    def _draw_page(self, canv: Canvas, head: list[Paragraph], head_height: float,
                   logo: bool) -> None:
        w, h = self.pagesize
        canv.saveState()
        y = h - self.margin
        text_w = w - 2 * self.margin - (self._logo_width() if logo else 0)
        for f in head:
            _, fh = f.wrap(text_w, h)
            f.drawOn(canv, self.margin, y - fh)
            y -= fh
        if logo and self.letterhead.logo_png:
            try:
                img = ImageReader(io.BytesIO(self.letterhead.logo_png))
                iw, ih = img.getSize()
                scale = min(self._logo_width() / iw, self._logo_height() / ih)
                canv.drawImage(img, w - self.margin - iw * scale, h - self.margin - ih * scale,
                               iw * scale, ih * scale, mask="auto")
            except Exception:  # noqa: BLE001 - a broken logo never stops a document
                pass
        line_y = h - self.margin - head_height - 5
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(1.2)
        canv.line(self.margin, line_y, w - self.margin, line_y)
        # footer: rule, patient line (bold) and the note
        fs = self.sheet.body_size
        base = self.margin + self._foot_height
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.6)
        canv.line(self.margin, base, w - self.margin, base)
        canv.setFillColor(ACCENT)
        draw_text(canv, self.margin, base - fs * 1.2, self.running.patient_line, FONT_BOLD, fs)
        canv.setFillColor(MUTED)
        draw_text(canv, self.margin, base - fs * 2.5, self.running.footer_note, FONT, fs)
        canv.restoreState()

    def _end_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        sections = getattr(canv, "mms_sections", None)
        if sections is not None:
            sections.append(self.section)

    def build_story(self, story: list[Flowable]) -> None:
        running = self.running
        fs = self.sheet.body_size
        w = self.pagesize[0]
        y = self.margin + self._foot_height - fs * 1.2
        margin = self.margin

        class _NumberedCanvas(Canvas):  # type: ignore[misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                kwargs["initialFontName"] = FONT  # never an unembedded Helvetica
                kwargs["initialFontSize"] = fs
                super().__init__(*args, **kwargs)
                self.mms_pages: list[dict[str, Any]] = []
                self.mms_sections: list[int] = []

            def showPage(self) -> None:  # noqa: N802 - ReportLab's name
                self.mms_pages.append(dict(self.__dict__))
                self._startPage()

            def save(self) -> None:
                sections = self.mms_sections + [self.mms_sections[-1] if self.mms_sections
                                                else 0] * (len(self.mms_pages)
                                                           - len(self.mms_sections))
                totals: dict[int, int] = {}
                for sec in sections:
                    totals[sec] = totals.get(sec, 0) + 1
                seen: dict[int, int] = {}
                for state, sec in zip(self.mms_pages, sections, strict=True):
                    self.__dict__.update(state)
                    seen[sec] = seen.get(sec, 0) + 1
                    self.saveState()
                    self.setFillColor(ACCENT)
                    draw_text(self, w - margin, y, running.page_label(seen[sec], totals[sec]),
                              FONT_BOLD, fs, align="right")
                    self.restoreState()
                    super().showPage()
                super().save()

        self.build(story, canvasmaker=_NumberedCanvas)
