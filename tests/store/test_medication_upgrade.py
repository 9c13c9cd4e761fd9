"""Upgrading a store of schema 0003 (loose strings per medicine) to components.

The fixture is the demo practice as the released 0003 wrote it. Every medicine comes out with
components, its amounts filled from what was stored or flagged for the pharmacist to confirm;
nothing is lost: same rows, same text as given, same directions, same history.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlmodel import select

from mmsdesk.models import MedicationEntry, MedicationEvent
from mmsdesk.store import Store

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "stores" / \
    "schema_0003_medication_event.sqlite3"


def _old_rows(path: Path) -> dict[int, tuple]:
    con = sqlite3.connect(path)
    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT id, text_given, directions, indication, status, strength, ingredients "
        "FROM medication_entry")}
    con.close()
    return rows


def _prepare(tmp_path: Path) -> Path:
    """The fixture, plus what real 0003 stores also hold: a strength changed by a visit (with
    its history event), a strength set by hand that disagrees with the text and was never
    recorded as a change, and a medicine the dictionary could not read."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(FIXTURE, path)
    con = sqlite3.connect(path)
    apixaban = con.execute("SELECT id, patient_id FROM medication_entry "
                           "WHERE text_given LIKE 'Apixaban 5 MG%'").fetchone()
    con.execute("UPDATE medication_entry SET strength = '2.5 mg' WHERE id = ?", (apixaban[0],))
    con.execute("INSERT INTO medication_event (uuid, patient_id, medication_id, action, "
                "event_date, reason, created_at) VALUES ('e-1', ?, ?, 'changed', '2026-11-20', "
                "'Reconciliation: changed strength 5 mg to 2.5 mg', '2026-11-20 10:00:00')",
                (apixaban[1], apixaban[0]))
    citalopram = con.execute("SELECT id FROM medication_entry "
                             "WHERE text_given LIKE 'Citalopram 20 MG%'").fetchone()[0]
    con.execute("UPDATE medication_entry SET strength = '40 mg' WHERE id = ?", (citalopram,))
    con.execute("INSERT INTO medication_entry (uuid, patient_id, text_given, display_name, "
                "ingredients, rxnorm_code, product, brand, strength, dose_form, route, match, "
                "directions, dose_unit, frequency, times_of_day, as_needed, as_needed_reason, "
                "indication, kind, status, stop_reason, source, part_d, notes, created_at, "
                "updated_at) VALUES ('m-x', ?, 'Grandma''s tonic 2 spoons', 'Grandma''s tonic', "
                "'', '', '', '', '', '', '', 'unrecognised', 'a spoon at night', '', '', '', 0, '',"
                " 'for sleep', 'herbal', 'active', '', 'patient', 0, '', '2024-01-01 00:00:00', "
                "'2024-01-01 00:00:00')", (apixaban[1],))
    con.commit()
    con.close()
    return path


def test_every_medicine_gets_components_filled_or_flagged_and_nothing_is_lost(tmp_path):
    path = _prepare(tmp_path)
    before = _old_rows(path)
    assert len(before) == 116
    with Store.open(path) as store, store.session() as s:
        meds = {m.id: m for m in s.exec(select(MedicationEntry)).all()}
        events = s.exec(select(MedicationEvent)).all()
    assert set(meds) == set(before)
    assert len(events) == 1 and events[0].changes == "" and events[0].decided_by == "pharmacist"
    flagged = []
    for mid, (text, directions, indication, status, strength, ingredients) in before.items():
        m = meds[mid]
        assert (m.text_given, m.directions, m.indication, m.status) == (
            text, directions, indication, status)
        assert m.components, text
        if m.recognised:
            assert m.ingredient_list == ingredients.split(";") or \
                sorted(m.ingredient_list) == sorted(ingredients.split(";")), text
            complete = all(c.amount is not None for c in m.components)
            nothing_written = not strength and not any(ch.isdigit() for ch in text)
            assert complete or m.strength_to_confirm or nothing_written, text
        if m.strength_to_confirm:
            flagged.append(text)
    by_text = {m.text_given: m for m in meds.values()}

    # a strength changed at a visit (recorded in the history) is the one kept
    apixaban = next(m for t, m in by_text.items() if t.startswith("Apixaban 5 MG"))
    assert apixaban.name() == "Apixaban 2.5 mg tablet (Eliquis)" and not apixaban.strength_to_confirm
    # a stored strength that disagrees with the text, with no change recorded: the text as
    # written wins, and the pharmacist is asked to confirm
    citalopram = next(m for t, m in by_text.items() if t.startswith("Citalopram 20 MG"))
    assert citalopram.strength == "20 mg" and citalopram.strength_to_confirm
    # combinations keep each ingredient's own amount, in the order the product is sold
    sinemet = next(m for t, m in by_text.items() if "[Sinemet]" in t)
    assert [(c.ingredient, c.amount, c.unit) for c in sinemet.components] == [
        ("carbidopa", 25, "mg"), ("levodopa", 100, "mg")]
    norco = next(m for t, m in by_text.items() if t.startswith("Hydrocodone Bitartrate 5 MG"))
    assert [(c.ingredient, c.amount) for c in norco.components] == [
        ("hydrocodone", 5), ("acetaminophen", 325)]
    # release and form are split; the name carries both
    toprol = next(m for t, m in by_text.items() if t.startswith("Metoprolol succinate 50 MG"))
    assert (toprol.dose_form, toprol.release) == ("oral tablet", "extended")
    assert toprol.name() == "Metoprolol 50 mg extended-release tablet (Toprol XL)"
    # an unrecognised medicine keeps its name as the pharmacist saw it
    tonic = by_text["Grandma's tonic 2 spoons"]
    assert not tonic.recognised and tonic.name() == "Grandma's tonic"
    # every demo medicine with a written strength reads; only the disagreeing one is flagged
    assert flagged == ["Citalopram 20 MG Oral Tablet [Celexa]"]
