"""Reading the curated text files under resources/knowledge/drugs/ (CSV and TOML).

A row that cannot be read raises ``DictionarySourceError`` naming the file and line, so a
reviewer's typo is found at build time, not by a pharmacist.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mmsdesk.clinical.dictionary.model import Ingredient, NamedProduct
from mmsdesk.clinical.dictionary.strength import parse_known
from mmsdesk.clinical.dictionary.text import name_key

INGREDIENT_COLUMNS = ("generic", "synonyms", "brands", "salts", "atc", "class", "forms",
                      "strengths", "rxnorm")
COMBINATION_COLUMNS = ("name", "ingredients", "strength", "form")
NAMED_STRENGTH_COLUMNS = ("name", "kind", "ingredients", "strength", "form", "source")
NAMED_KINDS = {"brand": "brand", "common": "synonym"}  # as written -> kind of name


class DictionarySourceError(ValueError):
    """A curated dictionary file is malformed (message names file and line)."""


@dataclass(frozen=True)
class DictionarySources:
    version: str
    reviewed_on: str
    sources: tuple[str, ...]
    ingredients: tuple[Ingredient, ...]
    combinations: tuple[NamedProduct, ...]
    products: tuple[NamedProduct, ...]
    named_strengths: tuple[NamedProduct, ...] = ()


def source_files(folder: Path) -> list[Path]:
    """Every file the compiled dictionary depends on, in a stable order."""
    return [folder / "dictionary.toml", *sorted((folder / "ingredients").glob("*.csv")),
            folder / "combinations.csv", folder / "named_strengths.csv",
            folder / "rxnorm_products.csv"]


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split(";") if v.strip())


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None or tuple(h.strip() for h in header) != columns:
            raise DictionarySourceError(f"{path.name}: line 1: expected columns {','.join(columns)}")
        out = []
        for row in reader:
            if not row or not any(c.strip() for c in row):
                continue
            if len(row) != len(columns):
                raise DictionarySourceError(
                    f"{path.name}: line {reader.line_num}: expected {len(columns)} fields, found {len(row)}")
            out.append((reader.line_num, {c: v.strip() for c, v in zip(columns, row, strict=True)}))
        return out


def read_sources(folder: Path) -> DictionarySources:
    header_path = folder / "dictionary.toml"
    try:
        header = tomllib.loads(header_path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DictionarySourceError(f"{header_path.name}: {exc}") from exc
    meta = header.get("dictionary", {})
    ingredients: dict[str, Ingredient] = {}
    for path in sorted((folder / "ingredients").glob("*.csv")):
        for line, r in _rows(path, INGREDIENT_COLUMNS):
            generic = r["generic"]
            if not generic or generic != generic.lower():
                raise DictionarySourceError(f"{path.name}: line {line}: generic name must be lowercase")
            if generic in ingredients:
                raise DictionarySourceError(f"{path.name}: line {line}: {generic} listed twice")
            if r["rxnorm"] and not r["rxnorm"].isdigit():
                raise DictionarySourceError(f"{path.name}: line {line}: RxNorm code must be digits")
            _strengths(path, line, ";".join(_split(r["strengths"])), 1)
            ingredients[generic] = Ingredient(
                generic=generic, synonyms=_split(r["synonyms"]), brands=_split(r["brands"]),
                salts=_split(r["salts"]), atc=(_split(r["atc"]) or ("",))[0],
                atc_codes=_split(r["atc"]), plain_class=r["class"],
                forms=_split(r["forms"]), strengths=_split(r["strengths"]), rxnorm=r["rxnorm"])

    def known(path: Path, line: int, names: str) -> tuple[str, ...]:
        parts = _split(names)
        missing = [p for p in parts if p not in ingredients]
        if not parts or missing:
            raise DictionarySourceError(
                f"{path.name}: line {line}: unknown ingredient {', '.join(missing) or '(none)'}")
        return parts

    combos: list[NamedProduct] = []
    path = folder / "combinations.csv"
    for line, r in _rows(path, COMBINATION_COLUMNS):
        parts = known(path, line, r["ingredients"])
        _strengths(path, line, r["strength"], len(parts))
        combos.append(NamedProduct(label=r["name"], kind="combination", ingredients=parts,
                                   strength=r["strength"], form=r["form"], brand=r["name"]))
    named = _named_strengths(folder / "named_strengths.csv", known)
    products: list[NamedProduct] = []
    path = folder / "rxnorm_products.csv"
    for line, r in _rows(path, ("rxnorm", "name", "ingredients")):
        if not r["rxnorm"].isdigit():
            raise DictionarySourceError(f"{path.name}: line {line}: RxNorm code must be digits")
        products.append(NamedProduct(label=r["name"], kind="product", rxnorm=r["rxnorm"],
                                     ingredients=known(path, line, r["ingredients"])))
    _check_names(ingredients)
    return DictionarySources(
        version=str(meta.get("version", "")), reviewed_on=str(meta.get("reviewed_on", "")),
        sources=tuple(str(s.get("name", "")) for s in header.get("sources", [])),
        ingredients=tuple(ingredients.values()), combinations=tuple(combos),
        products=tuple(products), named_strengths=named)


def _strengths(path: Path, line: int, field: str, size: int) -> int:
    """How many strengths the field lists; a field the strength reader cannot read is refused."""
    try:
        return len(parse_known(field, size))
    except ValueError as exc:
        raise DictionarySourceError(f"{path.name}: line {line}: strength {exc}") from exc


def _named_strengths(path: Path, known: Callable[[Path, int, str], tuple[str, ...]]
                     ) -> tuple[NamedProduct, ...]:
    """Names that say their strength ("Bactrim DS", "Tylenol Extra Strength", "baby aspirin"):
    the strength used when nothing else is written."""
    out: list[NamedProduct] = []
    for line, r in _rows(path, NAMED_STRENGTH_COLUMNS):
        kind = NAMED_KINDS.get(r["kind"])
        if kind is None:
            raise DictionarySourceError(f"{path.name}: line {line}: kind must be brand or common")
        parts = known(path, line, r["ingredients"])
        if _strengths(path, line, r["strength"], len(parts)) != 1:
            raise DictionarySourceError(f"{path.name}: line {line}: a name says one strength")
        if not r["source"]:
            raise DictionarySourceError(f"{path.name}: line {line}: source missing")
        if kind == "brand" and len(parts) > 1:
            kind = "combination"
        out.append(NamedProduct(label=r["name"], kind=kind, ingredients=parts,
                                strength=r["strength"], form=r["form"],
                                brand=r["name"] if kind != "synonym" else "", implied=True))
    return tuple(out)


def _check_names(ingredients: dict[str, Ingredient]) -> None:
    """A synonym or brand may not be another ingredient's generic name."""
    generics = {name_key(g): g for g in ingredients}
    for ing in ingredients.values():
        for alias in (*ing.synonyms, *ing.brands):
            other = generics.get(name_key(alias))
            if other and other != ing.generic:
                raise DictionarySourceError(
                    f"ingredients: {alias!r} is listed for {ing.generic} but is the name of {other}")
