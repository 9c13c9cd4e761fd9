"""The care team: prescribers and pharmacies (shared by the practice) linked to a patient,
and the patient's caregivers."""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlmodel import Session

from mmsdesk.models import (
    Caregiver,
    Patient,
    PatientPharmacy,
    PatientPrescriber,
    Pharmacy,
    Prescriber,
)
from mmsdesk.services import changes
from mmsdesk.services import validation as v
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.versions import touch
from mmsdesk.store import Store

PHARMACY_KINDS = {"retail": "Retail", "mail_order": "Mail order", "specialty": "Specialty",
                  "ltc": "Long-term care"}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


@dataclass
class PrescriberInput:
    last_name: str
    first_name: str = ""
    credentials: str = ""
    npi: str = ""
    practice: str = ""
    specialty: str = ""
    phone: str = ""
    fax: str = ""
    address: str = ""


@dataclass
class PharmacyInput:
    name: str
    kind: str = "retail"
    phone: str = ""
    fax: str = ""
    address: str = ""
    npi: str = ""


@dataclass(frozen=True)
class PrescriberRow:
    id: int
    display_name: str
    practice: str
    specialty: str
    phone: str
    fax: str
    npi: str
    role: str = ""
    is_primary_care: bool = False


@dataclass(frozen=True)
class PharmacyRow:
    id: int
    name: str
    kind: str
    phone: str
    fax: str
    is_primary: bool = False


@dataclass(frozen=True)
class CaregiverRow:
    id: int
    name: str
    relationship: str
    phone: str
    is_emergency_contact: bool


@dataclass(frozen=True)
class CareTeam:
    prescribers: list[PrescriberRow]
    pharmacies: list[PharmacyRow]
    caregivers: list[CaregiverRow]


def validate_prescriber(d: PrescriberInput) -> dict[str, str]:
    return v.collect(last_name=v.required_name(d.last_name, "Last name"),
                     first_name=v.optional_text(d.first_name, "First name", v.MAX_NAME),
                     credentials=v.optional_text(d.credentials, "Credentials", 50),
                     npi=v.npi(d.npi), phone=v.phone(d.phone), fax=v.phone(d.fax, "Fax"),
                     practice=v.optional_text(d.practice, "Practice", 200),
                     specialty=v.optional_text(d.specialty, "Specialty", 100),
                     address=v.optional_text(d.address, "Address", 400))


def validate_pharmacy(d: PharmacyInput) -> dict[str, str]:
    errors = v.collect(name=v.optional_text(d.name, "Pharmacy name", 200)
                       or (None if d.name.strip() else "Pharmacy name is required."),
                       phone=v.phone(d.phone), fax=v.phone(d.fax, "Fax"), npi=v.npi(d.npi),
                       address=v.optional_text(d.address, "Address", 400))
    if d.kind not in PHARMACY_KINDS:
        errors["kind"] = "Choose the kind of pharmacy from the list."
    return errors


def _prescriber_row(p: Prescriber, link: PatientPrescriber | None = None) -> PrescriberRow:
    assert p.id is not None
    return PrescriberRow(p.id, p.display_name, p.practice, p.specialty, p.phone, p.fax, p.npi,
                         link.role if link else "", link.is_primary_care if link else False)


def _pharmacy_row(p: Pharmacy, link: PatientPharmacy | None = None) -> PharmacyRow:
    assert p.id is not None
    return PharmacyRow(p.id, p.name, p.kind, p.phone, p.fax, link.is_primary if link else False)


