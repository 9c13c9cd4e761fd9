"""Chart figures: opening a large chart, live-alert refresh after an edit, drug type-ahead.

A generated patient holds 30 medications and 200 observations (plus allergies, conditions and
PGx results). Each figure is measured in a fresh process over a real store, offscreen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from mmsdesk.bench import BenchContext, Figure

N_MEDICATIONS = 30
N_OBSERVATIONS = 200
MEDICINES = [
    "Warfarin 5 MG Oral Tablet", "Ibuprofen 200 MG Oral Tablet", "Lisinopril 10 MG Oral Tablet",
    "Metformin 500 MG Oral Tablet", "Atorvastatin 40 MG Oral Tablet", "Amlodipine 5 MG Oral Tablet",
    "Metoprolol succinate 50 MG Extended Release Oral Tablet", "Furosemide 40 MG Oral Tablet",
    "Omeprazole 20 MG Delayed Release Oral Capsule", "Sertraline 50 MG Oral Tablet",
    "Levothyroxine 0.05 MG Oral Tablet", "Gabapentin 300 MG Oral Capsule",
    "Digoxin 0.125 MG Oral Tablet", "Amiodarone 200 MG Oral Tablet", "Spironolactone 25 MG Oral Tablet",
    "Diphenhydramine 25 MG Oral Capsule", "Tramadol 50 MG Oral Tablet", "Clopidogrel 75 MG Oral Tablet",
    "Donepezil 10 MG Oral Tablet", "Oxybutynin 5 MG Oral Tablet", "Hydrochlorothiazide 25 MG Oral Tablet",
    "Glipizide 5 MG Oral Tablet", "Allopurinol 100 MG Oral Tablet", "Prednisone 5 MG Oral Tablet",
    "Alprazolam 0.5 MG Oral Tablet", "Citalopram 20 MG Oral Tablet", "Tamsulosin 0.4 MG Oral Capsule",
    "Acetaminophen 500 MG Oral Tablet", "Fish oil 1000 MG Oral Capsule", "Vitamin D3 1000 UNT Oral Tablet",
]

PROBE = r"""
import json, sys, time
from datetime import date
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from mmsdesk.bench.server import open_for_probe
from mmsdesk.ui.app_events import AppEvents
from mmsdesk.ui.context import AppContext
app = QApplication(sys.argv[:1])
store = open_for_probe(sys.argv[1])  # a data file, or a server's address (bench/server.py)
pid = int(sys.argv[2])
today = date(2026, 11, 24)
ctx = AppContext(store, AppEvents(), today=lambda: today)
from mmsdesk.ui.chart.chart_page import ChartPage
out = {"open": [], "alerts": [], "keys": []}
for i in range(7):
    t = time.perf_counter()
    chart = ChartPage(ctx, pid)
    chart.resize(1366, 700); chart.show(); chart.show_page("Medications"); app.processEvents()
    out["open"].append((time.perf_counter() - t) * 1000)
    if i < 6:
        chart.close(); chart.deleteLater()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete); app.processEvents()
from mmsdesk.services.medications import MedicationService
svc = MedicationService(store)
panel = getattr(chart, "alerts_panel", None)
meds = svc.list_for_patient(pid)
target = next(m for m in meds if m.name.startswith("Ibuprofen"))
out["edits"] = []
for i in range(10):
    t = time.perf_counter()
    change = (svc.hold if i % 2 == 0 else svc.resume)(target.id, today, "bench", today)
    t1 = time.perf_counter()
    ctx.events.publish(change)
    app.processEvents()
    out["edits"].append((t1 - t) * 1000)
    out["alerts"].append((time.perf_counter() - t1) * 1000)
out["panel_ms"] = panel.last_refresh_ms
from mmsdesk.services.care_team import CareTeamService
from mmsdesk.ui.dialogs.medication_dialog import MedicationDialog
dlg = MedicationDialog(svc, CareTeamService(store), pid, None, today)
dlg.show(); app.processEvents()
for word in ("warfarin", "metoprolol", "hydrochlorothiazide", "coumadin", "simvistatin"):
    for n in range(1, len(word) + 1):
        t = time.perf_counter()
        dlg.medicine.setText(word[:n]); dlg._on_medicine_text_edited(word[:n])
        dlg.suggestions.viewport().repaint(); app.processEvents()
        out["keys"].append((time.perf_counter() - t) * 1000)
