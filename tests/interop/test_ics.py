"""iCalendar export of follow-ups: valid structure, folding, and no PHI beyond initials/id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from mmsdesk.interop.ics import CalendarFollowUp, follow_ups_to_ics, initials
from mmsdesk.models import AuditEvent, FollowUp, Patient
from mmsdesk.services.dashboard import follow_ups_calendar, upcoming_follow_ups
from tests.conftest import TODAY

STAMP = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)


def test_initials():
    assert initials("José", "Müller") == "J.M."
    assert initials("Ольга", "Иванова") == "О.И."
    assert initials("", "Lee") == "L."


def test_calendar_from_store_names_nobody(store):
    with store.session() as s:
        p = Patient(first_name="José", last_name="Müller", date_of_birth=TODAY.replace(year=1941))
        s.add(p)
        s.flush()
        s.add(FollowUp(patient_id=p.id, due_on=TODAY + timedelta(days=7), service="tmr",
                       modality="telephone", reason="Warfarin INR check"))
        s.add(FollowUp(patient_id=p.id, due_on=TODAY + timedelta(days=200), reason="too far"))
        s.add(FollowUp(patient_id=p.id, due_on=TODAY + timedelta(days=3), done=True))
        s.add(FollowUp(patient_id=p.id, due_on=TODAY - timedelta(days=3), reason="overdue"))
        pid = p.id
    text_logged, n = follow_ups_calendar(store, TODAY, "initials", 90)
    assert n == 1 and "J.M." in text_logged.replace("\r\n ", "")
    with store.session() as s:
        events = s.execute(select(AuditEvent.action, AuditEvent.entity, AuditEvent.detail)
                           .where(AuditEvent.action == "export")).all()
    assert events == [("export", "follow_up", "iCalendar: 1 follow-ups, patients shown by initials")]
    items = upcoming_follow_ups(store, TODAY, 90)
    assert [i.due_on for i in items] == [TODAY + timedelta(days=7)]
    text = follow_ups_to_ics(items, STAMP)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART;VALUE=DATE:20261201\r\n" in text and "DTEND;VALUE=DATE:20261202\r\n" in text
    assert "DTSTAMP:20261124T083000Z" in text
    unfolded = text.replace("\r\n ", "")
    assert "SUMMARY:Follow-up (Targeted medication review (TMR)): J.M." in unfolded
    for secret in ("José", "Müller", "Warfarin", "INR", "1941"):
        assert secret not in text
    by_id = follow_ups_to_ics(items, STAMP, identify="id").replace("\r\n ", "")
    assert f"patient #{pid}" in by_id and "J.M." not in by_id


def test_long_lines_fold_at_75_octets_and_escape():
    item = CalendarFollowUp("u1", TODAY, 1, "Ñ.Ü.", "Service, with; commas " + "é" * 60, "home")
    text = follow_ups_to_ics([item], STAMP)
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    unfolded = text.replace("\r\n ", "")
    assert "Service\\, with\\; commas" in unfolded


def test_identify_must_be_known():
    with pytest.raises(ValueError):
        follow_ups_to_ics([], STAMP, identify="name")
