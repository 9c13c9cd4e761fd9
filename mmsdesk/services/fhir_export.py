"""Export a patient's record as a FHIR R4 bundle (the window and the CLI both call this).

The store is read here and the export recorded in the audit trail; interop/fhir_export.py only
translates records into FHIR."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from mmsdesk import paths
from mmsdesk.interop.fhir_export import PatientRecords, build_bundle, bundle_bytes
from mmsdesk.models import Allergy, Condition, MedicationEntry, Observation, Patient, PgxResult
from mmsdesk.models.patient import Prescriber
from mmsdesk.store import Store
from mmsdesk.store.audit import record_event


def export_bundle(store: Store, patient_id: int, now: datetime | None = None) -> dict[str, Any]:
    """The patient's record as an R4 Bundle (a JSON-ready dict); writes nothing."""
    with store.session() as s:
        p = s.get(Patient, patient_id)
        if p is None:
            raise LookupError(f"No patient with id {patient_id}.")

        def rows(model: Any) -> list[Any]:
            return list(s.execute(select(model).where(model.patient_id == patient_id)
                                  .order_by(model.id)).scalars())

        meds = rows(MedicationEntry)
        named = {m.prescriber_id for m in meds if m.prescriber_id is not None}
        prescribers = list(s.execute(select(Prescriber).where(Prescriber.id.in_(named))
                                     .order_by(Prescriber.id)).scalars()) if named else []
        records = PatientRecords(p, meds, rows(Allergy), rows(Condition),
                                 rows(Observation), rows(PgxResult), prescribers)
        return build_bundle(records, now)


def export_fhir(store: Store, patient_id: int, path: Path | str) -> int:
    """Write the bundle (recorded in the audit trail); returns the number of resources."""
    bundle = export_bundle(store, patient_id)
    with paths.staged_write(path, bundle_bytes(bundle)), store.session() as s:
        # renamed into place only once this audit row is committed
        record_event(s, "export", "patient", patient_id=patient_id, detail="FHIR R4 bundle")
    return len(bundle["entry"])
