"""The audit trail's head, sealed outside the table it protects.

The hash chain (:mod:`mmsdesk.store.audit`) shows an entry edited or removed in the middle of
the trail, but not a cut tail, an emptied table or an entry appended at the end with a valid
hash. So the trail's head (the last entry's id and hash) is also kept in a small file beside
the store, ``<store>.audit-head``, sealed with an HMAC whose key is derived from the database
key (HKDF): someone without the key can neither read the store nor forge the seal. Someone who
holds the key can rewrite both: the README says what the trail proves and what it cannot.

The seal is written in two steps around every commit that adds audit entries: before the
commit it names the new head as *pending* (the old head stays valid), after the commit the
pending head becomes the head. A kill between the two leaves a seal that accepts either. Before
each commit the table's head is compared with the seal; a difference (entries removed or added
outside the app) is written into the seal as a *break* and stays there, so the next writes
cannot paper over it.

The seal is (re)made when a store is opened without a readable one (a new store, a store from
an older version, a deleted or altered seal file) or when the data file was replaced by
another (its inode differs: a restore, a key change, a copy): the seal records where and why,
and ``audit verify`` prints it, since a tail cut before that point cannot be shown.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from mmsdesk.models import AuditEvent

log = logging.getLogger(__name__)

SEAL_FORMAT = "mmsdesk-audit-head"
SEAL_VERSION = 1
GENESIS = "0" * 64
_TABLE = AuditEvent.__table__  # type: ignore[attr-defined]
_PLAIN_KEY = b"mmsdesk audit head / unencrypted store"  # an unkeyed store: checksum only
_BASE = "mmsdesk_audit_base"
_LOCK = threading.Lock()
_SEAL_SIZE = 1024


def seal_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".audit-head")


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash}

    @classmethod
    def of(cls, d: dict[str, Any] | None) -> Head | None:
        return None if not d else cls(int(d["seq"]), str(d["hash"]))


def table_head(conn: Connection) -> Head:
    row = conn.execute(select(_TABLE.c.id, _TABLE.c.row_hash)
                       .order_by(_TABLE.c.id.desc()).limit(1)).first()
    return Head(int(row[0]), str(row[1])) if row else Head(0, GENESIS)


class SealProblem(Exception):
    """The seal file is unreadable, or its HMAC does not match (altered, or another key)."""


class Sealer:
    """Reads and writes one store's seal with the key derived from its database key."""

    def __init__(self, store_path: Path, key: bytes | bytearray | None) -> None:
        self.store_path = Path(store_path)
        self.path = seal_path(self.store_path)
        if key is None:
            self._mac_key = bytearray(_PLAIN_KEY)
        else:
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.kdf.hkdf import HKDF

            # HKDF returns immutable bytes: that copy lives until collected (see the README)
            self._mac_key = bytearray(HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                                           info=b"mmsdesk audit head seal").derive(bytes(key)))

    def forget(self) -> None:
        for i in range(len(self._mac_key)):
            self._mac_key[i] = 0

    def _mac(self, body: dict[str, Any]) -> str:
        blob = json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")
        return hmac.new(bytes(self._mac_key), blob, hashlib.sha256).hexdigest()

    def read(self) -> dict[str, Any] | None:
        """The seal's body, None when there is no seal file; SealProblem when it does not
        verify."""
        if not self.path.exists():
            return None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            mac = data.pop("mac")
            if data.get("format") != SEAL_FORMAT or data.get("version") != SEAL_VERSION:
                raise ValueError("unknown format")
            Head.of(data["head"])
        except (ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            raise SealProblem("the audit head seal file is unreadable") from exc
        if not hmac.compare_digest(str(mac), self._mac(data)):
            raise SealProblem("the audit head seal does not match this data file's key "
                              "(altered, or made with another key)")
        return data  # type: ignore[no-any-return]

    def write(self, body: dict[str, Any], *, durable: bool = True,
              atomic: bool = False) -> None:
        """Rewrite the seal file in place, padded to a fixed size (one small write: a killed
        process leaves the old seal or the new one; a torn file reads as damaged and is made
        again, saying so). ``durable=False`` skips the sync: used after a commit, whose
        pending head the synced seal already accepts. ``atomic``: write a new file and rename
        it over the old one (a seal that cannot be made again from the data it guards: a
        server's trail as this computer saw it, :mod:`mmsdesk.store.audit_seen`)."""
        body = {**body, "format": SEAL_FORMAT, "version": SEAL_VERSION}
        data = json.dumps({**body, "mac": self._mac(body)}, sort_keys=True).encode("utf-8")
        data = data.ljust(max(_SEAL_SIZE, len(data)))
        if atomic:
            from mmsdesk.paths import fsync_dir, write_private

            write_private(self.path.with_name(self.path.name + ".new"), data)
            os.replace(self.path.with_name(self.path.name + ".new"), self.path)
            fsync_dir(self.path.parent)
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            os.pwrite(fd, data, 0)
            if os.fstat(fd).st_size > len(data):
                os.ftruncate(fd, len(data))
            if durable:
                getattr(os, "fdatasync", os.fsync)(fd)
        finally:
            os.close(fd)

    def remake(self, head: Head, reason: str) -> None:
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
        self.write({"head": head.as_dict(), "pending": None, "break": None,
                    "file": self.file_id(),
                    "made": {"at_entry": head.seq, "reason": reason, "on": now}})

    def file_id(self) -> int:
        """The data file's inode: a restore, a key change, a conversion or a copy puts a new
        file in place (the seal is then made again, and says so); the app's own writes and
        a SQLite shell's edits keep it."""
        try:
            return self.store_path.stat().st_ino
        except OSError:
            return 0


_SEALERS: weakref.WeakKeyDictionary[Engine, Sealer] = weakref.WeakKeyDictionary()


def attach(engine: Engine, store_path: Path, key: bytes | bytearray | None, *,
           upgraded: bool = False) -> None:
    """Keep ``engine``'s store sealed from now on; (re)make the seal when there is none.

    ``upgraded``: a schema upgrade just ran (and may have added entries): the seal moves to
    the table's head when the entries since the sealed head follow on from it.
    """
    sealer = Sealer(store_path, key)
    with engine.connect() as conn:
        try:
            head = table_head(conn)
        except Exception:  # noqa: BLE001 - an old schema opened without migrating: no trail
            sealer.forget()
            return
        try:
            seal = sealer.read()
        except SealProblem:
            seal = None
            reason = "the seal file was unreadable or made with another key"
        else:
            reason = "new data file" if head.seq == 0 else "no seal file (an older version, " \
                                                            "or a deleted seal)"
            if seal is not None and seal.get("file") != sealer.file_id():
                seal, reason = None, ("the data file was replaced (a restore, a key change or "
                                      "a copy to another folder)")
        try:
            if seal is None:
                sealer.remake(head, reason)
                if head.seq:
                    log.info("audit head seal made at entry %d", head.seq)
            elif upgraded and Head.of(seal["head"]) != head and _follows(conn, seal, head):
                sealer.write({**seal, "head": head.as_dict(), "pending": None})
        except OSError as exc:  # a read-only folder (a backup on a locked stick): not sealed
            log.warning("audit head seal not writable (%s); this store is not sealed",
                        type(exc).__name__)
            sealer.forget()
            return
    old = _SEALERS.get(engine)
    if old is not None:
        old.forget()
    _SEALERS[engine] = sealer


def _follows(conn: Connection, seal: dict[str, Any], head: Head) -> bool:
    """Whether the table still holds the sealed head entry and goes on past it."""
    sealed = Head.of(seal["head"])
    assert sealed is not None
    if sealed.seq == 0:
        return True
    got = conn.execute(select(_TABLE.c.row_hash).where(_TABLE.c.id == sealed.seq)).scalar()
    return got == sealed.hash and head.seq > sealed.seq


def detach(engine: Engine) -> None:
    sealer = _SEALERS.pop(engine, None)
    if sealer is not None:
        sealer.forget()


def note_append(session: Session, base: Head) -> None:
    """Called by the audit trail before it appends the first entry of a transaction."""
    session.info.setdefault(_BASE, base)


def _sealer_of(session: Session) -> Sealer | None:
    bind = session.get_bind()
    return _SEALERS.get(getattr(bind, "engine", bind))  # type: ignore[arg-type]


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush comes after this hook: its entries count too
    base: Head | None = session.info.get(_BASE)
    if base is None:
        return
    sealer = _sealer_of(session)
    if sealer is None:
        return
    new = table_head(session.connection())
    try:
        _seal_pending(sealer, base, new)
    except OSError as exc:  # never block the pharmacist's work; verify will show the lag
        log.warning("audit head seal not written (%s)", type(exc).__name__)


def _seal_pending(sealer: Sealer, base: Head, new: Head) -> None:
    with _LOCK:
        try:
            seal = sealer.read()
        except SealProblem:
            seal = None
        if seal is None:  # removed or altered while the store was open: say so
            sealer.remake(base, "the seal file vanished or changed while the data was open")
            seal = sealer.read()
            assert seal is not None
        sealed, pending = Head.of(seal["head"]), Head.of(seal.get("pending"))
        if base == pending:
            sealed = pending
        elif base != sealed and not seal.get("break"):
            seal["break"] = {"sealed": sealed.as_dict() if sealed else None,
                             "found": base.as_dict()}
            log.warning("audit trail head differs from its seal (entry %d sealed, %d found)",
                        sealed.seq if sealed else -1, base.seq)
            sealed = base  # the break stays recorded; the seal follows the table from here
        sealer.write({**seal, "head": (sealed or base).as_dict(), "pending": new.as_dict()},
                     durable=True)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_BASE, None) is None:
        return
    sealer = _sealer_of(session)
    if sealer is None:
        return
    with _LOCK:
        try:
            seal = sealer.read()
        except SealProblem:
            return
        if seal and seal.get("pending"):
            try:
                sealer.write({**seal, "head": seal["pending"], "pending": None}, durable=False)
            except OSError as exc:
                log.warning("audit head seal not written (%s)", type(exc).__name__)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_BASE, None)


