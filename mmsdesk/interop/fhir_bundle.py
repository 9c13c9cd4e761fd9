"""Read a FHIR R4 Bundle into plain dataclasses (no database, no Qt).

``parse_bundle(source)`` takes a file path or an already-parsed dict and returns a
:class:`ParsedBundle`: the patient, medications (MedicationStatement / MedicationRequest),
allergies, conditions, lab and vital observations (panel components such as blood pressure
are read one by one) and pharmacogenomic results. Old-style fields (a plain-string
``clinicalStatus``), extra resources (Encounter, Claim...) and unknown fields are tolerated.
What cannot be read raises :class:`BundleError` whose one-line message names the file and
the place: "Agustn.json: not valid JSON: Unterminated string at line 8143 column 37",
"bundle.json: entry 12 (Observation): effectiveDateTime '2019-13-45' is not a date".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from mmsdesk.parsing import read_fhir_date

LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
SNOMED = "http://snomed.info/sct"
ICD10 = ("http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10")
PGX_GENOTYPE, PGX_PHENOTYPE, PGX_GENE = "84413-4", "53040-2", "48018-6"
MEDICATION_TYPES = ("MedicationStatement", "MedicationRequest")
_PGX_TEXT = re.compile(r"^\s*([A-Za-z0-9*:\-]{2,20})\s+(phenotype|genotype|diplotype)\s*$", re.I)
# The resources whose records are the patient's, and the field that names her.
SUBJECT_FIELD = {"MedicationStatement": "subject", "MedicationRequest": "subject",
                 "AllergyIntolerance": "patient", "Condition": "subject",
                 "Observation": "subject"}


class BundleError(ValueError):
    """A bundle that cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class ParsedPatient:
    given: tuple[str, ...]
    family: str
    birth_date: date | None
    sex: str = ""
    address_line: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""
    phone: str = ""
    language: str = ""
    entry_index: int | None = None
    deceased_date: date | None = None  # deceasedDateTime
    deceased: bool = False  # deceasedDateTime given, or deceasedBoolean true


@dataclass(frozen=True)
class ParsedIngredient:
    """One Medication.ingredient: its name and, when given, its strength (a Ratio)."""

    text: str
    amount: float | None = None
    unit: str = ""  # our unit words: mg mcg g unit meq mmol % ml
    per_amount: float | None = None
    per_unit: str = ""


@dataclass(frozen=True)
class ParsedMedication:
    text: str
    rxnorm_codes: tuple[str, ...]
    status: str
    authored: date | None
    effective_start: date | None
    effective_end: date | None
    dosage_text: str
    resource_type: str
    entry_index: int | None = None
    status_reason: str = ""
    reason: str = ""
    medication_ref: str = ""  # medicationReference.reference, linked to a Medication resource
    ingredients: tuple[ParsedIngredient, ...] = ()  # from that Medication, in its order
    form: str = ""  # that Medication's form, as written
    # the first dosage, structured: dose (doseAndRate.doseQuantity), how often (timing.repeat
    # as a clinical.sig frequency code), as needed, route
    dose_amount: float | None = None
    dose_unit: str = ""
    frequency: str = ""
    as_needed: bool = False
    as_needed_reason: str = ""
    route: str = ""
    reason_refs: tuple[str, ...] = ()  # reasonReference.reference (read into ``reason``)


@dataclass(frozen=True)
class ParsedAllergy:
    text: str
    codes: tuple[str, ...]
    criticality: str
    reactions: tuple[str, ...]
    recorded: date | None
    clinical_status: str = ""
    entry_index: int | None = None
    category: tuple[str, ...] = ()  # food | medication | environment | biologic
    type: str = ""  # allergy | intolerance
    verification: str = ""  # verificationStatus code: confirmed, unconfirmed, refuted...
    coding: tuple[tuple[str, str], ...] = ()  # (system, code) of each code, in order
    severity: str = ""  # the first reaction's severity: mild | moderate | severe


@dataclass(frozen=True)
class ParsedCondition:
    text: str
    snomed: str
    icd10: str
    clinical_status: str
    onset: date | None
    entry_index: int | None = None


@dataclass(frozen=True)
class ParsedObservation:
    loinc: str
    text: str
    value: float | None
    unit: str
    date: date | None
    entry_index: int | None = None


@dataclass(frozen=True)
class ParsedPgx:
    gene: str
    diplotype: str
    phenotype: str
    date: date | None
    entry_index: int | None = None


