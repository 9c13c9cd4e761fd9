"""Refill history: import fills (all or nothing) and compute adherence (PDC) for a patient."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from mmsdesk.clinical.dictionary import get_dictionary, resolve
from mmsdesk.interop.fhir_dispense import parse_dispenses
from mmsdesk.interop.refill_csv import RefillRow, load_refill_file
from mmsdesk.models import FillRecord, Patient, PatientPharmacy, Pharmacy
from mmsdesk.services import adherence, changes
from mmsdesk.services.adherence import Fill, PdcResult
from mmsdesk.services.changes import ChangeSet
from mmsdesk.store import Store
from mmsdesk.store.audit import record_event

WINDOW_DAYS = 365
MIN_APPROXIMATE_CONFIDENCE = 0.85  # a misspelt name groups with its drug only when close


def ingredients_for(text: str) -> str:
    """Generic ingredients (sorted, ";"-joined) from the drug dictionary, or "" when unknown."""
    res = resolve(text)
    if res.match == "unrecognised" or (res.match == "approximate"
                                       and res.confidence < MIN_APPROXIMATE_CONFIDENCE):
        return ""
    return ";".join(sorted(res.ingredients))


def ingredients_of_row(r: RefillRow) -> str:
    """The row's ingredients: from its drug name, else from its NDC through the dictionary's
    NDC directory."""
    found = ingredients_for(r.drug)
    if found or not r.ndc:
        return found
    from mmsdesk.interop.ndc import resolve_ndc

    res = resolve_ndc(r.ndc)
    return ";".join(sorted(res.ingredients)) if res is not None else ""


def drug_key(ingredients: str, text: str) -> str:
    """What counts as "the same drug": the ingredients, else the first words before a number."""
    if ingredients:
        return ";".join(sorted(i for i in ingredients.lower().split(";") if i))
    head = re.split(r"\s*\d", text.strip().lower(), maxsplit=1)[0]
    return head.strip(" ,-") or text.strip().lower()


def dictionary_class(key: str) -> str:
    """The drug dictionary's plain class of a single-ingredient key ("" for combinations)."""
    if not key or ";" in key:
        return ""
    facts = get_dictionary().ingredient(key)
    return facts.plain_class if facts is not None else ""


def class_of(key: str) -> str:
    return adherence.pqa_class(key) or dictionary_class(key)


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped_duplicates: int
    change: ChangeSet


