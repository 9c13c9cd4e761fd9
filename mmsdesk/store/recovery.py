"""The next start after a cut: finish or undo a restore or a key change that was interrupted.

A replacement of the store's pair (data file and key file) is prepared beside it under the
names ``<file>.incoming``; only when both are complete, fsynced and checked is the journal
``<store>.swap`` written (fsynced, then its folder). From then on the swap is finished at
the next start whatever happened: each incoming file is renamed over its current one (key
file first, data file last). Without a journal, incoming files are leftovers of a swap that
never began and are removed, and the current pair is untouched.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

INCOMING = ".incoming"


def journal_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".swap")


def incoming(path: Path) -> Path:
    return path.with_name(path.name + INCOMING)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def commit_swap(store_path: Path, pairs: list[tuple[Path, Path]], reason: str) -> None:
    """Swap prepared files into place: ``pairs`` of (incoming file, final name), data last.

    The incoming files must be complete and checked; they are fsynced here, the journal is
    written, and the renames follow. A kill after the journal is finished by :func:`recover`.
    """
    from mmsdesk.store.crypto import fsync_dir

    for src, _dest in pairs:
        _fsync_file(src)
    fsync_dir(store_path.parent)
    journal = journal_path(store_path)
    tmp = journal.with_name(journal.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"reason": reason, "files": [[s.name, d.name] for s, d in pairs]}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, journal)
    fsync_dir(store_path.parent)
    _finish(store_path, journal)


def _finish(store_path: Path, journal: Path) -> None:
    from mmsdesk.store.crypto import fsync_dir

    folder = store_path.parent
    data = json.loads(journal.read_text(encoding="utf-8"))
    for src_name, dest_name in data["files"]:
        src, dest = folder / src_name, folder / dest_name
        if dest == store_path:  # the old data file's WAL must never meet the new file
            for side in (Path(f"{dest}-wal"), Path(f"{dest}-shm")):
                side.unlink(missing_ok=True)
        if src.exists():
            os.replace(src, dest)
    fsync_dir(folder)
    journal.unlink()
    fsync_dir(folder)
    log.info("data files swapped in (%s)", data.get("reason", ""))


def recover(store_path: Path) -> str | None:
    """Finish a swap that has its journal, or clear leftovers of one that never began.

    Returns what was done ("finished", "cleared") or None when nothing was pending.
    """
    store_path = Path(store_path)
    folder = store_path.parent
    if not folder.is_dir():
        return None
    journal = journal_path(store_path)
    Path(f"{journal}.tmp").unlink(missing_ok=True)
    if journal.exists():
        try:
            _finish(store_path, journal)
            return "finished"
        except (ValueError, KeyError, TypeError):  # a journal cut while written: never begun
            journal.unlink()
    left = [p for p in folder.glob(f"{store_path.name}*{INCOMING}")]
    for p in left:
        p.unlink(missing_ok=True)
    if left:
        log.info("an interrupted swap was cleared; the data files are unchanged")
        return "cleared"
    return None
