"""Match free-text patient facts (conditions, allergies) to rule groups (PGx results: pgx.py)."""

from __future__ import annotations

import re

from mmsdesk.clinical.screening.knowledge import Knowledge


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", text.lower()).strip() + " "


def condition_groups_of(kb: Knowledge, names: tuple[str, ...], codes: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    texts = [_words(n) for n in names]
    upper = [c.upper().replace(".", "") for c in codes if c]
    for group, (keywords, icd10) in kb.condition_groups.items():
        if any(f" {k} " in t for k in keywords for t in texts):
            found.add(group)
        elif any(c.startswith(p.replace(".", "")) for p in icd10 for c in upper):
            found.add(group)
    return found


def allergy_groups_of(kb: Knowledge, allergies: tuple[str, ...]) -> set[str]:
    texts = [_words(a) for a in allergies]
    return {group for group, aliases in kb.allergy_groups.items()
            if any(f" {_words(alias).strip()} " in t for alias in aliases for t in texts)}
