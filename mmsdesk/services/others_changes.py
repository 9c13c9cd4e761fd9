"""What other people (other apps on the same data) changed since the last look.

Team mode: the patient list, a chart and the dashboard must follow what a colleague saves on
the shared server. Every committed change already has its audit entries, appended in commit
order (on PostgreSQL under an advisory lock, so entry ids become visible in order), so a feed
that reads the entries past the last one it saw misses nothing and needs no other table. The
entries this process wrote itself are left out: the service that made them has already said
what changed. Works the same on the laptop's file (a command run beside the window).

A screen polls :meth:`ChangeFeed.poll` every few seconds and publishes the ChangeSet it returns
(``ui/app_events``), so each screen refreshes only when it cares.
"""

from __future__ import annotations

from sqlalchemy import select

from mmsdesk.models import AuditEvent
from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.store.audit import written_here

_AUDIT = AuditEvent.__table__  # type: ignore[attr-defined]

# Which kinds of data a change to each table touches (tables not named: none a screen shows).
KINDS: dict[str, tuple[str, ...]] = {
    "patient": (changes.PATIENTS, changes.DEMOGRAPHICS),
    "medication_entry": (changes.MEDICATIONS,),
    "medication_component": (changes.MEDICATIONS,),
    "medication_event": (changes.MEDICATIONS,),
    "fill_record": (changes.MEDICATIONS,),
    "allergy": (changes.ALLERGIES,),
    "condition": (changes.CONDITIONS,),
    "observation": (changes.OBSERVATIONS,),
    "pgx_result": (changes.PGX,),
    "caregiver": (changes.CARE_TEAM,),
    "prescriber": (changes.CARE_TEAM,),
    "pharmacy": (changes.CARE_TEAM,),
    "patient_prescriber": (changes.CARE_TEAM,),
    "patient_pharmacy": (changes.CARE_TEAM,),
    "visit": (changes.VISITS,),
    "label_photo": (changes.VISITS,),
    "mtm_offer": (changes.VISITS,),
    "drug_therapy_problem": (changes.PROBLEMS,),
    "problem_event": (changes.PROBLEMS,),
    "recommendation": (changes.PROBLEMS,),
    "goal": (changes.PROBLEMS,),
    "follow_up": (changes.FOLLOW_UPS,),
    "alert_acknowledgement": (changes.ALERTS,),
    "text_translation": (changes.TRANSLATIONS,),
    "pharmacist_profile": (changes.PRACTICE,),
    "service_offering": (changes.PRACTICE,),
}


class ChangeFeed:
    """Reads the audit entries written by others since the last poll."""

    def __init__(self, store: object) -> None:
        self.store = store
        self.last_id = self._newest()

    def _newest(self) -> int:
        with self.store.engine.connect() as conn:  # type: ignore[attr-defined]
            return int(conn.scalar(select(_AUDIT.c.id).order_by(_AUDIT.c.id.desc()).limit(1))
                       or 0)

    def poll(self) -> ChangeSet | None:
        """What others changed since the last poll, or None when nothing was."""
        with self.store.engine.connect() as conn:  # type: ignore[attr-defined]
            rows = conn.execute(select(_AUDIT.c.id, _AUDIT.c.entity, _AUDIT.c.patient_id,
                                       _AUDIT.c.row_hash)
                                .where(_AUDIT.c.id > self.last_id)
                                .order_by(_AUDIT.c.id)).all()
        if not rows:
            return None
        self.last_id = rows[-1].id
        mine = written_here()
        kinds: set[str] = set()
        ids: set[int] = set()
        for r in rows:
            if r.row_hash in mine:
                continue
            kinds.update(KINDS.get(r.entity, ()))
            if r.patient_id is not None:
                ids.add(int(r.patient_id))
        if not kinds:
            return None
        return ChangeSet(frozenset(kinds), frozenset(ids))
