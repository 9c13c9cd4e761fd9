"""The plain data every patient and prescriber document is built from (no ORM, no clock).

``services/documents.py`` gathers a :class:`DocumentData` from the store; the builders in this
package only read it. Dates come in (``prepared_on``); nothing here asks for today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from mmsdesk.clinical.sig_read import Sig


@dataclass(frozen=True)
class PracticeInfo:
    pharmacist: str = ""
    credentials: str = ""
    practice_name: str = ""
    address: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    hours: str = ""  # "Monday to Friday, 9 am to 5 pm"
    tty: str = ""
    npi: str = ""
    logo_png: bytes | None = None
    tin: str = ""  # the practice's federal tax id (claims, Good Faith Estimates)
    missing: tuple[str, ...] = ()  # details not set up yet: "pharmacist's name", "phone"

    @property
    def signature(self) -> str:
        return f"{self.pharmacist}, {self.credentials}" if self.credentials else self.pharmacist


@dataclass(frozen=True)
class PatientInfo:
    name: str  # as printed: "José Müller"
    date_of_birth: date
    first_name: str = ""
    phone: str = ""
    address_lines: tuple[str, ...] = ()
    emergency_contact: str = ""  # "Lucía Müller (daughter), (555) 310-8890"
    primary_care: str = ""  # "Dr Anita Patel, MD, (555) 200-1000"
    pharmacies: tuple[str, ...] = ()
    plan_name: str = ""
    member_id: str = ""
    sex: str = ""


@dataclass(frozen=True)
class MedicationItem:
    name: str
    directions: str = ""  # plain language, "Take 1 tablet by mouth every morning"
    indication: str = ""  # "for blood pressure"
    prescriber: str = ""
    started: date | None = None
    stopped: date | None = None
    stop_reason: str = ""
    status: str = "active"  # active | on_hold | stopped
    kind: str = "prescription"
    as_needed: bool = False
    times_of_day: tuple[str, ...] = ()  # of morning, noon, evening, bedtime
    dose: str = ""  # "1 tablet", when recorded structured
    frequency: str = ""  # coded, "bid"
    sig: Sig | None = None  # the directions as codes (recorded, or read from the text)
    untranslated: tuple[str, ...] = ()  # fields printed as written: directions, indication...

    @property
    def current(self) -> bool:
        return self.status != "stopped"


@dataclass(frozen=True)
class AllergyItem:
    substance: str
    reaction: str = ""
    type: str = "allergy"  # allergy | intolerance (a side effect)
    untranslated: bool = False  # the reaction printed as written


@dataclass(frozen=True)
class MedicationChange:
    """A change to the list made at the visit or since: the action plan tells the patient."""

    name: str  # the medicine's name now, as every document prints it
    action: str  # started | changed | stopped | held | resumed
    on: date
    changes: tuple[tuple[str, str, str], ...] = ()  # (what, before, after): strength, directions
    directions: str = ""  # how to use it now
    reason: str = ""  # plain words for the patient


@dataclass(frozen=True)
class ActionItem:
    talked_about: str
    to_do: str


@dataclass(frozen=True)
class RecommendationItem:
    problem: str  # the problem in the pharmacist's words
    category: str = ""  # the DTP category label
    recommendation: str = ""
    intervention: str = ""
    priority: str = "medium"
    medications: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # "eGFR 38 mL/min/1.73m² (11/17/2026)", alert text
    response: str = "pending"


@dataclass(frozen=True)
class PrescriberInfo:
    name: str
    practice: str = ""
    phone: str = ""
    fax: str = ""
    address: str = ""
    npi: str = ""


@dataclass(frozen=True)
class PrescriberLetter:
    prescriber: PrescriberInfo
    recommendations: tuple[RecommendationItem, ...]


@dataclass(frozen=True)
class ProblemItem:
    category: str
    description: str
    medications: tuple[str, ...] = ()
    priority: str = "medium"
    status: str = "open"
    plans: tuple[str, ...] = ()  # "Prescriber (Dr Okafor): reduce the dose ..."


@dataclass(frozen=True)
class VisitInfo:
    id: int | None
    service: str  # label: "Comprehensive medication review (CMR)"
    service_code: str = ""
    modality: str = ""  # label: "In person (home)"
    visit_date: date | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    minutes: int | None = None
    cpt_codes: tuple[tuple[str, int], ...] = ()  # ("99605", 1), ("99607", 2)
    payer: str = ""
    status: str = "draft"
    reason: str = ""
    concerns: str = ""
    goals_values: str = ""
    barriers: str = ""
    lifestyle: str = ""
    vitals: tuple[str, ...] = ()
    assessment_notes: tuple[str, ...] = ()
    education: str = ""
    referrals: str = ""
    reconciliation: tuple[str, ...] = ()  # lists compared, then each discrepancy and decision
    goals: tuple[str, ...] = ()
    follow_up: str = ""  # "Telephone follow-up by 12/22/2026: recheck INR"
    follow_up_due: date | None = None
    follow_up_modality: str = ""  # label: "Telephone"
    follow_up_reason: str = ""
    notes: str = ""


@dataclass(frozen=True)
class InvoiceLine:
    description: str
    amount: float  # the line's charge (for its units)
    quantity: int = 1  # units
    code: str = ""  # CPT code, "99605"

    @property
    def charge(self) -> float:
        return self.amount if self.code else self.amount * self.quantity


@dataclass(frozen=True)
class InvoiceInfo:
    number: str
    lines: tuple[InvoiceLine, ...]
    amount_paid: float | None = None
    payment_method: str = ""
    paid_on: date | None = None
    diagnoses: tuple[tuple[str, str], ...] = ()  # ICD-10-CM: ("I10", "Essential hypertension")
    plan_paid: bool = False  # a plan pays (Part D MTM): the patient is charged nothing
    payer: str = ""  # "Medicare Part D"
    priced: bool = True  # False: no price known (a plan-paid service not in the catalogue)
    place_of_service: tuple[str, str] = ("", "")  # CMS place of service: ("12", "Home")

    @property
    def total(self) -> float:
        return round(sum(line.charge for line in self.lines), 2)

    @property
    def patient_charge(self) -> float:
        return 0.0 if self.plan_paid else self.total

    @property
    def balance(self) -> float:
        return round(self.patient_charge - (self.amount_paid or 0.0), 2)


@dataclass(frozen=True)
class EstimateInfo:
    """A Good Faith Estimate for a self-pay patient (45 CFR 149.610), as issued."""

    number: str
    issued_on: date
    service: str  # the primary service in plain words
    scheduled_on: date | None
    lines: tuple[InvoiceLine, ...]
    diagnoses: tuple[tuple[str, str], ...] = ()
    location: str = ""  # where the service is given: "The patient's home", the office

    @property
    def total(self) -> float:
        return round(sum(line.charge for line in self.lines), 2)


# How the documents word who received them and how (models.enums.DocumentRecipient, DeliveryMethod)
RECIPIENT_WORDS = {"patient": "the patient", "caregiver": "caregiver",
                   "prescriber": "prescriber"}
DELIVERY_WORDS = {"in_person": "in person", "mail": "by mail",
                  "portal": "through the patient portal", "fax": "by fax"}


@dataclass(frozen=True)
class DeliveryInfo:
    """Who received the visit's documents, and how and when."""

    recipient: str = ""  # patient | caregiver | prescriber
    name: str = ""  # the caregiver's (or prescriber's) name
    relation: str = ""  # "daughter"
    method: str = ""  # in_person | mail | portal | fax
    on: date | None = None


