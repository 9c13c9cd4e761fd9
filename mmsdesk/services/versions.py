"""Saving against the version a screen read (team mode: two people, one chart).

A dialog reads a record, the person edits it for a minute, then saves. The service opens a
new session to save, so without help it would read the record again and save over whatever a
colleague stored meanwhile. The dialog therefore keeps the version it loaded and passes it as
``expected_version``; :func:`expect` makes the save name that version, so the store refuses it
(:class:`mmsdesk.store.conflicts.RecordChanged`, with both versions side by side) when it is
no longer the stored one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import object_session
from sqlalchemy.orm.attributes import flag_modified, set_committed_value


def expect(record: Any, expected_version: int | None) -> None:
    """Make the coming save of ``record`` (loaded in the saving session) name
    ``expected_version``: refused when someone saved another version since the screen read it.
    None: no version was kept (the save names the version just read, as before)."""
    if expected_version is None or record.version == expected_version:
        return
    # Someone saved since: this save will be refused. The UPDATE is sent (and refused) even
    # if only child rows change, and only at the service's own flush, after its edits, so the
    # refusal lists the values being saved beside the stored ones.
    set_committed_value(record, "version", expected_version)
    flag_modified(record, "updated_at")
    session = object_session(record)
    if session is not None:
        session.autoflush = False


def touch(record: Any) -> None:
    """Save ``record`` as a new version even when none of its own columns changed: it is the
    head of rows edited with it (a patient's caregivers), so a colleague's form that read the
    old version is refused instead of overwriting the rows it did not show."""
    flag_modified(record, "updated_at")


def refuse(store: Any, model: type, row_id: int, version_read: int | None) -> None:
    """Refuse a save because the row ``row_id`` of ``model`` is not as the screen read it
    (``version_read``; None: it did not exist then): RecordChanged, naming who and when."""
    from mmsdesk.store.conflicts import Pending, explain

    table = model.__table__  # type: ignore[attr-defined]
    raise explain(store.engine, [Pending(table.name, str(row_id), (row_id,), version_read,
                                         table)])
