"""The C-CDA reader over the 41 real documents in ../shared/data/ccda (nine EHR vendors): every
one read; medication entries counted from the XML itself; >= 95 % recognised by the drug
dictionary; allergies and problems read where the document has them; a truncated copy
refused in one line; the format told from the content."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from mmsdesk.interop.ccda import CcdaError, read_ccda
from mmsdesk.interop.fhir_bundle import BundleError
from mmsdesk.interop.formats import CCDA, FHIR, TEXT, XML, detect_format, read_record
from tests.conftest import shared_data

H = "{urn:hl7-org:v3}"
# LOINC codes of the medication sections: home/current, admission, discharge, administered
MED_SECTION_CODES = {"10160-0", "42346-7", "10183-2", "75311-1", "29549-3", "18610-6"}


def _documents() -> list[Path]:
    return sorted(p for p in shared_data("ccda").iterdir() if p.suffix != ".md")


def _sections(root: ET.Element, codes: set[str]) -> list[ET.Element]:
    return [s for s in root.iter(f"{H}section")
            if s.find(f"{H}code") is not None and s.find(f"{H}code").get("code") in codes]


def _coded_drug_entries(root: ET.Element) -> int:
    """substanceAdministration entries of the medication sections whose product carries a
    code (on the code or a translation; SNOMED 410942007 "drug or medication" says there is
    none), counted straight from the XML."""
    n = 0
    for section in _sections(root, MED_SECTION_CODES):
        for entry in section.findall(f"{H}entry"):
            for sa in entry.iter(f"{H}substanceAdministration"):
                code = sa.find(f"{H}consumable/{H}manufacturedProduct/{H}manufacturedMaterial/"
                               f"{H}code")
                codes = [] if code is None else [
                    c.get("code") for c in [code, *code.findall(f"{H}translation")]]
                if any(codes) and "410942007" not in codes:
                    n += 1
    return n


def _has(root: ET.Element, code: str, child: str) -> bool:
    """Whether the section with this LOINC code has a (not negated) entry observation with
    ``child`` (a path below the observation)."""
    for s in _sections(root, {code}):
        for obs in s.iter(f"{H}observation"):
            # negated ("no known allergies") or null ("no information", NI): none listed
            if obs.get("negationInd") != "true" and not obs.get("nullFlavor") \
                    and obs.find(child) is not None:
                return True
    return False


def test_every_document_read_counted_and_recognised(tmp_path: Path):
    from mmsdesk.clinical.dictionary import resolve

    docs = _documents()
    assert len(docs) == 41
    per_vendor: dict[str, Counter[str]] = {}
    for path in docs:
        root = ET.parse(path).getroot()
        doc = read_ccda(path)
        assert detect_format(path) == CCDA, path.name  # .xml, .ccd and .txt alike
        assert doc.patient is not None and doc.patient.family and doc.patient.birth_date
        assert doc.date is not None, path.name
        assert len(doc.medications) == _coded_drug_entries(root), path.name
        if _has(root, "48765-2", f"{H}participant/{H}participantRole/{H}playingEntity"):
            assert doc.allergies and all(a.text for a in doc.allergies), path.name
        if _has(root, "11450-4", f"{H}value[@code]"):
            assert doc.conditions and all(c.text for c in doc.conditions), path.name
        cut = tmp_path / path.name  # a truncated copy: refused in one line
        cut.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])
        with pytest.raises(CcdaError, match=r"^[^\n]*not a readable C-CDA document[^\n]*$"):
            read_record(cut)
        c = per_vendor.setdefault(path.name.split("__")[0], Counter())
        c["documents"] += 1
        for m in doc.medications:
            r = next((x for x in (resolve(m.text, rxnorm=code) for code in m.rxnorm_codes)
                      if x.ingredients), None) or resolve(m.text)
            c["medications"] += 1
            c["recognised"] += bool(r.ingredients)
        c["allergies"] += len(doc.allergies)
        c["problems"] += len(doc.conditions)
    total = sum(c["medications"] for c in per_vendor.values())
    recognised = sum(c["recognised"] for c in per_vendor.values())
    print("\nvendor: documents, medications, recognised, allergies, problems")
    for vendor, c in sorted(per_vendor.items()):
        print(f"{vendor}: {c['documents']}, {c['medications']}, {c['recognised']}, "
              f"{c['allergies']}, {c['problems']}")
    assert len(per_vendor) >= 9
    assert total >= 140 and recognised / total >= 0.95, (recognised, total)


def test_discharge_list_kept_apart_with_date_author_and_organisation():
    doc = read_ccda(shared_data("ccda", "NIST__CCDA_CCD_b1_Ambulatory_v2.xml"))
    assert [lst.kind for lst in doc.medication_lists] == ["current", "discharge"]
    (discharge,) = doc.lists("discharge")
    assert discharge.label == "Discharge medications"
    (med,) = discharge.medications
    assert "Fluticasone" in med.text and med.rxnorm_codes == ("896001",)
    assert med.dosage_text == "0.11 MG/ACTUAT Metered Dose Once Daily"
    assert doc.date == date(2012, 9, 12)
    assert (doc.author, doc.organisation) == ("Henry Seven", "Community Health and Hospitals")
    # screening and import read the discharge list, not the home list, of a discharge document
    assert [m.text for m in doc.bundle().medications] == [med.text]
    assert len(doc.bundle(("current", "discharge")).medications) == 2


def test_narrative_text_names_the_medicine_and_rxnorm_code_kept():
    doc = read_ccda(shared_data("ccda", "Transitions_of_Care__ToC_CCDA_CCD_CompGuideSample_"
                                        "FullXML.xml"))
    meds = doc.lists("current")[0].medications
    assert len(meds) == 20 and all(m.text and m.rxnorm_codes for m in meds)
    assert all(m.status == "active" for m in meds)  # no end date before the document's date
    assert doc.patient and doc.patient.given == ("Nikolai",) and doc.patient.sex == "male"


def test_medicine_ended_before_the_document_is_not_active(tmp_path: Path):
    src = shared_data("ccda", "HL7__CCD.sample.xml").read_bytes()
    doc = read_ccda(src, "ccd.xml")
    (med,) = doc.medications
    assert med.effective_end is not None and doc.date is not None
    assert (med.status == "completed") == (med.effective_end < doc.date)


@pytest.mark.parametrize("cut", [0.3, 0.7, 0.99])
def test_truncated_copy_refused_in_one_line(tmp_path: Path, cut: float):
    raw = shared_data("ccda", "EMERGE__Patient-1.xml").read_bytes()
    bad = tmp_path / "cut.xml"
    bad.write_bytes(raw[: int(len(raw) * cut)])
    assert detect_format(bad) == CCDA
    with pytest.raises(CcdaError) as err:
        read_record(bad)
    message = str(err.value)
    assert "\n" not in message and message.startswith("cut.xml: not a readable C-CDA document")
    assert isinstance(err.value, BundleError)


def test_format_told_from_content_not_name(tmp_path: Path):
    ccda = tmp_path / "list.json"  # a C-CDA under a misleading name
    ccda.write_bytes(shared_data("ccda", "HL7__CCD.sample.xml").read_bytes())
    assert detect_format(ccda) == CCDA and read_record(ccda).document is not None
    fhir = tmp_path / "bundle.xml"
    fhir.write_text('\ufeff {"resourceType": "Bundle", "entry": []}', encoding="utf-8")
    assert detect_format(fhir) == FHIR and read_record(fhir).format == FHIR
    other = tmp_path / "other.xml"
    other.write_text("<note><to>x</to></note>", encoding="utf-8")
    assert detect_format(other) == XML
    with pytest.raises(BundleError, match="not a C-CDA document"):
        read_record(other)
    lines = tmp_path / "meds.txt"
    lines.write_text("metformin 500 mg twice daily\n", encoding="utf-8")
    assert detect_format(lines) == TEXT
    with pytest.raises(BundleError, match="meds.txt: neither a FHIR bundle .JSON. nor a C-CDA"):
        read_record(lines)
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    with pytest.raises(BundleError, match="the file is empty"):
        read_record(empty)


def test_impossible_date_names_the_place():
    raw = shared_data("ccda", "HL7__CCD.sample.xml").read_bytes()
    bad = raw.replace(b'<birthTime value="19541125"/>', b'<birthTime value="19541345"/>')
    assert bad != raw
    with pytest.raises(CcdaError, match="birthTime: '19541345' is not a date"):
        read_ccda(bad, "ccd.xml")


def test_vitals_in_ucum_annotated_units_are_recorded():
    """Height written in UCUM's [in_us] is read as inches, which the record takes."""
    from mmsdesk.interop.fhir_import import plan_from_parsed

    doc = read_ccda(shared_data("ccda", "Allscripts__Enterprise_EHR__b2_Adam_Everyman_ToC.xml"))
    heights = [o for o in doc.observations if o.loinc == "8302-2"]
    assert heights and all(o.unit == "in" for o in heights)
    plan = plan_from_parsed(doc.bundle(), "ccd.xml")
    assert any(p.data.measure == "height" for p in plan.observations)
    assert not [s for s in plan.skipped if "Body height" in s]


