"""Reading PDFs back for the document tests: text per page (pypdf and pdftotext), fonts,
font sizes and word boxes."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream


def pages_text(pdf: bytes) -> list[str]:
    """Each page's text (pypdf), whitespace collapsed: a table cell's lines stay together."""
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def all_text(pdf: bytes) -> str:
    return " ".join(pages_text(pdf))


def pdftotext(pdf: bytes) -> str:
    """poppler's reading of the same file, whitespace collapsed."""
    if not shutil.which("pdftotext"):
        return ""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                         capture_output=True, check=True).stdout.decode("utf-8")
    return " ".join(out.split())


def font_problems(pdf: bytes) -> list[str]:
    """Every font used on every page must be embedded (FontFile2 for TrueType)."""
    problems = []
    seen = 0
    for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, 1):
        fonts = page.get("/Resources", {}).get_object().get("/Font", {})
        fonts = fonts.get_object() if hasattr(fonts, "get_object") else fonts
        if not fonts:
            problems.append(f"page {n}: no fonts at all")
        for name, ref in fonts.items():
            font = ref.get_object()
            seen += 1
            targets = [font]
            if font.get("/Subtype") == "/Type0":
                targets = [d.get_object() for d in font["/DescendantFonts"]]
            for f in targets:
                desc = f.get("/FontDescriptor")
                desc = desc.get_object() if desc is not None else None
                if desc is None or "/FontFile2" not in desc:
                    problems.append(f"page {n}: font {name} ({f.get('/BaseFont')}) not embedded "
                                    "as TrueType")
    if not seen:
        problems.append("no font found")
    return problems


def font_names(pdf: bytes) -> set[str]:
    out = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            out.add(str(ref.get_object().get("/BaseFont")).split("+")[-1])
    return out


def font_sizes(pdf: bytes) -> list[float]:
    """The size of every Tf (set font) operator on every page."""
    reader = PdfReader(io.BytesIO(pdf))
    sizes = []
    for page in reader.pages:
        content = ContentStream(page.get_contents(), reader)
        for operands, op in content.operations:
            if op == b"Tf":
                sizes.append(float(operands[1]))
    return sizes


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def word_boxes(pdf: bytes) -> list[tuple[int, float, float, float, float, float, float, str]]:
    """(page, page width, page height, xMin, yMin, xMax, yMax, word) for every word."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        html = subprocess.run(["pdftotext", "-bbox", str(src), "-"], capture_output=True,
                              check=True, text=True).stdout
    out = []
    for n, chunk in enumerate(html.split("<page ")[1:], 1):
        w, h = map(float, _PAGE.match("<page " + chunk).groups())  # type: ignore[union-attr]
        for m in _WORD.finditer(chunk):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            out.append((n, w, h, x0, y0, x1, y1, m.group(5)))
    return out
