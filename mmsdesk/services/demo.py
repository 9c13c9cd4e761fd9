"""Demo practice: 12 fictional patients from ``resources/demo/demo_patients.json``."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from mmsdesk import paths
from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.models import (
    Allergy,
    Caregiver,
    Condition,
    MedicationEntry,
    Observation,
    Patient,
    PatientPharmacy,
    PatientPrescriber,
    PgxResult,
    Pharmacy,
    Prescriber,
)
from mmsdesk.models.measures import measure
from mmsdesk.store import Store

LAB_INTERVAL_DAYS = 91


class DemoRefused(Exception):
    """The store already holds patients: demo data is never mixed in without asking."""


def demo_source() -> dict[str, Any]:
    with open(paths.resources_dir() / "demo" / "demo_patients.json", encoding="utf-8") as f:
        return json.load(f)  # type: ignore[no-any-return]


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


MedicationFiller = Callable[[MedicationEntry], None]


def _default_filler() -> MedicationFiller | None:
    """Fill ingredients and product from the drug dictionary when it is available."""
    try:
        from mmsdesk.services.drugs import fill_medication_entry
    except ImportError:
        return None
    return fill_medication_entry


def load_demo(
    store: Store,
    today: date | None = None,
    *,
    allow_existing: bool = False,
    filler: MedicationFiller | None = None,
    unfinished_visit: bool = False,
) -> list[int]:
    """Load the demo practice; returns the new patient ids. One transaction.

    The patients come with a visit history (services/demo_visits.py). ``unfinished_visit``
    adds a visit started today and not finished, which the window offers to resume when the
    store opens: the demo practice has one; tests and tools that drive a window do not.
    """
    today = today or date.today()
    filler = filler or _default_filler()
    src = demo_source()
    with store.session() as s:
        existing = s.execute(select(func.count()).select_from(Patient)).scalar_one()
        if existing and not allow_existing:
            raise DemoRefused(
                f"This store already holds {existing} patients; demo patients are not mixed "
                "into it unless you ask (--into-existing), or use a separate demo data folder."
            )
        prescribers: dict[str, Prescriber] = {}
        for row in src["prescribers"]:
            row = dict(row)
            key = row.pop("key")
            prescribers[key] = Prescriber(**row)
            s.add(prescribers[key])
        pharmacies: dict[str, Pharmacy] = {}
        for row in src["pharmacies"]:
            row = dict(row)
            key = row.pop("key")
            pharmacies[key] = Pharmacy(**row)
            s.add(pharmacies[key])
        s.flush()
        ids: list[int] = []
        visits: dict[str, tuple[int, str]] = {}
        for spec in src["patients"]:
            ids.append(_add_patient(s, spec, prescribers, pharmacies, today, filler))
            visits[spec["last_name"]] = (ids[-1], spec.get("payer_type", "self_pay"))
        from mmsdesk.services.demo_visits import add_visit_history

        add_visit_history(s, visits, today, unfinished_visit=unfinished_visit)
    return ids


def _add_patient(s: Any, spec: dict[str, Any], prescribers: dict[str, Prescriber],
                 pharmacies: dict[str, Pharmacy], today: date,
                 filler: MedicationFiller | None) -> int:
    simple = {k: v for k, v in spec.items() if isinstance(v, str) and k not in {"date_of_birth", "mtm_enrolled_on"}}
    p = Patient(**simple, date_of_birth=_d(spec["date_of_birth"]),
                mtm_enrolled_on=_d(spec.get("mtm_enrolled_on")))
    s.add(p)
    s.flush()
    pid = p.id
    for cg in spec.get("caregivers", []):
        s.add(Caregiver(patient_id=pid, **cg))
    for key, role, primary in spec.get("prescribers", []):
        s.add(PatientPrescriber(patient_id=pid, prescriber_id=prescribers[key].id, role=role,
                                is_primary_care=primary))
    for key, primary in spec.get("pharmacies", []):
        s.add(PatientPharmacy(patient_id=pid, pharmacy_id=pharmacies[key].id, is_primary=primary))
    for a in spec.get("allergies", []):
        s.add(Allergy(patient_id=pid, recorded_date=today - timedelta(days=700), **a))
    for name, icd in spec.get("conditions", []):
        s.add(Condition(patient_id=pid, name=name, icd10_code=icd,
                        onset_date=today - timedelta(days=1500)))
    for key, series in spec.get("labs", {}).items():
        m = measure(key)
        n = len(series)
        for i, value in enumerate(series):
            s.add(Observation(patient_id=pid, measure=key, loinc=m.loinc, value=value, unit=m.unit,
                              taken_on=today - timedelta(days=LAB_INTERVAL_DAYS * (n - 1 - i) + 7),
                              source="demo"))
    for g in spec.get("pgx", []):
        s.add(PgxResult(patient_id=pid, test_date=today - timedelta(days=400), **g))
    for row in spec.get("medications", []):
        s.add(_medication(pid, row, prescribers, pharmacies, filler))
    for row in spec.get("stopped", []):
        entry = _medication(pid, row[:7], prescribers, pharmacies, filler)
        entry.status, entry.stopped, entry.stop_reason = "stopped", _d(row[7]), row[8]
        s.add(entry)
    return pid  # type: ignore[no-any-return]


def _medication(pid: int, row: list[Any], prescribers: dict[str, Prescriber],
                pharmacies: dict[str, Pharmacy], filler: MedicationFiller | None) -> MedicationEntry:
    text, directions, indication, presc, pharm, kind, started = row[:7]
    as_needed = bool(row[7]) if len(row) > 7 else False
    entry = MedicationEntry(
        patient_id=pid, text_given=text, directions=directions,
        indication=indication, kind=kind, started=_d(started), as_needed=as_needed,
        prescriber_id=prescribers[presc].id if presc else None,
        pharmacy_id=pharmacies[pharm].id if pharm else None,
        source="bottle" if kind == "prescription" else "patient",
        part_d=kind == "prescription",
    )
    if filler is not None:
        filler(entry)
    if not entry.components:
        entry.set_components((Component(text),))
    return entry