class CareTeamService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def all_prescribers(self) -> list[PrescriberRow]:
        with self.store.session() as s:
            rows = s.execute(select(Prescriber).order_by(Prescriber.last_name,
                                                         Prescriber.first_name)).scalars()
            return [_prescriber_row(p) for p in rows]

    def all_pharmacies(self) -> list[PharmacyRow]:
        with self.store.session() as s:
            rows = s.execute(select(Pharmacy).order_by(Pharmacy.name)).scalars()
            return [_pharmacy_row(p) for p in rows]

    def team(self, patient_id: int) -> CareTeam:
        with self.store.session() as s:
            prs = s.execute(select(Prescriber, PatientPrescriber).join(
                PatientPrescriber, PatientPrescriber.prescriber_id == Prescriber.id).where(
                PatientPrescriber.patient_id == patient_id).order_by(
                PatientPrescriber.is_primary_care.desc(), Prescriber.last_name)).all()  # type: ignore[attr-defined]
            phs = s.execute(select(Pharmacy, PatientPharmacy).join(
                PatientPharmacy, PatientPharmacy.pharmacy_id == Pharmacy.id).where(
                PatientPharmacy.patient_id == patient_id).order_by(
                PatientPharmacy.is_primary.desc(), Pharmacy.name)).all()  # type: ignore[attr-defined]
            cgs = s.execute(select(Caregiver).where(Caregiver.patient_id == patient_id)
                            .order_by(Caregiver.id)).scalars()
            return CareTeam(
                [_prescriber_row(p, link) for p, link in prs],
                [_pharmacy_row(p, link) for p, link in phs],
                [CaregiverRow(c.id, c.name, c.relationship, c.phone, c.is_emergency_contact)  # type: ignore[arg-type]
                 for c in cgs])

    def add_prescriber(self, data: PrescriberInput, patient_id: int | None = None,
                       role: str = "") -> tuple[int, ChangeSet]:
        """A new prescriber for the practice, linked to the patient when one is given."""
        data = PrescriberInput(**{k: _nfc(x) for k, x in asdict(data).items()})
        errors = validate_prescriber(data)
        if errors:
            raise v.ValidationError(errors)
        with self.store.session() as s:
            p = Prescriber(**asdict(data))
            s.add(p)
            s.flush()
            if patient_id is not None:
                self._link_prescriber(s, patient_id, p.id, role, False)  # type: ignore[arg-type]
            pid = p.id
        assert pid is not None
        return pid, ChangeSet.of(changes.CARE_TEAM, patient_id=patient_id)

    def add_pharmacy(self, data: PharmacyInput, patient_id: int | None = None
                     ) -> tuple[int, ChangeSet]:
        data = PharmacyInput(**{k: _nfc(x) for k, x in asdict(data).items()})
        errors = validate_pharmacy(data)
        if errors:
            raise v.ValidationError(errors)
        with self.store.session() as s:
            p = Pharmacy(**asdict(data))
            s.add(p)
            s.flush()
            if patient_id is not None:
                self._link_pharmacy(s, patient_id, p.id, False)  # type: ignore[arg-type]
            pid = p.id
        assert pid is not None
        return pid, ChangeSet.of(changes.CARE_TEAM, patient_id=patient_id)

    def link_prescriber(self, patient_id: int, prescriber_id: int, role: str = "",
                        is_primary_care: bool = False) -> ChangeSet:
        with self.store.session() as s:
            self._link_prescriber(s, patient_id, prescriber_id, _nfc(role), is_primary_care)
        return ChangeSet.of(changes.CARE_TEAM, patient_id=patient_id)

    def unlink_prescriber(self, patient_id: int, prescriber_id: int) -> ChangeSet:
        with self.store.session() as s:
            link = s.get(PatientPrescriber, (patient_id, prescriber_id))
            if link is not None:
                s.delete(link)
        return ChangeSet.of(changes.CARE_TEAM, patient_id=patient_id)

    def link_pharmacy(self, patient_id: int, pharmacy_id: int, is_primary: bool = False
                      ) -> ChangeSet:
        with self.store.session() as s:
            self._link_pharmacy(s, patient_id, pharmacy_id, is_primary)
        return ChangeSet.of(changes.CARE_TEAM, patient_id=patient_id)

    def unlink_pharmacy(self, patient_id: int, pharmacy_id: int) -> ChangeSet:
        with self.store.session() as s:
            link = s.get(PatientPharmacy, (patient_id, pharmacy_id))
            if link is not None:
                s.delete(link)
        return ChangeSet.of(changes.CARE_TEAM, patient_id=patient_id)

    def add_caregiver(self, patient_id: int, name: str, relationship: str = "", phone: str = "",
                      is_emergency_contact: bool = False) -> ChangeSet:
        errors = v.collect(name=v.required_name(name, "Caregiver name"),
                           phone=v.phone(phone, "Caregiver phone"))
        if errors:
            raise v.ValidationError(errors)
        with self.store.session() as s:
            s.add(Caregiver(patient_id=patient_id, name=_nfc(name),
                            relationship=_nfc(relationship), phone=_nfc(phone),
                            is_emergency_contact=is_emergency_contact))
            _touch_patient(s, patient_id)
        return ChangeSet.of(changes.CARE_TEAM, changes.DEMOGRAPHICS, patient_id=patient_id)

    def remove_caregiver(self, caregiver_id: int) -> ChangeSet:
        with self.store.session() as s:
            c = s.get(Caregiver, caregiver_id)
            if c is None:
                raise LookupError(f"No caregiver with id {caregiver_id}.")
            pid = c.patient_id
            s.delete(c)
            _touch_patient(s, pid)
        return ChangeSet.of(changes.CARE_TEAM, changes.DEMOGRAPHICS, patient_id=pid)

    @staticmethod
    def _link_prescriber(s: Session, patient_id: int, prescriber_id: int, role: str,
                         primary: bool) -> None:
        link = s.get(PatientPrescriber, (patient_id, prescriber_id))
        if link is None:
            link = PatientPrescriber(patient_id=patient_id, prescriber_id=prescriber_id)
        link.role, link.is_primary_care = role, primary
        s.add(link)

    @staticmethod
    def _link_pharmacy(s: Session, patient_id: int, pharmacy_id: int, primary: bool) -> None:
        link = s.get(PatientPharmacy, (patient_id, pharmacy_id))
        if link is None:
            link = PatientPharmacy(patient_id=patient_id, pharmacy_id=pharmacy_id)
        link.is_primary = primary
        s.add(link)


def _touch_patient(s: Session, patient_id: int) -> None:
    """Caregivers are edited with the patient (the patient form rewrites them): a change here
    is a new version of the patient, so a form still showing the old caregivers is refused."""
    patient = s.get(Patient, patient_id)
    if patient is None:
        raise LookupError(f"No patient with id {patient_id}.")
    touch(patient)
    s.add(patient)
