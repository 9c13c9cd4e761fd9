"""Load the curated screening rules from ``resources/knowledge/screening/*.psv``.

Each file is "|"-separated text: ``#`` lines are comments, the first other line names the
columns. A drug term is a comma list of ingredients (lowercase generic names) and ``@class``
names from ``classes.psv``. Every rule row carries ``source`` (keys into ``kb.json``) and
``reviewed`` (YYYY-MM-DD); a row missing either, or naming an unknown class or source, stops
loading with a :class:`KnowledgeError` naming the file and line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from mmsdesk import paths

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RULE_FILES = ("interactions", "duplicates", "beers", "renal", "allergy", "pgx", "acb",
              "drug_disease", "risk_groups", "same_ingredient", "dose", "lab_risks")


class KnowledgeError(ValueError):
    """A rule file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Row:
    file: str
    line: int
    values: dict[str, str]

    def __getitem__(self, key: str) -> str:
        return self.values.get(key, "")

    @property
    def rule_id(self) -> str:
        return self.values.get("id") or self.values.get("drug") or self.values.get("group", "")


@dataclass
class Knowledge:
    folder: Path
    version: str
    reviewed: str
    sources: dict[str, str]
    classes: dict[str, frozenset[str]]
    class_labels: dict[str, str]
    condition_groups: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # keywords, ICD-10
    allergy_groups: dict[str, tuple[str, ...]]  # group -> aliases
    rules: dict[str, list[Row]] = field(default_factory=dict)
    terms: dict[str, frozenset[str]] = field(default_factory=dict)

    def expand(self, term: str) -> frozenset[str]:
        """The ingredients a drug term names (cached): ingredients and ``@classes``, less any
        ``-ingredient`` (a class member its label exempts, e.g. clarithromycin with apixaban)."""
        got = self.terms.get(term)
        if got is None:
            names: set[str] = set()
            exempt: set[str] = set()
            for part in (p.strip() for p in term.split(",")):
                if part.startswith("@"):
                    names |= self.classes[part[1:]]
                elif part.startswith("-"):
                    exempt.add(part[1:].strip())
                elif part:
                    names.add(part)
            got = self.terms[term] = frozenset(names - exempt)
        return got

    def references(self, row: Row) -> tuple[str, ...]:
        return tuple(self.sources[k.strip()] for k in row["source"].split(",") if k.strip())

    def ingredients(self) -> set[str]:
        """Every ingredient named anywhere in the rules."""
        names: set[str] = set()
        for members in self.classes.values():
            names |= members
        for rows in self.rules.values():
            for row in rows:
                for col in ("a", "b", "drugs", "drug"):
                    if row[col]:
                        names |= self.expand(row[col])
        return names


def read_psv(path: Path) -> list[Row]:
    rows: list[Row] = []
    header: list[str] | None = None
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("|")]
        if header is None:
            header = cells
            continue
        if len(cells) != len(header):
            raise KnowledgeError(f"{path.name} line {n}: {len(cells)} fields, expected "
                                 f"{len(header)} ({'|'.join(header)})")
        rows.append(Row(path.name, n, dict(zip(header, cells, strict=True))))
    return rows


def load_knowledge(folder: Path | None = None) -> Knowledge:
    folder = folder or paths.knowledge_dir() / "screening"
    meta = json.loads((folder / "kb.json").read_text(encoding="utf-8"))
    classes: dict[str, frozenset[str]] = {}
    labels: dict[str, str] = {}
    for row in read_psv(folder / "classes.psv"):
        classes[row["class"]] = frozenset(m.strip() for m in row["members"].split(",") if m.strip())
        labels[row["class"]] = row["label"]
    conditions = {r["group"]: (tuple(k.strip().lower() for k in r["keywords"].split(",") if k.strip()),
                               tuple(c.strip().upper() for c in r["icd10"].split(",") if c.strip()))
                  for r in read_psv(folder / "conditions.psv")}
    allergy_groups = {r["group"]: tuple(a.strip().lower() for a in r["aliases"].split(",") if a.strip())
                      for r in read_psv(folder / "allergy_groups.psv")}
    kb = Knowledge(folder, meta["version"], meta["reviewed"], meta["sources"], classes, labels,
                   conditions, allergy_groups)
    for name in RULE_FILES:
        kb.rules[name] = read_psv(folder / f"{name}.psv")
        for row in kb.rules[name]:
            _check(kb, row)
    return kb


def _check(kb: Knowledge, row: Row) -> None:
    where = f"{row.file} line {row.line}"
    if not row["source"] or not _DATE.match(row["reviewed"]):
        raise KnowledgeError(f"{where}: every rule needs a source and a reviewed YYYY-MM-DD date")
    for key in row["source"].split(","):
        if key.strip() not in kb.sources:
            raise KnowledgeError(f"{where}: unknown source {key.strip()!r}")
    if "severity" in row.values and row["severity"] not in ("high", "moderate", "low"):
        raise KnowledgeError(f"{where}: severity must be high, moderate or low")
    for col in ("a", "b", "drugs", "drug", "members"):
        for part in row[col].split(","):
            part = part.strip()
            if part.startswith("@") and part[1:] not in kb.classes:
                raise KnowledgeError(f"{where}: unknown class {part!r}")
    for col in ("condition",):
        if row[col] and row[col] not in kb.condition_groups:
            raise KnowledgeError(f"{where}: unknown condition group {row[col]!r}")
    if row.file == "allergy.psv" and row["allergy"] not in kb.allergy_groups:
        raise KnowledgeError(f"{where}: unknown allergy group {row['allergy']!r}")


@lru_cache(maxsize=1)
def get_knowledge() -> Knowledge:
    return load_knowledge()
