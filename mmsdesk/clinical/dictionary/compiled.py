"""The compiled dictionary: an indexed read-only SQLite file built from the curated text files.

It is built on first start (and whenever a source file changes: the fingerprint of names,
sizes and modification times is stored inside) into the cache folder, written to a temporary
file and swapped in atomically. Loading reads it into dictionaries for fast resolving.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

from mmsdesk.clinical.dictionary.model import Ingredient, NamedProduct
from mmsdesk.clinical.dictionary.naming import amount_text
from mmsdesk.clinical.dictionary.sources import DictionarySources, read_sources, source_files
from mmsdesk.clinical.dictionary.strength import parse_known
from mmsdesk.clinical.dictionary.text import name_key

log = logging.getLogger(__name__)

COMPILER_VERSION = "7"
COMPILED_NAME = "drug_dictionary.sqlite3"
# When two entries share a name, the stronger kind wins.
KIND_ORDER = {"ingredient": 0, "synonym": 1, "combination": 2, "brand": 3, "product": 4}

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE ingredient (generic TEXT PRIMARY KEY, synonyms TEXT, brands TEXT, salts TEXT,
    atc TEXT, plain_class TEXT, forms TEXT, strengths TEXT, rxnorm TEXT);
CREATE TABLE name (key TEXT NOT NULL, label TEXT NOT NULL, kind TEXT NOT NULL,
    ingredients TEXT NOT NULL, strength TEXT, form TEXT, rxnorm TEXT, brand TEXT,
    implied INTEGER NOT NULL DEFAULT 0);
CREATE INDEX name_key ON name (key);
CREATE INDEX ingredient_rxnorm ON ingredient (rxnorm);
"""


def fingerprint(folder: Path) -> str:
    """Content hash of every source file (not times: a frozen app unpacks them afresh each start)."""
    digest = hashlib.sha256(COMPILER_VERSION.encode())
    for path in source_files(folder):
        digest.update(str(path.relative_to(folder)).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<missing>")
    return digest.hexdigest()


def usual_products(ing: Ingredient) -> list[NamedProduct]:
    """"metoprolol 25 mg tablet" and so on, from the usual strengths of the first form."""
    try:
        rows = parse_known(";".join(ing.strengths), 1)
    except ValueError:
        return []
    form = ing.forms[0] if ing.forms else ""
    out = []
    for (c,) in rows:
        strength = amount_text(c)
        label = " ".join(p for p in (ing.generic, strength, form) if p)
        out.append(NamedProduct(label=label, kind="product", ingredients=(ing.generic,),
                                strength=strength, form=form))
    return out


def name_rows(src: DictionarySources) -> Iterable[NamedProduct]:
    for ing in src.ingredients:
        one = (ing.generic,)
        yield NamedProduct(ing.generic, "ingredient", one, rxnorm=ing.rxnorm)
        for syn in ing.synonyms:
            yield NamedProduct(syn, "synonym", one, rxnorm=ing.rxnorm)
        for brand in ing.brands:
            yield NamedProduct(brand, "brand", one, brand=brand)
        yield from usual_products(ing)
    yield from src.combinations
    yield from src.named_strengths
    yield from src.products


def compile_dictionary(folder: Path, target: Path) -> None:
    """Build the compiled file from the text files; the old file stays until the new one is whole."""
    src = read_sources(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".dict-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.executescript(_SCHEMA)
            meta = {"version": src.version, "reviewed_on": src.reviewed_on,
                    "fingerprint": fingerprint(folder), "sources": json.dumps(src.sources)}
            con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            con.executemany(
                "INSERT INTO ingredient VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(i.generic, ";".join(i.synonyms), ";".join(i.brands), ";".join(i.salts), ";".join(i.atc_codes),
                  i.plain_class, ";".join(i.forms), ";".join(i.strengths), i.rxnorm)
                 for i in src.ingredients])
            con.executemany(
                "INSERT INTO name VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(name_key(n.label), n.label, n.kind, ";".join(n.ingredients), n.strength, n.form,
                  n.rxnorm, n.brand, int(n.implied)) for n in name_rows(src)])
            con.commit()
        finally:
            con.close()
        os.chmod(tmp, 0o600)  # private like every file the app writes
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    log.info("compiled drug dictionary: %d ingredients", len(src.ingredients))


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(";") if v)


def compiled_is_current(path: Path, folder: Path) -> bool:
    if not path.exists():
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return bool(row) and row[0] == fingerprint(folder)


def read_compiled(path: Path) -> tuple[dict[str, str], list[Ingredient], list[tuple[str, NamedProduct]]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta"))
        ingredients = [
            Ingredient(generic=g, synonyms=_split(sy), brands=_split(b), salts=_split(sa), atc=(_split(atc) or ("",))[0], atc_codes=_split(atc),
                       plain_class=pc, forms=_split(f), strengths=_split(st), rxnorm=rx)
            for g, sy, b, sa, atc, pc, f, st, rx in con.execute("SELECT * FROM ingredient")]
        names = [(key, NamedProduct(label, kind, _split(ings), strength or "", form or "",
                                    rxnorm or "", brand or "", bool(implied)))
                 for key, label, kind, ings, strength, form, rxnorm, brand, implied
                 in con.execute("SELECT * FROM name")]
    finally:
        con.close()
    return meta, ingredients, names
