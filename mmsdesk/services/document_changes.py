"""What a visit changes on the patient's list, as the documents print it: the working list
of a visit in progress (the chart with the reconciliation's decisions applied) and the changes
made since a visit (started, changed, stopped, held, resumed).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from mmsdesk.clinical.sig_read import read as read_sig
from mmsdesk.models import MedicationEntry, MedicationEvent, Prescriber
from mmsdesk.models.medication import decode_changes
from mmsdesk.reports import data as d
from mmsdesk.services.document_data import (
    _directions,
    _prescriber_name,
    _rows,
    _sorted,
    medication_item,
    nfc,
    text_in,
)
from mmsdesk.services.visits.draft import VisitDraft


def working_medications(s: Session, draft: VisitDraft, lang: str = "en") -> tuple[
        tuple[d.MedicationItem, ...], tuple[d.MedicationChange, ...]]:
    """A visit in progress prints its working list (the chart with the reconciliation's
    decisions applied), and the action plan tells each change that list makes."""
    from mmsdesk.services.visits.working_list import ADDED, CHANGED, STOPPED, working_list

    rows = _sorted(_rows(s, MedicationEntry, draft.patient_id), lang)
    entries = {m.id: m for m in rows}
    decisions = {x.key: x for x in draft.collect.discrepancies}
    items: list[d.MedicationItem] = []
    changes: list[d.MedicationChange] = []
    for w in working_list(draft):
        entry = entries.get(w.medication_id) if w.medication_id is not None else None
        base = medication_item(s, entry, lang) if entry is not None else None
        if w.change == ADDED:
            dec = decisions.get(w.discrepancy_key)
            prescriber = _prescriber_name(s.get(Prescriber, dec.prescriber_id)) \
                if dec is not None and dec.prescriber_id else ""
            said = text_in(nfc(w.directions), lang)
            items.append(d.MedicationItem(name=nfc(w.name), directions=said or nfc(w.directions),
                                          indication=nfc(dec.indication if dec else ""),
                                          prescriber=prescriber, started=draft.visit_date,
                                          sig=read_sig(w.directions),
                                          untranslated=() if said is not None else ("directions",)))
            changes.append(d.MedicationChange(nfc(w.name), "started", draft.visit_date,
                                              directions=said or nfc(w.directions)))
            continue
        if base is None:
            continue
        if w.change == STOPPED:  # the reason is the visit's words, in English
            reason = nfc(w.stop_reason)
            items.append(replace(base, status="stopped", stopped=draft.visit_date,
                                 stop_reason=reason, untranslated=base.untranslated + (
                                     ("stop_reason",) if lang != "en" and reason else ())))
            changes.append(d.MedicationChange(base.name, "stopped", draft.visit_date,
                                              reason=nfc(w.stop_reason)))
        elif w.change == CHANGED:
            name = nfc(w.name)
            said = text_in(nfc(w.directions), lang) if w.directions.strip() else None
            directions = said or nfc(w.directions) or base.directions
            what = [(k, old, new) for k, old, new in (
                ("strength", entry.strength if entry else "", _strength(w.components)),
                ("directions", base.directions, directions)) if old != new and new]
            # the new directions are in the patient's language when the sig reader read them
            left = tuple(x for x in base.untranslated if x != "directions")
            if lang != "en" and w.directions.strip() and said is None:
                left += ("directions",)
            elif not w.directions.strip() and "directions" in base.untranslated:
                left += ("directions",)
            items.append(replace(base, name=name, directions=directions, dose="",
                                 times_of_day=(), frequency="", untranslated=left,
                                 sig=read_sig(w.directions) if w.directions.strip() else base.sig))
            changes.append(d.MedicationChange(name, "changed", draft.visit_date, tuple(what),
                                              directions))
        else:
            items.append(base)
    before = tuple(medication_item(s, m, lang) for m in rows if m.status != "active")
    return tuple(items) + before, tuple(changes)


def _strength(components: Any) -> str:
    from mmsdesk.clinical.dictionary.naming import strength_text

    return strength_text(tuple(components))


# What a patient needs to hear about; the chart's bookkeeping (pharmacy, source...) is left out.
_PATIENT_FACING = ("medicine", "strength", "form", "directions")


def medication_changes(s: Session, patient_id: int, since: date, until: date,
                       lang: str = "en") -> tuple[d.MedicationChange, ...]:
    """Each medicine started, changed, stopped, held or resumed from ``since`` to ``until``
    (the visit's day to the day the document is prepared), latest event per medicine."""
    events = s.execute(select(MedicationEvent).where(
        MedicationEvent.patient_id == patient_id, MedicationEvent.event_date >= since,
        MedicationEvent.event_date <= until, MedicationEvent.decided_by != "import")
        .order_by(MedicationEvent.event_date, MedicationEvent.id)).scalars().all()
    by_med: dict[int, tuple[MedicationEvent, list[tuple[str, str, str]]]] = {}
    for e in events:
        items = [c for c in decode_changes(e.changes) if c[0] in _PATIENT_FACING]
        if e.action == "changed" and not items:
            continue
        first, before = by_med.get(e.medication_id, (e, []))
        merged = {what: (old, new) for what, old, new in before}
        for what, old, new in items:
            merged[what] = (merged.get(what, (old, new))[0], new)
        # a medicine started in the window and changed since is still new to the patient
        latest = e if first.action != "started" or e.action in ("stopped", "held") else first
        by_med[e.medication_id] = (latest, [(w, o, n) for w, (o, n) in merged.items() if o != n])
    out = []
    for mid, (e, items) in by_med.items():
        m = s.get(MedicationEntry, mid)
        if m is None:
            continue
        out.append(d.MedicationChange(
            name=nfc(m.name(lang)), action=e.action, on=e.event_date, changes=tuple(items),
            directions=_directions(m, lang), reason=nfc(m.stop_reason if e.action in
                                                         ("stopped", "held") else "")))
    return tuple(out)
