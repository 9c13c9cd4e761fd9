"""The C-CDA codes the reader (interop/ccda.py) knows: section LOINC codes and templateIds
(C-CDA R1.1/R2.1 and the C32-era CCD), code system OIDs, Severity Observation values, UCUM
unit spellings and medication status codes. C-CDA R2.1 templates: HL7 CDA R2 Implementation
Guide: Consolidated CDA Templates for Clinical Notes, Volume 2 (section and entry templates).
"""

from __future__ import annotations

RXNORM_OID, NDC_OID = "2.16.840.1.113883.6.88", "2.16.840.1.113883.6.69"
SNOMED_OID, LOINC_OID = "2.16.840.1.113883.6.96", "2.16.840.1.113883.6.1"
ICD10_OIDS = ("2.16.840.1.113883.6.90", "2.16.840.1.113883.6.3")

# list kind -> (section LOINC codes, section templateIds); first match wins
MEDICATION_SECTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "discharge": (("10183-2", "75311-1"), ("2.16.840.1.113883.10.20.22.2.11",
                                          "2.16.840.1.113883.10.20.22.2.11.1")),
    "admission": (("42346-7",), ("2.16.840.1.113883.10.20.22.2.44",)),
    "administered": (("29549-3", "18610-6"), ("2.16.840.1.113883.10.20.22.2.38",)),
    "current": (("10160-0",), ("2.16.840.1.113883.10.20.22.2.1",
                               "2.16.840.1.113883.10.20.22.2.1.1", "2.16.840.1.113883.10.20.1.8")),
}
LIST_LABELS = {"current": "Current medications", "admission": "Medications on admission",
               "discharge": "Discharge medications", "administered": "Medications administered"}
# the lists that say what the patient takes (or should take) after the document
ONGOING = ("current", "discharge")
OTHER_SECTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "allergies": (("48765-2",), ("2.16.840.1.113883.10.20.22.2.6", "2.16.840.1.113883.10.20.22.2.6.1",
                                 "2.16.840.1.113883.10.20.1.2")),
    "problems": (("11450-4",), ("2.16.840.1.113883.10.20.22.2.5", "2.16.840.1.113883.10.20.22.2.5.1",
                                "2.16.840.1.113883.10.20.1.11")),
    "results": (("30954-2",), ("2.16.840.1.113883.10.20.22.2.3", "2.16.840.1.113883.10.20.22.2.3.1",
                               "2.16.840.1.113883.10.20.1.14")),
    "vitals": (("8716-3",), ("2.16.840.1.113883.10.20.22.2.4", "2.16.840.1.113883.10.20.22.2.4.1",
                             "2.16.840.1.113883.10.20.1.16")),
}
# UCUM units written with annotations, as our measures name them ("1": no unit)
UCUM_WORDS = {"[in_us]": "in", "[in_i]": "in", "[lb_av]": "lb", "1": ""}
STOPPED = {"aborted": "stopped", "cancelled": "stopped", "suspended": "on-hold",
           "held": "on-hold", "nullified": "entered-in-error", "obsolete": "entered-in-error"}
# code system OIDs -> FHIR system URIs, so a code keeps its system
SYSTEMS = {RXNORM_OID: "http://www.nlm.nih.gov/research/umls/rxnorm",
           SNOMED_OID: "http://snomed.info/sct", NDC_OID: "http://hl7.org/fhir/sid/ndc",
           "2.16.840.1.113883.4.9": "http://fdasis.nlm.nih.gov"}
# Severity Observation (SEV) value: SNOMED CT code -> our word (a range takes its upper end)
SEVERITY = {"255604002": "mild", "6736007": "moderate", "24484000": "severe",
            "371923003": "moderate", "371924009": "severe", "399166001": "severe"}
# Allergy - Intolerance Observation (templateId 2.16.840.1.113883.10.20.22.4.7) value, from the
# Allergy and Intolerance Type value set (2.16.840.1.113883.3.88.12.3221.6.2): SNOMED CT code ->
# (FHIR category, FHIR type); "" where the code does not tell
ALLERGY_KIND = {"416098002": ("medication", "allergy"), "59037007": ("medication", "intolerance"),
                "419511003": ("medication", ""), "414285001": ("food", "allergy"),
                "235719002": ("food", "intolerance"), "418471000": ("food", ""),
                "426232007": ("environment", "allergy"), "419199007": ("", "allergy"),
                "420134006": ("", ""), "418038007": ("", "")}
# Criticality Observation (templateId 2.16.840.1.113883.10.20.22.4.145, code LOINC 82606-5)
# value, HL7 ObservationValue code -> FHIR AllergyIntolerance.criticality
CRITICALITY_TEMPLATE, CRITICALITY_LOINC = "2.16.840.1.113883.10.20.22.4.145", "82606-5"
CRITICALITY = {"CRITL": "low", "CRITH": "high", "CRITU": "unable-to-assess"}
