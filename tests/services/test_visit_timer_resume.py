"""A draft put away with its timer running (window closed, laptop shut) and opened again days
later: the timer counts the minutes up to the last save, not the days away, and Restart
continues from them. A draft opened again within minutes (a crash) keeps counting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from mmsdesk.services.patients import PatientService
from mmsdesk.services.visits.service import VisitService, timer_minutes
from tests.conftest import TODAY

NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def _draft_saved_at(store, started: datetime, saved: datetime) -> int:  # type: ignore[no-untyped-def]
    pid = PatientService(store).list_rows()[0].id
    svc = VisitService(store)
    draft = svc.start(pid, "tmr", "home", today=TODAY, now=started)
    svc.save_draft(draft)
    with store.engine.begin() as conn:  # the last autosave happened at `saved`
        conn.execute(text("UPDATE visit SET updated_at = :t WHERE id = :i"),
                     {"t": saved.astimezone(UTC).replace(tzinfo=None), "i": draft.visit_id})
    return draft.visit_id


def test_a_draft_put_away_for_days_counts_only_up_to_its_last_save(demo_store):
    started = NOW - timedelta(days=3)
    vid = _draft_saved_at(demo_store, started, started + timedelta(minutes=20))
    draft = VisitService(demo_store).resume(vid, now=NOW)
    assert draft.ended_at is not None
    assert timer_minutes(draft.started_at, draft.ended_at) == 20
    # the plain load (documents, exports) is untouched: it reads the draft as saved
    assert VisitService(demo_store).load_draft(vid).ended_at is None


def test_a_draft_opened_again_minutes_after_a_crash_keeps_counting(demo_store):
    started = NOW - timedelta(minutes=40)
    vid = _draft_saved_at(demo_store, started, NOW - timedelta(minutes=3))
    draft = VisitService(demo_store).resume(vid, now=NOW)
    assert draft.ended_at is None
    assert timer_minutes(draft.started_at, NOW) == 40
