"""Patient and prescriber documents: gather the data, build the PDF, audit prints and exports.

``render_document(store, kind, patient_id, ...)`` returns the PDF bytes of one document
(``DOCUMENT_KINDS``). ``preferred_family`` says which take-home family a visit's payer calls
for first (the CMS standardized summary for Medicare Part D, else the PML/MAP); the pharmacist
can print either for anyone. ``save_document`` and ``record_print`` write the audit row
(action "export" / "print", the document kind, page count and SHA-256: never patient data).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from mmsdesk import paths
from mmsdesk.clinical.screening.model import Alert
from mmsdesk.i18n import normalise_language
from mmsdesk.models import DrugTherapyProblem, Patient, Prescriber, Recommendation
from mmsdesk.models.enums import PROBLEM_CATEGORY_LABELS
from mmsdesk.reports import (
    action_plan,
    claim,
    cms_summary,
    estimate,
    invoice,
    med_calendar,
    pml,
    prescriber_letter,
    visit_note,
)
from mmsdesk.reports import data as d
from mmsdesk.services import bills, estimates, translations
from mmsdesk.services import document_data as g
from mmsdesk.services.document_changes import medication_changes, working_medications
from mmsdesk.services.letter_evidence import alert_for, evidence_lines
from mmsdesk.services.validation import ValidationError
from mmsdesk.store import Store
from mmsdesk.store.audit import record_event

DOCUMENT_KINDS: tuple[str, ...] = ("pml", "map", "cms-summary", "prescriber-letter",
                                   "visit-note", "calendar", "invoice", "claim", "gfe")
KIND_LABELS: dict[str, str] = {
    "pml": "Personal Medication List",
    "map": "Medication Action Plan",
    "cms-summary": "CMR written summary (CMS format)",
    "prescriber-letter": "Prescriber recommendation letter",
    "visit-note": "Visit note (SOAP)",
    "calendar": "Medication calendar",
    "invoice": "Invoice / receipt",
    "claim": "Claim summary (CMS-1500 style)",
    "gfe": "Good Faith Estimate",
}
PATIENT_KINDS = frozenset({"pml", "map", "cms-summary", "calendar", "invoice", "gfe"})
NEEDS_VISIT = frozenset({"cms-summary", "visit-note", "invoice", "claim", "gfe"})
BUILDERS: dict[str, Callable[[d.DocumentData], bytes]] = {  # static imports: frozen builds
    "pml": pml.build_pdf,
    "map": action_plan.build_pdf,
    "cms-summary": cms_summary.build_pdf,
    "prescriber-letter": prescriber_letter.build_pdf,
    "visit-note": visit_note.build_pdf,
    "calendar": med_calendar.build_pdf,
    "invoice": invoice.build_pdf,
    "claim": claim.build_pdf,
    "gfe": estimate.build_pdf,
}
DISPOSAL = ("Take unused or expired medicines to a drug take-back site: many pharmacies and "
            "police stations have a drop-off box (find one at www.dea.gov/takebackday or call "
            "your pharmacy). If no take-back site is near, mix pills with used coffee grounds or "
            "cat litter in a sealed bag and put it in the household trash; scratch out your name "
            "on the label. Some medicines, such as opioid pain patches, should be flushed: see "
            "www.fda.gov/drugdisposal.")


def preferred_family(store: Store, patient_id: int, visit_id: int | None = None) -> str:
    """'cms-summary' when the visit's (or patient's) payer is Medicare Part D, else 'pml'."""
    with store.session() as s:
        p = s.get(Patient, patient_id)
        if p is None:
            raise LookupError(f"no patient with id {patient_id}")
        v = g.get_visit(s, patient_id, visit_id)
        payer = v.payer_type if v is not None else p.payer_type
    return "cms-summary" if payer == "medicare_part_d" else "pml"


def practice_info(store: Store) -> d.PracticeInfo:
    """The letterhead and signature details from the pharmacist profile (signed by the
    signed-in pharmacist in team mode)."""
    with store.session() as s:
        return signed_by(s, store, g.practice(s))


def signed_by(s: Session, store: Store, info: d.PracticeInfo) -> d.PracticeInfo:
    """Team mode: documents go out over the signed-in pharmacist's own name, credentials and
    NPI; the letterhead stays the practice's. Nobody signed in (a sole proprietor), or a
    technician (who cannot issue signed documents): the profile's pharmacist."""
    who = getattr(store, "who", None)
    if who is None or not who.is_pharmacist or who.person_id is None:
        return info
    from mmsdesk.models.practice_people import Person

    person = s.get(Person, who.person_id)
    if person is None:
        return info
    npi = person.npi or info.npi
    missing = tuple(m for m in info.missing if m != "pharmacist's name"
                    and not (m == "NPI" and npi))
    return replace(info, pharmacist=person.name, credentials=person.credentials, npi=npi,
                   missing=missing)


