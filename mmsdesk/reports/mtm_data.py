"""MTM records for the plans that pay, as plain data (made by ``services.mtm_records``).

One :class:`MtmRecord` per MTM service delivered (a completed CMR, TMR or other visit billed to
a Part D plan), holding the beneficiary-level elements that the Medicare Part D Reporting
Requirements ask sponsors to report for each enrollee in their MTM program: CMS-10185
(OMB 0938-0992), "Medicare Part D Reporting Requirements", effective January 1, 2026 (contract
year 2026), Section II "Medication Therapy Management Programs". The delivery-method codes
are those of the CMS Part D MTM beneficiary data file (01 face-to-face, 02 telephone,
03 telehealth consultation such as video, 99 other); the recipient is given in words
(beneficiary, the beneficiary's prescriber, caregiver, other authorized person). The date of
the CMR offer comes from the offers the pharmacist records (services/mtm_offers.py): a CMR row
carries the plan year's initial offer (the first on or before it), as CMS asks for the date of
the initial offer of the annual CMR; an enrollee offered a CMR who
has none that plan year gets a row of its own (service "offer", no visit), since the plans
report the offer for every enrollee, whether or not the review followed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

# CMS method of delivery for the CMR: (our key, CMS code, words)
DELIVERY_CODES = {"face_to_face": "01", "telephone": "02", "telehealth": "03", "other": "99"}
DELIVERY_LABELS = {"face_to_face": "Face to face", "telephone": "Telephone",
                   "telehealth": "Telehealth (video)", "other": "Other"}
RECIPIENT_LABELS = {"beneficiary": "Beneficiary", "prescriber": "Beneficiary's prescriber",
                    "caregiver": "Caregiver", "other_authorized": "Other authorized person"}
SERVICE_LABELS = {"CMR": "Comprehensive medication review", "TMR": "Targeted medication review",
                  "other": "Other MTM service", "offer": "CMR offered, not received"}


@dataclass(frozen=True)
class MtmRecord:
    """One MTM service delivered; empty text or None where the record does not say."""

    plan_name: str
    member_id: str
    patient_id: int
    last_name: str
    first_name: str
    date_of_birth: date | None
    visit_id: int
    service: str  # "CMR", "TMR", "other" or "offer" (a CMR offered, none received that year;
    # no visit: visit_id 0); the visit's own service is in visit_service
    visit_service: str
    service_date: date
    cmr_offer_date: date | None  # the day the CMR was offered (CMR and offer rows)
    delivery_method: str  # face_to_face, telephone, telehealth, other
    delivery_method_code: str  # CMS code: 01, 02, 03, 99
    provider_npi: str
    recipient: str  # beneficiary, prescriber, caregiver, other_authorized, "" if not recorded
    recipient_name: str
    recipient_relation: str
    written_summary_sent_on: date | None  # the CMR's summary in CMS Standardized Format
    written_summary_method: str  # in_person, mail, portal, fax
    recommendations_to_prescriber: int
    recommendations_resulting_in_change: int  # accepted or modified by the prescriber

    @classmethod
    def columns(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def as_row(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v)
                for k, v in asdict(self).items()}


@dataclass(frozen=True)
class PlanSummary:
    plan_name: str
    records: tuple[MtmRecord, ...]

    @property
    def beneficiaries(self) -> int:
        """Enrollees who received a service (an offer alone is not one)."""
        return len({r.patient_id for r in self.records if r.service != "offer"})

    def count(self, service: str) -> int:
        return sum(r.service == service for r in self.records)

    @property
    def recommendations(self) -> int:
        return sum(r.recommendations_to_prescriber for r in self.records)

    @property
    def changes(self) -> int:
        return sum(r.recommendations_resulting_in_change for r in self.records)

    @property
    def missing(self) -> list[str]:
        """What a plan will ask for that some CMR rows lack."""
        cmrs = [r for r in self.records if r.service == "CMR"]
        out = []
        for label, test in (("recipient", lambda r: not r.recipient),
                            ("date the written summary was sent",
                             lambda r: r.written_summary_sent_on is None),
                            ("provider NPI", lambda r: not r.provider_npi),
                            ("date of the CMR offer", lambda r: r.cmr_offer_date is None)):
            n = sum(1 for r in cmrs if test(r))
            if n:
                out.append(f"{n} CMR(s) without the {label}")
        return out


@dataclass(frozen=True)
class MtmRecordsData:
    start: date
    end: date
    practice_name: str
    provider_npi: str
    plans: tuple[PlanSummary, ...]

    @property
    def records(self) -> list[MtmRecord]:
        return [r for p in self.plans for r in p.records]