@dataclass(frozen=True)
class DocumentData:
    """Everything a document may print. Each builder reads the parts it needs."""

    patient: PatientInfo
    practice: PracticeInfo
    prepared_on: date
    lang: str = "en"
    large_print: bool = False
    compact: bool = False  # the PML's compact portrait form
    attach_list: bool = False  # the prescriber letter attaches the current list
    last_reviewed: date | None = None
    kb_version: str = ""
    medications: tuple[MedicationItem, ...] = ()  # current and stopped
    allergies: tuple[AllergyItem, ...] = ()
    labs: tuple[str, ...] = ()  # latest values: "eGFR 38 mL/min/1.73 m² (11/17/2026)"
    action_items: tuple[ActionItem, ...] = ()
    medication_changes: tuple[MedicationChange, ...] = ()
    follow_up_plan: str = ""
    questions: str = ""
    other_information: str = ""
    visit: VisitInfo | None = None
    problems: tuple[ProblemItem, ...] = ()
    letters: tuple[PrescriberLetter, ...] = ()
    invoice: InvoiceInfo | None = None
    estimate: EstimateInfo | None = None
    delivery: DeliveryInfo | None = None
    disposal: str = ""  # where this practice's patients can take unused medicines
    blank_rows: int = 4
    extra: dict[str, str] = field(default_factory=dict)
    # the pharmacist's translations this document prints (text in the patient's language):
    # no longer listed as English by ``untranslated_text``
    translated: frozenset[str] = frozenset()

    @property
    def current_medications(self) -> tuple[MedicationItem, ...]:
        return tuple(m for m in self.medications if m.current)

    @property
    def stopped_medications(self) -> tuple[MedicationItem, ...]:
        return tuple(m for m in self.medications if not m.current)

    def untranslated_text(self) -> tuple[tuple[str, str], ...]:
        """(where, text) of each piece printed as written in a document not in English: the
        document preview lists them for the pharmacist to translate or print anyway."""
        if self.lang == "en":
            return ()
        out: list[tuple[str, str]] = []
        for m in self.medications:
            for what in m.untranslated:
                out.append((f"{m.name}: {what.replace('_', ' ')}", str(getattr(m, what, ""))))
        out += [(f"{a.substance}: reaction", a.reaction) for a in self.allergies if a.untranslated]
        for item in self.action_items:
            out += [("To-Do: talked about", item.talked_about), ("To-Do", item.to_do)]
        out += [(f"{c.name}: reason", c.reason) for c in self.medication_changes]
        v = self.visit  # (a document that does not print the plan has it left out: "")
        if self.follow_up_plan and v is not None and v.follow_up_due is not None:
            # the way and the date print in the patient's language; the reason as typed
            out.append(("My follow-up plan: reason", v.follow_up_reason))
        else:
            out.append(("My follow-up plan", self.follow_up_plan))
        out += [("Other information", self.other_information), ("Questions", self.questions)]
        return tuple(dict.fromkeys((where, text) for where, text in out
                                   if text.strip() and text not in self.translated))

    def with_translations(self, texts: dict[str, str]) -> DocumentData:
        """This document with pieces of English text replaced by the pharmacist's translation
        (``texts``: English as printed -> text in the patient's language), for one print."""
        from dataclasses import replace

        used: set[str] = set()

        def tr(text: str) -> str:
            said = texts.get(text, "").strip()
            if said:
                used.add(said)
            return said or text

        meds = []
        for m in self.medications:
            fields = {what: tr(getattr(m, what)) for what in m.untranslated}
            left = tuple(w for w in m.untranslated if fields[w] == getattr(m, w))
            meds.append(replace(m, **fields, untranslated=left))
        allergies = tuple(replace(a, reaction=tr(a.reaction), untranslated=tr(a.reaction) == a.reaction)
                          if a.untranslated else a for a in self.allergies)
        visit = self.visit
        if visit is not None and visit.follow_up_reason:
            visit = replace(visit, follow_up_reason=tr(visit.follow_up_reason))
        return replace(
            self, medications=tuple(meds), allergies=allergies, visit=visit,
            action_items=tuple(ActionItem(tr(i.talked_about), tr(i.to_do))
                               for i in self.action_items),
            medication_changes=tuple(replace(c, reason=tr(c.reason))
                                     for c in self.medication_changes),
            other_information=tr(self.other_information),
            follow_up_plan=tr(self.follow_up_plan), questions=tr(self.questions),
            translated=self.translated | frozenset(used))
