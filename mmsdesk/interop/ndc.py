"""National Drug Codes as pharmacy files and clinical documents write them, read by the drug
dictionary's one package-code reader (clinical/dictionary/barcodes.py): the 11-digit form,
the product NDCs (labeler-product, as the FDA directory writes them) it may stand for, and
the product the dictionary's NDC directory gives it."""

from __future__ import annotations

from typing import Any

from mmsdesk.clinical.dictionary.barcodes import CodeError, PackageCode, read_code

__all__ = ["ndc11", "product_ndcs", "resolve_ndc"]


def _ndc(text: str) -> PackageCode | None:
    """The NDC written (11 digits, or hyphenated 4-4-2, 5-3-2, 5-4-1, 5-4-2); None for
    anything else (a barcode's digits, ten digits without hyphens: ambiguous)."""
    try:
        code = read_code(text)
    except CodeError:
        return None
    return code if code is not None and code.kind in ("ndc", "ndc-11") else None


def ndc11(text: str) -> str:
    """The 11-digit (5-4-2) form of an NDC; '' when ``text`` is not one."""
    code = _ndc(text)
    return code.ndc_11 if code is not None else ""


def product_ndcs(text: str) -> list[str]:
    """The product NDCs (5-4, 4-4 or 5-3) an NDC may stand for, the written one first."""
    code = _ndc(text)
    return list(dict.fromkeys(p for p, _ in code.product_codes())) if code is not None else []


def resolve_ndc(text: str) -> Any:
    """The dictionary's reading (a ResolvedMedication) of the product an NDC is sold under,
    or None when the NDC directory does not list it."""
    from mmsdesk.clinical.dictionary import resolve

    for code in product_ndcs(text):
        r = resolve(code)
        if r.recognised:
            return r
    return None
