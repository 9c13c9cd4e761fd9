"""Last line of defence against text that cannot be stored.

A NUL or a lone UTF-16 surrogate (a JSON ``\\ud800`` escape, a broken clipboard) makes the
SQLite driver raise a UnicodeEncodeError in the middle of a flush. Validators catch these at
the field; this ``before_flush`` check catches any field a validator does not look at, and
refuses the whole unit of work with a :class:`~mmsdesk.models.errors.ValidationError`
naming the field, before anything is written.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from mmsdesk.models.errors import ValidationError, has_invalid_characters


@event.listens_for(Session, "before_flush")
def _on_before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    errors: dict[str, str] = {}
    for obj in (*session.new, *session.dirty):
        mapper = getattr(inspect(obj), "mapper", None)
        if mapper is None:
            continue
        for attr in mapper.column_attrs:
            value = getattr(obj, attr.key, None)
            if isinstance(value, str) and has_invalid_characters(value):
                label = attr.key.replace("_", " ").capitalize()
                errors.setdefault(attr.key, f"{label} contains an invalid character; retype it.")
    if errors:
        raise ValidationError(errors)
