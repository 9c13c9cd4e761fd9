"""Match free-text patient facts (conditions, allergies, PGx results) to rule groups."""

from __future__ import annotations

import re

from mmsdesk.clinical.screening.knowledge import Knowledge

_HLA = re.compile(r"(HLA-[A-Z]+\*\d+:\d+)", re.I)


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


def normalise_phenotype(text: str) -> str:
    t = " ".join(text.lower().replace("metaboliser", "metabolizer").split())
    return {"pos": "positive", "neg": "negative", "present": "positive", "detected": "positive",
            "not detected": "negative", "absent": "negative"}.get(t, t)


def pgx_phenotypes(results: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """{GENE: phenotype}; an HLA allele written in the phenotype becomes its own key."""
    out: dict[str, str] = {}
    for gene, phenotype in results:
        g = gene.strip().upper()
        p = normalise_phenotype(phenotype)
        m = _HLA.search(p) if g.startswith("HLA") and "*" not in g else None
        if m:
            g = m.group(1).upper()
            p = "negative" if "negative" in p or "not" in p else "positive"
        out[g] = p
    return out
