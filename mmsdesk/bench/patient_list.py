"""Patient-list filter latency per keystroke with 10,000 generated patients."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from mmsdesk.bench import BenchContext, Figure

N_PATIENTS = 10_000

PROBE = r"""
import json, sys, time
from PySide6.QtWidgets import QApplication
from mmsdesk.bench.server import open_for_probe
from mmsdesk.ui.app_events import AppEvents
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.pages.patient_list import PatientListPage
app = QApplication(sys.argv[:1])
store = open_for_probe(sys.argv[1])  # a data file, or a server's address (bench/server.py)
page = PatientListPage(AppContext(store, AppEvents()))
page.resize(1280, 700); page.show(); app.processEvents()
times = []
for word in ("mull", "garc", "1944", "nguy", "ol"):
    for n in range(1, len(word) + 1):
        t = time.perf_counter()
        page.search.setText(word[:n])
        page.table.viewport().repaint()
        app.processEvents()
        times.append((time.perf_counter() - t) * 1000)
    page.search.clear(); app.processEvents()
print(json.dumps({"times": times, "rows": page.model.total_count()}))
"""

FIRST = ["José", "Maria", "Robert", "Linda", "An", "Ольга", "Ahmed", "Grace", "Hiroshi", "Fatima",
         "William", "Dolores", "Chen", "Ingrid", "Samuel", "Aisha", "Pedro", "Margaret"]
LAST = ["Müller", "García", "Nguyễn", "Иванова", "Smith", "Johnson", "O'Brien", "Kowalski",
        "Okonkwo", "Sørensen", "Rahman", "Washington", "Hernández", "Patel", "山田", "Lee"]


def generated_store(folder: Path, n: int = N_PATIENTS) -> Path:
    """A real store (migrations and all) holding ``n`` generated patients."""
    from mmsdesk.store import Store

    path = folder / "mmsdesk.sqlite3"
    if path.exists():
        return path
    with Store.open(path) as store:
        fill_patients(store, n)
    return path


def fill_patients(store: Any, n: int = N_PATIENTS) -> None:
    """``n`` generated patients into an open store (a file's or a server's)."""
    import random
    from datetime import date, timedelta

    from sqlalchemy import insert

    from mmsdesk.models import Patient
    from mmsdesk.models.base import new_uuid, utcnow

    rnd = random.Random(42)
    now = utcnow()
    rows = [{
        "uuid": new_uuid(), "first_name": rnd.choice(FIRST), "last_name": rnd.choice(LAST) + (
            "" if i % 3 else f"-{rnd.choice(LAST)}"),
        "middle_name": "", "preferred_name": "", "date_of_birth": date(1925, 1, 1) + timedelta(
            days=rnd.randrange(0, 365 * 75)),
        "sex": "unknown", "preferred_language": "en", "phone": f"(555) {rnd.randrange(200, 999)}-"
        f"{rnd.randrange(1000, 9999)}", "email": "", "address_line1": "", "address_line2": "",
        "city": "", "state": "", "postal_code": "", "country": "US", "payer_type": "self_pay",
        "plan_name": "", "member_id": "", "payer_other": "", "notes": "",
        "created_at": now, "updated_at": now,
    } for i in range(n)]
    with store.session() as s:
        s.execute(insert(Patient), rows)


def bench_patient_filter(ctx: BenchContext) -> list[Figure]:
    path = generated_store(ctx.folder("patients10k"))
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = subprocess.run([sys.executable, "-c", PROBE, str(path)], env=env, check=True,
                         capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    times = sorted(result["times"])
    p95 = times[int(0.95 * (len(times) - 1))]
    return [
        Figure("patient_filter_keystroke_max_ms", times[-1], "ms", target=50),
        Figure("patient_filter_keystroke_p95_ms", p95, "ms", target=50),
    ]


BENCHMARKS = {"patient_filter": bench_patient_filter}
