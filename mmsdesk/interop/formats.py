"""Which kind of file a record came in: the one place that tells a FHIR bundle from a C-CDA
document (or a plain list), by its content, never by its name. Every entry point (screen,
import, reconcile, the wizard's list import) reads through :func:`read_record`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mmsdesk.interop.ccda import CcdaDocument, is_ccda, read_ccda
from mmsdesk.interop.fhir_bundle import BundleError, ParsedBundle, parse_bundle

FHIR, CCDA, XML, TEXT = "fhir", "ccda", "xml", "text"


def detect_format(path: Path | str) -> str:
    """``fhir`` (JSON), ``ccda`` (an HL7 ClinicalDocument), ``xml`` (other XML) or ``text``.
    Raises BundleError when the file cannot be read."""
    p = Path(path)
    try:
        with p.open("rb") as f:
            head = f.read(8192)
    except OSError as exc:
        raise BundleError(f"{p.name}: cannot be read ({exc.strerror or exc})") from None
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if start.startswith((b"{", b"[")):
        return FHIR
    if start.startswith(b"<"):
        return CCDA if is_ccda(head) else XML
    return TEXT


@dataclass
class ReadRecord:
    format: str  # fhir | ccda
    bundle: ParsedBundle  # what screening and import read (a C-CDA: its screened lists)
    document: CcdaDocument | None = None  # a C-CDA's lists, author and date


def read_record(path: Path | str) -> ReadRecord:
    """A FHIR bundle or a C-CDA document, whichever the file holds; BundleError (one line
    naming the file) for anything else or anything malformed."""
    kind = detect_format(path)
    if kind == CCDA:
        doc = read_ccda(path)
        return ReadRecord(CCDA, doc.bundle(), doc)
    if kind == XML:
        raise BundleError(f"{Path(path).name}: XML but not a C-CDA document (no HL7 "
                          "ClinicalDocument)")
    if kind == TEXT and Path(path).stat().st_size > 0:  # an empty file: the bundle reader says so
        raise BundleError(f"{Path(path).name}: neither a FHIR bundle (JSON) nor a C-CDA "
                          "document (XML)")
    return ReadRecord(FHIR, parse_bundle(path))
