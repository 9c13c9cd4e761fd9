"""Fill history from FHIR R4 MedicationDispense resources (a Bundle, or one resource).

A separate reader from ``interop.fhir_bundle`` (the general bundle reader): it returns the same
``RefillRow`` as the CSV importer, so ``services.refills.import_rows`` writes both alike, all or
nothing. Errors name the file and the entry (and the JSON line/column for broken JSON), never
the drug or the patient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from mmsdesk.interop import fhir_bundle
from mmsdesk.interop.ndc import ndc11
from mmsdesk.interop.refill_csv import MAX_DAYS_SUPPLY, RefillImportError, RefillRow

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
NDC = "http://hl7.org/fhir/sid/ndc"
SKIPPED_STATUSES = {"cancelled", "entered-in-error", "declined", "stopped", "preparation"}


@dataclass(frozen=True)
class DispenseFile:
    rows: list[RefillRow]
    subjects: set[str]  # patient references seen ("Patient/123", "urn:uuid:...")
    skipped: int  # dispenses not handed over (cancelled, entered in error, ...)


def _load(source: Path | str | dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The JSON object, read by the bundle reader (same messages for broken files)."""
    try:
        name, data = fhir_bundle._load(source)
    except fhir_bundle.BundleError as exc:
        name = "bundle" if isinstance(source, dict) else Path(source).name
        detail = str(exc).removeprefix(f"{name}: ")
        raise RefillImportError(name, [detail]) from None
    if not isinstance(data, dict):
        raise RefillImportError(name, ["line 1: a FHIR resource or Bundle (a JSON object) is expected"])
    return data, name


def _date(text: Any) -> date | None:
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _concept_text(concept: Any) -> str:
    if not isinstance(concept, dict):
        return ""
    if isinstance(concept.get("text"), str) and concept["text"].strip():
        return concept["text"].strip()
    for coding in concept.get("coding") or []:
        if isinstance(coding, dict) and isinstance(coding.get("display"), str):
            return coding["display"].strip()
    for coding in concept.get("coding") or []:
        if isinstance(coding, dict) and coding.get("system") == RXNORM and coding.get("code"):
            return f"RxNorm {coding['code']}"
    return ""


def _medication_text(res: dict[str, Any], medications: dict[str, dict[str, Any]]) -> str:
    text = _concept_text(res.get("medicationCodeableConcept"))
    if text:
        return text
    ref = (res.get("medicationReference") or {}).get("reference") if isinstance(
        res.get("medicationReference"), dict) else None
    if isinstance(ref, str):
        if ref.startswith("#"):
            for c in res.get("contained") or []:
                if isinstance(c, dict) and c.get("id") == ref[1:]:
                    return _concept_text(c.get("code"))
        med = medications.get(ref)
        if med is not None:
            return _concept_text(med.get("code"))
    return ""


def _days_supply(res: dict[str, Any]) -> Any:
    ds = res.get("daysSupply")
    return ds.get("value") if isinstance(ds, dict) else None


def _ndc(res: dict[str, Any], medications: dict[str, dict[str, Any]]) -> str:
    """The dispensed product's NDC (11 digits), from its code or its Medication's."""
    concepts = [res.get("medicationCodeableConcept")]
    ref = res.get("medicationReference")
    if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
        concepts.append((medications.get(ref["reference"]) or {}).get("code"))
    for concept in concepts:
        codings = concept.get("coding") if isinstance(concept, dict) else None
        for coding in codings if isinstance(codings, list) else []:
            if isinstance(coding, dict) and coding.get("system") == NDC and \
                    isinstance(coding.get("code"), str):
                code = ndc11(coding["code"])
                if code:
                    return code
    return ""


def _display(ref: Any) -> str:
    text = ref.get("display") if isinstance(ref, dict) else None
    return text.strip()[:200] if isinstance(text, str) else ""


