"""What a patient document still prints in English.

The preview lists each piece (``untranslated``) before printing; the pharmacist types the text
in the patient's language (stored for the patient by ``services.translations``, and printed by
every later document while the English text is unchanged) or prints anyway.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from mmsdesk.reports.data import DocumentData
from mmsdesk.services import documents
from mmsdesk.store import Store

Piece = tuple[str, str]  # (where: "Metformin 500 mg tablet: directions", the English text)

# The parts of DocumentData each patient document prints (see its builder in reports/): only
# those pieces are listed, so the pharmacist is never asked to translate text that does not
# print (the calendar listed the visit's To-Do items, the bills every medicine's).
PRINTS: dict[str, frozenset[str]] = {
    "pml": frozenset({"medications", "allergies", "other_information", "questions"}),
    "map": frozenset({"action_items", "follow_up_plan", "medication_changes", "questions"}),
    "cms-summary": frozenset({"current_medications", "allergies", "action_items"}),
    "calendar": frozenset({"current_medications"}),
    "invoice": frozenset(),
    "gfe": frozenset(),
}


def printed_parts(kind: str, data: DocumentData) -> DocumentData:
    """``data`` with what ``kind`` does not print left out."""
    parts = PRINTS.get(kind)
    if parts is None:
        return data
    meds = data.medications if "medications" in parts else (
        data.current_medications if "current_medications" in parts else ())
    return replace(
        data, medications=meds, allergies=data.allergies if "allergies" in parts else (),
        action_items=data.action_items if "action_items" in parts else (),
        medication_changes=data.medication_changes if "medication_changes" in parts else (),
        other_information=data.other_information if "other_information" in parts else "",
        follow_up_plan=data.follow_up_plan if "follow_up_plan" in parts else "",
        questions=data.questions if "questions" in parts else "")


def untranslated(store: Store, kind: str, patient_id: int, *, visit_id: int | None = None,
                 lang: str | None = None, today: date | None = None,
                 follow_up_id: int | None = None) -> tuple[Piece, ...]:
    """Every piece of the document still in English (none for an English document or one for
    professionals); pieces with a stored translation are printed translated, so not listed."""
    if kind not in documents.PATIENT_KINDS:
        return ()
    data = documents.gather(store, kind, patient_id, visit_id=visit_id, lang=lang, today=today,
                            follow_up_id=follow_up_id)
    return printed_parts(kind, data).untranslated_text()
