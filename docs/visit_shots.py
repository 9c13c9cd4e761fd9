"""Screenshots of the visit wizard (issue 8): one per step, over a filled demo CMR for José
Müller, plus the start and resume dialogs. Used by docs/screenshots.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

SIZE = (1366, 768)


def _today(window) -> date:  # type: ignore[no-untyped-def]
    return window.ctx.today()


def _muller(window) -> int:  # type: ignore[no-untyped-def]
    from mmsdesk.services.patients import PatientService

    return next(r.id for r in PatientService(window.ctx.store).list_rows()
                if r.last_name == "Müller")


def _entry_for(s, pid: int, ingredient: str) -> int | None:  # type: ignore[no-untyped-def]
    """The patient's active chart medicine with ``ingredient``."""
    from sqlalchemy import select

    from mmsdesk.models import MedicationEntry

    return next((m.id for m in s.execute(select(MedicationEntry).where(
        MedicationEntry.patient_id == pid, MedicationEntry.status == "active")).scalars()
                 if ingredient in m.ingredient_list), None)


def demo_visit_id(window) -> int:  # type: ignore[no-untyped-def]
    """A CMR for José Müller with every step filled in (built once per run)."""
    if getattr(window, "_demo_visit_id", None):
        return window._demo_visit_id  # type: ignore[no-any-return]
    from mmsdesk.models import DrugTherapyProblem, Recommendation, Visit
    from mmsdesk.services.visits import reconciliation as rec
    from mmsdesk.services.visits.draft import (
        ActionItem,
        AdherenceReport,
        GoalDraft,
        MedicationReview,
        PlanItem,
        ProblemDraft,
        SentRecommendation,
        VitalEntry,
        new_key,
    )
    from mmsdesk.services.visits.service import VisitService, problem_from_alert
    from mmsdesk.ui.visit.assess_page import screening_alerts

    store, today, pid = window.ctx.store, _today(window), _muller(window)
    with store.session() as s:  # an open problem from a visit in the summer
        v = Visit(patient_id=pid, service="tmr", visit_date=today - timedelta(days=120),
                  status="complete")
        s.add(v)
        s.flush()
        p = DrugTherapyProblem(patient_id=pid, visit_id=v.id, category="adverse_drug_reaction",
                               description="Night-time diphenhydramine (Tylenol PM): confusion, "
                               "falls risk", medications="diphenhydramine", priority="high",
                               cause="Anticholinergic in an older adult",
                               identified_on=v.visit_date)
        s.add(p)
        s.flush()
        s.add(Recommendation(patient_id=pid, visit_id=v.id, problem_id=p.id,
                             intervention="stop", text="Stop Tylenol PM; plain acetaminophen "
                             "for pain, sleep hygiene", sent_on=v.visit_date, sent_method="fax",
                             medication_id=_entry_for(s, pid, "diphenhydramine")))
    service = VisitService(store)
    start = datetime.combine(today, time(10, 0)).astimezone()
    d = service.start(pid, "cmr", "home", today=today, now=start)
    d.ended_at = start + timedelta(minutes=52)
    c = d.collect
    c.reason = "Annual comprehensive medication review"
    c.concerns = "Bruises easily since the knee pain started; worried about the cost of his pills."
    c.goals_values = "Keep walking to the market every morning; stay in his own home."
    c.barriers = ["cost", "forgetting"]
    c.barrier_notes = "Skips evening doses when his daughter is away"
    chart = c.sources[0]
    c.sources.append(rec.source_from_lines([
        "warfarin 5 mg every evening", "digoxin 0.125 mg every morning",
        "furosemide 40 mg every morning", "lisinopril 10 mg every morning",
        "metoprolol succinate 50 mg every morning", "ibuprofen 200 mg 2 tablets twice a day",
        "omeprazole 20 mg before breakfast", "Tylenol PM at bedtime"],
        "patient", "What the patient says"))
    c.sources.append(rec.source_from_lines([
        "Coumadin 5 mg 1 tablet every evening", "Lanoxin 0.125 mg daily", "Lasix 40 mg daily",
        "lisinopril 10 mg daily", "Toprol XL 50 mg daily", "Advil 200 mg",
        "omeprazole 20 mg daily", "amiodarone 200 mg daily", "fish oil 1000 mg daily",
        "aspirin 81 mg daily"], "bottle", "Bottles on the table"))
    c.discrepancies = rec.find_discrepancies(chart, c.sources[1:])
    for disc in c.discrepancies:
        disc.decision = {"omission": "ask_prescriber", "commission": "keep",
                         "dose": "change"}.get(disc.kind, "keep")
        if disc.kind == "dose" and not (disc.new_strength or disc.new_directions):
            disc.new_directions = "as the patient takes it"
    meds = [i for i in chart.items if i.medication_id is not None]
    c.adherence = [AdherenceReport(meds[0].medication_id or 0, 0, "Takes it with supper"),
                   AdherenceReport(meds[3].medication_id or 0, 2, "Forgets when away")]
    c.vitals = [VitalEntry("bp_systolic", 138, "mm[Hg]"), VitalEntry("bp_diastolic", 82, "mm[Hg]"),
                VitalEntry("heart_rate", 58, "/min")]
    alerts = screening_alerts(window.ctx, pid)
    want = [a for a in alerts if {"warfarin", "ibuprofen"} <= set(a.drugs)][:1]
    want += [a for a in alerts if a.kind == "interaction" and "amiodarone" in a.drugs][:1]
    d.assess.problems = [problem_from_alert(a) for a in want]
    d.assess.problems.append(ProblemDraft(
        new_key(), "adherence", "Misses evening doses when alone",
        cause="Forgets; no routine in the evening", medications=["warfarin"], priority="medium"))
    d.assess.reviews = [MedicationReview(m.medication_id or 0, "yes", "yes",
                                         "no" if n == 7 else "yes", "yes") for n, m in
                        enumerate(meds[:8])]
    texts = ["Stop ibuprofen; acetaminophen 1 g up to three times a day for the knee",
             "Lower digoxin to 0.0625 mg daily; check a level in 2 weeks",
             "Pill box filled on Sundays; evening phone alarm"]
    kinds = [("stop", "prescriber"), ("change_dose", "prescriber"), ("educate", "patient")]
    from mmsdesk.services.care_team import CareTeamService

    team = CareTeamService(store).team(pid).prescribers
    doctor = team[0].id if team else None
    with store.session() as s:  # the change each proposes to the list
        proposed = [{"medication_id": _entry_for(s, pid, "ibuprofen")},
                    {"medication_id": _entry_for(s, pid, "digoxin"),
                     "proposed_strength": "0.0625 mg",
                     "proposed_directions": "1 tablet every morning"}, {}]
    d.plan.plans = [PlanItem(new_key(), prob.key, kind, who, text=text, priority=prob.priority,
                             prescriber_id=doctor if who == "prescriber" else None, **change)
                    for prob, (kind, who), text, change in zip(d.assess.problems, kinds, texts,
                                                              proposed, strict=False)]
    d.plan.goals = [GoalDraft("inr", "INR between 2 and 3", ">=", 2.0, today + timedelta(days=28),
                              d.assess.problems[0].key),
                    GoalDraft("bp_systolic", "Blood pressure below 130", "<", 130.0,
                              today + timedelta(days=90))]
    d.plan.action_items = [
        ActionItem("Pain in your knee and your blood thinner",
                   "Take acetaminophen, not Advil or other pain pills from the store"),
        ActionItem("Remembering your evening pills", "Fill the pill box on Sundays; set the "
                   "phone alarm for 7 pm")]
    d.implement.education = "Bleeding signs to watch for; teach-back done with José and his daughter"
    d.implement.sent = [SentRecommendation(d.plan.plans[0].key, today, "fax")]
    d.implement.documents = ["pml", "map", "cms-summary"]
    d.follow_up.next_due = today + timedelta(days=14)
    d.follow_up.next_reason = "INR and knee pain after stopping ibuprofen"
    judged = [("improved", "accepted", "Takes acetaminophen instead most days"),
              ("unchanged", "", "Still misses the dose on weekends"),
              ("resolved", "accepted", "Stopped; sleeps without it most nights")]
    for review, (outcome, answer, note) in zip(d.follow_up.reviews, judged * 5, strict=False):
        review.outcome, review.prescriber_response, review.note = outcome, answer, note
        review.apply_change = answer == "accepted"  # the stop goes on the list at completion
    service.save_draft(d)
    assert d.visit_id is not None
    window._demo_visit_id = d.visit_id
    return d.visit_id


