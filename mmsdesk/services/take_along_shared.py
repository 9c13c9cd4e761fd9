"""The prescribers and pharmacies of charts taken along (team mode): corrected away, written back.

Take along copies the practice's shared records with the charts (:func:`read_shared`), and notes
in the laptop's manifest each prescriber's and pharmacy's server version and content hash, as
it does for a chart's records. A prescriber or pharmacy corrected on the laptop (a new fax, an
NPI) is written back by :func:`mmsdesk.services.take_along.bring_back` in the transaction of a
chart that refers to it (the first one brought back), under the chart's rule: when the server's
copy moved since take along, nothing of it is overwritten; its fields come back as differences
to settle with that chart. A correction no chart on the laptop refers to goes back with the
last chart. Records the laptop had before, never taken from the server, are not sent; those a
chart refers to and the server lacks are added, as before.

The practice profile and service offerings are copied along but stay the office's to change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from mmsdesk.services.chart_rows import Row, Writer, chart_tables, read_shared
from mmsdesk.services.take_along_manifest import key as _k

# The shared records written back when corrected away.
WRITTEN_BACK = ("prescriber", "pharmacy")

Key = tuple[str, str]


def _taken(manifest: dict[str, Any]) -> dict[str, list[Any]]:
    return manifest.setdefault("shared", {})  # type: ignore[no-any-return]


def _keys(taken: dict[str, list[Any]]) -> set[Key]:
    return {(t, k) for t, k in (name.split("\t", 1) for name in taken)}


def changed_away(ls: Session, manifest: dict[str, Any]) -> dict[Key, Row]:
    """The laptop's prescribers and pharmacies taken from the server and changed since."""
    taken = _taken(manifest)
    return {(r.table, r.key): r for r in read_shared(ls, {}, only=_keys(taken))
            if r.hash != taken[_k(r.table, r.key)][1]}


def note_taken(manifest: dict[str, Any], rows: list[Row], keep: set[Key]) -> None:
    """Note the server's version and hash of the prescribers and pharmacies copied along;
    ``keep``: those whose correction on the laptop waits to be brought back (not copied over,
    their first version kept, so the server's changes since still show)."""
    taken = _taken(manifest)
    for r in rows:
        if r.table in WRITTEN_BACK and (r.table, r.key) not in keep:
            taken[_k(r.table, r.key)] = [r.version, r.hash]


def refs(ls: Session, lap: dict[Key, Row]) -> list[Row]:
    """The shared records (a prescriber added offline) the laptop's chart points to."""
    owned = {t.name for t in chart_tables()}
    tables = {t.name: t for t in chart_tables()}
    wanted: set[Key] = set()
    for (name, _), row in lap.items():
        for c in tables[name].c:
            for fk in c.foreign_keys:
                target = fk.column.table.name
                if target not in owned and row.values.get(c.name) is not None:
                    wanted.add((target, row.values[c.name]))
    return [r for r in read_shared(ls, {}) if (r.table, r.key) in wanted]


def to_bring_back(ls: Session, manifest: dict[str, Any], puuid: str,
                  chart_refs: list[Row]) -> dict[Key, Row]:
    """The corrections made away that go back with this chart: those of the records it
    refers to, and, with the last chart on the laptop, every other one."""
    last = set(manifest["patients"]) == {puuid}
    referred = {(r.table, r.key) for r in chart_refs}
    return {k: r for k, r in changed_away(ls, manifest).items() if last or k in referred}


def scope(manifest: dict[str, Any], edits: dict[Key, Row], s: Session
          ) -> tuple[dict[str, list[Any]], dict[Key, Row]]:
    """What was taken of ``edits`` and the server's copies now, for the chart's comparison. A
    record the server no longer has is not compared: it is added again."""
    srv = {(r.table, r.key): r for r in read_shared(s, {}, only=set(edits))}
    taken = _taken(manifest)
    return {_k(*k): taken[_k(*k)] for k in srv}, srv


def write(w: Writer, edits: dict[Key, Row]) -> None:
    """Inside the chart's transaction, before its records (they may refer to these)."""
    for row in edits.values():
        obj = w.find(row)
        if obj is None:
            w.insert(row)
        else:
            w.update(obj, row)


def written(s: Session, edits: dict[Key, Row]) -> dict[Key, Row]:
    """The server's copies after the write (their new versions), for :func:`note_seen` once
    the transaction committed."""
    return {(r.table, r.key): r for r in read_shared(s, {}, only=set(edits))}


def note_seen(manifest: dict[str, Any], srv: dict[Key, Row]) -> None:
    """The server's versions and hashes of these count as taken (written, or settled)."""
    taken = _taken(manifest)
    for (table, key), r in srv.items():
        if table in WRITTEN_BACK:
            taken[_k(table, key)] = [r.version, r.hash]


def is_shared(table: str) -> bool:
    return table in WRITTEN_BACK