class _Pharmacies:
    """The pharmacies of the store, found by NCPDP id, NPI or name (any case), a fill's
    pharmacy added when none matches; an id the file gives and the row lacks is filled in."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.rows = list(s.execute(select(Pharmacy)).scalars())

    def id_for(self, r: RefillRow) -> int | None:
        name, ncpdp, npi = r.pharmacy.strip(), r.pharmacy_ncpdp, r.pharmacy_npi
        if not (name or ncpdp or npi):
            return None
        found = (next((p for p in self.rows if ncpdp and p.ncpdp == ncpdp), None)
                 or next((p for p in self.rows if npi and p.npi == npi), None)
                 or next((p for p in self.rows if name and p.name.casefold() == name.casefold()
                          and not (ncpdp and p.ncpdp) and not (npi and p.npi)), None))
        if found is None:
            found = Pharmacy(name=name or (f"Pharmacy NCPDP {ncpdp}" if ncpdp
                                           else f"Pharmacy NPI {npi}"))
            self.rows.append(found)
        found.ncpdp, found.npi = found.ncpdp or ncpdp, found.npi or npi
        self.s.add(found)
        self.s.flush()
        return found.id


def _fill_key(fill_date: date, drug: str, days_supply: int) -> tuple[date, str, int]:
    return (fill_date, drug.lower(), days_supply)


def write_rows(s: Session, patient_id: int, rows: Sequence[RefillRow], source: str,
               pharmacies: _Pharmacies | None = None) -> tuple[int, int]:
    """Add the fills inside the caller's transaction: (added, already recorded). A fill
    already recorded (same date, drug, supply) is skipped, so a file imported twice adds
    nothing; each keeps what the file said of it (NDC, Rx number, prescriber, sig, pharmacy)."""
    if s.get(Patient, patient_id) is None:
        raise LookupError(f"patient {patient_id} not found")
    pharmacies = pharmacies or _Pharmacies(s)
    existing = {_fill_key(f.fill_date, f.drug_text, f.days_supply) for f in s.execute(
        select(FillRecord).where(FillRecord.patient_id == patient_id)).scalars()}
    linked = set(s.execute(select(PatientPharmacy.pharmacy_id).where(
        PatientPharmacy.patient_id == patient_id)).scalars())
    added = skipped = 0
    for r in rows:
        k = _fill_key(r.fill_date, r.drug, r.days_supply)
        if k in existing:
            skipped += 1
            continue
        existing.add(k)
        pharmacy_id = pharmacies.id_for(r)
        if pharmacy_id is not None and pharmacy_id not in linked:  # into the care team
            s.add(PatientPharmacy(patient_id=patient_id, pharmacy_id=pharmacy_id,
                                  is_primary=not linked))
            linked.add(pharmacy_id)
        s.add(FillRecord(patient_id=patient_id, drug_text=r.drug,
                         ingredients=ingredients_of_row(r), fill_date=r.fill_date,
                         quantity=r.quantity, days_supply=r.days_supply,
                         pharmacy_id=pharmacy_id, source=source, ndc=r.ndc,
                         rx_number=r.rx_number, prescriber_name=r.prescriber[:200],
                         prescriber_npi=r.prescriber_npi, sig=r.sig[:500]))
        added += 1
    record_event(s, "import", "fill_record", patient_id=patient_id,
                 detail=f"refill history ({source.split(':')[0]}): {added} fills added, "
                        f"{skipped} already recorded")
    return added, skipped


def import_rows(store: Store, patient_id: int, rows: Sequence[RefillRow],
                source: str = "csv") -> ImportResult:
    """Write one patient's fills in one transaction (:func:`write_rows`)."""
    with store.session() as s:
        added, skipped = write_rows(s, patient_id, rows, source)
    return ImportResult(added, skipped, ChangeSet.of(changes.MEDICATIONS, patient_id=patient_id))


def import_csv(store: Store, patient_id: int, path: Path, mapping: dict[str, str] | None = None,
               today: date | None = None) -> ImportResult:
    parsed = load_refill_file(path, mapping, today=today)  # raises before anything is written
    return import_rows(store, patient_id, parsed.rows, source=f"csv:{path.name}"[:64])


@dataclass(frozen=True)
class PatientsImport:
    """A file of several patients' fills: what was (or would be) added to whom, and the
    unmatched."""

    added: dict[int, int]  # patient id -> fills added (a preview: fills new to the record)
    skipped: int  # already recorded
    unmatched: list[str]  # "name, born MM/DD/YYYY (lines 4, 9)": no patient with both

    @property
    def change(self) -> ChangeSet:
        return ChangeSet(frozenset({changes.MEDICATIONS}), frozenset(self.added))


def match_patients(store: Store, rows: Sequence[RefillRow]
                   ) -> tuple[dict[int, list[RefillRow]], list[str]]:
    """The rows by matched patient (name and birth date, any case and accents, "Last, First"
    too), and the unmatched as "name, born MM/DD/YYYY (lines ...)"."""
    from mmsdesk.services.fhir_import import _fold

    groups: dict[tuple[str, date | None], list[RefillRow]] = {}
    for r in rows:
        groups.setdefault((r.patient, r.birth_date), []).append(r)
    with store.session() as s:
        people = [(p.id, _fold(f"{p.first_name} {p.last_name}"),
                   _fold(f"{p.last_name} {p.first_name}"), p.date_of_birth)
                  for p in s.execute(select(Patient)).scalars()]
    matched: dict[int, list[RefillRow]] = {}
    unmatched: list[str] = []
    for (name, born), group in groups.items():
        key = _fold(" ".join(name.replace(",", " ").split()))
        pid = next((i for i, a, b, dob in people if born is not None and dob == born
                    and key in (a, b)), None)
        if pid is None:
            shown = f"{born.month:02d}/{born.day:02d}/{born.year}" if born else "no birth date"
            unmatched.append(f"{name or 'no name'}, born {shown} (lines "
                             f"{', '.join(str(r.line) for r in group)})")
        else:
            matched.setdefault(pid, []).extend(group)
    return matched, unmatched


