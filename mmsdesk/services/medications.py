"""The medication list: add, edit, stop / hold / resume (history kept), map to the dictionary."""

from __future__ import annotations

import gc
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.dictionary.naming import full_form
from mmsdesk.clinical.sig import Directions, render
from mmsdesk.clinical.sig import validate as validate_sig
from mmsdesk.models import MedicationEntry, MedicationEvent, Pharmacy, Prescriber
from mmsdesk.models.enums import InfoSource, MedicationKind, MedicationStatus
from mmsdesk.models.medication import decode_changes, encode_changes
from mmsdesk.services import changes
from mmsdesk.services import validation as v
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.versions import expect
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
    """What the medication dialog (or an importer) gives.

    ``text_given`` is the medicine as typed: on a new medicine it is kept as provenance; when
    editing it is the medicine field (``medicine_label``), and a different text names another
    medicine. ``strength`` is read for the medicine's ingredients ("2.5 mg", "10/100 mg"); empty
    keeps what was written with the medicine. ``directions_text`` is used as is when the
    structured directions are empty."""

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
    # the ingredients and amounts when another system sent them structured (a FHIR
    # Medication): used as they are instead of reading them from the text
    components: tuple[Component, ...] = ()

    def plain_directions(self) -> str:
        if self.directions.is_structured:
            return render(self.directions)
        return _nfc(self.directions_text)


@dataclass(frozen=True)
class HistoryEvent:
    action: str
    event_date: date
    reason: str
    items: tuple[tuple[str, str, str], ...] = ()  # ("strength", "5 mg", "2.5 mg")
    decided_by: str = "pharmacist"

    @property
    def changes(self) -> tuple[str, ...]:
        """Each change in words: "strength: 5 mg → 2.5 mg"."""
        return tuple(f"{what}: {before or '(none)'} → {after or '(none)'}" if before else
                     f"{what}: {after}" for what, before, after in self.items)


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
    components: tuple[Component, ...] = ()
    brand: str = ""
    release: str = ""
    strength_to_confirm: bool = False
    last_change: HistoryEvent | None = None

    @property
    def unrecognised(self) -> bool:
        return self.match == "unrecognised"


def medicine_label(m: MedicationEntry) -> str:
    """What the medication form's Medicine field shows: the brand, else the ingredients; an
    unrecognised medicine's name as written. Strength and form have fields of their own."""
    if not m.recognised:
        return m.name()
    if m.brand:
        return m.brand
    names = " / ".join(c.ingredient for c in m.components)
    return names[:1].upper() + names[1:]


def strength_components(strength: str, ingredients: tuple[str, ...],
                        product: str = "") -> tuple[Component, ...]:
    """Read a strength typed for known ingredients (the drug dictionary's one strength reader);
    an amount that cannot be read with confidence stays None."""
    from mmsdesk.clinical.dictionary import parse_components

    components, _notes = parse_components(strength, ingredients, product=product)
    return components


