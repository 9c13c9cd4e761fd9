"""The bills of a visit, as plain data for the documents: the invoice (CPT codes with units,
ICD-10-CM codes, nothing charged to the patient for a plan-paid service), the claim summary
for payers that take paper, and the Good Faith Estimate a self-pay patient is given before a
scheduled service (45 CFR 149.610), stored with the visit as issued.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlmodel import Session

from mmsdesk.models import Visit
from mmsdesk.models.enums import SERVICE_LABELS
from mmsdesk.reports import data as d
from mmsdesk.services import billing
from mmsdesk.services.document_data import PAYER_LABELS, get_visit, load_draft
from mmsdesk.services.validation import ValidationError
from mmsdesk.store import Store

MODALITY_PLACES = {"home": "The patient's home", "clinic": "The practice's office",
                   "video": "By video (telehealth)", "telephone": "By telephone"}

# CMS place of service codes (the code set claims use, item 24B of the CMS-1500): a visit by
# video or telephone reaches the patient at home.
PLACE_OF_SERVICE = {"home": ("12", "Home"), "clinic": ("11", "Office"),
                    "video": ("10", "Telehealth provided in patient's home"),
                    "telephone": ("10", "Telehealth provided in patient's home")}


def visit_number(v: Visit) -> str:
    return f"{v.visit_date.strftime('%Y%m%d')}-{v.id or 0:05d}"


def price_of(s: Session, v: Visit) -> float | None:
    """The visit's own price (a completed self-pay visit), else the catalogue's."""
    return v.price if v.price is not None else billing.offering_price(s, v.service)


def coded_lines(v: Visit, price: float | None) -> tuple[d.InvoiceLine, ...]:
    """One line per CPT code with its units and its share of the price; a visit without
    time recorded has one uncoded line for the service."""
    label = SERVICE_LABELS.get(v.service, v.service)
    cpt = billing.visit_cpt(v.cpt_codes, v.minutes, v.is_new_patient)
    if not cpt:
        return (d.InvoiceLine(label, float(price or 0.0)),)
    charges = billing.line_charges(float(price or 0.0), cpt)
    return tuple(d.InvoiceLine(line.description or label, charge, line.units, line.code)
                 for line, charge in zip(cpt, charges, strict=True))


def diagnosis_codes(v: Visit) -> str:
    """The codes billed: stored at completion; during the visit, as its draft has them."""
    if v.diagnosis_codes or v.status == "complete":
        return v.diagnosis_codes
    draft = load_draft(v)
    return draft.diagnosis_codes if draft is not None else ""


def invoice_info(s: Session, v: Visit) -> d.InvoiceInfo:
    plan_paid = billing.plan_pays(v.payer_type)
    price = price_of(s, v)
    if price is None and not plan_paid:
        raise ValidationError({"price": "This visit has no price and the service catalogue "
                                        "has none for it; set the price first."})
    return d.InvoiceInfo(
        visit_number(v), coded_lines(v, price), v.amount_paid, v.payment_method, v.paid_on,
        diagnoses=tuple(billing.diagnoses(s, v.patient_id, diagnosis_codes(v))),
        plan_paid=plan_paid, payer=PAYER_LABELS.get(v.payer_type, v.payer_type),
        priced=price is not None, place_of_service=PLACE_OF_SERVICE.get(v.modality, ("", "")))


# -- Good Faith Estimate
def estimate_lines(s: Session, v: Visit) -> list[dict[str, Any]]:
    """What the estimate lists, from the service catalogue: the service with the codes its
    usual length calls for (the offering's minutes) and its price."""
    return catalogue_lines(s, v.service, v.is_new_patient)


def catalogue_lines(s: Session, service: str, is_new_patient: bool) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from mmsdesk.models import ServiceOffering

    offer = s.execute(select(ServiceOffering).where(
        ServiceOffering.service == service, ServiceOffering.active.is_(True))  # type: ignore[attr-defined]
        .order_by(ServiceOffering.id).limit(1)).scalars().first()
    if offer is None:
        raise ValidationError({"price": "The service catalogue has no active price for "
                                        f"{SERVICE_LABELS.get(service, service)}; add it "
                                        "in Settings before giving an estimate."})
    cpt = billing.suggest_cpt(offer.duration_minutes, is_new_patient)
    charges = billing.line_charges(float(offer.price), cpt)
    if not cpt:
        return [{"description": offer.name, "code": "", "units": 1,
                 "amount": float(offer.price)}]
    return [{"description": line.description, "code": line.code, "units": line.units,
             "amount": charge} for line, charge in zip(cpt, charges, strict=True)]


def issue_estimate(store: Store, patient_id: int, visit_id: int | None,
                   today: date) -> date:
    """Store the Good Faith Estimate with the visit, once: its day and its lines as issued
    (a later price change does not alter an estimate given). Returns the day it was issued."""
    with store.session() as s:
        v = get_visit(s, patient_id, visit_id)
        if v is None:
            raise ValidationError({"visit": "A Good Faith Estimate is for a scheduled visit, "
                                            "and this patient has none."})
        if v.estimate_issued_on is not None and v.estimate_json:
            return v.estimate_issued_on
        if billing.plan_pays(v.payer_type):
            raise ValidationError({"payer": "A Good Faith Estimate is for a self-pay patient; "
                                            "this visit is paid by the patient's plan."})
        if v.status == "complete":  # an estimate is given before the service, never after
            raise ValidationError({"estimate": "A Good Faith Estimate is given before the "
                                               "service; this visit is complete and none was "
                                               "issued for it."})
        lines = estimate_lines(s, v)
        v.estimate_issued_on = today
        codes = ";".join(code for code, _ in billing.diagnoses(s, patient_id,
                                                               diagnosis_codes(v)))
        kept = json.loads(v.estimate_json) if v.estimate_json else {}  # follow-ups' (estimates.py)
        v.estimate_json = json.dumps({**kept, "lines": lines, "codes": codes},
                                     ensure_ascii=False, sort_keys=True)
        s.add(v)
        return today


def estimate_info(s: Session, v: Visit, practice: d.PracticeInfo) -> d.EstimateInfo:
    """The estimate as issued (see :func:`issue_estimate`)."""
    if v.estimate_issued_on is None or not v.estimate_json:
        raise ValidationError({"estimate": "No Good Faith Estimate was issued for this visit."})
    raw = json.loads(v.estimate_json)
    lines = tuple(d.InvoiceLine(str(x["description"]), float(x["amount"]), int(x["units"]),
                                str(x["code"])) for x in raw.get("lines", []))
    place = MODALITY_PLACES.get(v.modality, v.modality)
    if v.modality == "clinic" and practice.address:
        place += f": {practice.address}"
    return d.EstimateInfo(
        number=visit_number(v), issued_on=v.estimate_issued_on,
        service=SERVICE_LABELS.get(v.service, v.service),
        scheduled_on=v.visit_date, lines=lines,
        diagnoses=tuple(billing.diagnoses(s, v.patient_id, raw.get("codes", ""))),
        location=place)
