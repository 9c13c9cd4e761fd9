"""Products the pharmacist imported (FDA NDC directory, RxNorm): a separate SQLite file.

The bundled dictionary stays read-only; imports write this file only, through a temporary copy
that replaces it whole (see importers.py). Lookups here are indexed so that a 150,000-product
file answers a search keystroke in milliseconds.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from mmsdesk.clinical.dictionary.model import NamedProduct, SearchHit

EXTENSION_NAME = "drug_extension.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS product (
    id INTEGER PRIMARY KEY, source TEXT NOT NULL, code TEXT NOT NULL, label TEXT NOT NULL,
    kind TEXT NOT NULL, brand TEXT NOT NULL, ingredients TEXT NOT NULL, strength TEXT NOT NULL,
    form TEXT NOT NULL, route TEXT NOT NULL, rxnorm TEXT NOT NULL, classes TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS name (key TEXT NOT NULL, product_id INTEGER NOT NULL, kind TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS code (code TEXT NOT NULL, product_id INTEGER NOT NULL);
"""
INDEXES = """
CREATE INDEX IF NOT EXISTS name_key ON name (key);
CREATE INDEX IF NOT EXISTS code_code ON code (code);
CREATE INDEX IF NOT EXISTS product_source ON product (source);
CREATE VIRTUAL TABLE IF NOT EXISTS product_words USING fts5(
    words, content='', tokenize='unicode61 remove_diacritics 2', prefix='2 3 4');
"""

_COLUMNS = "p.label, p.kind, p.ingredients, p.strength, p.form, p.brand, p.rxnorm, p.source"


def _hit(row: tuple[str, ...]) -> SearchHit:
    label, kind, ings, strength, form, brand, rxnorm, source = row
    return SearchHit(label=label, kind=kind, ingredients=tuple(i for i in ings.split(";") if i),
                     strength=strength, form=form, brand=brand, rxnorm=rxnorm, source=source)


def _product(hit: SearchHit) -> NamedProduct:
    return NamedProduct(label=hit.label, kind=hit.kind, ingredients=hit.ingredients,
                        strength=hit.strength, form=hit.form, rxnorm=hit.rxnorm, brand=hit.brand)


class ExtensionIndex:
    """Read access to the imported products."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self._con = con

    @classmethod
    def open(cls, path: Path) -> ExtensionIndex:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        return cls(con)

    def close(self) -> None:
        self._con.close()

    def meta(self) -> dict[str, str]:
        return dict(self._con.execute("SELECT key, value FROM meta"))

    def count(self, source: str | None = None) -> int:
        if source:
            return int(self._con.execute("SELECT count(*) FROM product WHERE source = ?",
                                         (source,)).fetchone()[0])
        return int(self._con.execute("SELECT count(*) FROM product").fetchone()[0])

    def lookup(self, keys: Iterable[str]) -> tuple[str, NamedProduct] | None:
        """The longest of ``keys`` that names an imported product (brand before generic)."""
        keys = sorted(set(keys), key=lambda k: (-len(k), k))
        if not keys:
            return None
        marks = ",".join("?" * len(keys))
        rows = self._con.execute(
            f"SELECT n.key, n.kind, {_COLUMNS} FROM name n JOIN product p ON p.id = n.product_id "
            f"WHERE n.key IN ({marks}) ORDER BY length(n.key) DESC, n.kind = 'brand' DESC, "
            f"p.rxnorm != '' DESC, p.id LIMIT 1", keys).fetchall()
        if not rows:
            return None
        key, kind, *rest = rows[0]
        return key, _product(_hit(tuple(rest)))

    def by_code(self, code: str) -> NamedProduct | None:
        row = self._con.execute(
            f"SELECT {_COLUMNS} FROM code c JOIN product p ON p.id = c.product_id "
            f"WHERE c.code = ? ORDER BY p.kind != 'ingredient', p.id LIMIT 1", (code,)).fetchone()
        return _product(_hit(row)) if row else None

    def search(self, key: str, limit: int) -> list[tuple[int, SearchHit]]:
        """(rank, hit): 0 exact name, 1 name starts with the text, 2 a word starts with it."""
        out: list[tuple[int, SearchHit]] = []
        seen: set[int] = set()
        upper = key[:-1] + chr(ord(key[-1]) + 1)
        for pid, nkey, *row in self._con.execute(
                f"SELECT p.id, n.key, {_COLUMNS} FROM name n JOIN product p ON p.id = n.product_id "
                f"WHERE n.key >= ? AND n.key < ? ORDER BY n.key LIMIT ?", (key, upper, limit * 3)):
            if pid not in seen:
                seen.add(pid)
                out.append((0 if nkey == key else 1, _hit(tuple(row))))
        if len(out) < limit:
            query = " ".join(f'"{w}"*' for w in key.split())
            for pid, *row in self._con.execute(
                    f"SELECT p.id, {_COLUMNS} FROM product_words w JOIN product p ON p.id = w.rowid "
                    f"WHERE product_words MATCH ? LIMIT ?", (query, limit * 3)):
                if pid not in seen:
                    seen.add(pid)
                    out.append((2, _hit(tuple(row))))
        return out
