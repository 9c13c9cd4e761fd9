"""Import the files the pharmacist downloads: FDA NDC ``product.txt`` (or its zip) and RxNorm
``RXNCONSO.RRF``, into the extension file next to the bundled dictionary.

All or nothing: the new extension is written to a temporary file (keeping what the other source
imported before) and swapped in whole. A line that cannot be read stops the import with a message
naming the file and line; the previous dictionary stays exactly as it was.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from mmsdesk.clinical.dictionary.dictionary import DrugDictionary
from mmsdesk.clinical.dictionary.extension import INDEXES, SCHEMA
from mmsdesk.clinical.dictionary.importing import (
    ImportedProduct,
    ImportFailed,
    LineReader,
    Progress,
    open_lines,
)
from mmsdesk.clinical.dictionary.ndc import NDC_SOURCE, ndc_products
from mmsdesk.clinical.dictionary.rxnorm import RXNORM_SOURCE, rxnorm_products
from mmsdesk.clinical.dictionary.text import name_key

BATCH = 5000
__all__ = ["ImportFailed", "ImportReport", "import_ndc", "import_rxnorm"]


@dataclass(frozen=True)
class ImportReport:
    source: str
    file: str
    lines: int
    products: int
    skipped: int
    total_products: int
    seconds: float


def _copy_other_sources(con: sqlite3.Connection, old: Path, source: str) -> None:
    if not old.exists():
        return
    con.execute("ATTACH DATABASE ? AS old", (f"file:{old}?mode=ro",))
    try:
        con.execute("INSERT INTO product SELECT * FROM old.product WHERE source != ?", (source,))
        con.execute("INSERT INTO name SELECT n.* FROM old.name n JOIN old.product p "
                    "ON p.id = n.product_id WHERE p.source != ?", (source,))
        con.execute("INSERT INTO code SELECT c.* FROM old.code c JOIN old.product p "
                    "ON p.id = c.product_id WHERE p.source != ?", (source,))
        con.execute("INSERT INTO meta SELECT * FROM old.meta WHERE key NOT LIKE ?", (f"{source}_%",))
        con.commit()
    finally:
        con.execute("DETACH DATABASE old")


def _write(con: sqlite3.Connection, products: Iterable[ImportedProduct], source: str) -> int:
    next_id = int(con.execute("SELECT coalesce(max(id), 0) FROM product").fetchone()[0]) + 1
    rows: list[tuple[object, ...]] = []
    names: list[tuple[str, int, str]] = []
    codes: list[tuple[str, int]] = []
    count = 0

    def flush() -> None:
        con.executemany("INSERT INTO product VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        con.executemany("INSERT INTO name VALUES (?,?,?)", names)
        con.executemany("INSERT INTO code VALUES (?,?)", codes)
        rows.clear()
        names.clear()
        codes.clear()

    for p in products:
        pid = next_id
        next_id += 1
        count += 1
        rows.append((pid, source, p.code, p.label, p.kind, p.brand, ";".join(p.ingredients),
                     p.strength, p.form, p.route, p.rxnorm, p.classes))
        for name, kind in p.names:
            key = name_key(name)
            if key:
                names.append((key, pid, kind))
        codes.extend((c, pid) for c in p.codes if c)
        if len(rows) >= BATCH:
            flush()
    flush()
    return count


def _import(kind_label: str, source: str, path: Path, extension_path: Path,
            reader: Callable[[LineReader], Iterable[ImportedProduct]], member: str,
            progress: Progress | None, counters: dict[str, int]) -> ImportReport:
    started = time.perf_counter()
    extension_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".ext-", suffix=".tmp", dir=extension_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode = OFF")
            con.execute("PRAGMA synchronous = OFF")
            con.executescript(SCHEMA)
            _copy_other_sources(con, extension_path, source)
            with open_lines(path, member, progress) as lines:
                count = _write(con, reader(lines), source)
                total_lines = lines.line_no
            if count == 0:
                raise ImportFailed(f"{path.name}: no {kind_label} product could be read")
            con.executescript(INDEXES)
            con.execute("INSERT INTO product_words (rowid, words) "
                        "SELECT id, label || ' ' || ingredients FROM product")
            con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [
                (f"{source}_file", path.name), (f"{source}_products", str(count)),
                (f"{source}_imported_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))])
            con.commit()
            total = int(con.execute("SELECT count(*) FROM product").fetchone()[0])
        finally:
            con.close()
        os.chmod(tmp, 0o600)  # private like every file the app writes
        os.replace(tmp, extension_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return ImportReport(source=source, file=path.name, lines=total_lines, products=count,
                        skipped=counters.get("skipped", 0), total_products=total,
                        seconds=time.perf_counter() - started)


def import_ndc(path: Path, extension_path: Path, dictionary: DrugDictionary, *,
               progress: Progress | None = None) -> ImportReport:
    """Import FDA NDC ``product.txt`` (tab-separated, with a header line) or the zip holding it."""
    counters: dict[str, int] = {}
    return _import("NDC", NDC_SOURCE, Path(path), extension_path,
                   lambda lines: ndc_products(lines, dictionary, counters),
                   "product.txt", progress, counters)


def import_rxnorm(path: Path, extension_path: Path, dictionary: DrugDictionary, *,
                  progress: Progress | None = None) -> ImportReport:
    """Import RxNorm ``RXNCONSO.RRF`` (full or prescribable release), or a zip holding it."""
    counters: dict[str, int] = {}
    return _import("RxNorm", RXNORM_SOURCE, Path(path), extension_path,
                   lambda lines: rxnorm_products(lines, dictionary, counters),
                   "rxnconso.rrf", progress, counters)
