"""Pharmacogenomic results to CPIC phenotypes: normalise the words, translate diplotypes.

Every result of a gene is kept (a diplotype reported after a phenotype must not erase it); a rule
fires when any of the gene's results matches. Phenotype words are brought to CPIC's standard
terms ("PM", "Poor metabolizer (PM)", "poor metaboliser" -> "poor metabolizer"); a "likely"
phenotype takes the recommendations of the phenotype it names (CPIC: likely IM/PM are treated
as IM/PM). A diplotype ("*1/*2", "*4/*4", "*1x2/*41") is translated with the CPIC tables
compacted in ``resources/knowledge/pgx/`` (allele functions and activity values; phenotype per
function pair or activity score).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mmsdesk import paths
from mmsdesk.clinical.screening.knowledge import Knowledge, Row, read_psv
from mmsdesk.clinical.screening.model import Alert

_HLA = re.compile(r"(HLA-[A-Z]+\*\d+:\d+)", re.I)
_COPIES = re.compile(r"^(.*?)\s*x\s*(\d+|n)$", re.I)
_ABBREV = {"pm": "poor metabolizer", "im": "intermediate metabolizer",
           "nm": "normal metabolizer", "em": "normal metabolizer",
           "extensive metabolizer": "normal metabolizer", "rm": "rapid metabolizer",
           "um": "ultrarapid metabolizer", "urm": "ultrarapid metabolizer",
           "ultra-rapid metabolizer": "ultrarapid metabolizer",
           "ultra rapid metabolizer": "ultrarapid metabolizer",
           "likely pm": "likely poor metabolizer", "likely im": "likely intermediate metabolizer",
           "possible im": "possible intermediate metabolizer",
           "pos": "positive", "present": "positive", "detected": "positive", "carrier": "positive",
           "neg": "negative", "not detected": "negative", "absent": "negative",
           "non-carrier": "negative", "noncarrier": "negative",
           "g6pd deficient": "deficient", "g6pd deficient with cnsha": "deficient with cnsha",
           "g6pd normal": "normal", "g6pd variable": "variable",
           "unfavorable response genotype": "unfavorable response",
           "malignant hyperthermia susceptible": "malignant hyperthermia susceptibility"}


def normalise_phenotype(text: str) -> str:
    """CPIC's standard term, lowercase: 'Poor Metaboliser (PM)' -> 'poor metabolizer'."""
    t = text.lower().replace("metaboliser", "metabolizer").replace("favourable", "favorable")
    t = re.sub(r"\((pm|im|nm|em|rm|um|urm)\)", "", t)
    t = " ".join(t.replace("_", " ").split()).strip(" .;:")
    return _ABBREV.get(t, t)


@dataclass(frozen=True)
class CpicTables:
    alleles: dict[str, dict[str, tuple[str, float | None]]]  # gene -> allele -> (function, AS)
    pairs: dict[str, dict[str, str]]  # gene -> "Function A+Function B" -> phenotype
    scores: dict[str, list[tuple[float, float, str]]]  # gene -> (low, high, phenotype)


def load_tables(folder: Path | None = None) -> CpicTables:
    folder = folder or paths.knowledge_dir() / "pgx"
    alleles: dict[str, dict[str, tuple[str, float | None]]] = {}
    for r in read_psv(folder / "alleles.psv"):
        alleles.setdefault(r["gene"], {})[r["allele"]] = (
            r["function"], float(r["activity"]) if r["activity"] else None)
    pairs: dict[str, dict[str, str]] = {}
    scores: dict[str, list[tuple[float, float, str]]] = {}
    for r in read_psv(folder / "phenotypes.psv"):
        if r["rule"] == "pair":
            pairs.setdefault(r["gene"], {})[r["key"]] = r["phenotype"]
        else:
            low, high = (float(x) for x in r["key"].split("-"))
            scores.setdefault(r["gene"], []).append((low, high, r["phenotype"]))
    return CpicTables(alleles, pairs, scores)


@lru_cache(maxsize=1)
def tables() -> CpicTables:
    return load_tables()


def _allele(known: dict[str, tuple[str, float | None]], name: str
            ) -> tuple[tuple[str, float | None], int] | None:
    name = name.strip()
    copies = 1
    m = _COPIES.match(name)
    if m and m.group(1):
        name, n = m.group(1).strip(), m.group(2).lower()
        copies = 3 if n == "n" else int(n)  # "xN": CPIC counts it as three or more copies
    if name in known:
        return known[name], copies
    for allele, value in known.items():  # DPYD "c.1905+1G>A (*2A)" also answers to "*2A"
        if f"({name})" in allele or allele.split(" (")[0] == name:
            return value, copies
    return None