@dataclass
class ParsedBundle:
    source: str
    patient: ParsedPatient | None = None
    medications: list[ParsedMedication] = field(default_factory=list)
    allergies: list[ParsedAllergy] = field(default_factory=list)
    conditions: list[ParsedCondition] = field(default_factory=list)
    observations: list[ParsedObservation] = field(default_factory=list)
    pgx: list[ParsedPgx] = field(default_factory=list)
    other_resources: int = 0


class _Reader:
    """Typed access to one resource, with errors that name the entry and the field."""

    def __init__(self, name: str, index: int, resource: dict[str, Any]) -> None:
        self.name, self.index, self.res = name, index, resource
        self.where = f"{name}: entry {index} ({resource.get('resourceType')})"

    def fail(self, message: str) -> BundleError:
        return BundleError(f"{self.where}: {message}")

    def get(self, obj: Any, key: str, kind: type | tuple[type, ...], path: str) -> Any:
        value = obj.get(key) if isinstance(obj, dict) else None
        if value is None:
            return None
        if isinstance(value, bool) and kind in (int, float, (int, float)):
            raise self.fail(f"{path}.{key} should be a number, not true/false")
        if not isinstance(value, kind):
            raise self.fail(f"{path}.{key} has the wrong type ({type(value).__name__})")
        return value

    def text(self, obj: Any, key: str, path: str, limit: int = 2000) -> str:
        """The text with its whitespace collapsed; refused when longer than ``limit`` (a
        text is never cut)."""
        value = self.get(obj, key, str, path)
        if not value:
            return ""
        text = " ".join(value.split())
        if len(text) > limit:
            raise self.fail(f"{path}.{key} is {len(text)} characters long, more than the "
                            f"{limit} MMS Desk keeps")
        return text

    def items(self, obj: Any, key: str, path: str) -> list[Any]:
        value = self.get(obj, key, list, path)
        return list(value or [])

    def date(self, obj: Any, key: str, path: str) -> date | None:
        value = self.get(obj, key, str, path)
        if not value:
            return None
        try:
            return read_fhir_date(value)
        except ValueError:
            shown = value[:30].encode("ascii", "backslashreplace").decode("ascii")
            raise self.fail(f"{path}.{key} '{shown}' is not a date") from None

    def subject(self, key: str) -> str:
        """The reference of the resource's patient (``subject`` or ``patient``), or ''."""
        ref = self.res.get(key)
        if not isinstance(ref, dict):
            return ""
        value = ref.get("reference")
        return value.strip() if isinstance(value, str) else ""

    def concept(self, obj: Any, key: str, path: str) -> tuple[str, list[tuple[str, str, str]]]:
        """(text, [(system, code, display)]) of a CodeableConcept."""
        cc = self.get(obj, key, dict, path)
        if not cc:
            return "", []
        codings = []
        for i, c in enumerate(self.items(cc, "coding", f"{path}.{key}")):
            if not isinstance(c, dict):
                raise self.fail(f"{path}.{key}.coding[{i}] is not an object")
            p = f"{path}.{key}.coding[{i}]"
            codings.append((self.text(c, "system", p), self.text(c, "code", p, 64),
                            self.text(c, "display", p, 500)))
        text = self.text(cc, "text", f"{path}.{key}", 500)
        return text or next((d for _, _, d in codings if d), ""), codings

    def status(self, key: str) -> str:
        """A status as a code, whether written as a string (old style) or a CodeableConcept."""
        value = self.res.get(key)
        if value is None:
            return ""
        if isinstance(value, str):
            return value.strip().lower()
        _, codings = self.concept(self.res, key, self.res.get("resourceType", ""))
        return next((c for _, c, _ in codings if c), "").lower()


def _codes(codings: list[tuple[str, str, str]], *systems: str) -> list[str]:
    return [c for s, c, _ in codings if s in systems and c]


