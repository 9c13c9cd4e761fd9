"""Screening figures: a 25-medication older patient in process, and `mmsdesk screen` end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from mmsdesk.bench import BenchContext, Figure, median, percentile

RUNS = 300
CLI_RUNS = 5
POLYPHARMACY = ("warfarin", "amiodarone", "digoxin", "metoprolol", "furosemide", "lisinopril",
                "spironolactone", "potassium chloride", "atorvastatin", "metformin", "glipizide",
                "omeprazole", "sertraline", "trazodone", "lorazepam", "oxycodone", "gabapentin",
                "oxybutynin", "diphenhydramine", "amlodipine", "levothyroxine", "calcium carbonate",
                "aspirin", "tamsulosin", "donepezil")


def older_patient():  # noqa: ANN201
    from mmsdesk.clinical.screening import MedicationInput, PatientContext

    meds = tuple(MedicationInput(d, (d,)) for d in POLYPHARMACY)
    return PatientContext(meds, age=84, sex="female", weight_kg=58, creatinine=1.6,
                          conditions=("Heart failure", "History of falls", "Dementia"),
                          condition_codes=("I50.9",), allergies=("Sulfa drugs", "PCN"),
                          pgx=(("CYP2C9", "Intermediate metabolizer"),
                               ("CYP2C19", "Poor metabolizer")))


def bench_screen(ctx: BenchContext) -> list[Figure]:
    from mmsdesk.clinical.screening import get_knowledge, screen

    get_knowledge()
    patient = older_patient()
    screen(patient)
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        screen(patient)
        times.append((time.perf_counter() - t) * 1000)
    return [Figure("screening_25_meds_older_p95_ms", round(percentile(times, 95), 2),
                   "ms", 10.0),
            Figure("screening_25_meds_older_median_ms", round(median(times), 2), "ms")]


def _bundle() -> dict:
    entries = [{"resource": {"resourceType": "Patient", "name": [{"family": "Bench"}],
                             "gender": "female", "birthDate": "1942-05-01"}}]
    for text in ("Coumadin 5mg tab", "amiodarone 200 mg tablet", "digoxin 125 mcg",
                 "metoprolol succinate 50 mg", "furosemide 40 mg", "lisinopril 20 mg",
                 "atorvastatin 40 mg", "metformin 500 mg", "sertraline 50 mg",
                 "lorazepam 0.5 mg", "oxybutynin 5 mg", "omeprazole 20 mg"):
        entries.append({"resource": {"resourceType": "MedicationStatement", "status": "active",
                                     "medicationCodeableConcept": {"text": text}}})
    for i in range(300):  # a typical export carries many other resources
        entries.append({"resource": {"resourceType": "Encounter", "id": str(i),
                                     "status": "finished"}})
    entries.append({"resource": {"resourceType": "Observation", "status": "final", "code": {
        "coding": [{"system": "http://loinc.org", "code": "33914-3"}]},
        "valueQuantity": {"value": 38, "unit": "mL/min/{1.73_m2}"}}})
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def bench_screen_cli(ctx: BenchContext) -> list[Figure]:
    path = ctx.folder("screen") / "bundle.json"
    path.write_text(json.dumps(_bundle()), encoding="utf-8")
    env = dict(os.environ)
    times = []
    for _ in range(CLI_RUNS + 1):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mmsdesk", "screen", str(path)], check=True,
                       capture_output=True, env=env)
        times.append((time.perf_counter() - t) * 1000)
    times = times[1:]  # the first run warms the file cache and compiled dictionary
    return [Figure("screen_cli_typical_bundle_median_s",
                   round(median(times) / 1000, 3), "s", 0.6),
            Figure("screen_cli_typical_bundle_max_s",
                   round(max(times) / 1000, 3), "s")]


BENCHMARKS = {"screening": bench_screen, "screen-cli": bench_screen_cli}
