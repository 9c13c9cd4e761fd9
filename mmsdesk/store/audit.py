"""The audit trail: every create, update and delete recorded automatically, hash-chained.

Session events (registered on import of :mod:`mmsdesk.store`) write one :class:`AuditEvent`
per changed record in the same transaction as the change, so a change is never committed
without its audit row. A row holds the time, action, table, record id, patient id and SHA-256
hashes of the record before and after -- never the contents. Each row's hash covers its fields
and the previous row's hash, so editing or deleting a row in the middle of the history is
detected by :func:`verify_chain`.

Documents printed or exported are recorded with :func:`record_event`.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import weakref
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import ORMExecuteState, Session

from mmsdesk.models import AuditEvent, DrugTherapyProblem
from mmsdesk.models.base import utcnow
from mmsdesk.models.practice_people import Person
from mmsdesk.store import audit_seal, audit_seen

log = logging.getLogger(__name__)

GENESIS = "0" * 64
_TABLE = AuditEvent.__table__  # type: ignore[attr-defined]
_NOT_AUDITED = {AuditEvent.__tablename__, "alembic_version"}
_CHAIN_FIELDS = ("at", "actor", "action", "entity", "entity_id", "patient_id", "before_hash",
                 "after_hash", "detail", "prev_hash")


def _actor() -> str:
    try:
        return getpass.getuser()[:100]
    except Exception:  # noqa: BLE001 - no login name available (service, container)
        return ""


ACTOR = _actor()

# Who the audit rows of an engine name when a person of the practice has signed in on it
# (team mode): per engine, so two stores open in one process never lend each other a name.
_ACTORS: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()
# ... and that person's row and role: a write through the engine is refused, whole, once the
# row is inactive or gone, or its role is no longer the one signed in with (a colleague
# deactivated the account, or made a pharmacist a technician, while this app was open).
_PERSONS: weakref.WeakKeyDictionary[Engine, tuple[int, str]] = weakref.WeakKeyDictionary()
_PERSON = Person.__table__  # type: ignore[attr-defined]


def set_actor(engine: Engine, name: str | None, person_id: int | None = None,
              role: str = "") -> None:
    """Name ``name`` in every audit row written through ``engine`` (None: the OS login); with
    ``person_id``, refuse the writes once that person is no longer active, or no longer has
    ``role`` (when given)."""
    if name:
        _ACTORS[engine] = name[:100]
    else:
        _ACTORS.pop(engine, None)
    if name and person_id is not None:
        _PERSONS[engine] = (person_id, role)
    else:
        _PERSONS.pop(engine, None)


def actor_for(conn: Connection) -> str:
    return _ACTORS.get(conn.engine, ACTOR)


_SESSION_ACTOR = "mmsdesk.audit_actor"


def set_session_actor(session: Session, name: str | None) -> None:
    """Name ``name`` in the audit rows ``session`` writes from now on, instead of the engine's
    person (None: the engine's again). For work done by someone other than the one signed in
    on the engine: the charts a person worked on away, written back by whoever brings them."""
    if name:
        session.info[_SESSION_ACTOR] = name[:100]
    else:
        session.info.pop(_SESSION_ACTOR, None)


# PostgreSQL advisory lock held by a transaction from its first audit entry to its end.
AUDIT_LOCK_ID = 7362002

# Set by the store on every update (the audit row has the time; the version counts saves).
_BOOKKEEPING = {"updated_at", "version"}


def _canon(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return value


def content_hash(values: dict[str, Any]) -> str:
    """SHA-256 of a record's column values in a canonical JSON form (times as naive UTC)."""
    blob = json.dumps({k: _canon(v) for k, v in sorted(values.items()) if k not in _BOOKKEEPING},
                      sort_keys=True,
                      ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _stamp(at: datetime | str) -> str:
    """The time as hashed: naive UTC ISO text (what SQLite returns whatever was written)."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return at.replace(tzinfo=None).isoformat(sep=" ")


def row_hash(row: dict[str, Any]) -> str:
    """The hash of one audit row: its fields and the previous row's hash."""
    fields = {k: row.get(k) for k in _CHAIN_FIELDS}
    fields["at"] = _stamp(fields["at"])
    fields["patient_id"] = None if fields["patient_id"] is None else int(fields["patient_id"])
    blob = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _last_hash(conn: Connection) -> str:
    h = conn.execute(select(_TABLE.c.row_hash).order_by(_TABLE.c.id.desc()).limit(1)).scalar()
    return h or GENESIS


def _append(conn: Connection, rows: Iterable[dict[str, Any]],
            session: Session | None = None) -> int:
    rows = list(rows)
    if not rows:
        return 0
    person_id, role = _PERSONS.get(conn.engine, (None, ""))
    active: Any = True
    now_role: Any = role
    if conn.dialect.name == "postgresql":
        # Several people append at once: each transaction waits for the one before it to
        # commit before it reads the chain's head, so every entry follows the one before.
        # The signed-in person's row is read by the same statement: no extra round trip.
        if person_id is None:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({AUDIT_LOCK_ID})")
        else:
            _lock, active, now_role = conn.exec_driver_sql(
                f"SELECT pg_advisory_xact_lock({AUDIT_LOCK_ID}), "
                "(SELECT active FROM person WHERE id = %(id)s), "
                "(SELECT role FROM person WHERE id = %(id)s)", {"id": person_id}).one()
    elif person_id is not None:  # the file: one primary-key lookup in the same process
        found = conn.execute(select(_PERSON.c.active, _PERSON.c.role)
                             .where(_PERSON.c.id == person_id)).first()
        active, now_role = found if found is not None else (False, role)
    if active and role and now_role != role:
        from mmsdesk.store.who import NotPermitted

        raise NotPermitted(f"{_ACTORS.get(conn.engine, 'This person')}'s role in the practice "
                           "was changed: nothing was saved. Sign in again.")
    if not active:
        from mmsdesk.store.who import NotPermitted

        raise NotPermitted(f"{_ACTORS.get(conn.engine, 'This person')}'s account was "
                           "deactivated by the practice: nothing was saved. Sign in as "
                           "someone else.")
    if session is not None:
        head = audit_seal.table_head(conn)
        audit_seal.note_append(session, head)
        prev = head.hash
    else:
        prev = _last_hash(conn)
    out = []
    actor = (session.info.get(_SESSION_ACTOR) if session is not None else None) or \
        actor_for(conn)
    for r in rows:
        row = {"at": utcnow(), "actor": actor, "entity_id": "", "patient_id": None,
               "before_hash": "", "after_hash": "", "detail": "", **r, "prev_hash": prev}
        row["row_hash"] = prev = row_hash(row)
        out.append(row)
    if session is not None and audit_seen.watching(conn.engine):
        # a server store: the new ids come back with the insert (no extra round trip), so
        # this computer remembers the newest link it wrote (mmsdesk.store.audit_seen)
        ids = conn.execute(insert(_TABLE).returning(_TABLE.c.id, sort_by_parameter_order=True),
                           out).scalars().all()
        audit_seen.note_written(session, head, audit_seen.Link.of(ids[-1], prev, out[-1]["at"]))
    else:
        conn.execute(insert(_TABLE), out)
    _WRITTEN_HERE.extend(r["row_hash"] for r in out)
    return len(out)


# The hashes of the latest entries this process wrote: the change feed of other people's
# saves (services/others_changes.py) leaves them out. Bounded; a rolled-back entry is harmless.
_WRITTEN_HERE: deque[str] = deque(maxlen=20_000)


def written_here() -> frozenset[str]:
    return frozenset(_WRITTEN_HERE)


# -- what a record looks like, before and after
def _columns(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    return {a.key: getattr(obj, a.key, None) for a in state.mapper.column_attrs
            if a.key not in _BOOKKEEPING}


def _before(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    values = _columns(obj)
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if hist.deleted:
            values[attr.key] = hist.deleted[0]
    return values


def _patient_id(conn: Connection, obj: Any) -> int | None:
    if obj.__tablename__ == "patient":
        return obj.id  # type: ignore[no-any-return]
    pid = getattr(obj, "patient_id", None)
    if pid is None and getattr(obj, "problem_id", None) is not None:
        t = DrugTherapyProblem.__table__  # type: ignore[attr-defined]
        pid = conn.execute(select(t.c.patient_id).where(t.c.id == obj.problem_id)).scalar()
    return pid  # type: ignore[no-any-return]


def _entity_id(obj: Any) -> str:
    ident = inspect(obj).mapper.primary_key_from_instance(obj)
    return "/".join("" if i is None else str(i) for i in ident)


def _audited(obj: Any) -> bool:
    return getattr(obj, "__tablename__", None) not in _NOT_AUDITED and hasattr(obj, "__table__")


@event.listens_for(Session, "after_flush")
def _on_after_flush(session: Session, _ctx: Any) -> None:
    conn = session.connection()
    rows = []
    for obj in session.new:
        if _audited(obj):
            rows.append({"action": "create", "entity": obj.__tablename__,
                         "entity_id": _entity_id(obj), "patient_id": _patient_id(conn, obj),
                         "after_hash": content_hash(_columns(obj))})
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            before, after = content_hash(_before(obj)), content_hash(_columns(obj))
            if before != after:
                rows.append({"action": "update", "entity": obj.__tablename__,
                             "entity_id": _entity_id(obj), "patient_id": _patient_id(conn, obj),
                             "before_hash": before, "after_hash": after})
    for obj in session.deleted:
        if _audited(obj):
            rows.append({"action": "delete", "entity": obj.__tablename__,
                         "entity_id": _entity_id(obj), "patient_id": _patient_id(conn, obj),
                         "before_hash": content_hash(_before(obj))})
    _append(conn, rows, session)


@event.listens_for(Session, "do_orm_execute")
def _on_do_orm_execute(state: ORMExecuteState) -> Any:
    """Bulk INSERT/UPDATE/DELETE statements through a session: one event with the row count."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return None
    mapper = state.bind_mapper
    table = getattr(mapper, "persist_selectable", None) if mapper is not None else None
    name = getattr(table, "name", None) or getattr(state.statement, "table", None)
    name = getattr(name, "name", name)
    if not isinstance(name, str) or name in _NOT_AUDITED:
        return None
    result = state.invoke_statement()
    action = "create" if state.is_insert else "update" if state.is_update else "delete"
    count = getattr(result, "rowcount", None)
    params = state.parameters
    if (count is None or count < 0) and isinstance(params, list):
        count = len(params)
    detail = f"bulk statement, {count} rows" if count is not None and count >= 0 else (
        "bulk statement")
    _append(state.session.connection(), [{"action": action, "entity": name, "detail": detail}],
            state.session)
    return result


def record_event(session: Session, action: str, entity: str, *, entity_id: str = "",
                 patient_id: int | None = None, detail: str = "") -> None:
    """Record an action that changes no row (a document printed or exported, an import).

    ``detail`` names what was done (e.g. the document kind), never patient data.
    """
    _append(session.connection(), [{"action": action[:32], "entity": entity[:64],
                                    "entity_id": entity_id[:64], "patient_id": patient_id,
                                    "detail": detail[:400]}], session)


# -- reading and verifying
@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    patient_id: int | None
    before_hash: str
    after_hash: str
    detail: str


@dataclass(frozen=True)
class ChainReport:
    rows: int
    first_bad_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None and not self.problem


def verify_chain(conn: Connection) -> ChainReport:
    """Recompute every row's hash and link; report the first row that does not match."""
    prev = GENESIS
    n = 0
    result = conn.execute(select(_TABLE).order_by(_TABLE.c.id))
    for row in result.mappings():
        n += 1
        data = dict(row)
        if data["prev_hash"] != prev:
            return ChainReport(n, data["id"], f"entry {data['id']} does not follow the entry "
                               "before it (an entry was removed or inserted)")
        if row_hash(data) != data["row_hash"]:
            return ChainReport(n, data["id"], f"entry {data['id']} was altered after it was "
                               "written")
        prev = data["row_hash"]
    return ChainReport(n)


def events_for_patient(session: Session, patient_id: int, limit: int = 5000) -> list[AuditRow]:
    rows = session.execute(select(_TABLE).where(_TABLE.c.patient_id == patient_id)
                           .order_by(_TABLE.c.id.desc()).limit(limit)).mappings()
    return [AuditRow(r["id"], r["at"], r["actor"], r["action"], r["entity"], r["entity_id"],
                     r["patient_id"], r["before_hash"], r["after_hash"], r["detail"]) for r in rows]
