"""National Drug Codes as pharmacies and documents write them: the 11-digit (5-4-2) form of
any hyphenated one, the product NDCs (labeler-product) the FDA directory lists it under, and
the product the drug dictionary's NDC directory gives it. Pure Python."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["ndc11", "product_ndcs", "resolve_ndc"]


def ndc11(text: str) -> str:
    """The 11-digit (5-4-2) form of an NDC written with 11 digits or hyphenated 4-4-2,
    5-3-2, 5-4-1 or 5-4-2; '' when it is none of these."""
    t = (text or "").strip()
    if re.fullmatch(r"\d{11}", t, re.ASCII):
        return t
    parts = t.split("-")
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        return ""
    widths = tuple(len(p) for p in parts)
    pads = {(4, 4, 2): (5, 4, 2), (5, 3, 2): (5, 4, 2), (5, 4, 1): (5, 4, 2), (5, 4, 2): (5, 4, 2)}
    if widths not in pads:
        return ""
    return "".join(p.zfill(w) for p, w in zip(parts, pads[widths], strict=True))


def product_ndcs(ndc: str) -> list[str]:
    """The product NDCs (labeler-product, as the FDA directory writes them: 5-4, 4-4 or 5-3)
    an 11-digit NDC may stand for."""
    labeler, product = ndc[:5], ndc[5:9]
    out = [f"{labeler}-{product}"]
    if labeler.startswith("0"):
        out.append(f"{labeler[1:]}-{product}")
    if product.startswith("0"):
        out.append(f"{labeler}-{product[1:]}")
    return out


def resolve_ndc(ndc: str) -> Any:
    """The dictionary's reading (a ResolvedMedication) of the product an NDC (any form) is
    sold under, or None when the NDC directory does not list it."""
    from mmsdesk.clinical.dictionary import resolve

    eleven = ndc11(ndc)
    for code in product_ndcs(eleven) if eleven else ():
        r = resolve(code)
        if r.recognised:
            return r
    return None
