"""services.drugs: medication entries filled from the dictionary, in a real migrated store."""

from __future__ import annotations

from sqlalchemy import select

from mmsdesk.models import MedicationEntry
from mmsdesk.services.drugs import fill_medication_entry
from tests.conftest import med_entry


def test_demo_load_fills_every_medication_from_the_dictionary(demo_store):
    with demo_store.session() as s:
        entries = s.execute(select(MedicationEntry)).scalars().all()
        assert len(entries) >= 100
        assert all(e.match == "exact" and e.ingredient_list for e in entries)
        warfarin = next(e for e in entries if e.text_given.startswith("Warfarin Sodium 5 MG"))
        assert (warfarin.ingredient_list, warfarin.brand, warfarin.strength, warfarin.dose_form,
                warfarin.route) == (["warfarin"], "Coumadin", "5 mg", "oral tablet", "oral")
        assert warfarin.name() == "Warfarin 5 mg tablet (Coumadin)"
        bactrim = next(e for e in entries if "[Bactrim DS]" in e.text_given)
        assert bactrim.ingredient_list == ["sulfamethoxazole", "trimethoprim"]


def test_fill_marks_unrecognised_and_keeps_the_text():
    entry = MedicationEntry(patient_id=1, text_given="the little white one")
    fill_medication_entry(entry)
    assert entry.match == "unrecognised" and entry.ingredient_list == []
    assert entry.text_given == "the little white one"
    assert entry.name() == "the little white one"


def test_fill_uses_the_rxnorm_code_when_the_text_is_unclear():
    entry = MedicationEntry(patient_id=1, text_given="Simvistatin 10 MG", rxnorm_code="316672")
    fill_medication_entry(entry)
    assert entry.match == "code" and entry.ingredient_list == ["simvastatin"]
    assert entry.rxnorm_code == "316672"


def test_manual_match_is_never_overwritten():
    entry = med_entry(1, "Coumadin", "warfarin", match="manual", brand="my label")
    fill_medication_entry(entry)
    assert entry.match == "manual" and entry.brand == "my label"


def test_approximate_match_is_recorded_as_such():
    entry = MedicationEntry(patient_id=1, text_given="Lisinipril 10mg")
    fill_medication_entry(entry)
    assert entry.match == "approximate" and entry.ingredient_list == ["lisinopril"]
