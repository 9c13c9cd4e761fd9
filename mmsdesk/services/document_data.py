"""Gather the plain data of a document (``reports.data.DocumentData``) from the store.

One read-only session; the visit's narrative (action items, education, concerns) comes from
its ``VisitDraft`` in ``visit.draft_json``, also for a draft visit, whose problems and plans
exist only in the draft until it is completed.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from mmsdesk import paths
from mmsdesk.clinical.sig_read import Sig, of_directions
from mmsdesk.clinical.sig_read import read as read_sig
from mmsdesk.models import (
    Allergy,
    Caregiver,
    DrugTherapyProblem,
    FollowUp,
    Goal,
    MedicationEntry,
    Observation,
    Patient,
    PatientPharmacy,
    PatientPrescriber,
    PharmacistProfile,
    Pharmacy,
    Prescriber,
    Recommendation,
    Visit,
)
from mmsdesk.models.enums import (  # noqa: F401 (INTERVENTION_LABELS re-exported)
    INTERVENTION_LABELS,
    PROBLEM_CATEGORY_LABELS,
    SERVICE_LABELS,
)
from mmsdesk.models.measures import MEASURES_BY_KEY
from mmsdesk.reports import data as d
from mmsdesk.services.billing import parse_cpt_string
from mmsdesk.services.visits.draft import VisitDraft
from mmsdesk.services.vocabulary import vocabulary

MODALITY_LABELS = {"home": "In person (home visit)", "clinic": "In person (clinic)",
                   "video": "Video", "telephone": "Telephone"}
PAYER_LABELS = {"self_pay": "Self-pay", "medicare_part_d": "Medicare Part D", "other": "Other"}
EVIDENCE_MEASURES = ("egfr", "creatinine", "potassium", "sodium", "inr", "a1c", "ldl",
                     "bp_systolic", "bp_diastolic", "heart_rate", "digoxin_level", "tsh", "alt")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def nfc(text: object) -> str:
    return unicodedata.normalize("NFC", "" if text is None else str(text)).strip()


def printed_name(first: str, middle: str, last: str) -> str:
    """Western order, except family name first for Chinese, Japanese and Korean names."""
    first, middle, last = nfc(first), nfc(middle), nfc(last)
    if _CJK.search(last + first):
        return " ".join(p for p in (last, first, middle) if p)
    return " ".join(p for p in (first, middle, last) if p)


def kb_version() -> str:
    try:
        meta = json.loads((paths.knowledge_dir() / "screening" / "kb.json").read_text("utf-8"))
        return str(meta.get("version", ""))
    except (OSError, ValueError):
        return ""


def _rows(s: Session, model: Any, patient_id: int) -> list[Any]:
    return list(s.execute(select(model).where(model.patient_id == patient_id)).scalars())


def load_draft(visit: Visit | None) -> VisitDraft | None:
    if visit is None or not visit.draft_json:
        return None
    try:
        return VisitDraft.from_json(visit.draft_json)
    except (ValueError, TypeError, KeyError):
        return None


def latest_visit(s: Session, patient_id: int) -> Visit | None:
    q = (select(Visit).where(Visit.patient_id == patient_id, Visit.status != "cancelled")
         .order_by(Visit.visit_date.desc(), Visit.id.desc()).limit(1))
    return s.execute(q).scalars().first()


def get_visit(s: Session, patient_id: int, visit_id: int | None) -> Visit | None:
    if visit_id is None:
        return latest_visit(s, patient_id)
    v = s.get(Visit, visit_id)
    if v is None or v.patient_id != patient_id:
        raise LookupError(f"no visit {visit_id} for patient {patient_id}")
    return v


def practice(s: Session) -> d.PracticeInfo:
    p = s.execute(select(PharmacistProfile).order_by(PharmacistProfile.id).limit(1)).scalars().first()
    if p is None:
        return d.PracticeInfo(missing=PRACTICE_DETAILS)
    missing = tuple(label for label, value in (
        ("pharmacist's name", p.name), ("phone", p.phone), ("address", p.address),
        ("NPI", p.npi)) if not nfc(value))
    return d.PracticeInfo(pharmacist=nfc(p.name), credentials=nfc(p.credentials),
                          practice_name=nfc(p.practice_name), address=nfc(p.address),
                          phone=nfc(p.phone), fax=nfc(p.fax), email=nfc(p.email),
                          hours=nfc(p.hours), tty=nfc(p.tty), npi=p.npi, logo_png=p.logo_png,
                          tin=nfc(p.tin), missing=missing)


# What every document needs from the pharmacist profile (the letterhead, "call me at", the
# signature, the NPI on a bill): a document printed without them says so (reports/templates).
PRACTICE_DETAILS = ("pharmacist's name", "phone", "address", "NPI")


def _prescriber_name(p: Prescriber | None) -> str:
    return nfc(p.display_name) if p is not None else ""


def patient_info(s: Session, p: Patient) -> d.PatientInfo:
    pid = p.id
    assert pid is not None
    cgs = _rows(s, Caregiver, pid)
    em = next((c for c in cgs if c.is_emergency_contact), cgs[0] if cgs else None)
    emergency = ""
    if em is not None:
        emergency = nfc(em.name) + (f" ({nfc(em.relationship)})" if em.relationship else "")
        emergency += f", {em.phone}" if em.phone else ""
    links = _rows(s, PatientPrescriber, pid)
    pcp_link = next((lk for lk in links if lk.is_primary_care), None)
    pcp = ""
    if pcp_link is not None:
        pr = s.get(Prescriber, pcp_link.prescriber_id)
        pcp = _prescriber_name(pr) + (f", {pr.phone}" if pr is not None and pr.phone else "")
    pharmacies = []
    for link in sorted(_rows(s, PatientPharmacy, pid), key=lambda lk: not lk.is_primary):
        ph = s.get(Pharmacy, link.pharmacy_id)
        if ph is not None:
            pharmacies.append(nfc(ph.name) + (f", {ph.phone}" if ph.phone else ""))
    city = ", ".join(x for x in (nfc(p.city), " ".join(x for x in (nfc(p.state), nfc(p.postal_code)) if x)) if x)
    address = tuple(x for x in (nfc(p.address_line1), nfc(p.address_line2), city) if x)
    return d.PatientInfo(name=printed_name(p.first_name, p.middle_name, p.last_name),
                         date_of_birth=p.date_of_birth, first_name=nfc(p.first_name),
                         phone=nfc(p.phone), address_lines=address, emergency_contact=emergency,
                         primary_care=pcp, pharmacies=tuple(pharmacies),
                         plan_name=nfc(p.plan_name), member_id=nfc(p.member_id), sex=p.sex)


def _sig(m: MedicationEntry) -> Sig:
    """The directions as codes: as recorded, else read from the text as written."""
    d = m.structured_directions()
    return of_directions(d) if d.is_structured else read_sig(m.directions)


def _directions(m: MedicationEntry, lang: str) -> str:
    """As recorded; in Spanish from the codes, or from the text when the sig reader reads all
    of it (else as written: see ``_untranslated``)."""
    return _directions_in(m, lang) or nfc(m.directions_text())


def _directions_in(m: MedicationEntry, lang: str) -> str | None:
    if lang != "es":
        return nfc(m.directions_text())
    from mmsdesk.clinical.sig_es import render_es, render_sig_es

    d = m.structured_directions()
    if d.is_structured:
        reason = d.as_needed_reason.strip().lower()
        reasons = vocabulary(lang).reasons
        if reason:  # the reason in Spanish from the vocabulary, else the line is untranslated
            return render_sig_es(of_directions(d), reasons)
        return render_es(d)
    if not m.directions.strip():
        return ""
    return render_sig_es(read_sig(m.directions), vocabulary(lang).reasons)


def text_in(directions: str, lang: str) -> str | None:
    """Directions written in English, in ``lang`` when the sig reader reads all of them."""
    if lang == "en" or not directions.strip():
        return directions
    from mmsdesk.clinical.sig_es import render_sig_es

    return render_sig_es(read_sig(directions), vocabulary(lang).reasons)


def _indication(m: MedicationEntry, lang: str) -> str | None:
    return nfc(m.indication) if lang == "en" else vocabulary(lang).indication(nfc(m.indication))


def medication_item(s: Session, m: MedicationEntry, lang: str = "en") -> d.MedicationItem:
    """One chart medicine as the documents print it (its name built from its components)."""
    times = tuple(t for t in (m.times_of_day or "").split(";") if t)
    prescriber = _prescriber_name(s.get(Prescriber, m.prescriber_id)) if m.prescriber_id else ""
    directions, indication = _directions_in(m, lang), _indication(m, lang)
    untranslated = [what for what, text in (("directions", directions), ("indication", indication))
                    if text is None]
    if lang != "en" and m.stop_reason.strip() and m.status != "active":
        untranslated.append("stop_reason")
    return d.MedicationItem(
        name=nfc(m.name(lang)), directions=directions if directions is not None
        else nfc(m.directions_text()), indication=indication if indication is not None
        else nfc(m.indication),
        prescriber=prescriber, started=m.started, stopped=m.stopped,
        stop_reason=nfc(m.stop_reason), status=m.status, kind=m.kind, as_needed=m.as_needed,
        times_of_day=times, dose=_dose(m, lang), frequency=m.frequency, sig=_sig(m),
        untranslated=tuple(untranslated))


def _sorted(rows: list[MedicationEntry], lang: str) -> list[MedicationEntry]:
    return sorted(rows, key=lambda m: (m.status == "stopped", m.as_needed, m.name(lang).lower()))


def medications(s: Session, patient_id: int, lang: str = "en") -> tuple[d.MedicationItem, ...]:
    return tuple(medication_item(s, m, lang)
                 for m in _sorted(_rows(s, MedicationEntry, patient_id), lang))


def _dose(m: MedicationEntry, lang: str = "en") -> str:
    if m.dose_amount is None:
        return ""
    from mmsdesk.clinical.sig import UNITS, format_amount
    from mmsdesk.clinical.sig_es import UNITS_ES

    one = 0 < m.dose_amount <= 1
    if lang == "es":
        pair = UNITS_ES.get(m.dose_unit, (m.dose_unit, m.dose_unit))
        unit = pair[0] if one else pair[1]
    else:
        unit = m.dose_unit if one else UNITS.get(m.dose_unit, m.dose_unit)
    return f"{format_amount(m.dose_amount)} {unit}".strip()


def allergies(s: Session, patient_id: int, lang: str = "en") -> tuple[d.AllergyItem, ...]:
    from mmsdesk.i18n import _ as gettext
    from mmsdesk.services.chart_header import is_no_known_allergies

    out = []
    rows = [a for a in _rows(s, Allergy, patient_id) if a.status == "active"]
    none_known = [a for a in rows if is_no_known_allergies(a.substance, a.substance_code)]
    if none_known and len(none_known) == len(rows):
        # the pharmacist asked: the statement, in the patient's language, not an allergy line
        return (d.AllergyItem(gettext("No known allergies", lang), "", "allergy"),)
    for a in rows:
        if a in none_known:
            continue  # a statement an allergy recorded since has overtaken
        reaction = nfc(a.reaction) if lang == "en" else vocabulary(lang).reaction(nfc(a.reaction))
        out.append(d.AllergyItem(nfc(a.substance), nfc(a.reaction) if reaction is None else reaction,
                                 a.type, untranslated=reaction is None))
    return tuple(out)


def latest_labs(s: Session, patient_id: int) -> list[str]:
    latest: dict[str, Observation] = {}
    for o in _rows(s, Observation, patient_id):
        if o.measure in EVIDENCE_MEASURES and (o.measure not in latest
                                               or o.taken_on >= latest[o.measure].taken_on):
            latest[o.measure] = o
    out = []
    for key in EVIDENCE_MEASURES:
        o = latest.get(key)
        if o is not None:
            m = MEASURES_BY_KEY[key]
            unit = o.unit.replace("{1.73_m2}", "1.73 m²").replace("{INR}", "").replace("mm[Hg]", "mmHg")
            out.append(f"{m.label} {o.value:g} {unit}".strip() + f" ({o.taken_on.strftime('%m/%d/%Y')})")
    return out


def visit_info(s: Session, v: Visit, draft: VisitDraft | None) -> d.VisitInfo:
    c = draft.collect if draft else None
    imp = draft.implement if draft else None
    fu_rows = list(s.execute(select(FollowUp).where(FollowUp.visit_id == v.id)).scalars())
    follow = ""
    due, modality, why = None, "", ""
    if fu_rows:
        f = min(fu_rows, key=lambda r: r.due_on)
        follow = (f"{MODALITY_LABELS.get(f.modality, f.modality)} "
                  f"{SERVICE_LABELS.get(f.service, f.service).lower()} "
                  f"by {f.due_on.strftime('%m/%d/%Y')}" + (f": {nfc(f.reason)}" if f.reason else ""))
        due, modality, why = f.due_on, MODALITY_LABELS.get(f.modality, f.modality), nfc(f.reason)
    elif draft and draft.follow_up.next_due:
        fd = draft.follow_up
        follow = (f"{MODALITY_LABELS.get(fd.next_modality, fd.next_modality)} follow-up by "
                  f"{fd.next_due.strftime('%m/%d/%Y')}" + (f": {nfc(fd.next_reason)}" if fd.next_reason else ""))
        due, modality = fd.next_due, MODALITY_LABELS.get(fd.next_modality, fd.next_modality)
        why = nfc(fd.next_reason)
    goals = [nfc(g.target or g.measure) for g in s.execute(select(Goal).where(Goal.visit_id == v.id)).scalars()]
    if not goals and draft:
        goals = [nfc(g.target or g.measure) for g in draft.plan.goals]
    vitals = tuple(f"{MEASURES_BY_KEY[x.measure].label if x.measure in MEASURES_BY_KEY else x.measure}"
                   f" {x.value:g} {x.unit}".strip() for x in (c.vitals if c else []))
    reviews = []
    if draft:
        for r in draft.assess.reviews:
            if r.note:
                reviews.append(nfc(r.note))
    minutes = v.minutes
    if minutes is None and v.started_at and v.ended_at:
        minutes = max(0, round((v.ended_at - v.started_at).total_seconds() / 60))
    return d.VisitInfo(
        id=v.id, service=SERVICE_LABELS.get(v.service, v.service), service_code=v.service,
        modality=MODALITY_LABELS.get(v.modality, v.modality), visit_date=v.visit_date,
        started_at=v.started_at, ended_at=v.ended_at, minutes=minutes,
        cpt_codes=tuple((c.code, c.units) for c in parse_cpt_string(v.cpt_codes)),
        payer=PAYER_LABELS.get(v.payer_type, v.payer_type),
        status=v.status, reason=nfc(v.reason or (c.reason if c else "")),
        concerns=nfc(c.concerns) if c else "", goals_values=nfc(c.goals_values) if c else "",
        barriers=", ".join(c.barriers) + (f" ({nfc(c.barrier_notes)})" if c and c.barrier_notes else "") if c else "",
        lifestyle=nfc(c.lifestyle) if c else "", vitals=vitals, assessment_notes=tuple(reviews),
        education=nfc(imp.education) if imp else "", referrals=nfc(imp.referrals) if imp else "",
        goals=tuple(goals), follow_up=follow, follow_up_due=due, follow_up_modality=modality,
        follow_up_reason=why, notes=nfc(v.notes),
        reconciliation=reconciliation_lines(draft) if draft else ())


def reconciliation_lines(draft: VisitDraft) -> tuple[str, ...]:
    """The visit note's account of the reconciliation: the lists compared, then each
    discrepancy with the decision taken (worded as its result on the list)."""
    from mmsdesk.services.visits.reconciliation import decision_choices, kind_label

    lists = [s for s in draft.collect.sources if s.source != "chart" and s.items]
    if not lists:
        return ()
    out = ["Lists compared with the chart: " + "; ".join(
        nfc(s.label) + (f" ({s.listed_on.strftime('%m/%d/%Y')})" if s.listed_on else "")
        + f", {len(s.items)} medicines" for s in lists) + "."]
    if not draft.collect.discrepancies:
        out.append("No discrepancy.")
    for x in draft.collect.discrepancies:
        decision = dict(decision_choices(x)).get(x.decision, "not decided")
        note = f" ({nfc(x.note)})" if x.note.strip() else ""
        out.append(f"{kind_label(x)}: {nfc(x.detail)} Decision: {decision}{note}.")
    return tuple(out)


def problems_and_plans(s: Session, v: Visit, draft: VisitDraft | None) -> list[dict[str, Any]]:
    """The visit's problems with their plans: rows once completed, else the draft's."""
    out: list[dict[str, Any]] = []
    rows = list(s.execute(select(DrugTherapyProblem).where(DrugTherapyProblem.visit_id == v.id)).scalars())
    if rows:
        recs = list(s.execute(select(Recommendation).where(Recommendation.visit_id == v.id)).scalars())
        for p in rows:
            mine = [r for r in recs if r.problem_id == p.id]
            out.append({"category": p.category, "description": nfc(p.description),
                        "medications": [m for m in p.medications.split(";") if m],
                        "priority": p.priority, "status": p.status, "alert_key": p.alert_key,
                        "plans": [(r.recipient, r.prescriber_id, r.intervention, nfc(r.text),
                                   r.response) for r in mine]})
        return out
    if draft is None:
        return out
    for p in draft.assess.problems:
        plans = [(x.recipient, x.prescriber_id, x.intervention, nfc(x.text), "pending")
                 for x in draft.plan.plans if x.problem_key == p.key]
        out.append({"category": p.category, "description": nfc(p.description),
                    "medications": list(p.medications), "priority": p.priority, "status": "open",
                    "alert_key": p.alert_key, "plans": plans})
    return out


def problem_items(s: Session, raw: list[dict[str, Any]]) -> tuple[d.ProblemItem, ...]:
    items = []
    for p in raw:
        plans = []
        for recipient, presc_id, intervention, text, _resp in p["plans"]:
            who = recipient.capitalize()
            if presc_id is not None:
                who += f" ({_prescriber_name(s.get(Prescriber, presc_id))})"
            plans.append(f"{who}: {INTERVENTION_LABELS.get(intervention, intervention)}"
                         + (f" — {text}" if text else ""))
        items.append(d.ProblemItem(PROBLEM_CATEGORY_LABELS.get(p["category"], p["category"]),
                                   p["description"], tuple(p["medications"]), p["priority"],
                                   p["status"], tuple(plans)))
    return tuple(items)


def delivery(v: Visit, draft: VisitDraft | None) -> d.DeliveryInfo | None:
    """Who received the visit's documents and how: as recorded at completion, else as the
    visit in progress has it."""
    if v.recipient:
        return d.DeliveryInfo(v.recipient, nfc(v.recipient_name), nfc(v.recipient_relation),
                              v.delivery_method, v.delivered_on)
    im = draft.implement if draft is not None else None
    if im is None or not im.recipient:
        return None
    return d.DeliveryInfo(im.recipient, nfc(im.recipient_name), nfc(im.recipient_relation),
                          im.delivery_method, im.delivered_on)


def visit_for_doc(s: Session, patient_id: int, visit_id: int | None) -> tuple[Visit | None, VisitDraft | None]:
    v = get_visit(s, patient_id, visit_id)
    return v, load_draft(v)


def today_or(today: date | None) -> date:
    return today or date.today()
