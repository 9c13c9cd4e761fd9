"""Wording shared by documents and screens, with no ReportLab import (the dashboard and the
chart use it without loading the PDF machinery)."""

from __future__ import annotations


def sentence(intervention: str, text: str) -> str:
    """The recommendation in one sentence: 'Stop ibuprofen.', never 'Stop: Stop ibuprofen'."""
    t = " ".join(text.split()).rstrip(".")
    if not t:
        return f"{intervention}." if intervention else ""
    if not intervention:
        return t[:1].upper() + t[1:] + "."
    first, verb = t.split()[0].lower(), intervention.split()[0].lower()
    if first in (verb, "please", "consider", "suggest", "recommend") or verb in (
            "educate", "monitor", "refer") and first.endswith(("e", "r")):
        return t[:1].upper() + t[1:] + "."
    return f"{intervention}: {t[:1].lower() + t[1:]}."
