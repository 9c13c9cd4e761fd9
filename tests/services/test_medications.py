"""Medication list: add, edit, stop / hold / resume with history, validation at the field."""

from __future__ import annotations

from datetime import date

import pytest

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.sig import Directions
from mmsdesk.models import MedicationEntry
from mmsdesk.services import changes
from mmsdesk.services.medications import MedicationInput, MedicationService
from mmsdesk.services.patients import PatientInput, PatientService
from mmsdesk.services.validation import ValidationError
from tests.conftest import TODAY


@pytest.fixture
def patient(store):
    pid, _ = PatientService(store).create(
        PatientInput("José", "Müller", date(1943, 5, 14)), TODAY)
    return pid


def _fill_none(entry: MedicationEntry) -> None:
    """No dictionary: entries stay unrecognised (the service's own behaviour is under test)."""


def test_add_renders_directions_and_records_history(store, patient):
    svc = MedicationService(store, filler=_fill_none)
    mid, change = svc.add(patient, MedicationInput(
        "Lisinopril 10 MG Oral Tablet", directions=Directions(1, "tablet", "oral", "daily",
                                                              ("morning",)),
        indication="blood pressure", started=date(2024, 1, 2)), TODAY)
    assert change.touches(changes.MEDICATIONS) and patient in change.patient_ids
    row = svc.get(mid)
    assert row.directions == "Take 1 tablet by mouth every morning"
    assert row.status == "active" and row.unrecognised
    assert [(h.action, h.event_date) for h in svc.history(mid)] == [("started", date(2024, 1, 2))]
    again = svc.get_input(mid)
    assert again.directions.times_of_day == ("morning",) and again.directions.dose_amount == 1


def test_validation_messages_per_field(store, patient):
    svc = MedicationService(store, filler=_fill_none)
    with pytest.raises(ValidationError) as exc:
        svc.add(patient, MedicationInput("  ", started=date(2030, 1, 1), kind="pill",
                                         directions=Directions(-1, "tablet")), TODAY)
    assert set(exc.value.errors) == {"text_given", "started", "kind", "dose_amount"}
    assert svc.list_for_patient(patient) == []


def test_stop_hold_resume_keep_history(store, patient):
    svc = MedicationService(store, filler=_fill_none)
    mid, _ = svc.add(patient, MedicationInput("Warfarin 5 mg", directions_text="as told",
                                              started=date(2020, 1, 1)), TODAY)
    with pytest.raises(ValidationError) as exc:
        svc.hold(mid, date(2026, 11, 1), "", TODAY)
    assert "reason" in exc.value.errors
    svc.hold(mid, date(2026, 11, 1), "INR 4.5", TODAY)
    row = svc.get(mid)
    assert (row.status, row.stopped, row.stop_reason) == ("on_hold", date(2026, 11, 1), "INR 4.5")
    svc.resume(mid, date(2026, 11, 5), "INR back to 2.6", TODAY)
    assert svc.get(mid).status == "active" and svc.get(mid).stopped is None
    with pytest.raises(ValidationError):
        svc.resume(mid, date(2026, 11, 6), "", TODAY)  # already active
    with pytest.raises(ValidationError) as exc:
        svc.stop(mid, date(2019, 1, 1), "bleeding", TODAY)
    assert "before" in exc.value.errors["on"]
    svc.stop(mid, date(2026, 11, 20), "bleeding", TODAY)
    hist = svc.history(mid)
    assert [h.action for h in hist] == ["started", "held", "resumed", "stopped"]
    assert hist[-1].reason == "bleeding"


def test_edit_records_what_changed(store, patient):
    svc = MedicationService(store, filler=_fill_none)
    mid, _ = svc.add(patient, MedicationInput("Metformin 500 mg"), TODAY)
    data = svc.get_input(mid)
    data.indication = "diabetes"
    data.directions = Directions(1, "tablet", "oral", "bid", ("morning", "evening"))
    svc.update(mid, data, TODAY)
    row = svc.get(mid)
    assert row.indication == "diabetes"
    assert row.directions == "Take 1 tablet by mouth every morning and evening"
    last = svc.history(mid)[-1]
    assert last.action == "changed" and last.decided_by == "pharmacist"
    assert "why I use it: diabetes" in last.changes  # was empty
    assert any(c.startswith("directions: ") for c in last.changes)


def test_filler_resolves_on_add(store, patient):
    def filler(entry: MedicationEntry) -> None:
        entry.set_components((Component("warfarin"),))
        entry.match = "brand"

    svc = MedicationService(store, filler=filler)
    mid, _ = svc.add(patient, MedicationInput("Coumadin 5 mg"), TODAY)
    row = svc.get(mid)
    assert row.ingredients == ("warfarin",) and not row.unrecognised
