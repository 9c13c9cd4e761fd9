"""Reads behind the visit service that the wizard and the dashboard show: a patient's open
goals with their latest values, one recommendation with its prescriber."""

from __future__ import annotations

from sqlalchemy import select

from mmsdesk.models import Recommendation
from mmsdesk.services.visits.rows import OpenGoal, RecommendationRow
from mmsdesk.store import Store


def open_goals(store: Store, patient_id: int) -> list[OpenGoal]:
    """The patient's open goals, soonest due first, each with its measure's latest value."""
    from mmsdesk.models import Goal, Observation
    from mmsdesk.models.enums import GoalStatus

    with store.session() as s:
        goals = s.execute(select(Goal).where(
            Goal.patient_id == patient_id, Goal.status == GoalStatus.OPEN.value)
            .order_by(Goal.due_on, Goal.id)).scalars().all()
        out = []
        for g in goals:
            obs = s.execute(select(Observation).where(
                Observation.patient_id == patient_id, Observation.measure == g.measure)
                .order_by(Observation.taken_on.desc(), Observation.id.desc())  # type: ignore[attr-defined]
                .limit(1)).scalars().first()
            out.append(OpenGoal(g.id, g.measure, g.target, g.comparator,  # type: ignore[arg-type]
                                g.target_value, g.due_on,
                                obs.value if obs else None, obs.unit if obs else "",
                                obs.taken_on if obs else None, g.version))
        return out

def recommendation(store: Store, recommendation_id: int) -> RecommendationRow:
    """One recommendation as shown to the pharmacist (with the prescriber's name)."""
    from mmsdesk.models import Prescriber

    with store.session() as s:
        r = s.get(Recommendation, recommendation_id)
        if r is None:
            raise LookupError(f"No recommendation with id {recommendation_id}.")
        pr = s.get(Prescriber, r.prescriber_id) if r.prescriber_id else None
        return RecommendationRow(r.id, r.intervention, r.text, r.recipient,  # type: ignore[arg-type]
                                 r.prescriber_id, pr.display_name if pr else "", r.sent_on,
                                 r.sent_method, r.response, r.response_on, r.response_note,
                                 r.visit_id, r.version)
