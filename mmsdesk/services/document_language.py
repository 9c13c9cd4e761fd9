"""What a patient document still prints in English, and the document with the pharmacist's
translations of those pieces for one print.

The preview lists each piece (``untranslated``) before printing; the pharmacist types the text
in the patient's language or prints anyway. The translations are used for the print at hand:
they are not stored (storing them needs a table the schema does not have yet).
"""

from __future__ import annotations

from datetime import date

from mmsdesk.services import documents
from mmsdesk.store import Store

Piece = tuple[str, str]  # (where: "Metformin 500 mg tablet: directions", the English text)


def untranslated(store: Store, kind: str, patient_id: int, *, visit_id: int | None = None,
                 lang: str | None = None, today: date | None = None) -> tuple[Piece, ...]:
    """Every piece of the document still in English (none for an English document or one for
    professionals)."""
    if kind not in documents.PATIENT_KINDS:
        return ()
    data = documents.gather(store, kind, patient_id, visit_id=visit_id, lang=lang, today=today)
    return data.untranslated_text()


def render_translated(store: Store, kind: str, patient_id: int, translations: dict[str, str], *,
                      visit_id: int | None = None, lang: str | None = None,
                      large_print: bool = False, today: date | None = None) -> bytes:
    """The document with ``translations`` (English as printed -> the patient's language)."""
    data = documents.gather(store, kind, patient_id, visit_id=visit_id, lang=lang,
                            large_print=large_print, today=today)
    return documents.build(kind, data.with_translations(translations))
