"""A patient's chart as portable rows: the same records read from, and written to, any store.

Ids differ between the practice's server and a laptop's store; a record is known everywhere by
its ``uuid`` (link rows without one, such as a patient's pharmacies, by the uuids they link).
A portable row holds a record's columns with every reference written as the uuid of the record
it points to, so it can be compared across stores and written into another one, where each
reference is turned back into that store's id. Used by take along and bring back
(:mod:`mmsdesk.services.take_along`).

What belongs to a chart is read from the schema: the patient, every table with a reference to
the patient, and every table with a reference to those (a medication's components and events, a
problem's events). The records a chart points to outside it (prescribers, pharmacies) and the
practice's own (profile, service offerings) are *shared*: copied along, never removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

import mmsdesk.models  # noqa: F401 - registers every table
from mmsdesk.store.audit import content_hash

# Not part of a chart and never copied: the audit trail is each store's own; holds and the
# people of the practice stay on the server.
_NEVER = {"audit_event", "alembic_version", "patient_hold", "person"}
# Bookkeeping: set by each store itself, left out of comparisons.
_BOOKKEEPING = {"id", "version", "updated_at"}


def _tables() -> list[Table]:
    return [t for t in SQLModel.metadata.sorted_tables if t.name not in _NEVER]


def chart_tables() -> list[Table]:
    """The tables of a chart, parents first."""
    owned: list[Table] = []
    names = {"patient"}
    for t in _tables():
        if t.name == "patient" or any(fk.column.table.name in names for fk in t.foreign_keys):
            owned.append(t)
            names.add(t.name)
    return owned


def shared_tables() -> list[Table]:
    """The records a chart points to, and the practice's own: copied along, never removed."""
    owned = {t.name for t in chart_tables()}
    return [t for t in _tables() if t.name not in owned]


_CLASSES: dict[str, Any] = {}


def model_of(table: Table) -> Any:
    if not _CLASSES:
        for mapper in SQLModel._sa_registry.mappers:  # type: ignore[attr-defined]
            _CLASSES[mapper.local_table.name] = mapper.class_
    return _CLASSES[table.name]


@dataclass(frozen=True)
class Row:
    """One record, portable: ``values`` with references as uuids; ``key`` is its identity in
    every store; ``version`` the store's version of it (None for unversioned records)."""

    table: str
    key: str
    values: dict[str, Any]
    version: int | None

    @property
    def hash(self) -> str:
        return content_hash({k: _plain(v) for k, v in self.values.items()})


def _plain(value: Any) -> Any:
    """One form for values each engine returns its own way (PostgreSQL: Decimal, aware
    datetimes; SQLite: float, naive UTC)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def same(a: Any, b: Any) -> bool:
    return bool(_plain(a) == _plain(b))


class _Uuids:
    """Each store's id <-> uuid lookups, cached for one session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._to_uuid: dict[tuple[str, int], str] = {}
        self._to_id: dict[tuple[str, str], int | None] = {}

    def uuid(self, table: Table, ident: int | None) -> str | None:
        if ident is None:
            return None
        k = (table.name, ident)
        if k not in self._to_uuid:
            self._to_uuid[k] = self.session.execute(
                select(table.c.uuid).where(table.c.id == ident)).scalar_one()
        return self._to_uuid[k]

    def id(self, table: Table, uuid: str | None) -> int | None:
        if uuid is None:
            return None
        k = (table.name, uuid)
        if self._to_id.get(k) is None:
            self._to_id[k] = self.session.execute(
                select(table.c.id).where(table.c.uuid == uuid)).scalar()
        return self._to_id[k]

    def forget(self, table: Table, uuid: str) -> None:
        self._to_id.pop((table.name, uuid), None)


def _portable(table: Table, raw: dict[str, Any], ids: _Uuids) -> Row:
    values: dict[str, Any] = {}
    for c in table.c:
        if c.name in _BOOKKEEPING:
            continue
        fks = list(c.foreign_keys)
        values[c.name] = ids.uuid(fks[0].column.table, raw[c.name]) if fks else raw[c.name]
    if "uuid" in table.c:
        key = str(raw["uuid"])
    else:
        key = "|".join(f"{c.name}={values[c.name]}" for c in table.c if c.foreign_keys)
    return Row(table.name, key, values, raw.get("version"))


def read_chart(session: Session, patient_id: int) -> dict[tuple[str, str], Row]:
    """Every record of the patient's chart, by (table, key)."""
    ids = _Uuids(session)
    found: dict[str, set[int]] = {"patient": {patient_id}}
    out: dict[tuple[str, str], Row] = {}
    for t in chart_tables():
        if t.name == "patient":
            where = t.c.id == patient_id
        else:
            conds = [c.in_(found[fk.column.table.name]) for c in t.c for fk in c.foreign_keys
                     if fk.column.table.name in found]
            from sqlalchemy import or_

            where = or_(*conds)
        rows = session.execute(select(t).where(where)).mappings().all()
        if "id" in t.c:
            found.setdefault(t.name, set()).update(r["id"] for r in rows)
        for r in rows:
            row = _portable(t, dict(r), ids)
            out[(t.name, row.key)] = row
    return out


