"""A visit run step by step in a child process, for the kill test (test_visit_crash.py).

``python -m tests.services.visit_crash_child STORE PASSPHRASE PATIENT_ID [--free]`` starts a
visit and autosaves it after each step, printing ``<step> <visit_id> <sha256 of the draft
JSON>`` only once the save has returned (committed). Without ``--free`` it then waits for a
line on stdin before the next step, so the parent can kill it between two steps. With
``--free`` it goes on at once and then keeps changing the draft and saving it until killed,
printing ``pending <n> <sha256>`` before each save (so the kill lands anywhere).
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from mmsdesk.services.visits.draft import (
    ActionItem,
    GoalDraft,
    PlanItem,
    ProblemDraft,
    SentRecommendation,
    VisitDraft,
    VitalEntry,
)
from mmsdesk.services.visits.reconciliation import find_discrepancies, source_from_lines

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def collect(d: VisitDraft) -> None:
    d.collect.reason = "Dizzy in the mornings; Ærøskøbing trip next week"
    d.collect.concerns = "Too many pills"
    bottles = source_from_lines(["Toprol 50 mg 1 tab twice daily", "aspirin 81 mg daily",
                                 "lisinopril 10 mg 1 tab every morning"], "bottle", "Bottles")
    d.collect.sources.append(bottles)
    d.collect.discrepancies = find_discrepancies(d.collect.sources[0], [bottles])
    for x in d.collect.discrepancies:
        x.decision = {"omission": "add", "commission": "stop"}.get(x.kind, "ask_prescriber")
        x.details_unknown = True  # an added medicine: indication and prescriber to ask
    d.collect.vitals = [VitalEntry("bp_systolic", 148, "mmHg")]
    d.step = "assess"


def assess(d: VisitDraft) -> None:
    d.assess.problems = [ProblemDraft("p1", "dosage_too_low", "Blood pressure above goal",
                                      cause="dose too low", medications=["lisinopril"],
                                      priority="high")]
    d.step = "plan"


def plan(d: VisitDraft) -> None:
    d.plan.plans = [PlanItem("r1", "p1", "change_dose", "prescriber", None,
                             "Increase lisinopril to 20 mg")]
    d.plan.goals = [GoalDraft("bp_systolic", "below 130", "<", 130.0, TODAY + timedelta(90), "p1")]
    d.plan.action_items = [ActionItem("Blood pressure", "Check it each morning")]
    d.step = "implement"


def implement(d: VisitDraft) -> None:
    d.implement.sent = [SentRecommendation("r1", TODAY, "fax")]
    d.implement.education = "Home BP cuff technique"
    d.step = "follow_up"


def follow_up(d: VisitDraft) -> None:
    d.follow_up.next_due = TODAY + timedelta(days=30)
    d.follow_up.next_reason = "BP after dose change"
    d.ended_at = NOW + timedelta(minutes=41)


STEPS: tuple[Callable[[VisitDraft], None], ...] = (collect, assess, plan, implement, follow_up)


def digest(d: VisitDraft) -> str:
    return hashlib.sha256(d.to_json().encode("utf-8")).hexdigest()


def _save(svc, draft: VisitDraft, n: int, free: bool) -> None:  # noqa: ANN001
    if free:
        print(f"pending {n} {digest(draft)}", flush=True)
    svc.save_draft(draft)
    print(f"{n} {draft.visit_id} {digest(draft)}", flush=True)


def main(argv: list[str]) -> int:
    from mmsdesk.services.visits.service import VisitService
    from mmsdesk.store.vault import open_encrypted

    path, passphrase, patient_id = argv[0], argv[1], int(argv[2])
    free = "--free" in argv
    store = open_encrypted(path, passphrase, create=False).store  # type: ignore[arg-type]
    svc = VisitService(store)
    draft = svc.start(patient_id, "cmr", "home", today=TODAY, now=NOW)
    print(f"0 {draft.visit_id} {digest(draft)}", flush=True)
    n = 0
    for n, step in enumerate(STEPS, start=1):
        if not free:
            sys.stdin.readline()
        step(draft)
        _save(svc, draft, n, free)
    if not free:
        sys.stdin.readline()
        return 0
    while True:  # free: keep typing, one autosave per change, until killed
        n += 1
        draft.collect.concerns = f"Too many pills ({n})"
        _save(svc, draft, n, free)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
