"""iCalendar (RFC 5545) export of upcoming follow-ups, for the pharmacist's own calendar.

A calendar leaves the encrypted store, so each event carries only what the pharmacist chose:
the patient's initials or the record number, the kind of visit and how it happens. Never the
name, the date of birth, medicines or free-text reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

PRODID = "-//MMS Desk//Follow-ups//EN"
IDENTIFY = ("initials", "id")


@dataclass(frozen=True)
class CalendarFollowUp:
    uid: str
    due_on: date
    patient_id: int
    initials: str
    service_label: str
    modality: str


def initials(first: str, last: str) -> str:
    parts = [p for p in (first.strip(), last.strip()) if p]
    return "".join(p[0].upper() + "." for p in parts)


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (UTF-8), never splitting a character."""
    out, current, size = [], "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > 75:
            out.append(current)
            current, size = " ", 1
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def follow_ups_to_ics(items: Sequence[CalendarFollowUp], stamp: datetime,
                      identify: str = "initials") -> str:
    """The calendar text (CRLF line ends). ``identify`` is "initials" or "id"."""
    if identify not in IDENTIFY:
        raise ValueError(f"identify must be one of {', '.join(IDENTIFY)}")
    stamp_text = stamp.strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", "X-WR-CALNAME:MMS Desk follow-ups"]
    for it in items:
        who = it.initials if identify == "initials" else f"patient #{it.patient_id}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{it.uid}@mmsdesk",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{it.due_on.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(it.due_on + timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(f'Follow-up ({it.service_label}): {who}')}",
            f"DESCRIPTION:{_escape(f'{it.modality.capitalize()}. Open MMS Desk for details.')}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