# -- checking
@dataclass(frozen=True)
class SealReport:
    problem: str = ""
    note: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def check_head(conn: Connection, sealer: Sealer | None) -> SealReport:
    """Compare the table's head with the seal: a cut tail, an emptied table or appended
    entries are problems; a seal (re)made after the first entry is a note."""
    if sealer is None:
        return SealReport(note="no seal kept for this data file")
    try:
        seal = sealer.read()
    except SealProblem as exc:
        return SealReport(problem=str(exc))
    if seal is None:
        return SealReport(problem="the audit head seal file is missing")
    head = table_head(conn)
    made = seal.get("made") or {}
    note = ""
    if made.get("at_entry"):
        note = (f"the head seal was made on {made.get('on')} at entry {made['at_entry']} "
                f"({made.get('reason')}): a cut of entries before then would not show")
    brk = seal.get("break")
    if brk:
        return SealReport(problem=_difference(Head.of(brk["sealed"]), Head.of(brk["found"]))
                          + " (found before a later write)", note=note)
    sealed, pending = Head.of(seal["head"]), Head.of(seal.get("pending"))
    if head in (sealed, pending):
        return SealReport(note=note)
    return SealReport(problem=_difference(sealed, head), note=note)


def _difference(sealed: Head | None, found: Head | None) -> str:
    if sealed is None or found is None:
        return "the audit trail's head does not match its seal"
    if found.seq == 0:
        return (f"all audit entries were removed (the seal names entry {sealed.seq} as the "
                "last)")
    if found.seq < sealed.seq:
        return (f"the last {sealed.seq - found.seq} audit entries were removed (entries "
                f"{found.seq + 1} to {sealed.seq}; the seal names entry {sealed.seq} as the last)")
    if found.seq > sealed.seq:
        return (f"audit entries {sealed.seq + 1} to {found.seq} were added outside MMS Desk "
                f"(the seal names entry {sealed.seq} as the last)")
    return f"audit entry {found.seq} was replaced (its hash differs from the sealed one)"


def sealer_for(engine: Engine) -> Sealer | None:
    return _SEALERS.get(engine)