def visit_choices(store: Store, patient_id: int) -> list[tuple[int, str]]:
    """The patient's visits, latest first, as (id, "11/24/2026 · CMR · complete")."""
    from mmsdesk.models import Visit

    with store.session() as s:
        rows = s.execute(select(Visit).where(Visit.patient_id == patient_id,
                                             Visit.status != "cancelled")
                         .order_by(Visit.visit_date.desc(), Visit.id.desc())).scalars().all()
        return [(v.id, f"{v.visit_date.strftime('%m/%d/%Y')} · "
                       f"{g.SERVICE_LABELS.get(v.service, v.service)} · {v.status}")
                for v in rows if v.id is not None]


def document_language(store: Store, patient_id: int, lang: str | None = None) -> str:
    if lang:
        return normalise_language(lang)
    with store.session() as s:
        p = s.get(Patient, patient_id)
        if p is None:
            raise LookupError(f"no patient with id {patient_id}")
        return normalise_language(p.preferred_language)


def gather(store: Store, kind: str, patient_id: int, *, visit_id: int | None = None,
           lang: str | None = None, large_print: bool = False,
           today: date | None = None, compact: bool = False,
           attach_list: bool = False, follow_up_id: int | None = None) -> d.DocumentData:
    """The DocumentData of one document (raises ValidationError when it cannot be made).
    ``compact``: the PML's portrait form; ``attach_list``: the prescriber letter attaches the
    current list (after the visit's decisions); ``follow_up_id``: the Good Faith Estimate of
    that planned follow-up (services.estimates) instead of the visit's."""
    if kind not in DOCUMENT_KINDS:
        raise ValidationError({"kind": f"Unknown document {kind!r}; choose one of "
                                       f"{', '.join(DOCUMENT_KINDS)}."})
    today = g.today_or(today)
    with store.session() as s:
        p = s.get(Patient, patient_id)
        if p is None:
            raise LookupError(f"no patient with id {patient_id}")
        language = normalise_language(lang or p.preferred_language)
        if kind not in PATIENT_KINDS:
            language = "en"  # prescriber letter and visit note are for professionals
        visit, draft = g.visit_for_doc(s, patient_id, visit_id)
        if visit is None and kind in NEEDS_VISIT:
            raise ValidationError({"visit": f"{KIND_LABELS[kind]} needs a visit, and this "
                                            "patient has none."})
        data = d.DocumentData(
            patient=g.patient_info(s, p), practice=signed_by(s, store, g.practice(s)),
            prepared_on=today,
            lang=language, large_print=large_print, compact=compact and kind == "pml",
            last_reviewed=visit.visit_date if visit is not None else None,
            kb_version=g.kb_version(), medications=g.medications(s, patient_id, language),
            allergies=g.allergies(s, patient_id, language), disposal=DISPOSAL)
        if visit is not None:
            raw = g.problems_and_plans(s, visit, draft)
            info = g.visit_info(s, visit, draft)
            items = tuple(d.ActionItem(g.nfc(a.talked_about), g.nfc(a.to_do))
                          for a in (draft.plan.action_items if draft else []))
            changes = medication_changes(s, patient_id, visit.visit_date, today, language)
            if visit.status != "complete" and draft is not None and draft.collect.discrepancies:
                meds, changes = working_medications(s, draft, language)
                data = replace(data, medications=meds)
            data = replace(data, visit=info, problems=g.problem_items(s, raw), action_items=items,
                           medication_changes=changes,
                           follow_up_plan=info.follow_up,  # "My notes and questions": the patient's
                           other_information=info.education if kind == "pml" else "")
        if kind in ("visit-note", "prescriber-letter"):
            data = replace(data, labs=tuple(g.latest_labs(s, patient_id)))
        if kind == "prescriber-letter":
            data = replace(data, letters=_letters(s, store, patient_id, visit, draft, today,
                                                  data.current_medications, data.labs),
                           attach_list=attach_list)
            if not data.letters:
                raise ValidationError({"recommendations": "There is no open recommendation to a "
                                                          "prescriber for this patient."})
        if kind in ("invoice", "claim"):
            assert visit is not None
            data = replace(data, invoice=bills.invoice_info(s, visit))
        if kind == "gfe" and follow_up_id is not None:
            data = replace(data, estimate=estimates.follow_up_estimate_info(
                s, patient_id, follow_up_id, data.practice))
        elif kind == "gfe":
            assert visit is not None
            data = replace(data, estimate=bills.estimate_info(s, visit, data.practice))
        if visit is not None:
            data = replace(data, delivery=g.delivery(visit, draft))
        data = translations.apply(s, data, patient_id)  # what the pharmacist translated
    return data


