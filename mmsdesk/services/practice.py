"""The practice: the pharmacist's profile (letterhead) and the service catalogue (prices).

Plain dataclasses in and out; each save is one transaction and returns a ChangeSet of
``practice``. The catalogue has one row per offered service; defaults cover every
:class:`~mmsdesk.models.enums.ServiceType` with a usual duration and self-pay price.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sqlalchemy import select

from mmsdesk.models import PharmacistProfile, ServiceOffering
from mmsdesk.models.enums import SERVICE_LABELS, ServiceType
from mmsdesk.services import changes
from mmsdesk.services import validation as v
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.versions import expect, refuse
from mmsdesk.store import Store

MAX_LOGO_BYTES = 1024 * 1024
MAX_DURATION = 480
MAX_PRICE = 100_000.0
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"


@dataclass(frozen=True)
class ProfileData:
    name: str = ""
    credentials: str = ""
    npi: str = ""
    practice_name: str = ""
    address: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    logo: bytes | None = None  # PNG or JPEG, at most MAX_LOGO_BYTES
    hours: str = ""  # when patients can call: "Monday to Friday, 9 am to 5 pm"
    tty: str = ""  # a TTY number, or 711 (the relay service)
    tin: str = ""  # federal tax id for claims and estimates: an EIN "12-3456789" or SSN

    def normalised(self) -> ProfileData:
        def t(s: str) -> str:
            return " ".join((s or "").split())
        return replace(self, name=t(self.name), credentials=t(self.credentials),
                       npi=self.npi.strip(), practice_name=t(self.practice_name),
                       address="\n".join(line.strip() for line in self.address.strip().splitlines()),
                       phone=self.phone.strip(), fax=self.fax.strip(), email=self.email.strip(),
                       hours=t(self.hours), tty=self.tty.strip(), tin=self.tin.strip())


@dataclass(frozen=True)
class OfferingData:
    service: str  # a ServiceType value
    name: str
    duration_minutes: int = 30
    price: float = 0.0
    active: bool = True


def logo_problem(data: bytes | None) -> str | None:
    """Why a logo cannot be used (format or size), or None."""
    if not data:
        return None
    if not (data.startswith(_PNG) or data.startswith(_JPEG)):
        return "The logo must be a PNG or JPEG image."
    if len(data) > MAX_LOGO_BYTES:
        return f"The logo is too large (at most {MAX_LOGO_BYTES // 1024} KB)."
    return None


def tty_problem(value: str) -> str | None:
    """A TTY line: 711 (the telecommunications relay service) or a phone number."""
    v_ = value.strip()
    if not v_ or v_ == "711":
        return None
    return v.phone(v_, "TTY")


def tin_problem(value: str) -> str | None:
    """A federal tax id: 9 digits, written as an EIN (12-3456789) or an SSN (123-45-6789)."""
    v_ = value.strip()
    if not v_:
        return None
    if not re.fullmatch(r"\d{2}-\d{7}|\d{3}-\d{2}-\d{4}|\d{9}", v_):
        return "Tax ID should be 9 digits, written as 12-3456789 (EIN) or 123-45-6789."
    return None


def hours_problem(value: str) -> str | None:
    """Office hours as the cover letter prints them after "please call me at …,"."""
    v_ = value.strip()
    if v_ and not any(c.isdigit() for c in v_) and "noon" not in v_.lower():
        return "Office hours should say days and times, for example: Monday to Friday, " \
               "9 am to 5 pm."
    return v.optional_text(v_, "Office hours", 200)


def validate_profile(data: ProfileData) -> dict[str, str]:
    """Field -> message for each problem (empty when the profile can be saved)."""
    d = data.normalised()
    return v.collect(
        name=v.required_name(d.name, "Your name"),
        credentials=v.optional_text(d.credentials, "Credentials", 100),
        npi=v.npi(d.npi),
        practice_name=v.optional_text(d.practice_name, "Practice name", 200),
        address=v.optional_text(d.address, "Address", 400),
        phone=v.phone(d.phone),
        fax=v.phone(d.fax, "Fax"),
        email=v.email(d.email),
        logo=logo_problem(d.logo),
        hours=hours_problem(d.hours),
        tty=tty_problem(d.tty),
        tin=tin_problem(d.tin),
    )


def validate_offering(row: OfferingData) -> dict[str, str]:
    return v.collect(
        service=None if row.service in set(ServiceType) else "Choose a service.",
        name=v.required_name(row.name, "Service name"),
        duration_minutes=None if 5 <= row.duration_minutes <= MAX_DURATION
        else f"Duration must be 5 to {MAX_DURATION} minutes.",
        price=None if 0 <= row.price <= MAX_PRICE else "Price must be zero or more.",
    )


def validate_catalogue(rows: list[OfferingData]) -> dict[str, str]:
    """Messages keyed ``row<N>.<field>`` (N from 0) for every bad row."""
    errors: dict[str, str] = {}
    for i, row in enumerate(rows):
        for key, msg in validate_offering(row).items():
            errors[f"row{i}.{key}"] = msg
    return errors


# Usual durations (minutes) and self-pay prices (USD) of an independent practice.
_DEFAULTS: dict[str, tuple[int, float]] = {
    ServiceType.CMR: (60, 150.0), ServiceType.TMR: (20, 50.0), ServiceType.MED_REC: (45, 100.0),
    ServiceType.PGX: (45, 125.0), ServiceType.CHRONIC_CARE: (30, 75.0),
    ServiceType.DISEASE_STATE: (30, 75.0), ServiceType.ADHERENCE: (30, 60.0),
    ServiceType.POLYPHARMACY: (60, 150.0), ServiceType.DUR: (20, 40.0),
    ServiceType.FOLLOW_UP: (20, 40.0),
}


@dataclass(frozen=True)
class PracticeVersions:
    """What a settings screen read (team mode: the practice's settings are shared): the
    profile's version and each offering's (id, version), in order. Saves go against them."""

    profile: int | None
    offerings: tuple[tuple[int, int], ...]


def default_catalogue() -> list[OfferingData]:
    return [OfferingData(str(t), SERVICE_LABELS[t], *_DEFAULTS[t]) for t in ServiceType]


class PracticeService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def profile(self) -> ProfileData | None:
        with self.store.session() as s:
            row = s.execute(select(PharmacistProfile).order_by(PharmacistProfile.id)).scalars().first()
            if row is None:
                return None
            return ProfileData(name=row.name, credentials=row.credentials, npi=row.npi,
                               practice_name=row.practice_name, address=row.address,
                               phone=row.phone, fax=row.fax, email=row.email,
                               logo=row.logo_png, hours=row.hours, tty=row.tty, tin=row.tin)

    def versions(self) -> PracticeVersions:
        with self.store.session() as s:
            conn = s.connection()
            profile = conn.execute(select(PharmacistProfile.version)
                                   .order_by(PharmacistProfile.id).limit(1)).scalar()
            rows = conn.execute(select(ServiceOffering.id, ServiceOffering.version)
                                .order_by(ServiceOffering.id)).all()
        return PracticeVersions(profile, tuple((i, n) for i, n in rows))

    def save_profile(self, data: ProfileData, *,
                     expected: PracticeVersions | None = None) -> ChangeSet:
        """``expected``: what the screen read; a colleague's save meanwhile is refused
        (RecordChanged), nothing written."""
        errors = validate_profile(data)
        if errors:
            raise v.ValidationError(errors)
        d = data.normalised()
        with self.store.session() as s:
            row = s.execute(select(PharmacistProfile).order_by(PharmacistProfile.id)).scalars().first()
            if row is None and expected is not None and expected.profile is not None:
                refuse(self.store, PharmacistProfile, 1, expected.profile)  # deleted since
            if row is None:
                row = PharmacistProfile(name=d.name)
                s.add(row)
            elif expected is not None:
                if expected.profile is None:  # none when read: a colleague made one since
                    refuse(self.store, PharmacistProfile, row.id, None)  # type: ignore[arg-type]
                expect(row, expected.profile)
            for key in ("name", "credentials", "npi", "practice_name", "address", "phone",
                        "fax", "email", "hours", "tty", "tin"):
                setattr(row, key, getattr(d, key))
            row.logo_png = d.logo or None
        return ChangeSet.of(changes.PRACTICE)

    def catalogue(self, *, include_inactive: bool = True) -> list[OfferingData]:
        with self.store.session() as s:
            q = select(ServiceOffering).order_by(ServiceOffering.id)
            if not include_inactive:
                q = q.where(ServiceOffering.active.is_(True))  # type: ignore[attr-defined]
            return [OfferingData(r.service, r.name, r.duration_minutes, r.price, r.active)
                    for r in s.execute(q).scalars()]

    def save_catalogue(self, rows: list[OfferingData], *,
                       expected: PracticeVersions | None = None) -> ChangeSet:
        """Replace the catalogue by ``rows`` (in order). Rows kept by position keep their id.
        ``expected``: what the screen read; any offering a colleague added, changed or removed
        meanwhile refuses the save (RecordChanged), nothing written."""
        errors = validate_catalogue(rows)
        if errors:
            raise v.ValidationError(errors)
        with self.store.session() as s:
            existing = list(s.execute(select(ServiceOffering).order_by(ServiceOffering.id)).scalars())
            if expected is not None:
                stored = tuple((r.id, r.version) for r in existing)
                if stored != expected.offerings:
                    read = dict(expected.offerings)
                    for r in existing:
                        if read.get(r.id) != r.version:  # added or changed since
                            refuse(self.store, ServiceOffering, r.id, read.get(r.id))  # type: ignore[arg-type]
                    gone = next(i for i in read if i not in {r.id for r in existing})
                    refuse(self.store, ServiceOffering, gone, read[gone])  # removed since
            for i, data in enumerate(rows):
                row = existing[i] if i < len(existing) else ServiceOffering(service=data.service,
                                                                            name=data.name)
                row.service, row.name = data.service, " ".join(data.name.split())
                row.duration_minutes, row.price = int(data.duration_minutes), round(float(data.price), 2)
                row.active = data.active
                s.add(row)
            for row in existing[len(rows):]:
                s.delete(row)
        return ChangeSet.of(changes.PRACTICE)

    def price_of(self, service: str) -> float | None:
        """The self-pay price of the first active offering of ``service`` (billing's default)."""
        return next((r.price for r in self.catalogue(include_inactive=False) if r.service == service),
                    None)
