"""ICD-10-CM code search, from the maintained ``simple-icd-10-cm`` package (CMS code set)."""

from __future__ import annotations

import unicodedata
import warnings
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Icd10Hit:
    code: str
    description: str


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _package():  # type: ignore[no-untyped-def]
    """The code-set package, or None; its loader uses a deprecated importlib call."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            import simple_icd_10_cm as cm
        except ImportError:
            return None
        cm.get_all_codes(with_dots=True)  # loads the data while warnings are silenced
    return cm


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[str, str, str], ...]:
    cm = _package()
    if cm is None:
        return ()
    out = []
    for code in cm.get_all_codes(with_dots=True):
        if not code[:1].isalpha() or "-" in code:  # chapters and blocks are not codes
            continue
        desc = cm.get_description(code)
        out.append((code, desc, f"{code} {desc}".lower()))  # the code set is plain ASCII
    return tuple(out)


def available() -> bool:
    return bool(_index())


def search(text: str, limit: int = 20) -> list[Icd10Hit]:
    """Codes whose code or description contain every word typed, shortest codes first."""
    words = _fold(text).split()
    if not words:
        return []
    hits = [(code, desc) for code, desc, key in _index() if all(w in key for w in words)]
    hits.sort(key=lambda h: (not h[0].upper().startswith(text.strip().upper()), len(h[0]), h[0]))
    return [Icd10Hit(c, d) for c, d in hits[:limit]]


def describe(code: str) -> str | None:
    """The description of a valid ICD-10-CM code, or None when the code set lacks it."""
    cm = _package()
    if cm is None:
        return None
    code = code.strip().upper()
    return cm.get_description(code) if cm.is_valid_item(code) else None