def render_document(store: Store, kind: str, patient_id: int, *, visit_id: int | None = None,
                    lang: str | None = None, large_print: bool = False,
                    today: date | None = None, compact: bool = False,
                    attach_list: bool = False, follow_up_id: int | None = None) -> bytes:
    if kind == "gfe" and follow_up_id is not None:  # a planned follow-up's, issued once
        estimates.issue_follow_up_estimate(store, patient_id, follow_up_id, g.today_or(today))
    elif kind == "gfe":  # the estimate shown is the one given: stored with the visit, once
        bills.issue_estimate(store, patient_id, visit_id, g.today_or(today))
    data = gather(store, kind, patient_id, visit_id=visit_id, lang=lang,
                  large_print=large_print, today=today, compact=compact,
                  attach_list=attach_list, follow_up_id=follow_up_id)
    return build(kind, data)


def build(kind: str, data: d.DocumentData) -> bytes:
    return BUILDERS[kind](data)


def pdf_pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ") or pdf.count(b"/Type /Page")


def _audit(store: Store, action: str, kind: str, patient_id: int | None, pdf: bytes,
           visit_id: int | None) -> None:
    detail = (f"{kind}; pages={pdf_pages(pdf)}; bytes={len(pdf)}; "
              f"sha256={hashlib.sha256(pdf).hexdigest()}")
    with store.session() as s:
        record_event(s, action, "document", entity_id=str(visit_id or ""), patient_id=patient_id,
                     detail=detail)


# Documents that go out over the pharmacist's signature: a technician may preview them, but
# only a pharmacist saves or prints them (team mode, store/who.py).
SIGNED_KINDS = {"cms-summary": "the CMR written summary",
                "prescriber-letter": "a prescriber letter"}


def check_may_issue(store: Store, kind: str) -> None:
    """Raise NotPermitted when the signed-in person may not save or print ``kind``."""
    if kind in SIGNED_KINDS:
        from mmsdesk.store.who import require_pharmacist

        require_pharmacist(getattr(store, "who", None),
                           f"sign and issue {SIGNED_KINDS[kind]}")


