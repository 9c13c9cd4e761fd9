"""The medication list: add, edit, stop / hold / resume (history kept), map to the dictionary."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from mmsdesk.models import MedicationEntry, MedicationEvent, Pharmacy, Prescriber
from mmsdesk.models.enums import InfoSource, MedicationKind, MedicationStatus
from mmsdesk.services import changes
from mmsdesk.services import validation as v
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.sig import Directions, render
from mmsdesk.services.sig import validate as validate_sig
from mmsdesk.store import Store

KIND_LABELS = {MedicationKind.PRESCRIPTION: "Prescription", MedicationKind.OTC: "Over the counter",
               MedicationKind.HERBAL: "Herbal", MedicationKind.SUPPLEMENT: "Supplement"}
SOURCE_LABELS = {InfoSource.PATIENT: "Patient report", InfoSource.BOTTLE: "Bottle / label",
                 InfoSource.PHARMACY_RECORD: "Pharmacy record",
                 InfoSource.PRESCRIBER_RECORD: "Prescriber record",
                 InfoSource.DISCHARGE_LIST: "Discharge list", InfoSource.IMPORT: "Imported file"}
STATUS_LABELS = {MedicationStatus.ACTIVE: "Active", MedicationStatus.ON_HOLD: "On hold",
                 MedicationStatus.STOPPED: "Stopped"}

Filler = Callable[[MedicationEntry], None]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


@dataclass
class MedicationInput:
    """What the medication dialog (or an importer) gives; ``directions_text`` is used as is
    when the structured directions are empty."""

    text_given: str
    strength: str = ""
    dose_form: str = ""
    rxnorm_code: str = ""
    directions: Directions = field(default_factory=Directions)
    directions_text: str = ""
    indication: str = ""
    prescriber_id: int | None = None
    pharmacy_id: int | None = None
    kind: str = MedicationKind.PRESCRIPTION.value
    source: str = InfoSource.PATIENT.value
    started: date | None = None
    part_d: bool = True
    notes: str = ""

    def plain_directions(self) -> str:
        if self.directions.is_structured:
            return render(self.directions)
        return _nfc(self.directions_text)


@dataclass(frozen=True)
class HistoryEvent:
    action: str
    event_date: date
    reason: str


@dataclass(frozen=True)
class MedicationRow:
    """One medicine as the chart shows it."""

    id: int
    uuid: str
    name: str
    text_given: str
    directions: str
    indication: str
    prescriber: str
    pharmacy: str
    kind: str
    started: date | None
    status: str
    stopped: date | None
    stop_reason: str
    match: str
    ingredients: tuple[str, ...]
    strength: str
    dose_form: str
    rxnorm_code: str
    source: str
    prescriber_id: int | None
    pharmacy_id: int | None

    @property
    def unrecognised(self) -> bool:
        return self.match == "unrecognised"


def validate_medication(data: MedicationInput, today: date) -> dict[str, str]:
    errors = v.collect(
        text_given=(v.optional_text(data.text_given, "Medicine", 500)
                    or (None if data.text_given.strip() else "Medicine is required.")),
        indication=v.optional_text(data.indication, "Why I use it", 300),
        directions_text=v.optional_text(data.directions_text, "Directions", 1000),
        notes=v.optional_text(data.notes, "Notes", v.MAX_NOTE),
        strength=v.optional_text(data.strength, "Strength", 100),
        dose_form=v.optional_text(data.dose_form, "Form", 100),
        started=v.event_date(data.started, today, "Start date"),
    )
    errors.update(validate_sig(data.directions))
    if data.kind not in {k.value for k in MedicationKind}:
        errors["kind"] = "Choose a kind from the list."
    if data.source not in {s.value for s in InfoSource}:
        errors["source"] = "Choose where this information came from."
    return errors


def _default_filler() -> Filler | None:
    try:
        from mmsdesk.services.drugs import fill_medication_entry
    except ImportError:
        return None
    return fill_medication_entry


class MedicationService:
    def __init__(self, store: Store, filler: Filler | None = None) -> None:
        self.store = store
        self.filler = filler if filler is not None else _default_filler()

    # -- reading
    def list_for_patient(self, patient_id: int) -> list[MedicationRow]:
        with self.store.session() as s:
            stmt = (select(MedicationEntry, Prescriber, Pharmacy)
                    .outerjoin(Prescriber, Prescriber.id == MedicationEntry.prescriber_id)
                    .outerjoin(Pharmacy, Pharmacy.id == MedicationEntry.pharmacy_id)
                    .where(MedicationEntry.patient_id == patient_id)
                    .order_by(MedicationEntry.id))
            return [_row(m, pr, ph) for m, pr, ph in s.execute(stmt).all()]

    def get(self, med_id: int) -> MedicationRow:
        with self.store.session() as s:
            m = self._entry(s, med_id)
            pr = s.get(Prescriber, m.prescriber_id) if m.prescriber_id else None
            ph = s.get(Pharmacy, m.pharmacy_id) if m.pharmacy_id else None
            return _row(m, pr, ph)

    def get_input(self, med_id: int) -> MedicationInput:
        with self.store.session() as s:
            m = self._entry(s, med_id)
            d = Directions(m.dose_amount, m.dose_unit, m.route if m.frequency or m.dose_amount
                           is not None else "", m.frequency,
                           tuple(t for t in m.times_of_day.split(";") if t), m.as_needed,
                           m.as_needed_reason)
            return MedicationInput(
                text_given=m.text_given, strength=m.strength, dose_form=m.dose_form,
                rxnorm_code=m.rxnorm_code, directions=d,
                directions_text="" if d.is_structured else m.directions,
                indication=m.indication, prescriber_id=m.prescriber_id,
                pharmacy_id=m.pharmacy_id, kind=m.kind, source=m.source, started=m.started,
                part_d=m.part_d, notes=m.notes)

    def history(self, med_id: int) -> list[HistoryEvent]:
        with self.store.session() as s:
            rows = s.execute(select(MedicationEvent).where(MedicationEvent.medication_id == med_id)
                             .order_by(MedicationEvent.id)).scalars()
            return [HistoryEvent(e.action, e.event_date, e.reason) for e in rows]

    def export_csv(self, patient_id: int, path: str) -> int:
        """Write the medication list as CSV (recorded in the audit trail); returns the rows."""
        from mmsdesk.interop.csv_export import write_medication_csv
        from mmsdesk.store.audit import record_event

        rows = self.list_for_patient(patient_id)
        write_medication_csv(rows, path)
        with self.store.session() as s:
            record_event(s, "export", "medication_list", patient_id=patient_id,
                         detail="medication list CSV")
        return len(rows)

    # -- writing
    def add(self, patient_id: int, data: MedicationInput, today: date) -> tuple[int, ChangeSet]:
        data = self._checked(data, today)
        with self.store.session() as s:
            entry = MedicationEntry(patient_id=patient_id, text_given=data.text_given)
            self._apply(entry, data)
            s.add(entry)
            s.flush()
            s.add(MedicationEvent(patient_id=patient_id, medication_id=entry.id, action="started",
                                  event_date=data.started or today, reason="Added to the list"))
            med_id = entry.id
        assert med_id is not None
        return med_id, self._change(patient_id)

    def add_in_session(self, s: Session, patient_id: int, data: MedicationInput, today: date, *,
                       status: str = MedicationStatus.ACTIVE.value, stopped: date | None = None,
                       stop_reason: str = "", reason: str = "Imported") -> MedicationEntry:
        """Add inside a caller's transaction (importers, completing a visit: all or nothing);
        ``reason`` is the history's reason for the "started" event."""
        data = self._checked(data, today)
        entry = MedicationEntry(patient_id=patient_id, text_given=data.text_given, status=status,
                                stopped=stopped, stop_reason=stop_reason)
        self._apply(entry, data)
        s.add(entry)
        s.flush()
        s.add(MedicationEvent(patient_id=patient_id, medication_id=entry.id, action="started",
                              event_date=data.started or today, reason=reason))
        if status != MedicationStatus.ACTIVE:
            s.add(MedicationEvent(patient_id=patient_id, medication_id=entry.id,
                                  action="stopped" if status == "stopped" else "held",
                                  event_date=stopped or today, reason=stop_reason))
        return entry

    def update(self, med_id: int, data: MedicationInput, today: date) -> ChangeSet:
        data = self._checked(data, today)
        with self.store.session() as s:
            entry = self._entry(s, med_id)
            before = self._snapshot(entry)
            self._apply(entry, data, refill=entry.text_given != data.text_given
                        or entry.match == "unrecognised")
            changed = [k for k, val in self._snapshot(entry).items() if before[k] != val]
            s.add(entry)
            if changed:
                s.add(MedicationEvent(patient_id=entry.patient_id, medication_id=med_id,
                                      action="changed", event_date=today,
                                      reason="Changed: " + ", ".join(changed)))
            pid = entry.patient_id
        return self._change(pid)

    def stop(self, med_id: int, on: date | None, reason: str, today: date) -> ChangeSet:
        return self._set_status(med_id, MedicationStatus.STOPPED, "stopped", on, reason, today)

    def hold(self, med_id: int, on: date | None, reason: str, today: date) -> ChangeSet:
        return self._set_status(med_id, MedicationStatus.ON_HOLD, "held", on, reason, today)

    def resume(self, med_id: int, on: date | None, reason: str, today: date) -> ChangeSet:
        return self._set_status(med_id, MedicationStatus.ACTIVE, "resumed", on, reason, today)

    def map_to_dictionary(self, med_id: int, label: str, today: date, rxnorm: str = "") -> ChangeSet:
        """Map an unrecognised entry to a dictionary entry chosen by the pharmacist."""
        from mmsdesk.clinical.dictionary import resolve
        from mmsdesk.services.drugs import MANUAL, apply_resolution

        r = resolve(label, rxnorm=rxnorm or None)
        if r.match == "unrecognised":
            raise v.ValidationError({"mapping": f"“{label}” is not in the drug dictionary."})
        with self.store.session() as s:
            entry = self._entry(s, med_id)
            strength, form = entry.strength, entry.dose_form
            apply_resolution(entry, r)
            entry.strength, entry.dose_form = strength or r.strength, form or r.form
            entry.match = MANUAL
            s.add(entry)
            s.add(MedicationEvent(patient_id=entry.patient_id, medication_id=med_id,
                                  action="changed", event_date=today, reason="Mapped to the drug dictionary"))
            pid = entry.patient_id
        return self._change(pid)

    # -- helpers
    def _checked(self, data: MedicationInput, today: date) -> MedicationInput:
        data.text_given = _nfc(data.text_given)
        data.indication = _nfc(data.indication)
        errors = validate_medication(data, today)
        if errors:
            raise v.ValidationError(errors)
        return data

    def _apply(self, entry: MedicationEntry, data: MedicationInput, refill: bool = True) -> None:
        old_text = entry.text_given
        entry.text_given = data.text_given
        entry.display_name = data.text_given
        if refill or old_text != data.text_given:
            entry.match = "unrecognised"
            entry.ingredients = ""
            if data.rxnorm_code:
                entry.rxnorm_code = data.rxnorm_code
            if self.filler is not None:
                self.filler(entry)
        if data.strength:
            entry.strength = data.strength
        if data.dose_form:
            entry.dose_form = data.dose_form
        d = data.directions
        entry.directions = data.plain_directions()
        entry.dose_amount, entry.dose_unit = d.dose_amount, d.dose_unit
        if d.route:
            entry.route = d.route
        entry.frequency = d.frequency
        entry.times_of_day = ";".join(d.times_of_day)
        entry.as_needed, entry.as_needed_reason = d.as_needed, _nfc(d.as_needed_reason)
        entry.indication = data.indication
        entry.prescriber_id, entry.pharmacy_id = data.prescriber_id, data.pharmacy_id
        entry.kind, entry.source, entry.started = data.kind, data.source, data.started
        entry.part_d, entry.notes = data.part_d, data.notes

    @staticmethod
    def _snapshot(entry: MedicationEntry) -> dict[str, object]:
        keys = ("text_given", "strength", "dose_form", "directions", "indication",
                "prescriber_id", "pharmacy_id", "kind", "started", "source")
        return {k.replace("_id", "").replace("_", " "): getattr(entry, k) for k in keys}

    @staticmethod
    def _entry(s: Session, med_id: int) -> MedicationEntry:
        entry = s.get(MedicationEntry, med_id)
        if entry is None:
            raise LookupError(f"No medication with id {med_id}.")
        return entry

    def _set_status(self, med_id: int, status: MedicationStatus, action: str, on: date | None,
                    reason: str, today: date) -> ChangeSet:
        reason = _nfc(reason)
        errors = self._status_errors(status, on, reason, today)
        with self.store.session() as s:
            pid = self._set_status_in(s, med_id, status, action, on, reason, errors)
        return self._change(pid)

    def stop_in_session(self, s: Session, med_id: int, on: date, reason: str,
                        today: date) -> None:
        """Stop inside a caller's transaction (completing a visit: all or nothing)."""
        reason = _nfc(reason)
        errors = self._status_errors(MedicationStatus.STOPPED, on, reason, today)
        self._set_status_in(s, med_id, MedicationStatus.STOPPED, "stopped", on, reason, errors)

    @staticmethod
    def _status_errors(status: MedicationStatus, on: date | None, reason: str,
                       today: date) -> dict[str, str]:
        errors = v.collect(on=v.event_date(on, today, "Date", required=True),
                           reason=v.optional_text(reason, "Reason", 400))
        if status != MedicationStatus.ACTIVE and not reason:
            errors["reason"] = "Give the reason, so the history explains the change."
        return errors

    def _set_status_in(self, s: Session, med_id: int, status: MedicationStatus, action: str,
                       on: date | None, reason: str, errors: dict[str, str]) -> int:
        entry = self._entry(s, med_id)
        if entry.status == status:
            errors["status"] = f"This medicine is already {STATUS_LABELS[status].lower()}."
        if on and entry.started and on < entry.started and "on" not in errors:
            errors["on"] = "Date cannot be before the medicine was started."
        if errors:
            raise v.ValidationError(errors)
        assert on is not None
        entry.status = status.value
        if status == MedicationStatus.ACTIVE:
            entry.stopped, entry.stop_reason = None, ""
        else:
            entry.stopped, entry.stop_reason = on, reason
        s.add(entry)
        s.add(MedicationEvent(patient_id=entry.patient_id, medication_id=med_id,
                              action=action, event_date=on, reason=reason))
        return entry.patient_id

    @staticmethod
    def _change(patient_id: int) -> ChangeSet:
        return ChangeSet.of(changes.MEDICATIONS, changes.PATIENTS, patient_id=patient_id)


