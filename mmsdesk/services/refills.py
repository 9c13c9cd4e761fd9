"""Refill history: import fills (all or nothing) and compute adherence (PDC) for a patient."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from mmsdesk.clinical.dictionary import get_dictionary, resolve
from mmsdesk.interop.fhir_dispense import parse_dispenses
from mmsdesk.interop.refill_csv import RefillRow, load_refill_file
from mmsdesk.models import FillRecord, Patient, Pharmacy
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


def import_rows(store: Store, patient_id: int, rows: Sequence[RefillRow],
                source: str = "csv") -> ImportResult:
    """Write the fills in one transaction; a fill already recorded (same date, drug, supply)
    is skipped, so importing the same file twice adds nothing."""
    with store.session() as s:
        if s.get(Patient, patient_id) is None:
            raise LookupError(f"patient {patient_id} not found")
        existing = {(f.fill_date, f.drug_text.lower(), f.days_supply) for f in s.execute(
            select(FillRecord).where(FillRecord.patient_id == patient_id)).scalars()}
        pharmacies = {p.name.lower(): p.id for p in s.execute(select(Pharmacy)).scalars()}
        added = skipped = 0
        for r in rows:
            k = (r.fill_date, r.drug.lower(), r.days_supply)
            if k in existing:
                skipped += 1
                continue
            existing.add(k)
            s.add(FillRecord(patient_id=patient_id, drug_text=r.drug,
                             ingredients=ingredients_of_row(r), fill_date=r.fill_date,
                             quantity=r.quantity, days_supply=r.days_supply,
                             pharmacy_id=pharmacies.get(r.pharmacy.lower()) if r.pharmacy else None,
                             source=source))
            added += 1
        record_event(s, "import", "fill_record", patient_id=patient_id,
                     detail=f"refill history ({source.split(':')[0]}): {added} fills added, "
                            f"{skipped} already recorded")
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


def new_rows(store: Store, patient_id: int, rows: Sequence[RefillRow]) -> tuple[int, int]:
    """(fills new to the patient's record, fills already recorded): the import's preview."""
    with store.session() as s:
        seen = {(f.fill_date, f.drug_text.lower(), f.days_supply) for f in s.execute(
            select(FillRecord).where(FillRecord.patient_id == patient_id)).scalars()}
    new = 0
    for r in rows:
        k = (r.fill_date, r.drug.lower(), r.days_supply)
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
    matched, unmatched = match_patients(store, parsed.rows)
    added: dict[int, int] = {}
    skipped = 0
    for pid, rows in matched.items():
        if preview:
            added[pid], already = new_rows(store, pid, rows)
            skipped += already
            continue
        result = import_rows(store, pid, rows, source=f"csv:{path.name}"[:64])
        added[pid] = result.added
        skipped += result.skipped_duplicates
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