def _strength_error(strength: str, ingredients: tuple[str, ...]) -> str:
    example = " / ".join(f"{i} mg" for i in ("10", "100", "25")[:len(ingredients)])
    return (f"Could not read “{strength}” as the strength of {' and '.join(ingredients)}: "
            f"write each amount with its unit, for example {example}.")


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
            last: dict[int, MedicationEvent] = {}
            for e in s.execute(select(MedicationEvent)
                               .where(MedicationEvent.patient_id == patient_id)
                               .order_by(MedicationEvent.id)).scalars():
                last[e.medication_id] = e
            return [_row(m, pr, ph, last.get(m.id or 0)) for m, pr, ph in s.execute(stmt).all()]

    def get(self, med_id: int) -> MedicationRow:
        with self.store.session() as s:
            m = self._entry(s, med_id)
            pr = s.get(Prescriber, m.prescriber_id) if m.prescriber_id else None
            ph = s.get(Pharmacy, m.pharmacy_id) if m.pharmacy_id else None
            return _row(m, pr, ph)

    def get_input(self, med_id: int) -> MedicationInput:
        with self.store.session() as s:
            return input_of(self._entry(s, med_id))

    def get_for_edit(self, med_id: int) -> tuple[MedicationInput, int]:
        """The entry's data and its version, read together: an edit dialog saves against that
        version (``update(..., expected_version=)``), so a colleague's save meanwhile is
        refused, not overwritten."""
        with self.store.session() as s:
            entry = self._entry(s, med_id)
            return input_of(entry), entry.version

    def history(self, med_id: int) -> list[HistoryEvent]:
        with self.store.session() as s:
            rows = s.execute(select(MedicationEvent).where(MedicationEvent.medication_id == med_id)
                             .order_by(MedicationEvent.id)).scalars()
            return [_event(e) for e in rows]

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
        data = self.checked(data, today)
        with self.store.session() as s:
            entry = MedicationEntry(patient_id=patient_id, text_given=data.text_given)
            self._apply(entry, data, new_medicine=True)
            s.add(entry)
            s.flush()
            s.add(MedicationEvent(patient_id=patient_id, medication_id=entry.id, action="started",
                                  event_date=data.started or today, reason="Added to the list",
                                  changes=encode_changes([("medicine", "", entry.name())])))
            med_id = entry.id
        assert med_id is not None
        return med_id, self._change(patient_id)

    def add_in_session(self, s: Session, patient_id: int, data: MedicationInput, today: date, *,
                       status: str = MedicationStatus.ACTIVE.value, stopped: date | None = None,
                       stop_reason: str = "", reason: str = "Imported",
                       decided_by: str = "import") -> MedicationEntry:
        """Add inside a caller's transaction (importers, completing a visit: all or nothing);
        ``reason`` is the history's reason for the "started" event."""
        data = self.checked(data, today)
        entry = MedicationEntry(patient_id=patient_id, text_given=data.text_given, status=status,
                                stopped=stopped, stop_reason=stop_reason)
        self._apply(entry, data, new_medicine=True)
        s.add(entry)
        s.flush()
        s.add(MedicationEvent(patient_id=patient_id, medication_id=entry.id, action="started",
                              event_date=data.started or today, reason=reason,
                              changes=encode_changes([("medicine", "", entry.name())]),
                              decided_by=decided_by))
        if status != MedicationStatus.ACTIVE:
            s.add(MedicationEvent(patient_id=patient_id, medication_id=entry.id,
                                  action="stopped" if status == "stopped" else "held",
                                  event_date=stopped or today, reason=stop_reason))
        return entry

    def update(self, med_id: int, data: MedicationInput, today: date, *,
               reason: str = "Edited in the chart", decided_by: str = "pharmacist",
               expected_version: int | None = None) -> ChangeSet:
        """Write the new state of the medicine, and a history event saying what changed.

        ``expected_version``: the version the screen read; a save over another is refused
        (RecordChanged), nothing written."""
        with self.store.session() as s:
            entry = self._entry(s, med_id)
            expect(entry, expected_version)
            data = self.checked(data, today, entry)
            self.update_in_session(s, entry, data, today, reason=reason, decided_by=decided_by)
            pid = entry.patient_id
        return self._change(pid)

    def update_in_session(self, s: Session, entry: MedicationEntry, data: MedicationInput,
                          today: date, *, reason: str,
                          decided_by: str) -> list[tuple[str, str, str]]:
        """Apply ``data`` inside a caller's transaction; returns the "what: before → after"
        (what, before, after) written to the history (none when nothing changed)."""
        before = _snapshot(s, entry)
        self._apply(entry, data, new_medicine=data.text_given != medicine_label(entry))
        s.add(entry)
        s.flush()
        after = _snapshot(s, entry)
        changed = [(k, before[k], after[k]) for k in after if before[k] != after[k]]
        if changed:
            s.add(MedicationEvent(patient_id=entry.patient_id, medication_id=entry.id,
                                  action="changed", event_date=today, reason=reason,
                                  changes=encode_changes(changed), decided_by=decided_by))
        return changed

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
            before = entry.name()
            form, release = entry.dose_form, entry.release
            apply_resolution(entry, r)
            if not any(c.amount is not None for c in entry.components):
                written = strength_components(entry.text_given, tuple(entry.ingredient_list))
                if all(c.amount is not None for c in written):
                    entry.set_components(written)
            entry.dose_form, entry.release = form or entry.dose_form, release or entry.release
            entry.match = MANUAL
            s.add(entry)
            s.flush()
            s.add(MedicationEvent(patient_id=entry.patient_id, medication_id=med_id,
                                  action="changed", event_date=today,
                                  reason="Mapped to the drug dictionary",
                                  changes=encode_changes([("medicine", before, entry.name())])))
            pid = entry.patient_id
        return self._change(pid)

    def name_of(self, data: MedicationInput) -> str:
        """The name a medicine added from ``data`` would be shown with ("Tamsulosin 0.4 mg
        capsule"); nothing is stored. ``data`` should have been ``checked`` first."""
        probe = MedicationEntry(patient_id=0, text_given=_nfc(data.text_given))
        self._apply(probe, data, new_medicine=True)
        return probe.name()

    # -- helpers
    def checked(self, data: MedicationInput, today: date,
                current: MedicationEntry | None = None) -> MedicationInput:
        """``data`` normalised and validated: a strength typed must read for the medicine's
        ingredients (one left as it is on ``current`` is not read again)."""
        data.text_given = _nfc(data.text_given)
        data.indication = _nfc(data.indication)
        data.strength = _nfc(data.strength)
        errors = validate_medication(data, today)
        kept = current is not None and data.strength == current.strength
        if data.strength and not kept and "strength" not in errors and "text_given" not in errors:
            probe = self._identity(data, current)
            ingredients = tuple(probe.ingredient_list)
            if ingredients:
                comps = strength_components(data.strength, ingredients, probe.brand)
                if any(c.amount is None for c in comps):
                    errors["strength"] = _strength_error(data.strength, ingredients)
        if errors:
            raise v.ValidationError(errors)
        return data

    def _identity(self, data: MedicationInput, current: MedicationEntry | None) -> MedicationEntry:
        """The medicine ``data`` names: ``current`` when its medicine field is unchanged."""
        if current is not None and data.text_given == medicine_label(current):
            return current
        probe = MedicationEntry(patient_id=0, text_given=data.text_given,
                                rxnorm_code=data.rxnorm_code)
        if self.filler is not None:
            self.filler(probe)
        return probe

    def _apply(self, entry: MedicationEntry, data: MedicationInput, new_medicine: bool) -> None:
        """Set the entry from ``data``. ``new_medicine``: the medicine text names the medicine
        (a new entry, or another medicine typed over it), so the dictionary reads it again;
        ``text_given`` keeps the text first given."""
        from mmsdesk.clinical.dictionary.naming import split_form
        from mmsdesk.services.drugs import apply_resolution

        if new_medicine:
            from mmsdesk.clinical.dictionary import ResolvedMedication

            entry.match, entry.rxnorm_code = "unrecognised", data.rxnorm_code
            probe = MedicationEntry(patient_id=entry.patient_id, text_given=data.text_given,
                                    rxnorm_code=data.rxnorm_code)
            if self.filler is not None:
                self.filler(probe)
            if not probe.components:
                apply_resolution(probe, ResolvedMedication(text=data.text_given))
            entry.set_components(probe.component_values())
            entry.match, entry.brand, entry.route = probe.match, probe.brand, probe.route
            entry.dose_form, entry.release = probe.dose_form, probe.release
            # the code the source gave is kept (the dictionary's is read again from it)
            entry.rxnorm_code = data.rxnorm_code or probe.rxnorm_code
            if data.components:  # structured elsewhere: its form too, even when it has none
                self._take_components(entry, data.components)
                entry.dose_form, entry.release = split_form(data.dose_form)
        written = data.strength.strip()
        unchanged = not new_medicine and written == entry.strength
        if entry.recognised and not unchanged and (written or not new_medicine):
            comps = (strength_components(written, tuple(entry.ingredient_list), entry.brand)
                     if written
                     else tuple(Component(i) for i in entry.ingredient_list))
            entry.set_components(comps)
        if written:  # a strength the pharmacist saved is confirmed
            entry.strength_to_confirm = False
        if data.dose_form.strip():
            entry.dose_form, entry.release = split_form(data.dose_form)
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
    def _take_components(entry: MedicationEntry, given: tuple[Component, ...]) -> None:
        """Components another system sent: each ingredient read by the dictionary (its
        generic name); the medicine is recognised when every ingredient is."""
        from dataclasses import replace

        from mmsdesk.clinical.dictionary import resolve

        names = [resolve(c.ingredient).ingredients for c in given]
        if all(len(n) == 1 for n in names):
            entry.set_components([replace(c, ingredient=n[0]) for c, n in
                                  zip(given, names, strict=True)])
            if not entry.recognised or set(entry.ingredient_list) != {n[0] for n in names}:
                entry.match = "exact"
            entry.strength_to_confirm = False

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
                        today: date, *, history_reason: str = "",
                        decided_by: str = "pharmacist") -> None:
        """Stop inside a caller's transaction (completing a visit: all or nothing).
        ``reason`` is the stop reason the PML prints ("Why I stopped using it");
        ``history_reason``, when given, is the history event's reason instead."""
        reason = _nfc(reason)
        errors = self._status_errors(MedicationStatus.STOPPED, on, reason, today)
        self._set_status_in(s, med_id, MedicationStatus.STOPPED, "stopped", on, reason, errors,
                            history_reason=_nfc(history_reason), decided_by=decided_by)

    @staticmethod
    def _status_errors(status: MedicationStatus, on: date | None, reason: str,
                       today: date) -> dict[str, str]:
        errors = v.collect(on=v.event_date(on, today, "Date", required=True),
                           reason=v.optional_text(reason, "Reason", 400))
        if status != MedicationStatus.ACTIVE and not reason:
            errors["reason"] = "Give the reason, so the history explains the change."
        return errors

    def _set_status_in(self, s: Session, med_id: int, status: MedicationStatus, action: str,
                       on: date | None, reason: str, errors: dict[str, str], *,
                       history_reason: str = "", decided_by: str = "pharmacist") -> int:
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
                              action=action, event_date=on,
                              reason=(history_reason or reason)[:400], decided_by=decided_by))
        return entry.patient_id

    @staticmethod
    def _change(patient_id: int) -> ChangeSet:
        return ChangeSet.of(changes.MEDICATIONS, changes.PATIENTS, patient_id=patient_id)