def _kept(res: dict[str, Any], medications: dict[str, dict[str, Any]]) -> dict[str, str]:
    """What the dispense says besides the fill: its NDC, the sig (the first dosage's text),
    the Rx number (the first identifier), the pharmacy (the first performer's name)."""
    dosage = (res.get("dosageInstruction") or [None])[0]
    sig = dosage.get("text") if isinstance(dosage, dict) else None
    ident = (res.get("identifier") or [None])[0]
    rx = ident.get("value") if isinstance(ident, dict) else None
    performer = (res.get("performer") or [None])[0]
    return {"ndc": _ndc(res, medications),
            "sig": sig.strip()[:200] if isinstance(sig, str) else "",
            "rx_number": rx.strip() if isinstance(rx, str) and len(rx.strip()) <= 32 else "",
            "pharmacy": _display(performer.get("actor") if isinstance(performer, dict)
                                 else None)}


def parse_dispenses(source: Path | str | dict[str, Any], *,
                    today: date | None = None) -> DispenseFile:
    """Every handed-over MedicationDispense as a ``RefillRow`` (``line`` = entry number)."""
    data, name = _load(source)
    if data.get("resourceType") == "MedicationDispense":
        entries: list[Any] = [{"resource": data}]
    elif data.get("resourceType") == "Bundle":
        entries = data.get("entry") or []
        if not isinstance(entries, list):
            raise RefillImportError(name, ["Bundle.entry is not a list"])
    else:
        raise RefillImportError(name, ["not a FHIR Bundle or MedicationDispense"])
    medications: dict[str, dict[str, Any]] = {}
    for e in entries:
        res = e.get("resource") if isinstance(e, dict) else None
        if isinstance(res, dict) and res.get("resourceType") == "Medication":
            for key in (e.get("fullUrl"), f"Medication/{res.get('id')}"):
                if isinstance(key, str):
                    medications[key] = res
    rows: list[RefillRow] = []
    errors: list[str] = []
    subjects: set[str] = set()
    skipped = 0
    for i, e in enumerate(entries, start=1):
        res = e.get("resource") if isinstance(e, dict) else None
        if not isinstance(res, dict) or res.get("resourceType") != "MedicationDispense":
            continue
        where = f"entry {i}"
        if res.get("status") in SKIPPED_STATUSES:
            skipped += 1
            continue
        subject = res.get("subject")
        if isinstance(subject, dict) and isinstance(subject.get("reference"), str):
            subjects.add(subject["reference"])
        filled = _date(res.get("whenHandedOver")) or _date(res.get("whenPrepared"))
        if filled is None:
            errors.append(f"{where}: MedicationDispense has no readable whenHandedOver date")
            continue
        if today is not None and filled > today:
            errors.append(f"{where}: the dispense date is in the future")
            continue
        drug = _medication_text(res, medications)
        if not drug:
            errors.append(f"{where}: MedicationDispense names no medication")
            continue
        days = _days_supply(res)
        if isinstance(days, bool) or not isinstance(days, int | float) or days != int(days) \
                or not 1 <= days <= MAX_DAYS_SUPPLY:
            errors.append(f"{where}: daysSupply is missing or not a whole number of days "
                          f"from 1 to {MAX_DAYS_SUPPLY}")
            continue
        qty = res.get("quantity")
        quantity = qty.get("value") if isinstance(qty, dict) else None
        if isinstance(quantity, bool) or not isinstance(quantity, int | float):
            quantity = None
        rows.append(RefillRow(i, filled, drug[:300], int(days),
                              float(quantity) if quantity is not None else None,
                              **_kept(res, medications)))
    if len(subjects) > 1:
        errors.append(f"the dispenses belong to {len(subjects)} different patients; "
                      "import one patient's file at a time")
    if errors:
        raise RefillImportError(name, errors)
    if not rows:
        raise RefillImportError(name, ["no MedicationDispense entries to import"])
    return DispenseFile(rows, subjects, skipped)
