"""Medication burden: how many medicines, how many scheduled doses a day, the ACB total.

Counted on the chart's list between visits, and during a visit on its working list (the chart's
list with the reconciliation's decisions applied), so Assess shows the burden of the list the
patient will leave with, the one the screening beside it looks at.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from mmsdesk.clinical.sig import Directions, administrations_per_day
from mmsdesk.models import MedicationEntry
from mmsdesk.services.visits.draft import VisitDraft
from mmsdesk.services.visits.reconciliation import parse_frequency
from mmsdesk.services.visits.rows import BurdenSummary
from mmsdesk.store import Store

_PRN = re.compile(r"\b(as needed|prn|when needed|if needed)\b", re.I)


def doses_a_day(directions: str, frequency: str = "", times: tuple[str, ...] = (),
                as_needed: bool = False) -> float | None:
    """Scheduled administrations a day; 0 for an as-needed medicine, None when not known.
    ``frequency`` and ``times`` (times of day) are the structured directions when recorded,
    else the frequency is read from the directions as written."""
    if as_needed or _PRN.search(directions or ""):
        return 0
    return administrations_per_day(Directions(
        frequency=frequency or parse_frequency(directions), times_of_day=times))


def _summary(items: list[tuple[str, float | None]], acb: int) -> BurdenSummary:
    """``items``: (name, doses a day) per active medicine."""
    doses = sum(n for _, n in items if n)
    prn = sum(1 for _, n in items if n == 0)
    unknown = tuple(name for name, n in items if n is None)
    return BurdenSummary(len(items), round(doses, 2), acb, prn, unknown)


def _entry_doses(m: MedicationEntry) -> float | None:
    d = m.structured_directions()
    return doses_a_day(m.directions or "", d.frequency, d.times_of_day, d.as_needed)


def chart_burden(store: Store, patient_id: int, today: date) -> BurdenSummary:
    from mmsdesk.services.screening import screen_patient

    with store.session() as s:
        meds = s.execute(select(MedicationEntry).where(
            MedicationEntry.patient_id == patient_id,
            MedicationEntry.status == "active")).scalars().all()
        items = [(m.name(), _entry_doses(m)) for m in meds]
    result = screen_patient(store, patient_id, today)
    return _summary(items, int(result.risk_profile.get("anticholinergic", 0)))


def working_burden(store: Store, draft: VisitDraft, acb: int) -> BurdenSummary:
    """The burden of the visit's working list. A medicine the visit leaves as it is counts
    from its structured directions on the chart; an added or changed one from the directions
    the decision gives it. ``acb``: the ACB total of the working list's screening."""
    from mmsdesk.services.visits.working_list import active_medicines

    working = active_medicines(draft)
    ids = [w.medication_id for w in working if w.medication_id is not None and not w.change]
    with store.session() as s:
        entries = {m.id: m for m in s.execute(select(MedicationEntry).where(
            MedicationEntry.id.in_(ids))).scalars()} if ids else {}  # type: ignore[union-attr]
        items = []
        for w in working:
            entry = entries.get(w.medication_id) if not w.change else None
            if entry is not None:
                items.append((entry.name(), _entry_doses(entry)))
            else:
                frequency = w.item.frequency if w.item is not None else ""
                items.append((w.name, doses_a_day(w.directions, frequency)))
    return _summary(items, acb)
