"""A save over a version someone else saved meanwhile: refused, saying who and when.

Every editable record carries a version (:func:`mmsdesk.models.base.versioned`); an UPDATE or
DELETE that names a version no longer in the store matches no row, and SQLAlchemy raises
``StaleDataError`` for the whole unit of work, which is rolled back: nothing of it is written,
and the other person's save stays as they made it. :func:`explain` turns that into one
sentence for the person whose save was refused: what changed, who changed it and when (from
the audit trail, which names the person who acted), and that they should reload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from mmsdesk.models import AuditEvent
from mmsdesk.store.errors import StoreError

_AUDIT = AuditEvent.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Pending:
    """A versioned record the refused unit of work was saving or deleting."""

    entity: str
    entity_id: str
    pk: tuple[Any, ...]
    version: int | None
    table: Any
    mine: dict[str, Any] | None = None  # the values being saved (None: being deleted)


class RecordChanged(StoreError):
    """Refused: the record was changed (or deleted) by someone else since it was read."""

    def __init__(self, message: str, *, entity: str, entity_id: str, actor: str,
                 at: datetime | None, deleted: bool,
                 differences: tuple[tuple[str, Any, Any], ...] = ()) -> None:
        super().__init__(message)
        self.entity = entity
        self.entity_id = entity_id
        self.actor = actor
        self.at = at
        self.deleted = deleted
        # Both versions side by side: (field, the value being saved, the value now stored)
        # for each field where they differ, so the person can see both and settle them.
        self.differences = differences


# bookkeeping and machine-readable columns: not for a person to compare (a visit's draft
# differs by its fields, shown beside; a logo or a photo is not text)
_NOT_SHOWN = {"version", "updated_at", "created_at", "draft_json", "estimate_json",
              "logo_png", "image"}


_KEY = "mmsdesk_versioned_pending"


@event.listens_for(Session, "before_flush")
def _note_pending(session: Session, _ctx: Any, _instances: Any) -> None:
    """Each flush notes the versioned records it updates or deletes, with the version each
    was read at: a refused flush expires them, and the refusal must still name them."""
    session.info[_KEY] = pending(session)


def noted(session: Session) -> list[Pending]:
    """What the last flush of ``session`` was saving (for :func:`explain`)."""
    return list(session.info.get(_KEY, ()))


def pending(session: Session) -> list[Pending]:
    """The versioned records being updated or deleted."""
    out = []
    for obj in (*session.dirty, *session.deleted):
        state = inspect(obj)
        mapper = state.mapper
        if mapper.version_id_col is None or state.identity is None:
            continue
        prop = mapper.get_property_by_column(mapper.version_id_col)
        hist = state.attrs[prop.key].history
        read = hist.deleted[0] if hist.deleted else state.dict.get(prop.key)
        mine = None if obj in session.deleted else {
            a.columns[0].key: state.dict[a.key] for a in mapper.column_attrs
            if a.key in state.dict}
        out.append(Pending(mapper.local_table.name,
                           "/".join(str(i) for i in state.identity), tuple(state.identity),
                           read, mapper.local_table, mine))
    return out


def explain(engine: Engine, candidates: list[Pending]) -> StoreError:
    """The refusal for the first record whose stored version differs from the one read."""
    with engine.connect() as conn:
        for c in candidates:
            pk_cols = list(c.table.primary_key.columns)
            where = [col == val for col, val in zip(pk_cols, c.pk, strict=True)]
            now = conn.execute(select(c.table).where(*where)).mappings().first()
            if now is not None and now["version"] == c.version:
                continue  # this one is as it was read
            last = conn.execute(
                select(_AUDIT.c.actor, _AUDIT.c.at, _AUDIT.c.action)
                .where(_AUDIT.c.entity == c.entity, _AUDIT.c.entity_id == c.entity_id)
                .order_by(_AUDIT.c.id.desc()).limit(1)).first()
            actor = (last[0] if last else "") or "someone else"
            at = _utc(last[1]) if last else None
            deleted = now is None
            what = c.entity.replace("_", " ")
            when = f" at {at:%Y-%m-%d %H:%M} UTC" if at else ""
            verb = "deleted" if deleted else "changed"
            differences = tuple(
                (k, v, now.get(k)) for k, v in (c.mine or {}).items()
                if k not in _NOT_SHOWN and now is not None and now.get(k) != v)
            return RecordChanged(
                f"This {what} was {verb} by {actor}{when}: reload it (your change was not "
                "saved, theirs is kept).", entity=c.entity, entity_id=c.entity_id,
                actor=actor, at=at, deleted=deleted, differences=differences)
    return RecordChanged("A record was changed by someone else meanwhile: reload it (your "
                         "change was not saved).", entity="", entity_id="", actor="",
                         at=None, deleted=False)


def _utc(at: datetime | str) -> datetime:
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