def _visit_shot(step: str, tab: str = "") -> Callable:
    def shot(window):  # type: ignore[no-untyped-def]
        from mmsdesk.ui.visit.launcher import open_visit

        vid = demo_visit_id(window)
        window.open_patient(_muller(window))
        wizard = open_visit(window.ctx, vid, step, window)
        wizard.resize(*SIZE)
        page = wizard.pages[step]
        tabs = getattr(page, "tabs", None)
        if tab and tabs is not None:
            for i in range(tabs.count()):
                if tabs.tabText(i).replace("&", "").startswith(tab):
                    tabs.setCurrentIndex(i)
        if step == "collect" and tab.startswith("Reconciliation"):
            page.recon.table.selectRow(0)
        if step == "assess":
            page.problems_panel.alert_list.setCurrentRow(0)
        return wizard
    return shot


def shot_tmr_collect(window):  # type: ignore[no-untyped-def]
    """A targeted review: the steps it needs little of are drawn lighter, never hidden."""
    from mmsdesk.services.patients import PatientService
    from mmsdesk.services.visits.service import VisitService
    from mmsdesk.ui.visit.launcher import open_visit

    pid = next(r.id for r in PatientService(window.ctx.store).list_rows()
               if r.last_name == "Rahman")
    if not getattr(window, "_tmr_visit_id", None):
        start = datetime.combine(_today(window), time(14, 0)).astimezone()
        d = VisitService(window.ctx.store).start(pid, "tmr", "telephone",
                                                 today=_today(window), now=start)
        d.ended_at = start + timedelta(minutes=20)
        d.collect.reason = "Lithium with lisinopril and naproxen: new tremor"
        VisitService(window.ctx.store).save_draft(d)
        window._tmr_visit_id = d.visit_id
    window.open_patient(pid)
    wizard = open_visit(window.ctx, window._tmr_visit_id, "collect", window)
    wizard.resize(*SIZE)
    return wizard