def save_document(store: Store, kind: str, patient_id: int | None, pdf: bytes, path: Path | str,
                  *, visit_id: int | None = None) -> Path:
    """Write the PDF (private, 0600) under a hidden staged name beside ``path``, record the
    "export" audit row, and only then rename it to ``path``: no PDF without its audit row."""
    check_may_issue(store, kind)
    path = Path(path)
    with paths.staged_write(path, pdf):
        _audit(store, "export", kind, patient_id, pdf, visit_id)
    return path


def record_print(store: Store, kind: str, patient_id: int | None, pdf: bytes, *,
                 visit_id: int | None = None) -> None:
    check_may_issue(store, kind)
    _audit(store, "print", kind, patient_id, pdf, visit_id)


# -- prescriber letters
def _letters(s: Session, store: Store, patient_id: int, visit: Any, draft: Any,
             today: date, medicines: tuple[d.MedicationItem, ...] = (),
             labs: tuple[str, ...] = ()) -> tuple[d.PrescriberLetter, ...]:
    q = select(Recommendation).where(Recommendation.patient_id == patient_id,
                                     Recommendation.recipient == "prescriber",
                                     Recommendation.response == "pending")
    recs: list[tuple[int | None, str, str, str, Any]] = []
    for r in s.execute(q).scalars():
        prob = s.get(DrugTherapyProblem, r.problem_id) if r.problem_id else None
        recs.append((r.prescriber_id, r.intervention, g.nfc(r.text), r.priority, prob))
    if not recs and draft is not None:  # a visit still in progress: its plans
        problems = {p.key: p for p in draft.assess.problems}
        for x in draft.plan.plans:
            if x.recipient == "prescriber":
                recs.append((x.prescriber_id, x.intervention, g.nfc(x.text), x.priority,
                             problems.get(x.problem_key)))
    if not recs:
        return ()
    alerts = _alerts_by_key(store, patient_id, today)
    by_prescriber: dict[int | None, list[d.RecommendationItem]] = {}
    for presc_id, intervention, text, priority, prob in recs:
        key = getattr(prob, "alert_key", "") if prob is not None else ""
        meds = getattr(prob, "medications", "") if prob is not None else ""
        meds_t = tuple(m for m in meds.split(";") if m) if isinstance(meds, str) else tuple(meds)
        evidence = evidence_lines(alert_for(alerts, key, meds_t), medicines, meds_t, labs,
                                  g.nfc(getattr(prob, "description", "")) if prob else "")
        by_prescriber.setdefault(presc_id, []).append(d.RecommendationItem(
            problem=g.nfc(getattr(prob, "description", "")) if prob is not None else "",
            category=PROBLEM_CATEGORY_LABELS.get(getattr(prob, "category", ""), ""),
            recommendation=text, intervention=g.INTERVENTION_LABELS.get(intervention, intervention),
            priority=priority, medications=meds_t, evidence=tuple(evidence)))
    letters = []
    for presc_id, items in by_prescriber.items():
        pr = s.get(Prescriber, presc_id) if presc_id is not None else None
        info = (d.PrescriberInfo(g.nfc(pr.display_name), g.nfc(pr.practice), pr.phone, pr.fax,
                                 g.nfc(pr.address), pr.npi) if pr is not None
                else d.PrescriberInfo("Prescriber"))
        letters.append(d.PrescriberLetter(info, tuple(items)))
    return tuple(sorted(letters, key=lambda lt: lt.prescriber.name.casefold()))


def _alerts_by_key(store: Store, patient_id: int, today: date) -> dict[str, Alert]:
    """The patient screened now: a problem's evidence is its alert's (matched by key)."""
    try:
        from mmsdesk.services.screening import screen_patient

        result = screen_patient(store, patient_id, today)
    except Exception:  # noqa: BLE001 - evidence is a courtesy; the letter prints without it
        return {}
    return {a.key: a for a in result.alerts}


