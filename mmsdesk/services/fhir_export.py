"""Export a patient's record as a FHIR R4 bundle (the window and the CLI both call this)."""

from __future__ import annotations

from pathlib import Path

from mmsdesk.interop.fhir_export import write_bundle
from mmsdesk.store import Store


def export_fhir(store: Store, patient_id: int, path: Path | str) -> int:
    """Write the bundle (recorded in the audit trail); returns the number of resources."""
    return write_bundle(store, patient_id, path)
