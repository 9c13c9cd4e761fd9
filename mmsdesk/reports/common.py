"""What every document module shares: the translator, the stylesheet and the page template
set up from a :class:`DocumentData`."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from reportlab.platypus import Flowable

from mmsdesk.i18n import Translator, long_date, short_date, translator
from mmsdesk.reports.data import DocumentData, MedicationItem
from mmsdesk.reports.styles import Stylesheet, get_stylesheet
from mmsdesk.reports.templates import DocumentTemplate, Letterhead, RunningText


@dataclass
class Context:
    data: DocumentData
    sheet: Stylesheet
    _: Translator
    doc: DocumentTemplate

    @property
    def width(self) -> float:
        return float(self.doc.width)

    def d(self, day: object) -> str:
        return short_date(day, self.data.lang)

    def long(self, day: object) -> str:
        return long_date(day, self.data.lang)

    def build(self, story: list[Flowable]) -> None:
        self.doc.build_story(story)


def letterhead(data: DocumentData, _: Translator) -> Letterhead:
    p = data.practice
    contact = [f"{_('Phone')} {p.phone}" if p.phone else "", f"{_('Fax')} {p.fax}" if p.fax else "",
               p.email]
    lines = (p.address.replace("\n", ", "), " · ".join(c for c in contact if c))
    name = p.practice_name or p.signature or _("Practice details missing")
    warning = ""
    if p.missing:
        warning = _("PRACTICE DETAILS MISSING ({details}): enter them in Settings before "
                    "giving this document to anyone.").format(
            details=", ".join(_(x) for x in p.missing))
    return Letterhead(name, tuple(line for line in lines if line), p.logo_png, warning)


def patient_line(data: DocumentData, _: Translator) -> str:
    return f"{data.patient.name} · {_('DOB:')} {short_date(data.patient.date_of_birth, data.lang)}"


def open_document(data: DocumentData, out: BinaryIO, title: str, *, clinical: bool = True,
                  wide: bool = False, lang: str | None = None,
                  compact: bool = False, margin: float | None = None) -> Context:
    """``compact``: the practice on one line at the top of page 1 too (unless it has a logo),
    for a list that needs the room."""
    lang = lang or data.lang
    _ = translator(lang)
    sheet = get_stylesheet(data.large_print)
    note = f"{_('Date prepared:')} {short_date(data.prepared_on, lang)}"
    if clinical and data.kb_version:
        note += f" · {_('MMS Desk knowledge base')} {data.kb_version}"

    def page_label(page: int, total: int) -> str:
        return _("Page {page} of {total}").format(page=page, total=total)

    doc = DocumentTemplate(out, sheet=sheet, letterhead=letterhead(data, _),
                           running=RunningText(patient_line(data, _), note, page_label),
                           title=title, author=data.practice.practice_name, lang=lang, wide=wide,
                           compact=compact, **({} if margin is None else {"margin": margin}))
    return Context(data, sheet, _, doc)


def medication_name(m: MedicationItem) -> str:
    return m.name


def to_bytes(build: Callable[[DocumentData, BinaryIO], None], data: DocumentData) -> bytes:
    buf = io.BytesIO()
    build(data, buf)
    return buf.getvalue()
