"""Patient documents for a 25-medicine patient: PML + MAP together, and the CMS summary."""

from __future__ import annotations

import time
from datetime import date

from mmsdesk.bench import BenchContext, Figure, median

TODAY = date(2026, 11, 24)
RUNS = 7
MEDICINES = 25


def bench_documents(ctx: BenchContext) -> list[Figure]:
    from sqlalchemy import func, select

    from mmsdesk.models import MedicationEntry
    from mmsdesk.services.demo import load_demo
    from mmsdesk.services.document_samples import (
        add_many_medications,
        add_sample_visit,
        ensure_profile,
    )
    from mmsdesk.services.documents import render_document
    from mmsdesk.store import Store

    folder = ctx.folder("documents")
    path = folder / "documents.sqlite3"
    if path.exists():
        path.unlink()
    with Store.open(path) as store:
        pid = load_demo(store, TODAY)[0]
        with store.session() as s:
            have = s.execute(select(func.count()).select_from(MedicationEntry)
                             .where(MedicationEntry.patient_id == pid)).scalar_one()
        add_many_medications(store, pid, MEDICINES - have, TODAY)
        ensure_profile(store)
        visit = add_sample_visit(store, pid, TODAY)

        def pml_map() -> None:
            render_document(store, "pml", pid, visit_id=visit, today=TODAY)
            render_document(store, "map", pid, visit_id=visit, today=TODAY)

        def cms() -> None:
            render_document(store, "cms-summary", pid, visit_id=visit, today=TODAY)

        t = time.perf_counter()
        pml_map()
        first = (time.perf_counter() - t) * 1000
        figures = []
        for fn in (pml_map, cms):
            times = []
            for _ in range(RUNS):
                t = time.perf_counter()
                fn()
                times.append((time.perf_counter() - t) * 1000)
            figures.append(median(times))
    return [
        Figure("report_pml_map_25_meds_ms", figures[0], "ms", target=300),
        Figure("report_cms_summary_25_meds_ms", figures[1], "ms", target=300),
        Figure("report_pml_map_first_in_process_ms", first, "ms"),
    ]


BENCHMARKS = {"report_documents": bench_documents}