def test_allergy_severity_and_code_system_read_and_imported():
    from mmsdesk.interop.fhir_import import plan_from_parsed

    doc = read_ccda(shared_data("ccda", "NIST__CCDA_CCD_b1_Ambulatory_v2.xml"))
    got = {a.text: (a.severity, a.clinical_status) for a in doc.allergies}
    assert got == {"Penicillin G benzathine": ("severe", "inactive"),  # "Moderate to severe"
                   "Codeine": ("moderate", "active"), "Aspirin": ("moderate", "active")}
    plan = plan_from_parsed(doc.bundle(), "ccd.xml")
    drafts = {p.data.substance: p.data for p in plan.allergies}
    assert drafts["Codeine"].severity == "moderate" and drafts["Codeine"].substance_code == "2670"
    assert drafts["Penicillin G benzathine"].status == "inactive"


def test_import_refusal_names_the_list_and_entry():
    """A medicine whose name hides a control character is refused, naming the C-CDA's list
    and the entry (not a FHIR resource type)."""
    from mmsdesk.interop.fhir_import import FhirImportError, plan_from_parsed

    raw = shared_data("ccda", "NIST__CCDA_CCD_b1_Ambulatory_v2.xml").read_bytes()
    bad = raw.replace(b"Albuterol 0.09 MG/ACTUAT inhalant solution",
                      "Albuterol\u202e 0.09 MG/ACTUAT inhalant solution".encode(), 1)
    doc = read_ccda(bad, "discharge.xml")
    with pytest.raises(FhirImportError, match=r"^discharge.xml: entry 1 \(Current medications\)"):
        plan_from_parsed(doc.bundle(("current",)), "discharge.xml")


