"""What this computer has seen of a server's audit trail, so that a cut tail shows (team mode).

On a laptop the trail's head is sealed in a file beside the data file (:mod:`audit_seal`).
A store on a PostgreSQL server has no data file here, and the hash chain alone does not show
its newest entries deleted: what is left still links. So every computer that works against
a server remembers the newest link of the trail it has seen -- the last entry it wrote, the
head that :func:`check` read -- in a small file of its own data folder,
``server-audit/<key>.audit-head`` (key: a hash of the server's host, port and database, so
every login to that database shares it). The file is sealed by the laptop's seal code
(:class:`audit_seal.Sealer`; a checksum only, as for an unencrypted data file: this computer
holds no key for a server store), written whole and renamed into place, and holds entry ids,
hashes and times: no patient data.

:func:`check` asks the server for the links this computer remembers. One that is missing, or
whose entry now has another hash, means entries were removed (or replaced) since this
computer saw them: "the audit trail ends before a link this computer has seen (id N at TIME):
rows were removed". A link found missing stays remembered, and reported at every check,
until it is back (a restore): later writes, which link on to what is left, do not hide it.

What it shows and what it cannot:

* each computer detects a cut of any entry it saw; several computers each keep their own,
  so a cut shows on every computer that saw the removed entries;
* a computer that never saw them (a new one, one whose file was lost, one last used before
  they were written) cannot tell: its check passes, and its note says since when it
  remembers the trail;
* a crash loses at most the last ``SAVE_EVERY`` seconds of what this computer wrote (the
  file is saved lazily, below);
* someone who can write this computer's data folder can delete the file; the server's
  administrator, who can cut the trail, is not meant to reach it.

No head is kept on the server itself. One written in the same transaction as each audit
entry would catch someone who cut the entries and forgot it, but anyone with full rights on
the database can cut both, which is why this memory lives on the clients; and it would need a
table of its own (a schema change, left out).

Cost per write: none that shows (the visit autosave over PostgreSQL measured the same with
and without it). A new entry's id comes back with its insert (RETURNING, in the same round
trip); each commit updates this memory in the process, without a query; the file is written
at a check, when the store is closed or locked, and otherwise at most once every
``SAVE_EVERY`` seconds after a commit -- one small synced file, and one indexed query when
other computers wrote between this one's commits (the links they left unconfirmed). Writing
the file at every commit would add a synced write to each autosave; writing it only at close
would lose a whole session to a crash. A commit whose entries start at or before the newest
link this computer saw, other than that link itself (the trail was cut meanwhile), saves at
once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.orm import Session, SessionTransaction

from mmsdesk.models import AuditEvent
from mmsdesk.paths import private_dir
from mmsdesk.store.audit_seal import Head, Sealer, SealProblem, SealReport

log = logging.getLogger(__name__)

FOLDER = "server-audit"
SAVE_EVERY = 30.0  # seconds between saves of the file after commits
MAX_UNCONFIRMED = 64  # links kept unconfirmed before a commit confirms them on the server
_TABLE = AuditEvent.__table__  # type: ignore[attr-defined]
_PENDING = "mmsdesk_audit_seen"


@dataclass(frozen=True)
class Link:
    """One entry of the trail as this computer saw it: id, hash and time (UTC)."""

    seq: int
    hash: str
    at: str = ""

    @classmethod
    def of(cls, seq: int, row_hash: str, at: datetime | str | None) -> Link:
        if isinstance(at, datetime):
            if at.tzinfo is not None:
                at = at.astimezone(UTC)
            at = at.strftime("%Y-%m-%d %H:%M:%S UTC")
        return cls(int(seq), str(row_hash), at or "")

    @classmethod
    def load(cls, d: Any) -> Link | None:
        return cls(int(d["seq"]), str(d["hash"]), str(d.get("at", ""))) if d else None

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "at": self.at}


def server_key(url: URL) -> str:
    """The database as this computer names its memory of it: host, port and database."""
    return f"{(url.host or '').lower()}:{url.port or 5432}/{url.database}"


class SeenTrail:
    """This computer's memory of one server's trail: the newest link it saw (``head``) and
    the links it cannot yet vouch for (``others``: superseded by a link not known to follow
    them, or found missing)."""

    def __init__(self, url: URL, folder: Path) -> None:
        self.where = server_key(url)
        digest = hashlib.sha256(self.where.encode("utf-8")).hexdigest()[:24]
        self.sealer = Sealer(folder / digest, None)  # the file: <digest>.audit-head
        self.lock = threading.Lock()
        self.head: Link | None = None
        self.others: list[Link] = []
        self.since: dict[str, Any] | None = None  # when and at which entry memory began
        self.remade = ""  # why the file was started again (unreadable, another server's)
        self.saved_at = time.monotonic()
        self._file_stamp: tuple[int, int, int] | None = None
        self._merge_file()

    # -- the file
    def _read(self) -> dict[str, Any] | None:
        try:
            body = self.sealer.read()
        except SealProblem:
            self.remade = "its file was unreadable or altered"
            log.warning("audit: this computer's memory of a server's trail was unreadable")
            return None
        if body is not None and body.get("server") != self.where:
            self.remade = "its file named another server"
            return None
        return body

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.sealer.path)
        except OSError:
            return None
        return st.st_ino, st.st_mtime_ns, st.st_size

    def _merge_file(self) -> None:
        """Take in what the file holds when someone else wrote it (another window or
        command of this computer on the same server) since this memory last read or wrote
        it."""
        stamp = self._stamp()
        if stamp is None or stamp == self._file_stamp:
            return
        self._file_stamp = stamp
        body = self._read()
        if body is not None:
            self._absorb([Link.load(body["head"]), *map(Link.load, body.get("others", []))])
            self.since = body.get("since") or self.since
            self.remade = self.remade or str(body.get("remade") or "")

    def _absorb(self, links: list[Link | None]) -> None:
        every = {(x.seq, x.hash): x for x in [self.head, *self.others, *links] if x}
        ordered = sorted(every.values(), key=lambda x: x.seq)
        self.head, self.others = (ordered[-1], ordered[:-1]) if ordered else (None, [])
        if self.head is not None and self.since is None:
            self.since = {"at_entry": self.head.seq,
                          "on": datetime.now(UTC).strftime("%Y-%m-%d")}

    def save(self, conn: Connection | None = None) -> list[Link]:
        """Write the file (merged with what another window of this computer wrote); with a
        connection, confirm the links first. The links found missing."""
        with self.lock:
            self._merge_file()
            if self.head is None:
                return []
            missing = self._confirm(conn, None)[0] if conn is not None else []
            self._write()
            return missing

    def _write(self) -> None:
        self.saved_at = time.monotonic()
        try:
            private_dir(self.sealer.path.parent)
            self.sealer.write({"head": self.head.as_dict() if self.head else None,
                               "others": [x.as_dict() for x in self.others],
                               "server": self.where, "since": self.since,
                               "remade": self.remade or None}, atomic=True)
            self._file_stamp = self._stamp()
        except OSError as exc:  # never block the pharmacist's work; the check says so
            log.warning("audit: memory of the server's trail not written (%s)",
                        type(exc).__name__)

    # -- the server
    def _confirm(self, conn: Connection, newest: Link | None
                 ) -> tuple[list[Link], dict[int, str]]:
        """Ask the server for every remembered link: those still there with their hash fold
        into the newest (``newest``: the table's head when the whole chain verified)."""
        links = [x for x in (self.head, *self.others) if x]
        found: dict[int, str] = {}
        if links:
            found = {int(i): str(h) for i, h in conn.execute(
                select(_TABLE.c.id, _TABLE.c.row_hash)
                .where(_TABLE.c.id.in_({x.seq for x in links})))}
        missing = [x for x in links if found.get(x.seq) != x.hash]
        present = [x for x in links if found.get(x.seq) == x.hash]
        if newest is not None:
            present.append(newest)
        self.head, self.others = None, []
        self._absorb([*missing, max(present, key=lambda x: x.seq) if present else None])
        return missing, found

    def check(self, conn: Connection, chain_ok: bool) -> SealReport:
        """Whether the server's trail still holds every link this computer saw; remembers
        the table's head when the whole chain verified."""
        with self.lock:
            self._merge_file()
            row = conn.execute(select(_TABLE.c.id, _TABLE.c.row_hash, _TABLE.c.at)
                               .order_by(_TABLE.c.id.desc()).limit(1)).first()
            top = Link.of(*row) if row else None
            missing, found = self._confirm(conn, top if chain_ok else None)
            self._write()
        note = self._note()
        if not missing:
            return SealReport(note=note)
        gone = max(missing, key=lambda x: x.seq)
        last = top.seq if top else 0
        if gone.seq in found:
            problem = (f"the audit trail's entry {gone.seq} is not the one this computer saw "
                       f"(at {gone.at}): rows were removed or replaced")
        elif last < gone.seq:
            problem = (f"the audit trail ends before a link this computer has seen "
                       f"(id {gone.seq} at {gone.at}): rows were removed")
        else:
            problem = (f"the audit trail lacks a link this computer has seen (id {gone.seq} "
                       f"at {gone.at}): rows were removed")
        return SealReport(problem=problem, note=note)

    def _note(self) -> str:
        since = self.since or {}
        again = f" (started again: {self.remade})" if self.remade else ""
        return (f"this computer has followed this server's audit trail since "
                f"{since.get('on', 'today')} (entry {since.get('at_entry', 0)}){again}: a cut "
                "of entries it never saw would not show")

    # -- this computer's writes
    def wrote(self, engine: Engine, base: Head, last: Link) -> None:
        """A commit wrote entries after ``base`` (the table's head under the audit lock) up
        to ``last``. Called after the commit; no query unless links are due for confirming."""
        with self.lock:
            head, cut = self.head, False
            if head is None:  # the trail as this computer first found it ended at base
                self.since = self.since or {"at_entry": base.seq,
                                            "on": datetime.now(UTC).strftime("%Y-%m-%d")}
                self._absorb([last])
            elif last.seq > head.seq:  # (else a commit of another thread already passed it)
                if (base.seq, base.hash) != (head.seq, head.hash):
                    # someone else wrote since this computer's head, or the head is gone:
                    # the entries under the lock start at or before it (a cut)
                    cut = base.seq <= head.seq
                    self.others.append(head)
                self.head = last
            due = (cut or len(self.others) > MAX_UNCONFIRMED
                   or time.monotonic() - self.saved_at >= SAVE_EVERY)
        if cut:
            log.warning("audit: the server's trail was shorter than this computer last saw "
                        "(entry %d seen, %d found)", head.seq if head else -1, base.seq)
        if due:
            self._save_soon(engine, confirm=bool(self.others) and not cut)

    def _save_soon(self, engine: Engine, *, confirm: bool) -> None:
        if not confirm:
            self.save()
            return
        try:
            with engine.connect() as conn:
                self.save(conn)
        except Exception as exc:  # noqa: BLE001 - the server gone: keep the links as they are
            log.warning("audit: links of the server's trail not confirmed (%s)",
                        type(exc).__name__)
            self.save()


_TRAILS: weakref.WeakKeyDictionary[Engine, SeenTrail] = weakref.WeakKeyDictionary()


def attach(engine: Engine, url: URL, folder: Path, trail: SeenTrail | None = None
           ) -> SeenTrail:
    """Remember what ``engine``'s server trail shows to this computer (``trail``: the memory
    a store kept across a lock)."""
    trail = trail or SeenTrail(url, folder)
    _TRAILS[engine] = trail
    return trail


def detach(engine: Engine) -> None:
    """Save the memory as it is before the engine closes (no query: a server that no longer
    answers must not hold up the closing; the next check confirms the links)."""
    trail = _TRAILS.pop(engine, None)
    if trail is not None:
        trail.save()


def watching(engine: Engine) -> bool:
    return engine in _TRAILS


def trail_for(engine: Engine) -> SeenTrail | None:
    return _TRAILS.get(engine)


def note_written(session: Session, base: Head, last: Link) -> None:
    """Called by the audit trail after each insert of a transaction on a watched server."""
    first = session.info.get(_PENDING)
    session.info[_PENDING] = (first[0] if first else base, last)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    trail = _TRAILS.get(engine)  # type: ignore[arg-type]
    if trail is None:
        return
    try:
        trail.wrote(engine, *pending)  # type: ignore[arg-type]
    except Exception as exc:  # noqa: BLE001 - never fail a commit that is already made
        log.warning("audit: memory of the server's trail not updated (%s)", type(exc).__name__)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_soft_rollback")
def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    if previous.nested:  # a savepoint's entries are gone: remember nothing of this commit
        session.info.pop(_PENDING, None)