def read_shared(session: Session, chart: dict[tuple[str, str], Row],
                only: set[tuple[str, str]] | None = None) -> list[Row]:
    """The shared records to copy along: all of the practice's reference records (prescribers,
    pharmacies, profile, offerings: a few hundred rows at most); with ``only``, just those
    (table, uuid)."""
    del chart
    ids = _Uuids(session)
    out = []
    for t in shared_tables():
        q = select(t)
        if only is not None:
            keys = [k for name, k in only if name == t.name]
            if not keys:
                continue
            q = q.where(t.c.uuid.in_(keys))
        for r in session.execute(q).mappings().all():
            out.append(_portable(t, dict(r), ids))
    return out


class Writer:
    """Writes portable rows into one store through its ORM (so each is audited as usual)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.ids = _Uuids(session)
        self.tables = {t.name: t for t in _tables()}

    def _local(self, table: Table, values: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for c in table.c:
            if c.name not in values:
                continue
            fks = list(c.foreign_keys)
            out[c.name] = (self.ids.id(fks[0].column.table, values[c.name]) if fks
                           else values[c.name])
        return out

    def find(self, row: Row) -> Any:
        t = self.tables[row.table]
        cls = model_of(t)
        if "uuid" in t.c:
            return self.session.execute(select(cls).where(t.c.uuid == row.key)).scalar()
        local = self._local(t, row.values)
        conds = [t.c[k] == v for k, v in local.items()]
        return self.session.execute(select(cls).where(*conds)).scalar()

    def insert(self, row: Row) -> Any:
        t = self.tables[row.table]
        obj = model_of(t)(**self._local(t, row.values))
        self.session.add(obj)
        self.session.flush()
        if "uuid" in t.c:
            self.ids.forget(t, row.key)
        return obj

    def update(self, obj: Any, row: Row, fields: set[str] | None = None) -> None:
        t = self.tables[row.table]
        for k, v in self._local(t, row.values).items():
            if (fields is None or k in fields) and not same(getattr(obj, k), v):
                setattr(obj, k, v)
        self.session.flush()

    def upsert_shared(self, row: Row) -> None:
        """A shared record: added when missing, brought to the given values when present."""
        obj = self.find(row)
        if obj is None:
            self.insert(row)
        else:
            self.update(obj, row)

    def delete(self, row: Row) -> None:
        obj = self.find(row)
        if obj is not None:
            self.session.delete(obj)
            self.session.flush()

    def table(self, name: str) -> Table:
        return self.tables[name]


# A record that is part of another: a medicine's ingredients and history, a problem's
# follow-ups. Changed on one side while its whole changed on the other, it is shown with it.
_PART_OF = {"medication_id": "medication_entry", "problem_id": "drug_therapy_problem"}


def whole_of(row: Row) -> tuple[str, str] | None:
    """The (table, uuid) of the record ``row`` is part of, if any."""
    if row.table in ("recommendation", "goal"):  # they point to a problem; not part of it
        return None
    for col, table in _PART_OF.items():
        if row.values.get(col):
            return (table, str(row.values[col]))
    return None


# What a record is called when the pharmacist settles it: its kind, and the fields that say
# which one it is (the medicine of a component or history event is named too).
_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "patient": ("patient", ("first_name", "last_name")),
    "medication_entry": ("medication", ("text_given",)),
    "medication_component": ("ingredient", ("ingredient", "amount", "unit")),
    "medication_event": ("medication history", ("action", "event_date")),
    "allergy": ("allergy", ("substance",)),
    "condition": ("condition", ("name",)),
    "observation": ("measurement", ("measure", "value", "unit", "taken_on")),
    "visit": ("visit", ("service", "visit_date", "status")),
    "drug_therapy_problem": ("problem", ("description",)),
    "problem_event": ("problem follow-up", ("outcome", "event_date")),
    "recommendation": ("recommendation", ("text",)),
    "goal": ("goal", ("target",)),
    "follow_up": ("follow-up", ("reason", "due_on")),
    "caregiver": ("caregiver", ("name",)),
    "fill_record": ("fill", ("drug_text", "fill_date")),
    "mtm_offer": ("MTM offer", ("offered_on", "method")),
    "pgx_result": ("PGx result", ("gene", "diplotype")),
    "text_translation": ("translation", ("language", "source_text")),
    "label_photo": ("label photo", ("line_key", "taken_at")),
    "alert_acknowledgement": ("alert acknowledged", ("alert_key",)),
    "patient_pharmacy": ("patient's pharmacy", ()),
    "patient_prescriber": ("patient's prescriber", ()),
    "prescriber": ("prescriber", ("first_name", "last_name", "credentials")),
    "pharmacy": ("pharmacy", ("name",)),
}


def describe(row: Row, rows: dict[tuple[str, str], Row]) -> str:
    """'ingredient lisinopril 10 mg of Lisinopril 10 MG Oral Tablet': which record it is."""
    noun, fields = _NAMES.get(row.table, (row.table.replace("_", " "), ()))
    bits = " ".join(f"{_plain(row.values[f]):g}" if isinstance(row.values[f], float | Decimal)
                    else str(row.values[f]) for f in fields
                    if row.values.get(f) not in (None, ""))[:80]
    text = f"{noun} {bits}".strip()
    med = row.values.get("medication_id") if row.table != "recommendation" else None
    parent = rows.get(("medication_entry", str(med))) if med else None
    if parent is not None:
        text += f" of {parent.values.get('text_given') or 'a medication'}"
    return text
