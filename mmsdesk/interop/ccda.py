"""Read a C-CDA document (HL7 CDA R2, C-CDA R1.1 and R2.1; also the older C32/CCD templates)
into the same plain dataclasses as a FHIR bundle (no database, no Qt).

``read_ccda(source)`` returns a :class:`CcdaDocument`: the patient, each medication section as
its own labelled list (current/home, admission, discharge, administered), allergies, problems,
results and vital signs, the document's type, date, author and organisation. ``bundle`` holds
them as a :class:`~mmsdesk.interop.fhir_bundle.ParsedBundle` so the FHIR paths (screening,
import) take a C-CDA without a second translation.

Sections are found by their LOINC code or templateId. A medication is named by its narrative
text (``originalText`` reference) or the code's display name; ``rxnorm_codes`` holds the
document's RxNorm codes and, when it only gives an NDC, the RxNorm code the drug dictionary's
NDC directory gives it. C-CDA ``statusCode`` on a medication is nearly always "completed"
(the record is complete), so a medicine of a current list is active unless its
``effectiveTime/high`` is before the document's date or its status says it was stopped; one of
a discharge list is active unless its status says stopped (it says what to take from
discharge on; its dates are often the hospital order's).

Written with the standard library's ElementTree: the maintained converter evaluated
(ccda-to-fhir 0.3) refused 32 of the 41 reference documents and keeps no section labels.
What cannot be read raises :class:`CcdaError` (a BundleError) naming the file and the place.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mmsdesk.interop.ccda_codes import (
    ALLERGY_KIND,
    CRITICALITY,
    CRITICALITY_LOINC,
    CRITICALITY_TEMPLATE,
    ICD10_OIDS,
    LIST_LABELS,
    LOINC_OID,
    MEDICATION_SECTIONS,
    NDC_OID,
    ONGOING,
    OTHER_SECTIONS,
    RXNORM_OID,
    SEVERITY,
    SNOMED_OID,
    STOPPED,
    SYSTEMS,
    UCUM_WORDS,
)
from mmsdesk.interop.fhir_bundle import (
    BundleError,
    ParsedAllergy,
    ParsedBundle,
    ParsedCondition,
    ParsedMedication,
    ParsedObservation,
    ParsedPatient,
)

V3 = "urn:hl7-org:v3"
SDTC = "urn:hl7-org:sdtc"
NS = {"h": V3, "sdtc": SDTC}
_TS = re.compile(r"^(\d{4})(\d{2})?(\d{2})?", re.ASCII)


class CcdaError(BundleError):
    """A C-CDA document that cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class MedicationList:
    kind: str  # current | admission | discharge | administered
    title: str  # the section's title as written
    medications: tuple[ParsedMedication, ...]

    @property
    def label(self) -> str:
        return LIST_LABELS[self.kind]


@dataclass
class CcdaDocument:
    source: str
    document_type: str  # the document's code display name or title
    date: date | None
    author: str
    organisation: str
    patient: ParsedPatient | None
    medication_lists: list[MedicationList] = field(default_factory=list)
    allergies: list[ParsedAllergy] = field(default_factory=list)
    conditions: list[ParsedCondition] = field(default_factory=list)
    observations: list[ParsedObservation] = field(default_factory=list)

    def lists(self, *kinds: str) -> list[MedicationList]:
        return [m for m in self.medication_lists if m.kind in kinds]

    @property
    def medications(self) -> list[ParsedMedication]:
        return [m for lst in self.medication_lists for m in lst.medications]

    def screened_lists(self) -> list[MedicationList]:
        """What the patient takes after the document: its discharge list when it has one (a
        discharge summary), else its current medications."""
        return self.lists("discharge") or self.lists("current")

    def bundle(self, kinds: tuple[str, ...] | None = None) -> ParsedBundle:
        """The document as a ParsedBundle, with the medications of these list kinds (default:
        :meth:`screened_lists`)."""
        lists = self.lists(*kinds) if kinds is not None else self.screened_lists()
        return ParsedBundle(self.source, self.patient,
                            [m for lst in lists for m in lst.medications], list(self.allergies),
                            list(self.conditions), list(self.observations))