def input_of(m: MedicationEntry) -> MedicationInput:
    """The medicine's current state as the medication form edits it."""
    d = m.structured_directions()
    return MedicationInput(
        text_given=medicine_label(m), strength=m.strength,
        dose_form=full_form(m.dose_form, m.release), rxnorm_code=m.rxnorm_code, directions=d,
        directions_text="" if d.is_structured else m.directions, indication=m.indication,
        prescriber_id=m.prescriber_id, pharmacy_id=m.pharmacy_id, kind=m.kind,
        source=m.source, started=m.started, part_d=m.part_d, notes=m.notes)


def _snapshot(s: Session, m: MedicationEntry) -> dict[str, str]:
    """The facts of a medicine a history event compares, as the chart words them."""
    pr = s.get(Prescriber, m.prescriber_id) if m.prescriber_id else None
    ph = s.get(Pharmacy, m.pharmacy_id) if m.pharmacy_id else None
    return {"medicine": medicine_label(m), "strength": m.strength,
            "form": full_form(m.dose_form, m.release), "directions": m.directions_text(),
            "why I use it": m.indication, "prescriber": pr.display_name if pr else "",
            "pharmacy": ph.name if ph else "", "kind": KIND_LABELS.get(m.kind, m.kind),
            "started": m.started.isoformat() if m.started else "",
            "information from": SOURCE_LABELS.get(m.source, m.source), "notes": m.notes}


