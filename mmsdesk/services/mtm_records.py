"""MTM records for Part D plans: one row per MTM service delivered in a period (CSV or JSON),
and the printable summary per plan (reports/mtm_summary.py).

Read from the store: completed visits that are CMRs or TMRs, or any service billed to a Part D
plan; the beneficiary's plan and member id; the pharmacist's NPI (the practice profile); who
received the visit's documents and when (the CMR's written summary); the recommendations sent
to prescribers and how many changed therapy; the offer of each CMR (services/mtm_offers.py),
and one row for each enrollee offered a CMR in the period who has none that plan year. The
elements and codes are in reports/mtm_data.py with the CMS document they come from. Exports are
recorded in the audit trail.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from mmsdesk import paths
from mmsdesk.models import Patient
from mmsdesk.models.practice import PharmacistProfile
from mmsdesk.models.visit import MtmOffer, Recommendation, Visit
from mmsdesk.reports.mtm_data import DELIVERY_CODES, MtmRecord, MtmRecordsData, PlanSummary
from mmsdesk.services.mtm_offers import OfferRow, offer_for, same_plan
from mmsdesk.store import Store
from mmsdesk.store.audit import record_event

# our visit modality -> CMS method of delivery
MODALITY_DELIVERY = {"home": "face_to_face", "clinic": "face_to_face", "telephone": "telephone",
                     "video": "telehealth"}
# who received the visit's documents -> CMS recipient
RECIPIENTS = {"patient": "beneficiary", "caregiver": "caregiver", "prescriber": "prescriber"}
SERVICES = {"cmr": "CMR", "tmr": "TMR"}
OFFER_ONLY = "offer"  # a row for a CMR offered and not (yet) received
CHANGED = ("accepted", "modified")


def _record(v: Visit, p: Patient, npi: str, recs: list[Recommendation],
            offers: list[OfferRow]) -> MtmRecord:
    method = MODALITY_DELIVERY.get(v.modality, "other")
    to_prescriber = [r for r in recs if r.recipient == "prescriber"]
    service = SERVICES.get(v.service, "other")
    offer = offer_for(offers, p.plan_name, v.visit_date) if service == "CMR" else None
    return MtmRecord(
        plan_name=p.plan_name, member_id=p.member_id, patient_id=p.id or 0,
        last_name=p.last_name, first_name=p.first_name, date_of_birth=p.date_of_birth,
        visit_id=v.id or 0, service=service, visit_service=v.service,
        service_date=v.visit_date, cmr_offer_date=offer.offered_on if offer else None,
        delivery_method=method, delivery_method_code=DELIVERY_CODES[method], provider_npi=npi,
        recipient=RECIPIENTS.get(v.recipient, "other_authorized" if v.recipient else ""),
        recipient_name=v.recipient_name, recipient_relation=v.recipient_relation,
        written_summary_sent_on=v.delivered_on if service == "CMR" else None,
        written_summary_method=v.delivery_method if service == "CMR" else "",
        recommendations_to_prescriber=len(to_prescriber),
        recommendations_resulting_in_change=sum(r.response in CHANGED for r in to_prescriber),
    )


def _offer_only(o: OfferRow, p: Patient, npi: str) -> MtmRecord:
    """An enrollee offered a CMR who has not had one that plan year (as far as the store
    knows): the offer is reported without a service."""
    return MtmRecord(
        plan_name=p.plan_name, member_id=p.member_id, patient_id=p.id or 0,
        last_name=p.last_name, first_name=p.first_name, date_of_birth=p.date_of_birth,
        visit_id=0, service=OFFER_ONLY, visit_service="", service_date=o.offered_on,
        cmr_offer_date=o.offered_on, delivery_method="", delivery_method_code="",
        provider_npi=npi, recipient="", recipient_name="", recipient_relation="",
        written_summary_sent_on=None, written_summary_method="",
        recommendations_to_prescriber=0, recommendations_resulting_in_change=0)


def _offers_without_cmr(offers: dict[int, list[OfferRow]], patients: dict[int, Patient],
                        cmr_years: set[tuple[int, int]], start: date, end: date
                        ) -> list[tuple[OfferRow, Patient]]:
    """For each enrollee and plan year with an offer in the period and no completed CMR that
    year, the initial (first) such offer."""
    first: dict[tuple[int, int], OfferRow] = {}
    for pid, rows in offers.items():
        p = patients[pid]
        for o in rows:
            key = (pid, o.offered_on.year)
            if (start <= o.offered_on <= end and key not in cmr_years
                    and (not o.plan_name or same_plan(o.plan_name, p.plan_name))
                    and (key not in first or (o.offered_on, o.id) < (first[key].offered_on,
                                                                    first[key].id))):
                first[key] = o
    return [(o, patients[o.patient_id]) for o in first.values()]


def mtm_records(store: Store, start: date, end: date, plan: str | None = None
                ) -> MtmRecordsData:
    """The MTM services delivered from ``start`` to ``end`` (both included), by plan; ``plan``
    keeps one plan (its name, case and spaces ignored). Writes nothing."""
    want = " ".join(plan.split()).casefold() if plan else None
    with store.session() as s:
        profile = s.execute(select(PharmacistProfile).order_by(PharmacistProfile.id)).scalars().first()
        npi = profile.npi if profile else ""
        rows = s.execute(
            select(Visit, Patient).join(Patient, Patient.id == Visit.patient_id)
            .where(Visit.status == "complete", Visit.visit_date >= start, Visit.visit_date <= end)
            .order_by(Visit.visit_date, Visit.id)).all()
        visits = [(v, p) for v, p in rows
                  if v.service in SERVICES or v.payer_type == "medicare_part_d"]
        if want is not None:
            visits = [(v, p) for v, p in visits
                      if " ".join(p.plan_name.split()).casefold() == want]
        recs: dict[int, list[Recommendation]] = defaultdict(list)
        ids = [v.id for v, _ in visits]
        if ids:
            for r in s.execute(select(Recommendation).where(Recommendation.visit_id.in_(ids))
                               .order_by(Recommendation.id)).scalars():
                recs[r.visit_id or 0].append(r)
        offers: dict[int, list[OfferRow]] = defaultdict(list)
        patients: dict[int, Patient] = {}
        for o, p in s.execute(select(MtmOffer, Patient)
                              .join(Patient, Patient.id == MtmOffer.patient_id)
                              .order_by(MtmOffer.offered_on, MtmOffer.id)).all():
            if want is None or " ".join(p.plan_name.split()).casefold() == want:
                offers[p.id or 0].append(OfferRow(o.id or 0, o.patient_id, o.offered_on,
                                                  o.method, o.plan_name, o.notes))
                patients[p.id or 0] = p
        records = [_record(v, p, npi, recs[v.id or 0], offers.get(p.id or 0, []))
                   for v, p in visits]
        # a CMR of the plan year, even one outside the period, means the offer was taken up
        done = s.execute(select(Visit.patient_id, Visit.visit_date).where(
            Visit.status == "complete", Visit.service == "cmr",
            Visit.patient_id.in_(list(offers)))).all() if offers else []
        cmr_years = {(pid, day.year) for pid, day in done}
        records += [_offer_only(o, p, npi)
                    for o, p in _offers_without_cmr(offers, patients, cmr_years, start, end)]
        practice = profile.practice_name or profile.name if profile else ""
    by_plan: dict[str, list[MtmRecord]] = defaultdict(list)
    for r in records:
        by_plan[r.plan_name].append(r)
    plans = tuple(PlanSummary(name, tuple(sorted(rs, key=lambda r: (r.service_date, r.visit_id))))
                  for name, rs in sorted(by_plan.items()))
    return MtmRecordsData(start, end, practice, npi, plans)


def records_bytes(data: MtmRecordsData, fmt: str) -> bytes:
    """The rows as CSV (one header line, one row per service) or JSON."""
    rows = [r.as_row() for r in data.records]
    if fmt == "json":
        doc: dict[str, Any] = {"from": data.start.isoformat(), "to": data.end.isoformat(),
                               "provider_npi": data.provider_npi, "records": rows}
        return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=MtmRecord.columns(), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def export_records(store: Store, data: MtmRecordsData, path: Path | str,
                   fmt: str | None = None) -> int:
    """Write the rows (.csv or .json by the file's suffix), recorded in the audit trail; returns
    the number of rows."""
    fmt = fmt or ("json" if str(path).lower().endswith(".json") else "csv")
    with paths.staged_write(path, records_bytes(data, fmt)), store.session() as s:
        record_event(s, "export", "mtm_records",
                     detail=f"MTM records {data.start.isoformat()} to {data.end.isoformat()} "
                            f"({len(data.records)} rows, {fmt})")
    return len(data.records)


def export_summary(store: Store, data: MtmRecordsData, path: Path | str) -> None:
    """Write the printable summary per plan (PDF), recorded in the audit trail."""
    from mmsdesk.reports.mtm_summary import build_pdf

    with paths.staged_write(path, build_pdf(data)), store.session() as s:
        record_event(s, "export", "mtm_records", detail="MTM summary per plan (PDF)")
