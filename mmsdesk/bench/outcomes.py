"""Dashboard load (5,000 patients, 50,000 visits) and the one-year outcomes report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date, timedelta

from mmsdesk.bench import BenchContext, Figure, median
from mmsdesk.bench.practice import PracticeSize, generated_practice_store

SIZE = PracticeSize(patients=5_000, visits=50_000, problems=30_000)
TODAY = date(2026, 11, 24)
RUNS = 5

PROBE = r"""
import json, sys, time
from datetime import date
from PySide6.QtWidgets import QApplication
from mmsdesk.store import Store
from mmsdesk.ui.app_events import AppEvents
from mmsdesk.ui.context import AppContext
from mmsdesk.ui.pages.dashboard import DashboardPage
app = QApplication(sys.argv[:1])
store = Store.open(sys.argv[1])
ctx = AppContext(store, AppEvents(), today=lambda: date.fromisoformat(sys.argv[2]))
t = time.perf_counter()
page = DashboardPage(ctx)
page.resize(1280, 700); page.show(); app.processEvents()
first = (time.perf_counter() - t) * 1000
times = []
for _ in range(int(sys.argv[3])):
    t = time.perf_counter()
    page.refresh(); page.repaint(); app.processEvents()
    times.append((time.perf_counter() - t) * 1000)
print(json.dumps({"first": first, "times": times, "rows": page.follow_ups.rowCount()}))
"""


def bench_dashboard(ctx: BenchContext) -> list[Figure]:
    path = generated_practice_store(ctx.folder("practice5k"), SIZE, TODAY)
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = subprocess.run([sys.executable, "-c", PROBE, str(path), TODAY.isoformat(), str(RUNS)],
                         env=env, check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return [
        Figure("dashboard_first_load_ms", result["first"], "ms", target=300),
        Figure("dashboard_refresh_median_ms", median(result["times"]), "ms", target=300),
    ]


def bench_outcomes(ctx: BenchContext) -> list[Figure]:
    from mmsdesk.reports.outcomes import build_pdf
    from mmsdesk.services.outcomes import OutcomesService
    from mmsdesk.store import Store

    path = generated_practice_store(ctx.folder("practice5k"), SIZE, TODAY)
    start = TODAY - timedelta(days=364)
    with Store.open(path) as store:
        service = OutcomesService(store)
        service.report(start, TODAY)  # warm the file cache
        figures, pdfs = [], []
        for _ in range(RUNS):
            t = time.perf_counter()
            data = service.report(start, TODAY)
            figures.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            build_pdf(data)
            pdfs.append((time.perf_counter() - t) * 1000)
    return [
        Figure("outcomes_report_one_year_ms", median(figures), "ms", target=1000),
        Figure("outcomes_report_one_year_with_pdf_ms",
               median([a + b for a, b in zip(figures, pdfs, strict=True)]), "ms", target=1000),
    ]


BENCHMARKS = {"dashboard_load": bench_dashboard, "outcomes_report": bench_outcomes}
