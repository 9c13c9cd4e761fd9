"""Export a completed visit as a Pharmacist eCare Plan (FHIR R4 document Bundle; the window
and the CLI both call this). The store is read here and the export recorded in the audit
trail; interop/fhir_careplan.py only translates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from mmsdesk import paths
from mmsdesk.interop.fhir_careplan import CarePlanRecords, build_careplan
from mmsdesk.interop.fhir_export import bundle_bytes
from mmsdesk.models import Condition, MedicationEntry, Patient
from mmsdesk.models.patient import PatientPrescriber, Prescriber
from mmsdesk.models.practice import PharmacistProfile
from mmsdesk.models.visit import DrugTherapyProblem, Goal, Recommendation, Visit
from mmsdesk.store import Store
from mmsdesk.store.audit import record_event


class CarePlanRefused(ValueError):
    """The visit cannot be exported as a care plan (not found, or not completed)."""


def careplan_bundle(store: Store, visit_id: int, now: datetime | None = None) -> dict[str, Any]:
    """The completed visit's eCare Plan bundle (a JSON-ready dict); writes nothing."""
    with store.session() as s:
        v = s.get(Visit, visit_id)
        if v is None:
            raise CarePlanRefused(f"No visit with id {visit_id}.")
        if v.status != "complete":
            raise CarePlanRefused(f"Visit {visit_id} is not completed: only a completed visit "
                                  "has a care plan to send.")
        p = s.get(Patient, v.patient_id)
        assert p is not None

        def rows(model: Any, *where: Any) -> list[Any]:
            return list(s.execute(select(model).where(*where).order_by(model.id)).scalars())

        recs = rows(Recommendation, Recommendation.visit_id == visit_id)
        meds = rows(MedicationEntry, MedicationEntry.patient_id == p.id,
                    MedicationEntry.status != "stopped")
        linked = set(s.execute(select(PatientPrescriber.prescriber_id)
                               .where(PatientPrescriber.patient_id == p.id)).scalars())
        wanted = linked | {r.prescriber_id for r in recs if r.prescriber_id} \
            | {m.prescriber_id for m in meds if m.prescriber_id}
        records = CarePlanRecords(
            visit=v, patient=p,
            pharmacist=s.execute(select(PharmacistProfile).order_by(PharmacistProfile.id))
            .scalars().first(),
            prescribers=rows(Prescriber, Prescriber.id.in_(wanted)) if wanted else [],
            conditions=rows(Condition, Condition.patient_id == p.id),
            problems=rows(DrugTherapyProblem, DrugTherapyProblem.visit_id == visit_id),
            goals=rows(Goal, Goal.visit_id == visit_id),
            recommendations=recs, medications=meds)
        return build_careplan(records, now)


def export_careplan(store: Store, visit_id: int, path: Path | str) -> int:
    """Write the eCare Plan (recorded in the audit trail); returns the number of resources."""
    bundle = careplan_bundle(store, visit_id)
    with store.session() as s:
        v = s.get(Visit, visit_id)
        patient_id = v.patient_id if v else None
    with paths.staged_write(path, bundle_bytes(bundle)), store.session() as s:
        record_event(s, "export", "visit", entity_id=str(visit_id), patient_id=patient_id,
                     detail="Pharmacist eCare Plan (FHIR R4 document)")
    return len(bundle["entry"])