def shot_follow_up_goals(window):  # type: ignore[no-untyped-def]
    """A follow-up of a patient whose CMR set a goal still open: the goal beside its latest
    value, judged met or not by the pharmacist."""
    from mmsdesk.services.patients import PatientService
    from mmsdesk.services.visits.service import VisitService
    from mmsdesk.ui.visit.launcher import open_visit

    service = VisitService(window.ctx.store)
    pid = next(r.id for r in PatientService(window.ctx.store).list_rows()
               if service.open_goals(r.id))
    if not getattr(window, "_goal_visit_id", None):
        start = datetime.combine(_today(window), time(10, 0)).astimezone()
        d = service.start(pid, "follow_up", "telephone", today=_today(window), now=start)
        d.ended_at = start + timedelta(minutes=15)
        for review in d.follow_up.reviews:
            review.outcome, review.prescriber_response = "improved", "accepted"
        d.follow_up.goals[0].status = "not_met"
        d.follow_up.goals[0].note = "Still above target; recheck after the dose change"
        service.save_draft(d)
        window._goal_visit_id = d.visit_id
    window.open_patient(pid)
    wizard = open_visit(window.ctx, window._goal_visit_id, "follow_up", window)
    wizard.resize(*SIZE)
    wizard.pages["follow_up"].goals.table.selectRow(0)
    return wizard


def shot_start_dialog(window):  # type: ignore[no-untyped-def]
    from mmsdesk.ui.visit.start_dialog import StartVisitDialog

    chart = window.open_patient(_muller(window))
    return StartVisitDialog("José Müller", payer="medicare_part_d", parent=chart)


def shot_resume_dialog(window):  # type: ignore[no-untyped-def]
    from mmsdesk.services.visits.service import VisitService
    from mmsdesk.ui.visit.resume_dialog import ResumeVisitsDialog

    demo_visit_id(window)
    return ResumeVisitsDialog(VisitService(window.ctx.store).open_drafts(), window)


