"""Export the Standardized Medication Profile (HL7 SMP): the patient's current list from the
chart, or, from a completed visit, the list with the visit's Medication Action Plan. The store
is read here and the export audited; interop/fhir_smp.py only translates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from mmsdesk import paths
from mmsdesk.interop.fhir_export import bundle_bytes
from mmsdesk.interop.fhir_smp import ActionPlan, SmpRecords, build_smp
from mmsdesk.models import MedicationEntry, Patient
from mmsdesk.models.practice import PharmacistProfile
from mmsdesk.models.visit import Goal, Visit
from mmsdesk.services.document_data import load_draft
from mmsdesk.store import Store
from mmsdesk.store.audit import record_event


def smp_bundle(store: Store, patient_id: int, visit_id: int | None = None,
               today: date | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The SMP bundle; with ``visit_id`` (a completed visit of this patient) the Medication
    Action Plan is added. Writes nothing; LookupError/ValueError name what is wrong."""
    with store.session() as s:
        p = s.get(Patient, patient_id)
        if p is None:
            raise LookupError(f"No patient with id {patient_id}.")
        plan = None
        if visit_id is not None:
            v = s.get(Visit, visit_id)
            if v is None or v.patient_id != patient_id:
                raise LookupError(f"No visit {visit_id} for patient {patient_id}.")
            if v.status != "complete":
                raise ValueError(f"Visit {visit_id} is not completed: its action plan is not "
                                 "final.")
            draft = load_draft(v)
            goals = s.execute(select(Goal).where(Goal.visit_id == visit_id)
                              .order_by(Goal.id)).scalars()
            plan = ActionPlan(v.uuid, v.visit_date,
                              [(a.talked_about, a.to_do)
                               for a in (draft.plan.action_items if draft else [])],
                              [g.target or g.measure for g in goals])
        meds = list(s.execute(select(MedicationEntry).where(
            MedicationEntry.patient_id == patient_id, MedicationEntry.status != "stopped")
            .order_by(MedicationEntry.id)).scalars())
        pharmacist = s.execute(select(PharmacistProfile).order_by(PharmacistProfile.id)
                               ).scalars().first()
        records = SmpRecords(p, pharmacist, meds, today or date.today(), plan)
        return build_smp(records, now)


def export_smp(store: Store, patient_id: int, path: Path | str, visit_id: int | None = None,
               today: date | None = None) -> int:
    """Write the SMP bundle (audited); returns the number of resources."""
    bundle = smp_bundle(store, patient_id, visit_id, today)
    with paths.staged_write(path, bundle_bytes(bundle)), store.session() as s:
        record_event(s, "export", "patient", patient_id=patient_id,
                     detail="Standardized Medication Profile (FHIR)"
                     + (" with the action plan" if visit_id is not None else ""))
    return len(bundle["entry"])
