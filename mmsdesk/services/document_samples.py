"""Sample practice data for document previews, the rendering script and the benchmarks:
a pharmacist profile, a completed CMR with problems, recommendations and an action plan, and a
patient with many medicines. Only ever used on demo or test stores."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from mmsdesk.models import (
    DrugTherapyProblem,
    FollowUp,
    Goal,
    MedicationComponent,
    MedicationEntry,
    Patient,
    PharmacistProfile,
    Prescriber,
    Recommendation,
    Visit,
)
from mmsdesk.services.visits.draft import (
    ActionItem,
    CollectSlice,
    ImplementSlice,
    PlanSlice,
    VisitDraft,
)
from mmsdesk.store import Store

PROFILE = dict(name="Elena Rivera", credentials="PharmD, BCGP", npi="1093817462",
               practice_name="Rivera Medication Care",
               address="1200 Oak Avenue, Suite 4, Springfield, IL 62704", phone="(555) 240-7788",
               fax="(555) 240-7789", email="care@riveramed.example",
               hours="Monday to Friday, 9 am to 5 pm", tty="711", tin="36-4812957")

ACTIONS = (
    ("Warfarin and your INR: your last INR was 3.6, above your goal of 2 to 3. Amiodarone "
     "makes warfarin stronger.",
     "Keep taking warfarin as your heart doctor tells you.\nGo for an INR blood test this week.\n"
     "Call us or your doctor at once if you see unusual bleeding or bruising."),
    ("Pain medicines: ibuprofen (Advil) can raise the risk of bleeding with warfarin and can "
     "harm your kidneys.",
     "Stop taking ibuprofen (Advil).\nUse acetaminophen (Tylenol) for knee pain, no more than "
     "6 tablets (3,000 mg) a day."),
    ("Sleep: diphenhydramine (in Tylenol PM) can cause confusion and falls.",
     "Stop Tylenol PM.\nTry the sleep tips we talked about: same bedtime every night, no "
     "coffee after noon."),
)


def ensure_profile(store: Store) -> None:
    with store.session() as s:
        if s.execute(select(PharmacistProfile).limit(1)).scalars().first() is None:
            s.add(PharmacistProfile(**PROFILE))


def _prescriber(s, last_name: str) -> int | None:  # type: ignore[no-untyped-def]
    p = s.execute(select(Prescriber).where(Prescriber.last_name == last_name)).scalars().first()
    return p.id if p is not None else None


def add_sample_visit(store: Store, patient_id: int, today: date, *,
                     status: str = "complete") -> int:
    """A CMR on ``today`` with two problems, recommendations, a goal and a follow-up."""
    with store.session() as s:
        okafor = _prescriber(s, "Okafor")
        patel = _prescriber(s, "Patel")
        payer = s.get(Patient, patient_id).payer_type  # type: ignore[union-attr]
        started = datetime.combine(today, time(16, 0), tzinfo=UTC)
        v = Visit(patient_id=patient_id, service="cmr", modality="home", payer_type=payer,
                  visit_date=today, started_at=started, ended_at=started + timedelta(minutes=50),
                  minutes=50, status=status, current_step="follow_up",
                  reason="Annual comprehensive medication review",
                  cpt_codes="99605;99607x2", price=150.0, amount_paid=150.0,
                  payment_method="card", paid_on=today, is_new_patient=True)
        s.add(v)
        s.flush()
        p1 = DrugTherapyProblem(
            patient_id=patient_id, visit_id=v.id, category="dosage_too_high",
            cause="interaction", medications="warfarin;amiodarone", priority="high",
            description="INR 3.6, above the 2–3 goal, after amiodarone was started (amiodarone "
                        "inhibits warfarin metabolism).",
            alert_key="interaction:warfarin-amiodarone:amiodarone;warfarin",
            identified_on=today)
        p2 = DrugTherapyProblem(
            patient_id=patient_id, visit_id=v.id, category="adverse_drug_reaction",
            medications="ibuprofen;warfarin", priority="high",
            description="Over-the-counter ibuprofen with warfarin (bleeding) and eGFR 38 "
                        "(kidney function).",
            alert_key="interaction:anticoag-nsaid:ibuprofen;warfarin", identified_on=today)
        s.add_all([p1, p2])
        s.flush()
        s.add_all([
            Recommendation(patient_id=patient_id, visit_id=v.id, problem_id=p1.id,
                           intervention="change_dose", recipient="prescriber",
                           prescriber_id=okafor, priority="high", sent_on=today, sent_method="fax",
                           text="Consider reducing the weekly warfarin dose by 10–15 % and "
                                "rechecking the INR in 5–7 days."),
            Recommendation(patient_id=patient_id, visit_id=v.id, problem_id=p2.id,
                           intervention="stop", recipient="prescriber", prescriber_id=patel,
                           priority="high", text="Please confirm stopping ibuprofen; "
                           "acetaminophen up to 3 g a day for knee pain."),
            Recommendation(patient_id=patient_id, visit_id=v.id, problem_id=p2.id,
                           intervention="educate", recipient="patient",
                           text="Stop ibuprofen; use acetaminophen."),
            Goal(patient_id=patient_id, visit_id=v.id, problem_id=p1.id, measure="inr",
                 comparator="<=", target_value=3.0, target="INR 2 to 3",
                 due_on=today + timedelta(days=28)),
            FollowUp(patient_id=patient_id, visit_id=v.id, due_on=today + timedelta(days=14),
                     reason="INR result and knee pain", modality="telephone"),
        ])
        draft = VisitDraft(
            patient_id=patient_id, service="cmr", visit_date=today, modality="home",
            payer_type=payer, visit_id=v.id, step="follow_up", started_at=started, minutes=50,
            collect=CollectSlice(reason="Annual comprehensive medication review",
                                 concerns="Bruises easily; knee pain at night; sleeps badly.",
                                 goals_values="Keep walking to church; stay out of hospital.",
                                 lifestyle="Lives with his daughter; walks daily."),
            plan=PlanSlice(action_items=[ActionItem(a, b) for a, b in ACTIONS]),
            implement=ImplementSlice(education="Bleeding signs with warfarin; safe pain relief; "
                                               "sleep hygiene.",
                                     documents=["cms-summary", "pml", "map"]))
        v.draft_json = draft.to_json()
        return v.id  # type: ignore[return-value]


def add_many_medications(store: Store, patient_id: int, n: int, today: date) -> None:
    """``n`` more medicines (structured times of day) for pagination tests and benchmarks."""
    times = ("morning", "noon", "evening", "bedtime")
    with store.session() as s:
        for i in range(n):
            t = times[i % 4]
            s.add(MedicationEntry(
                patient_id=patient_id, text_given=f"Testamed {i + 1} {10 * (i + 1)} MG Oral Tablet",
                components=[MedicationComponent(ingredient=f"Testamed {i + 1} {10 * (i + 1)} MG Oral Tablet")],
                directions=f"Take 1 tablet by mouth every {t}" if t != "bedtime"
                else "Take 1 tablet by mouth at bedtime",
                indication=f"for condition number {i + 1}", times_of_day=t,
                frequency="daily", dose_amount=1, dose_unit="tablet", route="oral",
                as_needed=i % 9 == 8, started=today - timedelta(days=30 * (i + 1))))
