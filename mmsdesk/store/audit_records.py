"""``audit verify --deep``: each audited record's current row against its last audit entry.

Every change made through MMS Desk leaves an entry with the hash of the record after it (or a
"delete" entry). A record whose row no longer hashes to its last entry's after-hash was
changed outside the app; a record with a create or update entry and no row was deleted outside
the app; a row with no entry at all was added outside it; a row whose last entry is a delete
came back. Each problem names the table, the record id and its patient id (never contents).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from mmsdesk.store.audit import _NOT_AUDITED, _TABLE, _columns, _entity_id, content_hash

_WRITES = ("create", "update", "delete")


@dataclass(frozen=True)
class RecordProblem:
    entity: str
    entity_id: str
    patient_id: int | None
    problem: str
    last_entry: int | None

    def line(self) -> str:
        who = f" (patient {self.patient_id})" if self.patient_id is not None and (
            self.entity != "patient") else ""
        entry = f"; last audit entry {self.last_entry}" if self.last_entry else ""
        return f"{self.entity} {self.entity_id}{who}: {self.problem}{entry}"


def _models() -> dict[str, Any]:
    out = {}
    for mapper in SQLModel._sa_registry.mappers:  # type: ignore[attr-defined]
        name = getattr(mapper.class_, "__tablename__", None)
        if isinstance(name, str) and name not in _NOT_AUDITED:
            out[name] = mapper.class_
    return out


def _hashes(values: dict[str, Any]) -> set[str]:
    """The record's hash as read back, and as written when a float column was given a whole
    number (140 written, 140.0 read)."""
    out = {content_hash(values)}
    whole = {k: int(v) if isinstance(v, float) and v.is_integer() else v
             for k, v in values.items()}
    out.add(content_hash(whole))
    return out


def verify_records(session: Session) -> tuple[int, list[RecordProblem]]:
    """(records checked, problems): every row of every audited table, and every record the
    trail says exists. Tables changed by a bulk statement after a record's last entry are
    compared all the same: a bulk statement is not used by the app on audited tables."""
    last: dict[tuple[str, str], Any] = {}
    for r in session.execute(select(_TABLE.c.id, _TABLE.c.action, _TABLE.c.entity,
                                    _TABLE.c.entity_id, _TABLE.c.patient_id,
                                    _TABLE.c.after_hash).order_by(_TABLE.c.id)):
        if r.action in _WRITES and r.entity_id:
            last[(r.entity, r.entity_id)] = r
    problems: list[RecordProblem] = []
    seen: set[tuple[str, str]] = set()
    checked = 0
    models = _models()
    for name in sorted(models):
        for obj in _rows(session, models[name]):
            checked += 1
            key = (name, _entity_id(obj))
            seen.add(key)
            entry = last.get(key)
            pid = _patient_of(session, name, obj)
            if entry is None:
                problems.append(RecordProblem(name, key[1], pid, "has no audit entry: added "
                                              "outside MMS Desk", None))
            elif entry.action == "delete":
                problems.append(RecordProblem(name, key[1], pid, "was deleted through MMS Desk "
                                              "and is back: restored outside it", entry.id))
            elif entry.after_hash not in _hashes(_columns(obj)):
                problems.append(RecordProblem(name, key[1], pid, "was changed outside MMS Desk "
                                              "(it differs from its last audited state)",
                                              entry.id))
        session.expunge_all()
    for (name, ident), entry in last.items():
        if (name, ident) not in seen and entry.action != "delete" and name in models:
            problems.append(RecordProblem(name, ident, entry.patient_id,
                                          "was deleted outside MMS Desk", entry.id))
    problems.sort(key=lambda p: (p.entity != "patient", p.entity, _num(p.entity_id)))
    return checked, problems


def _patient_of(session: Session, name: str, obj: Any) -> int | None:
    if name == "patient":
        return obj.id  # type: ignore[no-any-return]
    pid = getattr(obj, "patient_id", None)
    if pid is None and getattr(obj, "medication_id", None) is not None:
        from mmsdesk.models import MedicationEntry

        t = MedicationEntry.__table__  # type: ignore[attr-defined]
        pid = session.execute(select(t.c.patient_id).where(t.c.id == obj.medication_id)).scalar()
    return pid  # type: ignore[no-any-return]


def _rows(session: Session, model: Any) -> Iterator[Any]:
    yield from session.execute(select(model)).scalars()


def _num(text: str) -> tuple[int, str]:
    return (int(text), "") if text.isdigit() else (0, text)
