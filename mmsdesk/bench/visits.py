"""The visit wizard's writes on an encrypted store: one autosave, and completing a CMR.

The patient is the demo's Robert Johnson (7 medicines) with a CMR draft as the wizard builds
it: a second list from the bottles (one omission, one commission to stop), a problem per
screening alert with its plan sent by fax, a goal, action items, and a follow-up.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta

from mmsdesk.bench import BenchContext, Figure, median

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
SAVES = 60
COMPLETIONS = 5
PASSPHRASE = "bench passphrase for the visit store"


def _cmr_draft(svc, store, pid):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN202
    from mmsdesk.services.screening import screen_patient
    from mmsdesk.services.visits.draft import (
        ActionItem,
        GoalDraft,
        PlanItem,
        SentRecommendation,
    )
    from mmsdesk.services.visits.reconciliation import find_discrepancies, source_from_lines
    from mmsdesk.services.visits.service import problem_from_alert

    d = svc.start(pid, "cmr", "home", today=TODAY, now=NOW)
    chart = d.collect.sources[0]
    bottles = source_from_lines([i.text for i in chart.items[1:]] + ["aspirin 81 mg daily"],
                                "bottle", "Bottles on the table")
    d.collect.sources.append(bottles)
    d.collect.discrepancies = find_discrepancies(chart, [bottles])
    for x in d.collect.discrepancies:
        x.decision = "add" if x.kind == "omission" else "stop"
        x.details_unknown = True  # an added medicine: why and who to ask
    d.collect.concerns = "Worried about the cost and about falls. " * 20
    d.assess.problems = [problem_from_alert(a) for a in screen_patient(store, pid, TODAY).alerts]
    d.plan.plans = [PlanItem(f"r{i}", p.key, "change_drug", "prescriber", None,
                             "Please consider an alternative. " * 4)
                    for i, p in enumerate(d.assess.problems)]
    d.plan.goals = [GoalDraft("ldl", "LDL below 70 mg/dL", "<", 70.0, TODAY + timedelta(90))]
    d.plan.action_items = [ActionItem("What we talked about " * 3, "What I need to do " * 3)] * 5
    d.implement.sent = [SentRecommendation(p.key, TODAY, "fax") for p in d.plan.plans]
    for r in d.follow_up.reviews:  # problems of the earlier runs' visits
        r.outcome, r.prescriber_response = "unchanged", "no_answer"
    d.follow_up.next_due = TODAY + timedelta(days=30)
    return d


def bench_visits(ctx: BenchContext) -> list[Figure]:
    from mmsdesk.services.demo import load_demo
    from mmsdesk.services.patients import PatientService
    from mmsdesk.services.visits.service import VisitService
    from mmsdesk.store.vault import open_encrypted

    folder = ctx.folder("visits")
    kdf = os.environ.get("MMSDESK_KDF")
    os.environ["MMSDESK_KDF"] = "fast"  # the unlock cost is the security bench's figure
    try:
        unlocked = open_encrypted(folder / "visits.sqlite3", PASSPHRASE)
    finally:
        if kdf is None:
            os.environ.pop("MMSDESK_KDF", None)
        else:
            os.environ["MMSDESK_KDF"] = kdf
    with unlocked.store as store:
        load_demo(store, TODAY)
        pid = next(r.id for r in PatientService(store).list_rows() if r.last_name == "Johnson")
        svc = VisitService(store)
        saves, completes, size = [], [], 0
        for _ in range(COMPLETIONS):
            draft = _cmr_draft(svc, store, pid)
            for i in range(SAVES // COMPLETIONS):
                draft.collect.lifestyle = "Walks the dog every morning. " * i
                t = time.perf_counter()
                svc.save_draft(draft)
                saves.append((time.perf_counter() - t) * 1000)
            size = len(draft.to_json())
            t = time.perf_counter()
            svc.complete(draft, now=NOW + timedelta(minutes=50))
            completes.append((time.perf_counter() - t) * 1000)
    return [Figure("visit_autosave_encrypted_ms", median(saves), "ms", target=20),
            Figure("visit_complete_cmr_encrypted_ms", median(completes), "ms", target=500),
            Figure("visit_draft_json_kb", size / 1024, "KB")]


BENCHMARKS = {"visits": bench_visits}