@dataclass(frozen=True)
class PatientFills:
    """One matched patient's part of a file: who, the file's lines, and what is new."""

    patient_id: int
    name: str
    birth_date: date | None
    lines: tuple[int, ...]
    new: int
    already: int


def preview_patients(store: Store, rows: Sequence[RefillRow]
                     ) -> tuple[list[PatientFills], list[str]]:
    """Per matched patient (by name and birth date) the lines and the fills new to the
    record, and the unmatched as :func:`match_patients` lists them; nothing written."""
    matched, unmatched = match_patients(store, rows)
    with store.session() as s:
        people = {p.id: (f"{p.first_name} {p.last_name}", p.date_of_birth)
                  for p in s.execute(select(Patient).where(
                      Patient.id.in_(list(matched)))).scalars()}  # type: ignore[union-attr]
    out = []
    for pid, group in matched.items():
        new, already = new_rows(store, pid, group)
        out.append(PatientFills(pid, *people[pid], tuple(r.line for r in group), new, already))
    return sorted(out, key=lambda p: p.lines), unmatched


def new_rows(store: Store, patient_id: int, rows: Sequence[RefillRow]) -> tuple[int, int]:
    """(fills new to the patient's record, fills already recorded): the import's preview."""
    with store.session() as s:
        seen = {_fill_key(f.fill_date, f.drug_text, f.days_supply) for f in s.execute(
            select(FillRecord).where(FillRecord.patient_id == patient_id)).scalars()}
    new = 0
    for r in rows:
        k = _fill_key(r.fill_date, r.drug, r.days_supply)
        new += k not in seen
        seen.add(k)
    return new, len(rows) - new


def import_csv_patients(store: Store, path: Path, mapping: dict[str, str] | None = None,
                        today: date | None = None, *, preview: bool = False) -> PatientsImport:
    """Fills of several patients in one file, each matched to a patient by name and birth
    date (:func:`match_patients`). The file is read whole first (a bad line refuses it,
    naming the line); each matched patient's fills are written in one transaction (none with
    ``preview``); the rows of a patient not found are listed, not written."""
    parsed = load_refill_file(path, mapping, today=today)  # raises before anything is written
    return import_patients_rows(store, parsed.rows, f"csv:{path.name}"[:64], preview=preview)


def import_patients_rows(store: Store, rows: Sequence[RefillRow], source: str, *,
                         preview: bool = False) -> PatientsImport:
    """Rows already read, matched to patients and written for all of them in one
    transaction (all or nothing), or with ``preview`` only counted."""
    matched, unmatched = match_patients(store, rows)
    added: dict[int, int] = {}
    skipped = 0
    if preview:
        for pid, group in matched.items():
            added[pid], already = new_rows(store, pid, group)
            skipped += already
        return PatientsImport(added, skipped, unmatched)
    with store.session() as s:
        pharmacies = _Pharmacies(s)
        for pid, group in matched.items():
            added[pid], already = write_rows(s, pid, group, source, pharmacies)
            skipped += already
    return PatientsImport(added, skipped, unmatched)


def import_fhir(store: Store, patient_id: int, path: Path,
                today: date | None = None) -> ImportResult:
    """MedicationDispense resources of one patient's FHIR file, all or nothing."""
    parsed = parse_dispenses(path, today=today)  # raises before anything is written
    return import_rows(store, patient_id, parsed.rows, source=f"fhir:{path.name}"[:64])


