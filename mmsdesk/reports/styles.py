"""Fonts and named paragraph styles for every document.

The fonts are TrueType files shipped in ``resources/fonts/`` (see its README for licences):
Noto Sans as the family ``MMSSans`` (regular, bold, italic, bold italic) and Droid Sans
Fallback as ``MMSFallback`` for the characters Noto Sans lacks (Chinese, Japanese, Korean).
ReportLab has no per-glyph fallback, so :func:`markup` splits text into runs and wraps the
runs the main font cannot draw in the fallback font. All text is NFC-normalised first.

Fonts are registered once per process (:func:`register_fonts`); :func:`get_stylesheet`
returns the named styles for normal print (body 12 pt) or large print (body 16 pt).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "MMSSans"
FONT_BOLD = "MMSSans-Bold"
FONT_ITALIC = "MMSSans-Italic"
FONT_BOLD_ITALIC = "MMSSans-BoldItalic"
FALLBACK = "MMSFallback"
FONT_FILES = {
    FONT: "NotoSans-Regular.ttf",
    FONT_BOLD: "NotoSans-Bold.ttf",
    FONT_ITALIC: "NotoSans-Italic.ttf",
    FONT_BOLD_ITALIC: "NotoSans-BoldItalic.ttf",
}
FALLBACK_FILE = "DroidSansFallbackFull.ttf"

INK = colors.HexColor("#1a202c")
ACCENT = colors.HexColor("#1f5f8b")
SHADE = colors.HexColor("#e8f0f7")
RULE = colors.HexColor("#8aa4bb")
MUTED = colors.HexColor("#4a5568")

_lock = threading.Lock()
_registered = False
_fallback_registered = False
_main_chars: frozenset[int] = frozenset()
_fallback_chars: frozenset[int] = frozenset()
_font_dir: Path | None = None


def font_dir() -> Path:
    if _font_dir is not None:
        return _font_dir
    from mmsdesk import paths

    return paths.resources_dir() / "fonts"


def register_fonts(folder: Path | None = None) -> None:
    """Register the main family (once). The fallback font is registered on first need."""
    global _registered, _main_chars, _font_dir
    with _lock:
        if _registered:
            return
        if folder is not None:
            _font_dir = folder
        base = font_dir()
        for name, file in FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(base / file)))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                      boldItalic=FONT_BOLD_ITALIC)
        face = pdfmetrics.getFont(FONT).face  # type: ignore[attr-defined]
        _main_chars = frozenset(face.charToGlyph)
        _registered = True


def _register_fallback() -> None:
    global _fallback_registered, _fallback_chars
    with _lock:
        if _fallback_registered:
            return
        font = TTFont(FALLBACK, str(font_dir() / FALLBACK_FILE))
        pdfmetrics.registerFont(font)
        pdfmetrics.registerFontFamily(FALLBACK, normal=FALLBACK, bold=FALLBACK, italic=FALLBACK,
                                      boldItalic=FALLBACK)
        _fallback_chars = frozenset(font.face.charToGlyph)
        _fallback_registered = True


def nfc(text: object) -> str:
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def _drawable(ch: str) -> bool:
    return ord(ch) in _main_chars or ch in "\n\t"


def needs_fallback(text: str) -> bool:
    register_fonts()
    return any(not _drawable(ch) for ch in nfc(text))


def runs(text: str) -> list[tuple[str, bool]]:
    """Split NFC text into (run, needs_fallback) pieces."""
    register_fonts()
    out: list[tuple[str, bool]] = []
    for ch in nfc(text):
        fb = not _drawable(ch) and not ch.isspace()
        if out and (out[-1][1] == fb or ch.isspace()):
            out[-1] = (out[-1][0] + ch, out[-1][1])
        else:
            out.append((ch, fb))
    return out


def markup(text: object) -> str:
    """Paragraph markup for plain text: NFC, XML-escaped, fallback runs in the fallback font,
    line breaks kept."""
    pieces = []
    for run, fb in runs(nfc(text)):
        esc = escape(run).replace("\n", "<br/>")
        if fb:
            _register_fallback()
            pieces.append(f'<font name="{FALLBACK}">{esc}</font>')
        else:
            pieces.append(esc)
    return "".join(pieces)


def draw_text(canvas: object, x: float, y: float, text: str, font: str, size: float,
              align: str = "left") -> None:
    """Draw one line on a canvas, switching to the fallback font for runs that need it."""
    parts = runs(text)
    for _run, fb in parts:
        if fb:
            _register_fallback()
    widths = [pdfmetrics.stringWidth(r, FALLBACK if fb else font, size) for r, fb in parts]
    total = sum(widths)
    if align == "right":
        x -= total
    elif align == "center":
        x -= total / 2
    for (r, fb), w in zip(parts, widths, strict=True):
        canvas.setFont(FALLBACK if fb else font, size)  # type: ignore[attr-defined]
        canvas.drawString(x, y, r)  # type: ignore[attr-defined]
        x += w


@dataclass(frozen=True)
class Stylesheet:
    """Named styles; ``body_size`` is 12 pt (normal) or 16 pt (large print)."""

    large_print: bool
    body_size: float
    styles: dict[str, ParagraphStyle]

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.styles[name]


_cache: dict[bool, Stylesheet] = {}


def get_stylesheet(large_print: bool = False) -> Stylesheet:
    """Every named style of the documents (12 pt minimum; 16 pt body in large print)."""
    register_fonts()
    if large_print in _cache:
        return _cache[large_print]
    size = 16.0 if large_print else 12.0
    lead = size * 1.3

    def ps(name: str, **kw: object) -> ParagraphStyle:
        base = {"fontName": FONT, "fontSize": size, "leading": lead, "textColor": INK}
        base.update(kw)
        return ParagraphStyle(name, **base)  # type: ignore[arg-type]

    s = {
        "body": ps("body", spaceAfter=size * 0.4),
        "numbered": ps("numbered", leftIndent=size * 1.5, firstLineIndent=-size * 1.1,
                       spaceAfter=size * 0.4),
        "cell": ps("cell"),
        "cell_bold": ps("cell_bold", fontName=FONT_BOLD),
        "cell_struck": ps("cell_struck", textColor=MUTED),
        "header_cell": ps("header_cell", fontName=FONT_BOLD, textColor=colors.white),
        "label": ps("label", fontName=FONT_BOLD),
        "title": ps("title", fontName=FONT_BOLD, fontSize=size + 8, leading=(size + 8) * 1.2,
                    textColor=ACCENT, spaceAfter=size * 0.3),
        "h2": ps("h2", fontName=FONT_BOLD, fontSize=size + 3, leading=(size + 3) * 1.25,
                 textColor=ACCENT, spaceBefore=size * 0.8, spaceAfter=size * 0.3, keepWithNext=1),
        "h3": ps("h3", fontName=FONT_BOLD, fontSize=size + 1, leading=(size + 1) * 1.25,
                 spaceBefore=size * 0.5, spaceAfter=size * 0.2, keepWithNext=1),
        "note": ps("note", fontName=FONT_ITALIC, textColor=MUTED),
        "letterhead": ps("letterhead", fontName=FONT_BOLD, fontSize=size + 4,
                         leading=(size + 4) * 1.2, textColor=ACCENT),
        "letterhead_small": ps("letterhead_small", textColor=MUTED),
        "right": ps("right", alignment=TA_RIGHT),
        "center": ps("center", alignment=TA_CENTER),
        "money": ps("money", alignment=TA_RIGHT),
        "money_bold": ps("money_bold", fontName=FONT_BOLD, alignment=TA_RIGHT),
    }
    sheet = Stylesheet(large_print, size, s)
    _cache[large_print] = sheet
    return sheet