def _event(e: MedicationEvent) -> HistoryEvent:
    return HistoryEvent(e.action, e.event_date, e.reason,
                        decode_changes(e.changes), e.decided_by)


def _row(m: MedicationEntry, pr: Prescriber | None, ph: Pharmacy | None,
         last: MedicationEvent | None = None) -> MedicationRow:
    assert m.id is not None
    return MedicationRow(
        id=m.id, uuid=m.uuid, name=m.name(), text_given=m.text_given,
        directions=m.directions_text(), indication=m.indication,
        prescriber=pr.display_name if pr else "", pharmacy=ph.name if ph else "",
        kind=m.kind, started=m.started, status=m.status, stopped=m.stopped,
        stop_reason=m.stop_reason, match=m.match, ingredients=tuple(m.ingredient_list),
        strength=m.strength, dose_form=m.dose_form, rxnorm_code=m.rxnorm_code, source=m.source,
        prescriber_id=m.prescriber_id, pharmacy_id=m.pharmacy_id,
        components=m.component_values(), brand=m.brand, release=m.release,
        strength_to_confirm=m.strength_to_confirm,
        last_change=_event(last) if last is not None else None)



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
    strengths: tuple[str, ...] = ()  # the strengths it is sold in, for a choice list


_FROZEN = False


