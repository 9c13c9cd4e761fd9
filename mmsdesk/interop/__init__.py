"""FHIR R4 and CSV in and out (no Qt)."""