DISCHARGE = ["carbidopa-levodopa 25-100 mg 1 tab three times a day",
             "apixaban 2.5 mg 1 tab twice a day", "tamsulosin 0.4 mg 1 cap after supper",
             "quetiapine 25 mg 1 tab at bedtime", "polyethylene glycol 3350 17 g every day",
             "citalopram 10 mg 1 tab every morning", "omeprazole 20 mg 1 cap before breakfast",
             "vitamin B12 1000 mcg 1 tab every day", "senna 8.6 mg 2 tabs at bedtime",
             "tizanidine 4 mg 1 tab at bedtime", "ciprofloxacin 500 mg 1 tab twice a day",
             "cephalexin 500 mg 1 cap four times a day for 5 days",
             "ondansetron 4 mg 1 tab every 8 hours as needed"]
BAG = ["Eliquis 5 mg 1 tab twice a day", "Reglan 10 mg 1 tab before meals",
       "Sinemet 25/100 1 tab three times a day"]


def discharge_visit_id(window) -> int:  # type: ignore[no-untyped-def]
    """A CMR at home for Frank Kowalski just after a discharge, every list decided."""
    if getattr(window, "_discharge_visit_id", None):
        return window._discharge_visit_id  # type: ignore[no-any-return]
    from mmsdesk.services.patients import PatientService
    from mmsdesk.services.visits import reconciliation as rec
    from mmsdesk.services.visits.service import VisitService

    store, today = window.ctx.store, _today(window)
    pid = next(r.id for r in PatientService(store).list_rows() if r.last_name == "Kowalski")
    start = datetime.combine(today, time(9, 30)).astimezone()
    d = VisitService(store).start(pid, "cmr", "home", today=today, now=start)
    c = d.collect
    c.reason = "Home after a hospital stay for a fall"
    c.sources.append(rec.source_from_lines(DISCHARGE, "discharge_list",
                                           "Discharge list, St Mary's",
                                           today - timedelta(days=2)))
    c.sources.append(rec.source_from_lines(BAG, "bottle", "Patient's bottles"))
    c.discrepancies = rec.find_discrepancies(c.sources[0], c.sources[1:])
    for x in c.discrepancies:
        x.decision = {"omission": "add", "not_on_list": "stop", "dose": "change",
                      "still_at_home": "leave_off"}.get(x.kind, "ask_prescriber")
        if x.kind == "omission":
            x.indication = "for the infection" if "cephalexin" in x.ingredients else "for nausea"
            x.details_unknown = True
    VisitService(store).save_draft(d)
    window._discharge_visit_id = d.visit_id
    window._discharge_patient = pid
    return d.visit_id


def _discharge_shot(step: str) -> Callable:
    def shot(window):  # type: ignore[no-untyped-def]
        from mmsdesk.ui.visit.launcher import open_visit

        vid = discharge_visit_id(window)
        window.open_patient(window._discharge_patient)
        wizard = open_visit(window.ctx, vid, step, window)
        wizard.resize(*SIZE)
        page = wizard.pages[step]
        if step == "collect":
            for i in range(page.tabs.count()):
                if page.tabs.tabText(i).replace("&", "").startswith("Reconciliation"):
                    page.tabs.setCurrentIndex(i)
            page.recon.table.selectRow(5)  # a dose lowered by the hospital
        else:
            panel = page.problems_panel
            row = next(i for i, a in enumerate(panel.alerts) if a.key in panel.new_keys)
            panel.alert_list.setCurrentRow(row)
        return wizard
    return shot


VISIT_SHOTS: dict[str, Callable] = {
    "visit_reconciliation_discharge": _discharge_shot("collect"),
    "visit_assess_working_list": _discharge_shot("assess"),
    "visit_start_dialog": shot_start_dialog,
    "visit_collect": _visit_shot("collect", "Reconciliation"),
    "visit_collect_reason": _visit_shot("collect", "Reason"),
    "visit_assess": _visit_shot("assess", "Problems"),
    "visit_assess_review": _visit_shot("assess", "Medication review"),
    "visit_assess_burden": _visit_shot("assess", "Burden"),
    "visit_collect_adherence": _visit_shot("collect", "Self-reported"),
    "visit_plan_goals": _visit_shot("plan", "Goals"),
    "visit_plan": _visit_shot("plan", "Interventions"),
    "visit_implement": _visit_shot("implement"),
    "visit_follow_up": _visit_shot("follow_up"),
    "visit_follow_up_goals": shot_follow_up_goals,
    "visit_tmr_collect": shot_tmr_collect,
    "visit_resume_dialog": shot_resume_dialog,
}