out["hits"] = dlg.suggestions.count()
dlg.deleteLater(); app.processEvents()
print(json.dumps(out))
"""


def generated_chart_store(folder: Path) -> tuple[Path, int]:
    """A real store with one patient holding 30 medications and 200 observations."""
    from mmsdesk.store import Store

    path = folder / "mmsdesk.sqlite3"
    with Store.open(path) as store:
        pid = fill_chart(store)
    return path, pid


def fill_chart(store: Any) -> int:
    """One patient with 30 medications and 200 observations into an open store."""
    from datetime import date, timedelta

    from mmsdesk.clinical.sig import Directions
    from mmsdesk.models import Allergy, Condition, PgxResult
    from mmsdesk.models.measures import MEASURES_BY_KEY
    from mmsdesk.services.medications import MedicationInput, MedicationService
    from mmsdesk.services.patients import PatientInput, PatientService
    from mmsdesk.services.record import ObservationInput, RecordService

    today = date(2026, 11, 24)
    pid, _ = PatientService(store).create(PatientInput("José", "Müller", date(1943, 5, 14)),
                                          today)
    meds = MedicationService(store)
    for i, text in enumerate(MEDICINES[:N_MEDICATIONS]):
        meds.add(pid, MedicationInput(text, directions=Directions(
            1, "tablet", "oral", "daily", ("morning",)), indication="bench",
            started=today - timedelta(days=30 * i)), today)
    record = RecordService(store)
    keys = ("a1c", "bp_systolic", "bp_diastolic", "ldl", "egfr", "inr", "weight", "potassium")
    base = {"a1c": 7.2, "bp_systolic": 138, "bp_diastolic": 82, "ldl": 110, "egfr": 48,
            "inr": 2.5, "weight": 80, "potassium": 4.4}
    for i in range(N_OBSERVATIONS):
        key = keys[i % len(keys)]
        m = MEASURES_BY_KEY[key]
        record.add(pid, ObservationInput(key, base[key] * (1 + 0.02 * ((i * 7) % 5 - 2)),
                                         m.unit, today - timedelta(days=7 * (i // len(keys)))),
                   today)
    with store.session() as s:
        s.add(Allergy(patient_id=pid, substance="Penicillin", reaction="hives"))
        s.add(Condition(patient_id=pid, name="Atrial fibrillation", icd10_code="I48.91"))
        s.add(Condition(patient_id=pid, name="Chronic kidney disease, stage 3b",
                        icd10_code="N18.32"))
        s.add(PgxResult(patient_id=pid, gene="CYP2C19", diplotype="*2/*2",
                        phenotype="Poor Metabolizer"))
    return pid


def bench_chart(ctx: BenchContext) -> list[Figure]:
    path, pid = generated_chart_store(ctx.folder("chart"))
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = subprocess.run([sys.executable, "-c", PROBE, str(path), str(pid)], env=env,
                         check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    opens = sorted(result["open"][1:])  # the first open also imports the chart's modules
    alerts = sorted(result["alerts"])  # publish -> every screen refreshed, the panel included
    keys = sorted(result["keys"])
    figures = [
        Figure("chart_open_30_meds_200_obs_median_ms", opens[len(opens) // 2], "ms", target=150),
        Figure("chart_open_30_meds_200_obs_max_ms", opens[-1], "ms", target=150),
        Figure("chart_first_open_with_imports_ms", result["open"][0], "ms"),
        Figure("alert_refresh_after_edit_max_ms", alerts[-1], "ms", target=100),
        Figure("alert_refresh_after_edit_median_ms", alerts[len(alerts) // 2], "ms", target=100),
        Figure("medication_edit_commit_median_ms", sorted(result["edits"])[5], "ms"),
        Figure("drug_typeahead_keystroke_max_ms", keys[-1], "ms", target=50),
        Figure("drug_typeahead_keystroke_p95_ms", keys[int(0.95 * (len(keys) - 1))], "ms",
               target=50),
    ]
    return figures


BENCHMARKS = {"chart": bench_chart}