def warm_dictionary() -> None:
    """Load the drug dictionary, and the approximate matcher that a misspelt search needs, now:
    so no keystroke waits for either (importing rapidfuzz on the first 3-letter search cost
    one keystroke 60 ms)."""
    try:
        from mmsdesk.clinical.dictionary import get_dictionary
    except ImportError:
        return
    get_dictionary()
    try:
        import rapidfuzz.process  # noqa: F401
    except ImportError:
        pass
    global _FROZEN
    if not _FROZEN:
        # What is loaded by now (dictionary, models, widgets) lives as long as the app: set it
        # apart from the garbage collector, so a full collection during typing scans only what
        # typing made (one fell on a keystroke and cost it 60 ms).
        gc.collect()
        gc.freeze()
        _FROZEN = True


def product_options(ingredients: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Strengths and dose forms the dictionary knows for a single-ingredient medicine."""
    if len(ingredients) != 1:
        return [], []
    try:
        from mmsdesk.clinical.dictionary import get_dictionary
    except ImportError:
        return [], []
    from mmsdesk.clinical.dictionary.naming import strength_text

    d = get_dictionary()
    ing = d.ingredient(ingredients[0])
    if ing is None:
        return [], []
    strengths = [strength_text((c,)) for c in d.known_for_ingredient(ing.generic)]
    return strengths, list(ing.forms)


@dataclass(frozen=True)
class ScannedDrug:
    """A package scanned into the Add medicine dialog: its product (None when the NDC is not
    in the drug dictionary), and the package's NDC, lot and expiry in words for the notes."""

    hit: DrugHit | None
    ndc: str
    package: str  # "Scanned package: NDC 0002-1407-01, lot AB12, expired 2025-03-31"
    expired: bool


def scanned_drug(text: str, today: date) -> ScannedDrug:
    """What a barcode scanner typed, through the NDC directory; ValueError in plain words when
    it is no package code or does not read."""
    from mmsdesk.clinical.dictionary import get_dictionary
    from mmsdesk.clinical.dictionary.barcodes import read_code, resolve_package
    from mmsdesk.services.visits.reconciliation import scanned_line

    code = read_code(text)  # CodeError is a ValueError
    if code is None:
        raise ValueError(f"“{text.strip()[:40]}” is not a package barcode or an NDC")
    found = resolve_package(get_dictionary(), code)
    package = "Scanned package: " + scanned_line(found, today)[0].split(" | ", 1)[1]
    med = found.medication
    hit = None if med is None else DrugHit(
        med.product or " ".join(med.ingredients), "product", tuple(med.ingredients),
        med.strength, med.form, med.brand, med.rxnorm)
    return ScannedDrug(hit, found.shown_ndc, package, code.expired(today))


def search_drugs(text: str, limit: int = 20) -> list[DrugHit]:
    """Dictionary suggestions for what is typed; none when the dictionary is not installed,
    in which case the text is saved as given and marked unrecognised."""
    if len(text.strip()) < 2:
        return []
    try:
        from mmsdesk.clinical.dictionary import search
    except ImportError:
        return []
    return [DrugHit(h.label, h.kind, tuple(h.ingredients), h.strength, h.form, h.brand, h.rxnorm,
                    tuple(h.strengths))
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
