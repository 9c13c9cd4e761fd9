"""Team mode figures: the patient filter and the chart opened over PostgreSQL on localhost,
each beside the same figure over the SQLite file measured in the same run (target: within 2x),
and bringing back one CMR completed on a laptop's file (target: 1 s).

Needs a server: ``MMSDESK_BENCH_DATABASE`` names an empty database the bench may fill
(``postgresql://USER@localhost/DB?sslmode=...``, the password in ``PGPASSWORD``); without it
the group reports nothing. The probes are the patient-list and chart benches' own, in fresh
processes, offscreen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from mmsdesk.bench import BenchContext, Figure

DATABASE_ENV = "MMSDESK_BENCH_DATABASE"


def open_for_probe(where: str) -> Any:
    """The store a probe measures: a data file's path, or a server's address."""
    from mmsdesk.store.server import is_server_url

    if is_server_url(where):
        from mmsdesk.store.server import open_server

        return open_server(where, ask=False)
    from mmsdesk.store import Store

    return Store.open(where)


def _probe(code: str, *args: str) -> dict[str, Any]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _measure(where: str, pid: int) -> tuple[float, float]:
    """(filter keystroke p95, chart open median) in ms over one store."""
    from mmsdesk.bench import chart, patient_list

    keys = sorted(_probe(patient_list.PROBE, where)["times"])
    opens = sorted(_probe(chart.PROBE, where, str(pid))["open"][1:])
    return keys[int(0.95 * (len(keys) - 1))], opens[len(opens) // 2]


def bench_server(ctx: BenchContext) -> list[Figure]:
    address = os.environ.get(DATABASE_ENV)
    if not address:
        print(f"bench server: set {DATABASE_ENV} to an empty PostgreSQL database to measure "
              "team mode", file=sys.stderr)
        return []
    from mmsdesk.bench.chart import fill_chart
    from mmsdesk.bench.patient_list import fill_patients
    from mmsdesk.store import Store
    from mmsdesk.store.server import open_server

    path = ctx.folder("server-compare") / "mmsdesk.sqlite3"
    pids = []
    for store in (Store.open(path), open_server(address, ask=False)):
        with store:
            fill_patients(store)
            pids.append(fill_chart(store))
    file_filter, file_chart = _measure(str(path), pids[0])
    pg_filter, pg_chart = _measure(address, pids[1])
    bring_back = _bring_back_one_cmr(ctx, address, pids[1])
    return [
        Figure("server_patient_filter_keystroke_p95_ms", pg_filter, "ms", target=50),
        Figure("server_patient_filter_ratio_to_sqlite", pg_filter / file_filter, "x",
               target=2.0),
        Figure("server_chart_open_median_ms", pg_chart, "ms", target=150),
        Figure("server_chart_open_ratio_to_sqlite", pg_chart / file_chart, "x", target=2.0),
        Figure("server_bring_back_one_cmr_ms", bring_back, "ms", target=1000),
    ]


def _bring_back_one_cmr(ctx: BenchContext, address: str, pid: int) -> float:
    """The 30-medicine chart taken along to a laptop's file, a CMR completed there, and the
    time to bring it back (one transaction on the server)."""
    import time
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from mmsdesk.bench.visits import NOW, _cmr_draft
    from mmsdesk.models import Patient
    from mmsdesk.services import take_along
    from mmsdesk.services.visits.service import VisitService
    from mmsdesk.store import Store
    from mmsdesk.store.server import open_server

    laptop = Store.open(ctx.folder("take-along") / "mmsdesk.sqlite3")
    with open_server(address, ask=False) as server, laptop:
        (uuid,) = take_along.take_along(server, laptop, [pid],
                                        datetime.now(UTC) + timedelta(days=1), device="bench")
        with laptop.session() as s:
            local = s.execute(select(Patient.id).where(Patient.uuid == uuid)).scalar_one()
        svc = VisitService(laptop)
        draft = _cmr_draft(svc, laptop, local)
        for x in draft.collect.discrepancies:  # this chart's bottles differ in dose too
            if x.kind not in ("omission", "commission"):
                x.decision = "keep"
        svc.complete(draft, now=NOW + timedelta(minutes=50))
        t = time.perf_counter()
        result = take_along.bring_back(server, laptop)
        ms = (time.perf_counter() - t) * 1000
    if not result.ok:
        raise RuntimeError(f"bring back refused: {result.refused or result.differences[:3]}")
    return ms


BENCHMARKS = {"server": bench_server}