def import_file(store: Store, patient_id: int, path: Path, mapping: dict[str, str] | None = None,
                today: date | None = None) -> ImportResult:
    """A fill history: FHIR JSON (".json") or CSV (anything else)."""
    if is_fhir_file(path):
        return import_fhir(store, patient_id, path, today)
    return import_csv(store, patient_id, path, mapping, today)


def is_fhir_file(path: Path) -> bool:
    return path.suffix.lower() == ".json"


@dataclass(frozen=True)
class FillView:
    """One recorded fill as the pharmacy's file gave it, for the chart and ``refills fills``."""

    fill_date: date
    drug: str
    quantity: float | None
    days_supply: int
    ndc: str
    rx_number: str
    prescriber: str
    prescriber_npi: str
    sig: str
    pharmacy: str
    pharmacy_ncpdp: str
    pharmacy_npi: str
    source: str

    def as_json(self) -> dict[str, object]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in vars(self).items()}


def fill_history(store: Store, patient_id: int) -> list[FillView]:
    """The patient's fills, newest first."""
    with store.session() as s:
        rows = s.execute(select(FillRecord, Pharmacy).outerjoin(
            Pharmacy, FillRecord.pharmacy_id == Pharmacy.id)  # type: ignore[arg-type]
            .where(FillRecord.patient_id == patient_id)
            .order_by(FillRecord.fill_date.desc(), FillRecord.id)).all()  # type: ignore[attr-defined]
        return [FillView(f.fill_date, f.drug_text, f.quantity, f.days_supply, f.ndc,
                         f.rx_number, f.prescriber_name, f.prescriber_npi, f.sig,
                         p.name if p else "", p.ncpdp if p else "", p.npi if p else "",
                         f.source) for f, p in rows]


@dataclass(frozen=True)
class AdherenceSummary:
    patient_id: int
    period_start: date
    period_end: date
    by_drug: tuple[PdcResult, ...]
    by_class: tuple[PdcResult, ...]
    fills: int

    @property
    def flagged(self) -> tuple[PdcResult, ...]:
        return tuple(r for r in self.by_drug + self.by_class if r.below_threshold)


def fills_for(store: Store, patient_ids: Iterable[int]) -> dict[int, list[Fill]]:
    ids = list(patient_ids)
    out: dict[int, list[Fill]] = {i: [] for i in ids}
    with store.session() as s:
        rows = s.connection().execute(select(FillRecord.patient_id, FillRecord.ingredients,
                                FillRecord.drug_text, FillRecord.fill_date,
                                FillRecord.days_supply)
                         .where(FillRecord.patient_id.in_(ids))).all()  # type: ignore[attr-defined]
    for pid, ingr, text, filled, days in rows:
        out[pid].append(Fill(drug_key(ingr, text), filled, days, text))
    return out


def summarise(patient_id: int, fills: Sequence[Fill], period_start: date, period_end: date,
              hospital_stays: Sequence[tuple[date, date]] = (),
              gap_days: int = adherence.DEFAULT_GAP_DAYS) -> AdherenceSummary:
    kw = {"period_start": period_start, "hospital_stays": hospital_stays, "gap_days": gap_days}
    by_drug = adherence.pdc_by_drug(fills, period_end, **kw)
    by_class = adherence.pdc_by_class(fills, period_end, class_of, **kw)
    inside = sum(1 for f in fills if period_start <= f.fill_date <= period_end)
    return AdherenceSummary(patient_id, period_start, period_end, tuple(by_drug),
                            tuple(by_class), inside)


def patient_adherence(store: Store, patient_id: int, today: date, *,
                      window_days: int = WINDOW_DAYS,
                      hospital_stays: Sequence[tuple[date, date]] = (),
                      gap_days: int = adherence.DEFAULT_GAP_DAYS) -> AdherenceSummary:
    """PDC per drug and per class over the last ``window_days`` up to ``today``."""
    fills = fills_for(store, [patient_id])[patient_id]
    return summarise(patient_id, fills, today - timedelta(days=window_days - 1), today,
                     hospital_stays, gap_days)
