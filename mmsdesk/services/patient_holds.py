"""Holds on charts taken along (team mode): who holds a patient's chart, until when, and its
release without bringing it back -- by its holder, or with a recorded reason by a pharmacist
of the practice. Taking along and bringing back are :mod:`mmsdesk.services.take_along`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mmsdesk.models import Patient
from mmsdesk.models.practice_people import PatientHold
from mmsdesk.store import audit
from mmsdesk.store.errors import StoreError


class TakeAlongRefused(StoreError):
    """A take along, bring back or release that cannot be done (said in one sentence)."""


@dataclass(frozen=True)
class HoldInfo:
    patient_id: int
    patient_name: str
    holder: str
    device: str
    taken_at: datetime
    until: datetime | None

    def overdue(self, now: datetime | None = None) -> bool:
        """Past the time it was to be brought back by (ask the holder, or release it)."""
        until = self.until
        if until is None:
            return False
        until = until if until.tzinfo else until.replace(tzinfo=UTC)
        return until < (now or datetime.now(UTC))

    @property
    def text(self) -> str:
        until = f" until {self.until:%Y-%m-%d %H:%M} UTC" if self.until else ""
        late = ", overdue: not brought back by then" if self.overdue() else ""
        return (f"Held by {self.holder}{until} (taken along to {self.device or 'a laptop'}"
                f"{late})")


def who_name(store: Any) -> str:
    who = getattr(store, "who", None)
    return who.name if who is not None else audit.ACTOR


def active_hold(s: Session, patient_id: int) -> PatientHold | None:
    return s.execute(select(PatientHold).where(PatientHold.patient_id == patient_id,
                                               PatientHold.released_at.is_(None))  # type: ignore[union-attr]
                     ).scalars().first()


def hold_info(s: Session, hold: PatientHold) -> HoldInfo:
    p = s.get(Patient, hold.patient_id)
    name = f"{p.first_name} {p.last_name}" if p else ""
    return HoldInfo(hold.patient_id, name, hold.holder_name, hold.device, hold.taken_at,
                    hold.until)


def held_text(s: Session, patient_id: int) -> str:
    """The chart header's line while the chart is taken along ("" when it is not)."""
    hold = active_hold(s, patient_id)
    return hold_info(s, hold).text if hold else ""


def held_by(server: Any, patient_id: int) -> HoldInfo | None:
    """Who holds the patient's chart, until when (None: nobody)."""
    with server.session() as s:
        hold = active_hold(s, patient_id)
        return hold_info(s, hold) if hold else None


def holds(server: Any) -> list[HoldInfo]:
    """The charts taken along and not yet brought back or released, oldest first."""
    with server.session() as s:
        rows = s.execute(select(PatientHold).where(PatientHold.released_at.is_(None))  # type: ignore[union-attr]
                         .order_by(PatientHold.taken_at)).scalars().all()
        return [hold_info(s, h) for h in rows]


def release_holds(server: Any, hold_uuids: list[str], by: str, reason: str) -> None:
    with server.session() as s:
        for hu in hold_uuids:
            h = s.execute(select(PatientHold).where(PatientHold.uuid == hu)).scalar_one()
            h.released_at = datetime.now(UTC)
            h.released_by, h.release_reason = by, reason


# -- release
def release(server: Any, patient_id: int, reason: str = "") -> HoldInfo:
    """End a hold without bringing the chart back: by its holder, or by a pharmacist of the
    practice with a reason (recorded). The laptop's copy is then not written back."""
    who = getattr(server, "who", None)
    name = who_name(server)
    with server.session() as s:
        hold = active_hold(s, patient_id)
        if hold is None:
            raise TakeAlongRefused("That chart is not held by anyone.")
        info = hold_info(s, hold)
        mine = (hold.person_id == who.person_id) if who is not None and hold.person_id \
            else hold.holder_name == name
        if not mine:
            if who is not None and not who.is_pharmacist:
                raise TakeAlongRefused(f"Only {hold.holder_name} or a pharmacist of the "
                                       "practice can release this hold.")
            if not reason.strip():
                raise TakeAlongRefused(f"Say why you release {hold.holder_name}'s hold: the "
                                       "reason is recorded.")
        hold.released_at = datetime.now(UTC)
        hold.released_by = name
        # never empty: an empty reason marks the release that a bring back makes
        hold.release_reason = (reason.strip() or "released by its holder without bringing "
                               "it back")[:400]
        return info
