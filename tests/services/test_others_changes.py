"""Team mode: what another app saved on the same data reaches this one's screens (the change
feed over the audit trail), on SQLite and PostgreSQL; this app's own saves are left out."""

from __future__ import annotations

from datetime import date

from mmsdesk.services import changes
from mmsdesk.services.others_changes import ChangeFeed
from mmsdesk.services.patients import PatientInput, PatientService
from tests.conftest import TODAY, run_cli


def _other_app(store, *words: str):
    """Another person's app: a separate process on the same data."""
    from mmsdesk.store.server import ServerStore

    if isinstance(store, ServerStore):
        where = ("--database", store.url.render_as_string(hide_password=False))
    else:
        where = ("--data-dir", str(store.path.parent), "--no-encryption")
    res = run_cli(*where, *words)
    assert res.returncode == 0, res.stderr


def test_the_feed_brings_what_another_app_saved_and_leaves_out_our_own(store):
    feed = ChangeFeed(store)
    assert feed.poll() is None  # nothing yet
    mine, _ = PatientService(store).create(PatientInput("Ann", "Lee", date(1950, 1, 1)), TODAY)
    assert feed.poll() is None  # our own save: its service already said what changed

    _other_app(store, "demo", "--into-existing")
    seen = feed.poll()
    assert seen is not None
    assert {changes.PATIENTS, changes.MEDICATIONS, changes.ALLERGIES, changes.VISITS} <= seen.kinds
    theirs = {r.id for r in PatientService(store).list_rows()} - {mine}
    assert seen.patient_ids == theirs and len(theirs) == 12
    assert feed.poll() is None  # each change is brought once