def _load(source: Path | str | dict[str, Any]) -> tuple[str, Any]:
    if isinstance(source, dict):
        return "bundle", source
    path = Path(source)
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BundleError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise BundleError(f"{name}: the file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BundleError(f"{name}: not UTF-8 text (byte {exc.start})") from None
    try:
        return name, json.loads(text)
    except json.JSONDecodeError as exc:
        raise BundleError(f"{name}: not valid JSON (the file may be cut short): {exc.msg} ("
                          f"line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise BundleError(f"{name}: nested too deeply to be a FHIR bundle") from None


def parse_bundle(source: Path | str | dict[str, Any]) -> ParsedBundle:
    name, data = _load(source)
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise BundleError(f"{name}: not a FHIR Bundle (resourceType is not 'Bundle')")
    entries = data.get("entry", [])
    if not isinstance(entries, list):
        raise BundleError(f"{name}: 'entry' should be a list")
    out = ParsedBundle(name)
    products: dict[str, tuple[tuple[ParsedIngredient, ...], str, tuple[str, ...]]] = {}
    subjects: list[tuple[_Reader, str]] = []
    patient_refs: set[str] = set()
    condition_refs: dict[str, str] = {}
    request_refs: dict[int, set[str]] = {}  # medications index -> the ways to point at it
    based_on: set[str] = set()  # the requests the statements say they carry out
    for i, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("resource"), dict):
            raise BundleError(f"{name}: entry {i} has no resource object")
        res = entry["resource"]
        rtype = res.get("resourceType")
        if not isinstance(rtype, str) or not rtype:
            raise BundleError(f"{name}: entry {i} has no resourceType")
        r = _Reader(name, i, res)
        if rtype in SUBJECT_FIELD:
            ref = r.subject(SUBJECT_FIELD[rtype])
            if ref:
                subjects.append((r, ref))
        if rtype == "Patient":
            if out.patient is not None:
                raise r.fail("a second Patient; import one patient per file")
            out.patient = _patient(r)
            patient_refs.update(_patient_refs(entry, res))
        elif rtype in MEDICATION_TYPES:
            out.medications.append(_medication(r, rtype))
            if rtype == "MedicationRequest":
                request_refs[len(out.medications) - 1] = {
                    x for x in (entry.get("fullUrl"), f"MedicationRequest/{res.get('id')}")
                    if isinstance(x, str) and x}
            else:
                based_on.update(b["reference"] for b in r.items(res, "basedOn", rtype)
                                if isinstance(b, dict) and isinstance(b.get("reference"), str))
        elif rtype == "Medication":
            product = (_ingredients(r), r.concept(res, "form", "Medication")[0],
                       tuple(_codes(r.concept(res, "code", "Medication")[1], RXNORM)))
            for ref in (entry.get("fullUrl"), f"Medication/{res.get('id')}"):
                if isinstance(ref, str) and ref:
                    products[ref] = product
        elif rtype == "AllergyIntolerance":
            out.allergies.append(_allergy(r))
        elif rtype == "Condition":
            out.conditions.append(_condition(r))
            for ref in (entry.get("fullUrl"), f"Condition/{res.get('id')}"):
                if isinstance(ref, str) and ref:
                    condition_refs[ref] = out.conditions[-1].text
        elif rtype == "Observation":
            _observation(r, out)
        else:
            out.other_resources += 1
    for r, ref in subjects:  # a record about someone else is never attached to this patient
        if out.patient is not None and ref not in patient_refs:
            shown = ref[:60].encode("ascii", "backslashreplace").decode("ascii")
            raise r.fail(f"its {SUBJECT_FIELD[r.res['resourceType']]} is '{shown}', not this "
                         "bundle's patient; nothing was imported")
    # a prescriber's order that a statement carries out is the same medicine, once (our own
    # export sends a prescription as both: interop/fhir_request.py)
    out.medications = [m for k, m in enumerate(out.medications)
                       if not request_refs.get(k, set()) & based_on]
    out.medications = [m if m.ingredients or m.medication_ref not in products else
                       replace(m, ingredients=products[m.medication_ref][0],
                               form=products[m.medication_ref][1],
                               rxnorm_codes=m.rxnorm_codes or products[m.medication_ref][2])
                       for m in out.medications]
    # a reasonReference names the Condition it points at (Synthea writes its reasons so)
    out.medications = [m if m.reason or not m.reason_refs else replace(
        m, reason="; ".join(dict.fromkeys(condition_refs[x] for x in m.reason_refs
                                          if condition_refs.get(x))))
        for m in out.medications]
    return out


def _patient_refs(entry: dict[str, Any], res: dict[str, Any]) -> set[str]:
    """The ways a record may point at this Patient: its fullUrl, ``Patient/<id>``, the
    fullUrl's own tail, and a conditional reference by one of its identifiers."""
    refs: set[str] = set()
    full = entry.get("fullUrl")
    if isinstance(full, str) and full:
        refs.add(full)
        if "/Patient/" in full:
            refs.add("Patient/" + full.rsplit("/Patient/", 1)[1])
    rid = res.get("id")
    if isinstance(rid, str) and rid:
        refs.update({f"Patient/{rid}", f"urn:uuid:{rid}"})
    for ident in res.get("identifier") or []:
        if isinstance(ident, dict) and isinstance(ident.get("value"), str):
            system = ident.get("system") if isinstance(ident.get("system"), str) else ""
            refs.add(f"Patient?identifier={system}|{ident['value']}")
            refs.add(f"Patient?identifier={ident['value']}")
    return refs


# UCUM codes and unit words -> our units (mg mcg g unit meq mmol % ml; per: ml actuat hr ...)
_UNITS = {"mg": "mg", "ug": "mcg", "mcg": "mcg", "g": "g", "[u]": "unit", "[iu]": "unit",
          "u": "unit", "unit": "unit", "units": "unit", "meq": "meq", "mmol": "mmol", "%": "%",
          "ml": "ml", "l": "l", "h": "hr", "hr": "hr", "{actuat}": "actuat", "actuat": "actuat",
          "{dose}": "dose", "dose": "dose"}


def _quantity_of(r: _Reader, q: Any, path: str) -> tuple[float | None, str]:
    """A Quantity's value and its unit (UCUM code, else the unit as written)."""
    if not isinstance(q, dict):
        return None, ""
    value = r.get(q, "value", (int, float), path)
    unit = r.text(q, "code", path, 32) or r.text(q, "unit", path, 32)
    return (float(value) if value is not None else None), unit


def _ratio_part(r: _Reader, q: Any, path: str) -> tuple[float | None, str]:
    value, unit = _quantity_of(r, q, path)
    return value, _UNITS.get(unit.lower(), "")


def _ingredients(r: _Reader) -> tuple[ParsedIngredient, ...]:
    """Medication.ingredient: each item's name and strength; a strength whose units are not
    ours is left out (the name still counts), never guessed."""
    out = []
    for i, ing in enumerate(r.items(r.res, "ingredient", "Medication")):
        path = f"Medication.ingredient[{i}]"
        if not isinstance(ing, dict):
            raise r.fail(f"{path} is not an object")
        text, codings = r.concept(ing, "itemCodeableConcept", path)
        if not text:
            continue
        ratio = r.get(ing, "strength", dict, path) or {}
        amount, unit = _ratio_part(r, ratio.get("numerator"), f"{path}.strength.numerator")
        per, per_unit = _ratio_part(r, ratio.get("denominator"), f"{path}.strength.denominator")
        if amount is None or not unit:
            out.append(ParsedIngredient(text))
            continue
        per_amount = per if per_unit and per not in (None, 1.0) else None
        out.append(ParsedIngredient(text, amount, unit, per_amount, per_unit))
    return tuple(out)


def _patient(r: _Reader) -> ParsedPatient:
    res = r.res
    names = [n for n in r.items(res, "name", "Patient") if isinstance(n, dict)]
    official = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    given = tuple(" ".join(g.split()) for g in r.items(official, "given", "Patient.name")
                  if isinstance(g, str) and g.strip())
    phone = next((r.text(t, "value", "Patient.telecom", 40)
                  for t in r.items(res, "telecom", "Patient")
                  if isinstance(t, dict) and t.get("system") == "phone"), "")
    addr = next((a for a in r.items(res, "address", "Patient") if isinstance(a, dict)), {})
    lines = [x for x in r.items(addr, "line", "Patient.address") if isinstance(x, str)]
    lang = ""
    for c in r.items(res, "communication", "Patient"):
        text, codings = r.concept(c, "language", "Patient.communication")
        lang = next((code for _, code, _ in codings if code), text)
        if lang:
            break
    died = r.date(res, "deceasedDateTime", "Patient")
    return ParsedPatient(
        given, r.text(official, "family", "Patient.name", 100), r.date(res, "birthDate", "Patient"),
        r.text(res, "gender", "Patient", 16), " ".join(" ".join(x.split()) for x in lines),
        r.text(addr, "city", "Patient.address", 100), r.text(addr, "state", "Patient.address", 50),
        r.text(addr, "postalCode", "Patient.address", 20),
        r.text(addr, "country", "Patient.address", 50), phone, lang, r.index,
        died, died is not None or r.get(res, "deceasedBoolean", bool, "Patient") is True)


def _medication(r: _Reader, rtype: str) -> ParsedMedication:
    res = r.res
    text, codings = r.concept(res, "medicationCodeableConcept", rtype)
    if not text:
        ref = r.get(res, "medicationReference", dict, rtype) or {}
        text = r.text(ref, "display", f"{rtype}.medicationReference", 500)
    period = r.get(res, "effectivePeriod", dict, rtype) or {}
    start = r.date(period, "start", f"{rtype}.effectivePeriod") or r.date(
        res, "effectiveDateTime", rtype)
    dosage = [d for d in r.items(res, "dosage" if rtype == "MedicationStatement"
                                 else "dosageInstruction", rtype) if isinstance(d, dict)]
    dosage_text = "; ".join(t for t in (r.text(d, "text", f"{rtype}.dosage", 1000)
                                        for d in dosage) if t)
    # a statement's statusReason is a list, a request's one CodeableConcept (FHIR R4)
    reasons = (r.items(res, "statusReason", rtype) if rtype == "MedicationStatement"
               else [x for x in [r.get(res, "statusReason", dict, rtype)] if x])
    status_reason = "; ".join(
        t for t in (r.concept({"c": c}, "c", f"{rtype}.statusReason")[0]
                    for c in reasons) if t)
    reason = "; ".join(t for t in (r.concept({"c": c}, "c", f"{rtype}.reasonCode")[0]
                                   for c in r.items(res, "reasonCode", rtype)) if t)
    ref = r.get(res, "medicationReference", dict, rtype) or {}
    target = r.text(ref, "reference", f"{rtype}.medicationReference", 500)
    contained: tuple[ParsedIngredient, ...] = ()
    form = ""
    if target.startswith("#"):  # a Medication contained in this resource
        for c in r.items(res, "contained", rtype):
            if isinstance(c, dict) and c.get("resourceType") == "Medication" \
                    and f"#{c.get('id')}" == target:
                inner = _Reader(r.name, r.index, c)
                contained, form = _ingredients(inner), inner.concept(c, "form", "Medication")[0]
    refs = tuple(x for x in (r.text(c, "reference", f"{rtype}.reasonReference", 500)
                             for c in r.items(res, "reasonReference", rtype)) if x)
    return ParsedMedication(text, tuple(_codes(codings, RXNORM)), r.status("status"),
                            r.date(res, "authoredOn", rtype), start,
                            r.date(period, "end", f"{rtype}.effectivePeriod"), dosage_text,
                            rtype, r.index, status_reason, reason, target, contained,
                            form, *_dosage(r, dosage[0] if dosage else {}, rtype),
                            reason_refs=refs)


# timing.repeat (frequency, period, periodUnit) -> clinical.sig frequency code
TIMING_CODES = {(1, 1, "d"): "daily", (2, 1, "d"): "bid", (3, 1, "d"): "tid",
                (4, 1, "d"): "qid", (1, 4, "h"): "q4h", (1, 6, "h"): "q6h", (1, 8, "h"): "q8h",
                (1, 12, "h"): "q12h", (1, 24, "h"): "daily", (1, 2, "d"): "qod",
                (1, 1, "wk"): "weekly", (1, 1, "mo"): "monthly"}


def _dosage(r: _Reader, d: Any, rtype: str
            ) -> tuple[float | None, str, str, bool, str, str]:
    """(dose amount, dose unit, frequency code, as needed, as-needed reason, route) of one
    Dosage; what it does not say stays empty (a timing we have no code for: no frequency)."""
    path = f"{rtype}.dosage"
    repeat = r.get(r.get(d, "timing", dict, path) or {}, "repeat", dict, f"{path}.timing") or {}
    key = (r.get(repeat, "frequency", (int, float), f"{path}.timing.repeat") or 1,
           r.get(repeat, "period", (int, float), f"{path}.timing.repeat"),
           r.text(repeat, "periodUnit", f"{path}.timing.repeat", 8))
    frequency = TIMING_CODES.get((int(key[0]), key[1], key[2]), "") if key[1] else ""
    amount, unit = None, ""
    for dr in r.items(d, "doseAndRate", path):
        amount, unit = _quantity_of(r, r.get(dr, "doseQuantity", dict, f"{path}.doseAndRate"),
                                    f"{path}.doseAndRate.doseQuantity")
        if amount is not None:
            break
    reason, _ = r.concept(d, "asNeededCodeableConcept", path)
    as_needed = bool(reason) or r.get(d, "asNeededBoolean", bool, path) is True
    return (amount, unit, frequency, as_needed, reason,
            r.concept(d, "route", path)[0])


def _allergy(r: _Reader) -> ParsedAllergy:
    res = r.res
    text, codings = r.concept(res, "code", "AllergyIntolerance")
    reactions = []
    severity = ""
    for x in r.items(res, "reaction", "AllergyIntolerance"):
        severity = severity or r.text(x, "severity", "AllergyIntolerance.reaction", 16)
        for m in r.items(x, "manifestation", "AllergyIntolerance.reaction"):
            mtext, _ = r.concept({"m": m}, "m", "AllergyIntolerance.reaction.manifestation")
            if mtext:
                reactions.append(mtext)
    category = tuple(c.strip() for c in r.items(res, "category", "AllergyIntolerance")
                     if isinstance(c, str) and c.strip())
    return ParsedAllergy(text, tuple(c for _, c, _ in codings if c),
                         r.text(res, "criticality", "AllergyIntolerance", 32), tuple(reactions),
                         r.date(res, "recordedDate", "AllergyIntolerance")
                         or r.date(res, "assertedDate", "AllergyIntolerance"),
                         r.status("clinicalStatus"), r.index, category,
                         r.text(res, "type", "AllergyIntolerance", 16),
                         r.status("verificationStatus"),
                         tuple((sy, c) for sy, c, _ in codings if c), severity.lower())


def _condition(r: _Reader) -> ParsedCondition:
    res = r.res
    text, codings = r.concept(res, "code", "Condition")
    return ParsedCondition(text, next(iter(_codes(codings, SNOMED)), ""),
                           next(iter(_codes(codings, *ICD10)), ""), r.status("clinicalStatus"),
                           r.date(res, "onsetDateTime", "Condition")
                           or r.date(res, "recordedDate", "Condition"), r.index)


def _quantity(r: _Reader, obj: Any, path: str) -> tuple[float | None, str]:
    return _quantity_of(r, r.get(obj, "valueQuantity", dict, path), f"{path}.valueQuantity")


def _observation(r: _Reader, out: ParsedBundle) -> None:
    res = r.res
    text, codings = r.concept(res, "code", "Observation")
    loincs = _codes(codings, LOINC)
    when = r.date(res, "effectiveDateTime", "Observation") or r.date(res, "issued", "Observation")
    components = [c for c in r.items(res, "component", "Observation") if isinstance(c, dict)]
    named = _PGX_TEXT.match(text)
    if named and not loincs or named and PGX_PHENOTYPE in loincs and not components:
        # "<GENE> phenotype" in code.text, the result in valueCodeableConcept.text or valueString
        value_text, _ = r.concept(res, "valueCodeableConcept", "Observation")
        value = value_text or r.text(res, "valueString", "Observation", 100)
        if value:
            is_phenotype = named.group(2).lower() == "phenotype"
            out.pgx.append(ParsedPgx(named.group(1).upper(), "" if is_phenotype else value,
                                     value if is_phenotype else "", when, r.index))
        return
    if PGX_GENOTYPE in loincs or PGX_PHENOTYPE in loincs:
        gene = diplotype = phenotype = ""
        value_text, _ = r.concept(res, "valueCodeableConcept", "Observation")
        if PGX_GENOTYPE in loincs:
            diplotype = value_text or r.text(res, "valueString", "Observation", 100)
        else:
            phenotype = value_text or r.text(res, "valueString", "Observation", 100)
        for c in components:
            _, ccodes = r.concept(c, "code", "Observation.component")
            ctext, cvalue = r.concept(c, "valueCodeableConcept", "Observation.component")
            value = ctext or next((d for _, _, d in cvalue if d), "")
            if PGX_GENE in _codes(ccodes, LOINC):
                gene = value
            elif PGX_PHENOTYPE in _codes(ccodes, LOINC):
                phenotype = value
        if gene:
            out.pgx.append(ParsedPgx(gene, diplotype, phenotype, when, r.index))
        return
    if components:
        for c in components:
            ctext, ccodes = r.concept(c, "code", "Observation.component")
            value, unit = _quantity(r, c, "Observation.component")
            code = next(iter(_codes(ccodes, LOINC)), "")
            if code:
                out.observations.append(ParsedObservation(code, ctext, value, unit, when, r.index))
    if loincs and (res.get("valueQuantity") is not None or not components):
        value, unit = _quantity(r, res, "Observation")
        out.observations.append(ParsedObservation(loincs[0], text, value, unit, when, r.index))
