"""Import a patient's record from a FHIR bundle or a C-CDA document, whichever the file holds
(told from its content by :mod:`mmsdesk.interop.formats`), with the FHIR import's preview and
all-or-nothing write (:class:`~mmsdesk.services.fhir_import.FhirImportService`).

A C-CDA's medication lists mean different things: its current (home) list goes into the chart;
a document with none (a discharge summary) gives its discharge list. The other lists are named
in the preview as not added: a discharge list is compared in a visit's reconciliation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mmsdesk.interop.ccda import CcdaDocument
from mmsdesk.interop.fhir_bundle import BundleError
from mmsdesk.interop.fhir_import import FhirImportError, ImportPlan, plan_from_parsed
from mmsdesk.interop.formats import read_record
from mmsdesk.services.fhir_import import ImportRefused


@dataclass(frozen=True)
class DocumentSummary:
    """What a C-CDA says about itself, for the preview."""

    document_type: str
    date: Any
    author: str
    organisation: str
    lists: tuple[tuple[str, str, int], ...]  # (kind, label, medicines)
    charted: tuple[str, ...]  # the list kinds the import writes into the chart

    def as_json(self) -> dict[str, Any]:
        return {"type": self.document_type,
                "date": self.date.isoformat() if self.date else None,
                "author": self.author, "organisation": self.organisation,
                "lists": [{"kind": k, "label": label, "medicines": n,
                           "imported": k in self.charted} for k, label, n in self.lists]}


def chart_lists(doc: CcdaDocument) -> tuple[str, ...]:
    return ("current",) if doc.lists("current") else ("discharge",)


def _retired_icd10(plan: ImportPlan) -> None:
    """A C-CDA problem coded with an ICD-10-CM code no longer in the code set (documents
    outlive code-set years: H40.11X0 was retired in FY2017) keeps its name and SNOMED code;
    the old code is left out and named in the preview, rather than the document refused."""
    from mmsdesk.services import icd10

    if not icd10.available():
        return
    for entry in plan.conditions:
        code = entry.data.icd10_code.strip().upper()
        if code and icd10.describe(code) is None:
            entry.data.icd10_code = ""
            plan.skipped.append(f"{entry.where}: ICD-10-CM {code} is not in the current code "
                                "set; the problem is kept without it")


def read_plan(source: Path | str) -> tuple[str, ImportPlan, DocumentSummary | None]:
    """(format, plan, the C-CDA's summary or None). Raises :class:`ImportRefused` with one
    line naming the file and the problem; nothing is read into the store here."""
    name = Path(source).name
    try:
        rec = read_record(source)
        if rec.document is None:
            return rec.format, plan_from_parsed(rec.bundle, name), None
        doc = rec.document
        kinds = chart_lists(doc)
        plan = plan_from_parsed(doc.bundle(kinds), name)
    except (BundleError, FhirImportError) as exc:
        raise ImportRefused(str(exc)) from None
    _retired_icd10(plan)
    for lst in doc.medication_lists:
        if lst.kind not in kinds and lst.medications:
            plan.skipped.append(
                f"{lst.label} ({len(lst.medications)}, '{lst.title}'): not added to the chart"
                + ("; compare it in a visit's reconciliation" if lst.kind == "discharge"
                   else ""))
    summary = DocumentSummary(doc.document_type, doc.date, doc.author, doc.organisation,
                              tuple((lst.kind, lst.label, len(lst.medications))
                                    for lst in doc.medication_lists), kinds)
    return rec.format, plan, summary