def is_ccda(head: bytes) -> bool:
    """Whether the start of a file is a CDA document (its root element, in the HL7 v3
    namespace, within the first bytes)."""
    return b"ClinicalDocument" in head and b"urn:hl7-org:v3" in head


def read_ccda(source: Path | str | bytes, name: str = "document") -> CcdaDocument:
    if isinstance(source, bytes):
        raw = source
    else:
        path = Path(source)
        name = path.name
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CcdaError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        line, col = exc.position
        raise CcdaError(f"{name}: not a readable C-CDA document: the XML is malformed or cut "
                        f"short (line {line}, column {col})") from None
    if root.tag != f"{{{V3}}}ClinicalDocument":
        raise CcdaError(f"{name}: not a C-CDA document (its root is not an HL7 ClinicalDocument)")
    return _Reader(name, root).document()


def _text(el: ET.Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


_PLACEHOLDERS = {"null", "none", "unk", "unknown", "n/a", "na"}


def _name_part(el: ET.Element | None) -> str:
    """A part of a person's name; "" for a nullFlavor or a placeholder some systems write as
    text (Kareo writes a second given name "null")."""
    if el is None or el.get("nullFlavor"):
        return ""
    text = _text(el)
    return "" if text.lower() in _PLACEHOLDERS else text


def _find(el: ET.Element | None, path: str) -> ET.Element | None:
    return el.find(path, NS) if el is not None else None


class _Reader:
    def __init__(self, name: str, root: ET.Element) -> None:
        self.name, self.root = name, root
        # narrative pieces by ID, for <reference value="#id"/>
        self.narrative = {el.get("ID"): el for el in root.iter() if el.get("ID")}
        self.doc_date: date | None = None

    def fail(self, where: str, message: str) -> CcdaError:
        return CcdaError(f"{self.name}: {where}: {message}")

    def day(self, el: ET.Element | None, where: str) -> date | None:
        """The day of a TS (``value="20120813..."``); a partial one takes its first day."""
        value = (el.get("value") or "").strip() if el is not None else ""
        if not value.strip("0"):
            return None  # absent, or all zeros (some systems' way of writing "unknown")
        m = _TS.match(value)
        try:
            if not m:
                raise ValueError
            return date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
        except ValueError:
            shown = value[:30].encode("ascii", "backslashreplace").decode("ascii")
            raise self.fail(where, f"'{shown}' is not a date") from None

    def ref_text(self, el: ET.Element | None) -> str:
        """The text of an element: the narrative its <reference> points at, else its own."""
        if el is None:
            return ""
        ref = _find(el, "h:reference")
        if ref is not None:
            target = self.narrative.get((ref.get("value") or "").lstrip("#"))
            if target is not None and _text(target):
                return _text(target)
        return _text(el)

    def concept(self, code: ET.Element | None, *, coded_name_first: bool = False
                ) -> tuple[str, list[tuple[str, str]]]:
        """(text, [(codeSystem OID, code)]) of a CD: the originalText, else a display name
        (``coded_name_first``: the code's display name, else the originalText)."""
        if code is None:
            return "", []
        codes = [(c.get("codeSystem") or "", c.get("code") or "")
                 for c in [code, *code.findall("h:translation", NS)] if c.get("code")]
        original = self.ref_text(_find(code, "h:originalText"))
        display = code.get("displayName") or next(
            (t.get("displayName") for t in code.findall("h:translation", NS)
             if t.get("displayName")), "")
        text = (display or original) if coded_name_first else (original or display)
        return " ".join(text.split()), codes

    # -- the document
    def document(self) -> CcdaDocument:
        r = self.root
        self.doc_date = self.day(_find(r, "h:effectiveTime"), "effectiveTime")
        code = _find(r, "h:code")
        doc = CcdaDocument(self.name, _text(_find(r, "h:title")) or (
            code.get("displayName", "") if code is not None else ""), self.doc_date,
            *self.author(), self.patient())
        for section in r.iter(f"{{{V3}}}section"):
            kind = _kind(section, MEDICATION_SECTIONS)
            if kind:
                meds = tuple(self.medication(sa, kind, i) for i, sa in
                             enumerate(medication_entries(section, self.narrative), start=1))
                doc.medication_lists.append(MedicationList(kind, _text(_find(section, "h:title"))
                                                           or LIST_LABELS[kind], meds))
                continue
            other = _kind(section, OTHER_SECTIONS)
            if other == "allergies":
                doc.allergies += self.allergies(section)
            elif other == "problems":
                doc.conditions += self.problems(section)
            elif other in ("results", "vitals"):
                doc.observations += self.observations(section)
        return doc

    def author(self) -> tuple[str, str]:
        name = org = ""
        for a in self.root.findall("h:author/h:assignedAuthor", NS):
            name = name or _person(_find(a, "h:assignedPerson/h:name"))
            org = org or _text(_find(a, "h:representedOrganization/h:name"))
        org = org or _text(_find(self.root, "h:custodian/h:assignedCustodian/"
                                 "h:representedCustodianOrganization/h:name"))
        return name, org

    def patient(self) -> ParsedPatient | None:
        role = _find(self.root, "h:recordTarget/h:patientRole")
        p = _find(role, "h:patient")
        if p is None:
            return None
        name = next((n for n in p.findall("h:name", NS) if n.get("use") in (None, "L")),
                    _find(p, "h:name"))
        given = tuple(_name_part(g) for g in (name.findall("h:given", NS)
                                              if name is not None else ()) if _name_part(g))
        sex = {"M": "male", "F": "female"}.get(
            _attr(p, "h:administrativeGenderCode", "code"), "")
        addr = _find(role, "h:addr")
        phone = next((t.get("value", "").removeprefix("tel:") for t in
                      (role.findall("h:telecom", NS) if role is not None else ())
                      if t.get("value", "").startswith("tel:")), "")
        lang = _attr(p, "h:languageCommunication/h:languageCode", "code")
        died = self.day(_find(p, "sdtc:deceasedTime"), "patient's deceasedTime")
        dead = _find(p, "sdtc:deceasedInd")
        return ParsedPatient(
            given, _name_part(_find(name, "h:family")), self.day(_find(p, "h:birthTime"),
                                                           "patient's birthTime"), sex,
            " ".join(_text(x) for x in (addr.findall("h:streetAddressLine", NS)
                                        if addr is not None else ())),
            _text(_find(addr, "h:city")), _text(_find(addr, "h:state")),
            _text(_find(addr, "h:postalCode")), _text(_find(addr, "h:country")), phone, lang,
            None, died, died is not None or (dead is not None and dead.get("value") == "true"))

    def medication(self, sa: ET.Element, kind: str, index: int) -> ParsedMedication:
        where = f"{LIST_LABELS[kind]} entry {index}"
        material = _find(sa, "h:consumable/h:manufacturedProduct/h:manufacturedMaterial")
        text, codes = self.concept(_find(material, "h:code"))
        text = text or _text(_find(material, "h:name"))
        rxnorm = [c for s, c in codes if s == RXNORM_OID]
        ndc = [c for s, c in codes if s == NDC_OID]
        if not rxnorm and ndc:  # an NDC alone: the product the NDC directory sells under it
            from mmsdesk.interop.ndc import resolve_ndc

            for n in ndc:
                r = resolve_ndc(n)
                if r is not None:
                    rxnorm = [r.rxnorm] if r.rxnorm.isdigit() else []
                    text = text or r.product
                    break
        low = high = None
        for et in sa.findall("h:effectiveTime", NS):
            low = low or self.day(_find(et, "h:low"), f"{where}: effectiveTime")
            high = high or self.day(_find(et, "h:high"), f"{where}: effectiveTime")
            if _find(et, "h:low") is None and _find(et, "h:period") is None:
                low = low or self.day(et, f"{where}: effectiveTime")
        status_code = _attr(sa, "h:statusCode", "code")
        if kind not in ONGOING:
            status = "completed"
        elif status_code in STOPPED:
            status = STOPPED[status_code]
        elif kind == "current" and high is not None and self.doc_date is not None \
                and high < self.doc_date:
            status = "completed"
        else:
            status = "active"
        sig = self.ref_text(_find(sa, "h:text"))
        if sig and " ".join(sig.lower().split()) == text.lower():
            sig = ""  # the entry's text repeats the medicine's name: no directions
        reasons = [self.concept(_find(o, "h:value"))[0] for o in
                   sa.findall("h:entryRelationship[@typeCode='RSON']/h:observation", NS)]
        authored = self.day(_find(sa, "h:author/h:time"), f"{where}: author time")
        return ParsedMedication(text, tuple(dict.fromkeys(rxnorm)), status, authored, low,
                                high, sig, LIST_LABELS[kind], index,  # names the place
                                reason="; ".join(r for r in reasons if r))

    def allergies(self, section: ET.Element) -> list[ParsedAllergy]:
        out = []
        for i, obs in enumerate(_entry_observations(section), start=1):
            if obs.get("negationInd") == "true" or obs.get("nullFlavor"):
                continue  # "no known allergies"; "no information about allergies" (NI)
            entity = _find(obs, "h:participant/h:participantRole/h:playingEntity")
            if entity is None:
                continue  # a reaction or severity observation, read with its allergy
            # the substance's coded name first: some samples point its originalText at the
            # reaction's cell of the table
            text, codes = self.concept(_find(entity, "h:code"), coded_name_first=True)
            text = text or _text(_find(entity, "h:name"))
            reactions = [self.concept(_find(x, "h:value"))[0] for x in obs.findall(
                "h:entryRelationship[@typeCode='MFST']/h:observation", NS)]
            status = self.status_of(obs) or _concern_status(section, obs)
            category, kind = ALLERGY_KIND.get(_attr(obs, "h:value", "code"), ("", ""))
            out.append(ParsedAllergy(text, tuple(c for _, c in codes), _criticality(obs),
                                     tuple(r for r in reactions if r),
                                     self.day(_find(obs, "h:effectiveTime/h:low"),
                                              f"allergy {i}: effectiveTime"), status, i,
                                     category=(category,) if category else (), type=kind,
                                     coding=tuple((SYSTEMS.get(sy, sy), c) for sy, c in codes),
                                     severity=_severity(obs)))
        return out

    def status_of(self, obs: ET.Element) -> str:
        """The Status observation's value (active, resolved, inactive), lower case, or ''."""
        for st in obs.findall("h:entryRelationship/h:observation", NS):
            code = _find(st, "h:code")
            if code is not None and code.get("code") == "33999-4":
                return self.concept(_find(st, "h:value"))[0].lower()
        return ""

    def problems(self, section: ET.Element) -> list[ParsedCondition]:
        out = []
        for i, obs in enumerate(_entry_observations(section), start=1):
            value = _find(obs, "h:value")
            code = _find(obs, "h:code")
            if value is None or obs.get("negationInd") == "true" or (
                    code is not None and code.get("code") == "33999-4"):
                continue  # a status observation, or "no known problems"
            text, codes = self.concept(value)
            if not text:
                continue
            high = self.day(_find(obs, "h:effectiveTime/h:high"), f"problem {i}: effectiveTime")
            status = self.status_of(obs) or ("resolved" if high is not None else "active")
            out.append(ParsedCondition(
                text, next((c for s, c in codes if s == SNOMED_OID), ""),
                next((c for s, c in codes if s in ICD10_OIDS), ""), status,
                self.day(_find(obs, "h:effectiveTime/h:low"), f"problem {i}: effectiveTime"), i))
        return out

    def observations(self, section: ET.Element) -> list[ParsedObservation]:
        out = []
        for i, obs in enumerate(section.iter(f"{{{V3}}}observation"), start=1):
            value = _find(obs, "h:value")
            text, codes = self.concept(_find(obs, "h:code"))
            loinc = next((c for s, c in codes if s == LOINC_OID), "")
            if value is None or not loinc or value.get("value") is None:
                continue
            try:
                number: float | None = float(value.get("value", ""))
            except ValueError:
                number = None
            when = self.day(_find(obs, "h:effectiveTime"), f"result {i}: effectiveTime") or \
                self.day(_find(obs, "h:effectiveTime/h:low"), f"result {i}: effectiveTime")
            unit = value.get("unit", "").strip()
            out.append(ParsedObservation(loinc, text, number, UCUM_WORDS.get(unit, unit), when,
                                         i))
        return out


def medication_entries(section: ET.Element, narrative: dict[str, ET.Element]
                       ) -> list[ET.Element]:
    """The section's substanceAdministrations that name a drug, the outermost only: the
    manufactured material has a code, or (coded as unknown) a text that is not a statement that
    there is nothing to list ("No medication data is applicable", "... not documented")."""
    found = [sa for sa in section.findall("h:entry//h:substanceAdministration", NS)
             if _names_drug(_find(sa, "h:consumable/h:manufacturedProduct/h:manufacturedMaterial"
                                  "/h:code"), narrative)]
    inner = {id(x) for sa in found for x in sa.iter(f"{{{V3}}}substanceAdministration")
             if x is not sa}
    return [sa for sa in found if id(sa) not in inner]


_NOTHING = re.compile(r"^\s*$|^(no|none)\b|\bnot (documented|available|applicable|known)\b|"
                      r"\bexcluded\b", re.I)


def _names_drug(code: ET.Element | None, narrative: dict[str, ET.Element]) -> bool:
    if code is None:
        return False
    if code.get("code"):
        return True
    if any(t.get("code") == "410942007" for t in code.findall("h:translation", NS)):
        return False  # SNOMED "drug or medication": a statement about the list, not a drug
    original = _find(code, "h:originalText")
    ref = _find(original, "h:reference")
    target = narrative.get((ref.get("value") or "").lstrip("#")) if ref is not None else None
    return not _NOTHING.search(_text(target) if target is not None else _text(original))


def _severity(obs: ET.Element) -> str:
    """The allergy's severity: its Severity Observation's, else its first reaction's."""
    for sev in obs.iter(f"{{{V3}}}observation"):
        if _attr(sev, "h:code", "code") == "SEV":
            word = SEVERITY.get(_attr(sev, "h:value", "code"), "")
            if word:
                return word
    return ""


def _criticality(obs: ET.Element) -> str:
    """The allergy's Criticality Observation's value in FHIR's word, or ''."""
    for crit in obs.findall("h:entryRelationship/h:observation", NS):
        roots = {t.get("root") for t in crit.findall("h:templateId", NS)}
        if CRITICALITY_TEMPLATE in roots or _attr(crit, "h:code", "code") == CRITICALITY_LOINC:
            return CRITICALITY.get(_attr(crit, "h:value", "code"), "")
    return ""


def _entry_observations(section: ET.Element) -> list[ET.Element]:
    """The observations an entry asserts: under its concern act (C-CDA), or the entry's own
    (older documents); not the status, reaction or health-status observations inside them."""
    return (section.findall("h:entry/h:act/h:entryRelationship/h:observation", NS)
            + section.findall("h:entry/h:observation", NS))


def _kind(section: ET.Element, table: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]) -> str:
    code = _attr(section, "h:code", "code")
    templates = {t.get("root") for t in section.findall("h:templateId", NS)}
    for kind, (codes, _roots) in table.items():
        if code in codes:
            return kind
    for kind, (_codes, roots) in table.items():
        if templates & set(roots):
            return kind
    return ""


def _concern_status(section: ET.Element, obs: ET.Element) -> str:
    for act in section.findall("h:entry/h:act", NS):
        if any(x is obs for x in act.iter()):
            code = _attr(act, "h:statusCode", "code")
            return {"active": "active", "completed": "resolved", "suspended": "inactive",
                    "aborted": "inactive"}.get(code, "")
    return ""


def _attr(el: ET.Element | None, path: str, name: str) -> str:
    found = _find(el, path)
    return (found.get(name) or "") if found is not None else ""


def _person(name: ET.Element | None) -> str:
    if name is None:
        return ""
    parts = [_name_part(x) for x in name.findall("h:given", NS) + name.findall("h:family", NS)]
    return " ".join(p for p in parts if p) or _text(name)