def test_medicine_coded_by_ndc_alone_named_through_the_ndc_directory(ndc_directory):
    import re

    raw = shared_data("ccda", "NIST__CCDA_CCD_b1_Ambulatory_v2.xml").read_bytes()
    # the discharge medicine coded by its package NDC only (no RxNorm, no name, no narrative)
    bad, n = re.subn(rb'<code\s+code="896001".*?</code>',
                     b'<code code="00002140701" codeSystem="2.16.840.1.113883.6.69"/>', raw,
                     count=1, flags=re.S)
    assert n == 1
    (med,) = read_ccda(bad, "ndc.xml").lists("discharge")[0].medications
    assert med.text == "Quinidine 80 mg/mL solution" and med.rxnorm_codes == ()


def test_placeholder_name_parts_are_not_names():
    # Kareo writes the patient's second given name as the text "null"; the Summary of Care
    # writes nullFlavor="UNK" givens for its care team
    doc = read_ccda(shared_data("ccda", "Kareo__Kareo_CCD_export_Joey_Miller.ccd"))
    assert doc.patient.given == ("JOEY",)
    assert doc.patient.family == "MILLER"
    every = [read_ccda(p) for p in _documents()]
    assert not [d.patient.given for d in every
                if d.patient and any(g.lower() == "null" for g in d.patient.given)]
