"""The visit's working list: the chart's list with every reconciliation decision applied.

From the moment decisions are made this is the patient's list for the rest of the visit:
Assess screens it, Plan and Implement use it, the documents previewed during the visit print
it, and completing the visit makes it the chart's list (services/visits/complete.py applies
exactly the changes listed here). It is rebuilt from the draft whenever it is needed, never
stored, so it cannot drift from the decisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.services.visits.draft import (
    Discrepancy,
    DiscrepancyKind,
    ReconDecision,
    ReconItem,
    ReconSource,
    VisitDraft,
)
from mmsdesk.services.visits.reconciliation import CHART, proposed_item, stop_reason
from mmsdesk.store import Store

ADDED, CHANGED, STOPPED = "added", "changed", "stopped"


@dataclass(frozen=True)
class WorkingMedicine:
    """One medicine of the working list, and what the visit's decisions do to it."""

    name: str
    ingredients: tuple[str, ...]
    components: tuple[Component, ...]
    directions: str
    medication_id: int | None  # the chart's entry; None for a medicine the visit adds
    change: str = ""  # "" | added | changed | stopped
    stop_reason: str = ""  # for the patient: "Stopped by the hospital, 11/28"
    discrepancy_key: str = ""  # the decision that made the change
    item: ReconItem | None = None  # what an addition or a change puts on the list
    source: str = ""  # the list it came from (InfoSource), for an addition

    @property
    def active(self) -> bool:
        return self.change != STOPPED

    @property
    def review_key(self) -> tuple[int | None, str]:
        """What a review of this medicine is filed under (see draft.MedicationReview)."""
        return (self.medication_id, "") if self.medication_id is not None else (
            None, self.discrepancy_key)


def _chart(draft: VisitDraft) -> ReconSource:
    return next((s for s in draft.collect.sources if s.source == CHART),
                ReconSource(CHART, "Chart"))


def _entry(it: ReconItem, **kw: object) -> WorkingMedicine:
    return WorkingMedicine(it.name, tuple(it.ingredients), tuple(it.components),
                           it.directions, it.medication_id, **kw)  # type: ignore[arg-type]


def working_list(draft: VisitDraft) -> list[WorkingMedicine]:
    """The chart's active medicines with the decisions applied, then the medicines added."""
    return apply_decisions(_chart(draft), draft.collect.discrepancies, draft.visit_date)


def apply_decisions(chart: ReconSource, discrepancies: list[Discrepancy],
                    on: date) -> list[WorkingMedicine]:
    by_id: dict[int, WorkingMedicine] = {}
    chart_items: dict[int, ReconItem] = {}
    order: list[WorkingMedicine | int] = []
    for item in chart.items:
        w = _entry(item)
        if item.medication_id is None:
            order.append(w)
        else:
            by_id[item.medication_id] = w
            chart_items[item.medication_id] = item
            order.append(item.medication_id)
    added: list[WorkingMedicine] = []
    for d in discrepancies:
        target = by_id.get(d.medication_id) if d.medication_id is not None else None
        if d.decision == ReconDecision.STOP and target is not None and target.active:
            by_id[d.medication_id] = WorkingMedicine(  # type: ignore[index]
                target.name, target.ingredients, target.components, target.directions,
                target.medication_id, STOPPED, stop_reason(d, on), d.key)
        elif d.decision == ReconDecision.CHANGE and target is not None and target.active:
            item = proposed_item(d)
            if item is None:
                continue
            was = chart_items[d.medication_id]  # type: ignore[index]
            components = was.components
            read = (set(item.ingredients) == set(was.ingredients) and bool(item.components)
                    and all(c.amount is not None for c in item.components))
            if read and (d.new_strength.strip() or d.kind == DiscrepancyKind.DOSE):
                components = item.components  # a strength the pharmacist confirmed
            how = d.new_directions.strip()
            changed = ReconItem(was.text, was.ingredients, how or was.directions,
                                item.frequency if how else was.frequency, was.medication_id,
                                components, was.form, was.brand)
            by_id[d.medication_id] = _entry(  # type: ignore[index]
                changed, change=CHANGED, discrepancy_key=d.key, item=changed)
        elif d.decision == ReconDecision.ADD and d.kind in (DiscrepancyKind.OMISSION,
                                                             DiscrepancyKind.STILL_AT_HOME):
            item = proposed_item(d)
            if item is not None:
                added.append(_entry(item, change=ADDED, discrepancy_key=d.key, item=item,
                                    source=d.source))
    out = [by_id[x] if isinstance(x, int) else x for x in order]
    return out + added


def active_medicines(draft: VisitDraft) -> list[WorkingMedicine]:
    return [w for w in working_list(draft) if w.active]


@dataclass(frozen=True)
class WorkingScreen:
    """Screening of the working list, beside the chart's: what the decisions bring and end."""

    alerts: list[Any]  # the working list's alerts, acknowledged ones left out
    new_keys: frozenset[str]  # alerts the decisions introduce (not on the chart's list)
    resolved: list[Any]  # the chart's alerts that the decisions remove
    acb_total: int = 0  # the working list's anticholinergic (ACB) total


def screen_working_list(store: Store, draft: VisitDraft, today: date) -> WorkingScreen:
    """Assess screens the list the patient will have, not the one she had before the visit."""
    from mmsdesk.services.acknowledgements import AcknowledgementService
    from mmsdesk.services.medications import MedicationService, unrecognised_alerts
    from mmsdesk.services.screening import screen_list, screen_patient

    pid = draft.patient_id
    before = list(screen_patient(store, pid, today).alerts)
    working = active_medicines(draft)
    screened = screen_list(store, pid, today, [(w.name, w.ingredients) for w in working])
    after = list(screened.alerts)
    service = MedicationService(store)
    kept = {w.medication_id for w in working}
    still_unread = {r.text_given.strip().lower() for r in service.list_for_patient(pid)
                    if r.id in kept and r.unrecognised}
    after += [u for u in unrecognised_alerts(service, pid) if u.drugs[0] in still_unread]
    shown, _hidden = AcknowledgementService(store).split(pid, after)
    order = {"high": 0, "moderate": 1, "low": 2}
    shown.sort(key=lambda a: order.get(a.severity, 3))
    before_keys = {a.key for a in before}
    after_keys = {a.key for a in after}
    return WorkingScreen(shown, frozenset(after_keys - before_keys),
                         [a for a in before if a.key not in after_keys],
                         int(screened.risk_profile.get("anticholinergic", 0)))