def _row(m: MedicationEntry, pr: Prescriber | None, ph: Pharmacy | None) -> MedicationRow:
    assert m.id is not None
    return MedicationRow(
        id=m.id, uuid=m.uuid, name=m.display_name or m.text_given, text_given=m.text_given,
        directions=m.directions, indication=m.indication,
        prescriber=pr.display_name if pr else "", pharmacy=ph.name if ph else "",
        kind=m.kind, started=m.started, status=m.status, stopped=m.stopped,
        stop_reason=m.stop_reason, match=m.match, ingredients=tuple(m.ingredient_list),
        strength=m.strength, dose_form=m.dose_form, rxnorm_code=m.rxnorm_code, source=m.source,
        prescriber_id=m.prescriber_id, pharmacy_id=m.pharmacy_id)



@dataclass(frozen=True)
class DrugHit:
    """One type-ahead suggestion from the drug dictionary."""

    label: str
    kind: str
    ingredients: tuple[str, ...]
    strength: str
    form: str
    brand: str
    rxnorm: str


def warm_dictionary() -> None:
    """Load the drug dictionary now, so the first keystroke of a search does not wait for it."""
    try:
        from mmsdesk.clinical.dictionary import get_dictionary
    except ImportError:
        return
    get_dictionary()


def product_options(ingredients: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Strengths and dose forms the dictionary knows for a single-ingredient medicine."""
    if len(ingredients) != 1:
        return [], []
    try:
        from mmsdesk.clinical.dictionary import get_dictionary
    except ImportError:
        return [], []
    ing = get_dictionary().ingredient(ingredients[0])
    if ing is None:
        return [], []
    unit = ing.strengths[-1].split()[-1] if ing.strengths and " " in ing.strengths[-1] else ""
    strengths = [x if " " in x or not unit else f"{x} {unit}" for x in ing.strengths]
    return strengths, list(ing.forms)


def search_drugs(text: str, limit: int = 20) -> list[DrugHit]:
    """Dictionary suggestions for what is typed; none when the dictionary is not installed,
    in which case the text is saved as given and marked unrecognised."""
    if len(text.strip()) < 2:
        return []
    try:
        from mmsdesk.clinical.dictionary import search
    except ImportError:
        return []
    return [DrugHit(h.label, h.kind, tuple(h.ingredients), h.strength, h.form, h.brand, h.rxnorm)
            for h in search(text, limit=limit)]


def unrecognised_alerts(service: MedicationService, patient_id: int) -> list[Any]:
    """A low alert per active medicine the dictionary could not read: it is never dropped
    silently, since it cannot be screened until the pharmacist maps it."""
    from mmsdesk.clinical.screening import Alert

    return [Alert("unrecognised", "low", (r.text_given.strip().lower(),),
                  f"Not recognised: {r.name}",
                  f"“{r.text_given}” is not in the drug dictionary, so it was not screened.",
                  "Map it to a dictionary entry on the Medications page (Map to dictionary…).",
                  ("MMS Desk drug dictionary",), "unrecognised-medicine")
            for r in service.list_for_patient(patient_id)
            if r.status == "active" and r.unrecognised]
