"""What a patient document still prints in English.

The preview lists each piece (``untranslated``) before printing; the pharmacist types the text
in the patient's language (stored for the patient by ``services.translations``, and printed by
every later document while the English text is unchanged) or prints anyway.
"""

from __future__ import annotations

from datetime import date

from mmsdesk.services import documents
from mmsdesk.store import Store

Piece = tuple[str, str]  # (where: "Metformin 500 mg tablet: directions", the English text)


def untranslated(store: Store, kind: str, patient_id: int, *, visit_id: int | None = None,
                 lang: str | None = None, today: date | None = None,
                 follow_up_id: int | None = None) -> tuple[Piece, ...]:
    """Every piece of the document still in English (none for an English document or one for
    professionals); pieces with a stored translation are printed translated, so not listed."""
    if kind not in documents.PATIENT_KINDS:
        return ()
    data = documents.gather(store, kind, patient_id, visit_id=visit_id, lang=lang, today=today,
                            follow_up_id=follow_up_id)
    return data.untranslated_text()