def diplotype_phenotype(gene: str, diplotype: str, t: CpicTables | None = None) -> str | None:
    """The CPIC phenotype (lowercase) of a diplotype, or None when it cannot be translated."""
    t = t or tables()
    g = gene.strip().upper()
    known = t.alleles.get(g)
    text = re.sub(rf"^\s*{re.escape(g)}\s*", "", diplotype.strip(), flags=re.I)
    parts = text.split("/")
    if not known or len(parts) != 2:
        return None
    found = [_allele(known, p) for p in parts]
    if None in found:
        return None
    (fa, sa), ca = found[0]  # type: ignore[misc]
    (fb, sb), cb = found[1]  # type: ignore[misc]
    if g in t.scores:
        if sa is None or sb is None:
            return "indeterminate"
        score = sa * ca + sb * cb
        for low, high, phenotype in t.scores[g]:
            if low <= score <= high:
                return phenotype.lower()
        return None
    if ca > 1 or cb > 1:
        return None
    return t.pairs.get(g, {}).get("+".join(sorted((fa, fb))), "").lower() or None


def _activity_score(gene: str, text: str, t: CpicTables) -> str | None:
    m = re.match(r"^(?:activity score|as)\s*[:=]?\s*(\d+(?:\.\d+)?)$", text)
    if not m or gene not in t.scores:
        return None
    score = float(m.group(1))
    return next((p.lower() for low, high, p in t.scores[gene] if low <= score <= high), None)


def pgx_results(results: tuple[tuple[str, str], ...]) -> dict[str, tuple[str, ...]]:
    """{GENE: every phenotype found, in order}. A diplotype or activity score is translated
    (the raw text is kept too, for rules written on it); an HLA allele written in the result
    becomes its own key ('HLA-B*58:01': positive/negative)."""
    t = tables()
    out: dict[str, list[str]] = {}
    for gene, value in results:
        g = gene.strip().upper()
        p = normalise_phenotype(value)
        m = _HLA.search(p) if g.startswith("HLA") and "*" not in g else None
        if m:
            g = m.group(1).upper()
            p = "negative" if "negative" in p or "not" in p else "positive"
        found = [p]
        translated = (_activity_score(g, p, t) or
                      (diplotype_phenotype(g, value, t) if "/" in value else None))
        if translated:
            found.append(translated)
        bucket = out.setdefault(g, [])
        bucket += [f for f in found if f not in bucket]
    return {g: tuple(v) for g, v in out.items()}


def matches(found: tuple[str, ...], wanted: frozenset[str]) -> str | None:
    """The first of a gene's results a rule's phenotypes cover ('likely X' counts as X)."""
    for p in found:
        if p in wanted or (p.startswith("likely ") and p[len("likely "):] in wanted):
            return p
    return None


def _wanted(row: Row) -> frozenset[str]:
    got = row.values.get("_ph")
    if not isinstance(got, frozenset):
        got = frozenset(normalise_phenotype(p) for p in row["phenotypes"].split(",") if p.strip())
        row.values["_ph"] = got  # type: ignore[assignment]
    return got


def pgx_alerts(kb: Knowledge, results: tuple[tuple[str, str], ...],
               present: frozenset[str]) -> list[Alert]:
    if not results:
        return []
    found = pgx_results(results)
    raw: dict[str, list[str]] = {}
    for gene, value in results:
        raw.setdefault(gene.strip().upper(), []).append(value.strip())
    out = []
    for row in kb.rules["pgx"]:
        hit = present & kb.expand(row["drugs"])
        if not hit:
            continue
        gene = row["gene"].upper()
        matched = matches(found.get(gene, ()), _wanted(row))
        if matched is None:
            continue
        reported = raw.get(gene) or raw.get(gene.split("*")[0], [])
        evidence = tuple(f"{row['gene']} result: {r}" for r in reported) or (
            f"{row['gene']}: {matched}",)
        detail = f"{row['gene']} {matched} (reported: {'; '.join(reported) or matched})."
        if row["section"]:
            evidence += (f"Source: {row['section']}",)
        for drug in sorted(hit):
            out.append(Alert("pgx", row["severity"], (drug,), row["title"], detail,
                             row["recommendation"], kb.references(row), row.rule_id, evidence))
    return out
