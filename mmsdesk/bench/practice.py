"""A generated practice (patients, visits, problems, recommendations, follow-ups, goals, labs,
fills) in a real store, for the dashboard/outcomes benchmarks and tests. Fictional data."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from mmsdesk.models import (
    Condition,
    DrugTherapyProblem,
    FillRecord,
    FollowUp,
    MedicationComponent,
    MedicationEntry,
    Observation,
    Patient,
    Recommendation,
    Visit,
)
from mmsdesk.models.base import new_uuid, utcnow
from mmsdesk.models.enums import Intervention, Modality, ProblemCategory, ServiceType
from mmsdesk.store import Store

FIRST = ["José", "Maria", "Robert", "Linda", "An", "Ольга", "Ahmed", "Grace", "Hiroshi", "Fatima"]
LAST = ["Müller", "García", "Nguyễn", "Иванова", "Smith", "Johnson", "O'Brien", "Kowalski"]
CAUSES = ["Drug interaction", "Dose above renal limit", "Cost barrier", "Forgets doses",
          "No indication", "Untreated condition", "Side effect", ""]
CONDITIONS = [("Type 2 diabetes mellitus", "E11.9"), ("Essential hypertension", "I10"),
              ("Hyperlipidemia", "E78.5"), ("Heart failure", "I50.9"), ("COPD", "J44.9"),
              ("Major depressive disorder", "F32.9"), ("Osteoarthritis of knee", "M17.9"),
              ("Gastro-oesophageal reflux", "K21.9")]
DRUGS = [("Lisinopril 10 mg tablet", "lisinopril"), ("Metformin 500 mg tablet", "metformin"),
         ("Atorvastatin 40 mg tablet", "atorvastatin"), ("Amlodipine 5 mg tablet", "amlodipine"),
         ("Losartan 50 mg tablet", "losartan"), ("Sertraline 50 mg tablet", "sertraline")]
STEPS = ["collect", "assess", "plan", "implement", "follow_up"]
RESPONSES = ["pending", "accepted", "modified", "declined", "no_answer"]


@dataclass(frozen=True)
class PracticeSize:
    patients: int
    visits: int
    problems: int


def _stamp(row: dict[str, Any], now: Any) -> dict[str, Any]:
    row.setdefault("uuid", new_uuid())
    row["created_at"] = row["updated_at"] = now
    return row


def generate_practice(store: Store, size: PracticeSize, today: date, seed: int = 7) -> None:
    """Fill an empty store. Visits spread over the two years before ``today``."""
    rnd = random.Random(seed)
    now = utcnow()
    day = lambda back: today - timedelta(days=back)  # noqa: E731
    patients = []
    for i in range(size.patients):
        enrolled = day(rnd.randrange(0, 700)) if rnd.random() < 0.4 else None
        patients.append(_stamp({
            "first_name": rnd.choice(FIRST), "last_name": f"{rnd.choice(LAST)}{i}",
            "date_of_birth": date(1930, 1, 1) + timedelta(days=rnd.randrange(0, 365 * 50)),
            "payer_type": "medicare_part_d" if enrolled else "self_pay",
            "mtm_enrolled_on": enrolled,
            "deceased_date": day(5) if rnd.random() < 0.01 else None,
        }, now))
    with store.session() as s:
        s.execute(insert(Patient), patients)
        pids = list(s.execute(select(Patient.id).order_by(Patient.id)).scalars())
        services = [sv.value for sv in ServiceType]
        modalities = [m.value for m in Modality]
        visits = []
        for _ in range(size.visits):
            status = rnd.choices(["complete", "draft", "cancelled"], [90, 6, 4])[0]
            visits.append(_stamp({
                "patient_id": rnd.choice(pids), "service": rnd.choice(services),
                "modality": rnd.choice(modalities), "visit_date": day(rnd.randrange(0, 730)),
                "status": status, "current_step": rnd.choice(STEPS),
            }, now))
        s.execute(insert(Visit), visits)
        vrows = s.execute(select(Visit.id, Visit.patient_id, Visit.visit_date)).all()
        cats = [c.value for c in ProblemCategory]
        problems = []
        for _ in range(size.problems):
            vid, pid, vdate = rnd.choice(vrows)
            resolved = rnd.random() < 0.55 and vdate < today
            resolved_on = (min(today, vdate + timedelta(days=rnd.randrange(1, 200)))
                           if resolved else None)
            problems.append(_stamp({
                "patient_id": pid, "visit_id": vid, "category": rnd.choice(cats),
                "cause": rnd.choice(CAUSES), "priority": rnd.choice(["high", "medium", "low"]),
                "status": "resolved" if resolved else rnd.choice(["open", "open", "closed"]),
                "outcome": "resolved" if resolved else "", "identified_on": vdate,
                "resolved_on": resolved_on,
            }, now))
        s.execute(insert(DrugTherapyProblem), problems)
        prows = s.execute(select(DrugTherapyProblem.id, DrugTherapyProblem.patient_id,
                                 DrugTherapyProblem.visit_id,
                                 DrugTherapyProblem.identified_on)).all()
        recs = []
        for prob_id, pid, vid, ident in prows:
            if rnd.random() < 0.7:
                sent = ident + timedelta(days=rnd.randrange(0, 5)) if rnd.random() < 0.9 else None
                sent = min(sent, today) if sent else None
                resp = rnd.choice(RESPONSES) if sent else "pending"
                recs.append(_stamp({
                    "patient_id": pid, "visit_id": vid, "problem_id": prob_id,
                    "intervention": rnd.choice([iv.value for iv in Intervention]),
                    "recipient": rnd.choice(["prescriber", "prescriber", "patient"]),
                    "sent_on": sent, "response": resp,
                    "response_on": (min(today, sent + timedelta(days=rnd.randrange(1, 30)))
                                    if sent and resp != "pending" else None),
                }, now))
        if recs:
            s.execute(insert(Recommendation), recs)
        follow_ups = []
        for vid, pid, vdate in vrows:
            if rnd.random() < 0.5:
                due = vdate + timedelta(days=rnd.randrange(7, 120))
                done = due < today and rnd.random() < 0.8
                follow_ups.append(_stamp({
                    "patient_id": pid, "visit_id": vid, "due_on": due, "reason": "Check progress",
                    "service": "follow_up", "modality": rnd.choice(modalities), "done": done,
                    "done_on": due if done else None,
                }, now))
        if follow_ups:
            s.execute(insert(FollowUp), follow_ups)
        conds, meds, obs, fills = [], [], [], []
        ingredients_of: dict[str, str] = {}
        for pid in pids:
            for name, icd in rnd.sample(CONDITIONS, rnd.randrange(0, 5)):
                conds.append(_stamp({"patient_id": pid, "name": name, "icd10_code": icd}, now))
            for text, ingr in rnd.sample(DRUGS, rnd.randrange(0, 5)):
                med = _stamp({"patient_id": pid, "text_given": text, "match": "exact",
                               "annual_cost": rnd.choice([None, 120.0, 600.0])}, now)
                meds.append(med)
                ingredients_of[med["uuid"]] = ingr
            for k in range(rnd.randrange(0, 5)):
                back = 60 + 150 * k + rnd.randrange(0, 30)
                obs.append(_stamp({"patient_id": pid, "measure": "a1c", "loinc": "4548-4",
                                   "value": round(rnd.uniform(5.5, 9.5), 1), "unit": "%",
                                   "taken_on": day(back)}, now))
                obs.append(_stamp({"patient_id": pid, "measure": "bp_systolic", "loinc": "8480-6",
                                   "value": rnd.randrange(105, 170), "unit": "mm[Hg]",
                                   "taken_on": day(back)}, now))
                obs.append(_stamp({"patient_id": pid, "measure": "bp_diastolic", "loinc": "8462-4",
                                   "value": rnd.randrange(60, 100), "unit": "mm[Hg]",
                                   "taken_on": day(back)}, now))
            if rnd.random() < 0.3:
                text, ingr = rnd.choice(DRUGS)
                d = day(rnd.randrange(500, 720))
                while d <= today:
                    fills.append(_stamp({"patient_id": pid, "drug_text": text, "ingredients": ingr,
                                         "fill_date": d, "days_supply": 30, "source": "gen"}, now))
                    d += timedelta(days=rnd.randrange(24, 50))
        for table, rows in ((Condition, conds), (MedicationEntry, meds), (Observation, obs),
                            (FillRecord, fills)):
            if rows:
                s.execute(insert(table), rows)
        components = [{"uuid": new_uuid(), "medication_id": mid, "position": i, "ingredient": name,
                       "unit": "", "per_unit": ""}
                      for mid, uid in s.execute(select(MedicationEntry.id, MedicationEntry.uuid))
                      if uid in ingredients_of
                      for i, name in enumerate(ingredients_of[uid].split(";"))]
        if components:
            s.execute(insert(MedicationComponent), components)


def generated_practice_store(folder: Path, size: PracticeSize, today: date) -> Path:
    path = folder / "mmsdesk.sqlite3"
    if not path.exists():
        with Store.open(path) as store:
            generate_practice(store, size, today)
    return path
