"""The pharmacist's translations of a patient's free text, kept for every document.

A patient document in another language prints what the sig reader and the vocabularies
cannot translate (directions as written, an uncoded reason for use or reaction, the visit's
To-Do items, a stop reason...) in English, and the document preview lists those pieces. What
the pharmacist types for a piece is stored here (``TextTranslation``), keyed by the English
text exactly as shown, per patient and language; the next document of any kind for that
patient prints it. When the English text changes, its old translation no longer matches, so
the new text shows as untranslated again and a stale translation never reaches paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from mmsdesk.models import Patient
from mmsdesk.models.documents import TextTranslation
from mmsdesk.reports import data as d
from mmsdesk.services import changes
from mmsdesk.services.changes import ChangeSet
from mmsdesk.services.validation import ValidationError
from mmsdesk.services.versions import refuse
from mmsdesk.store import Store

MAX_TEXT = 1000  # the columns' length


@dataclass(frozen=True)
class TranslationItem:
    id: int
    source_text: str  # the English text, as the documents show it
    text: str  # the same in the patient's language
    updated_on: date
    version: int | None = None  # as read: a correction saves against it


def stored(s: Session, patient_id: int, lang: str) -> dict[str, str]:
    """English text as shown -> the pharmacist's text in ``lang``."""
    rows = s.execute(select(TextTranslation).where(
        TextTranslation.patient_id == patient_id, TextTranslation.language == lang)).scalars()
    return {r.source_text: r.text for r in rows}


def apply(s: Session, data: d.DocumentData, patient_id: int) -> d.DocumentData:
    """``data`` with the patient's stored translations in place of the English pieces."""
    if data.lang == "en":
        return data
    texts = stored(s, patient_id, data.lang)
    return data.with_translations(texts) if texts else data


def list_translations(store: Store, patient_id: int, lang: str) -> list[TranslationItem]:
    with store.session() as s:
        rows = s.execute(select(TextTranslation).where(
            TextTranslation.patient_id == patient_id, TextTranslation.language == lang)
            .order_by(TextTranslation.source_text)).scalars()
        return [TranslationItem(r.id or 0, r.source_text, r.text, r.updated_at.date(),
                                r.version) for r in rows]


def save_translations(store: Store, patient_id: int, lang: str, texts: dict[str, str], *,
                      expected: dict[str, int | None] | None = None) -> ChangeSet:
    """Store each (English as shown -> translation); an empty translation removes the stored
    one (the piece prints in English again). One transaction. ``expected``: English -> the
    version the screen showed (None: no translation then); a colleague's translation of the
    same piece saved meanwhile refuses the whole save (RecordChanged), nothing written."""
    if lang == "en":
        raise ValidationError({"language": "Translations are for a language other than English."})
    errors = {}
    for source, text in texts.items():
        if not source.strip():
            errors["source_text"] = "A translation needs the English text it stands for."
        elif len(source) > MAX_TEXT or len(text.strip()) > MAX_TEXT:
            errors["text"] = f"A piece of text can be at most {MAX_TEXT} characters."
    if errors:
        raise ValidationError(errors)
    with store.session() as s:
        if s.get(Patient, patient_id) is None:
            raise LookupError(f"no patient with id {patient_id}")
        rows = {r.source_text: r for r in s.execute(select(TextTranslation).where(
            TextTranslation.patient_id == patient_id, TextTranslation.language == lang,
            TextTranslation.source_text.in_(list(texts)))).scalars()}  # type: ignore[attr-defined]
        for source, read in (expected or {}).items():
            row = rows.get(source)
            if row is not None and row.version != read:  # translated or changed since
                refuse(store, TextTranslation, row.id, read)  # type: ignore[arg-type]
            if row is None and read is not None:  # removed since
                refuse(store, TextTranslation, 0, read)  # (its id is not kept: 'someone else')
        for source, text in texts.items():
            text = text.strip()
            row = rows.get(source)
            if not text:
                if row is not None:
                    s.delete(row)
            elif row is None:
                s.add(TextTranslation(patient_id=patient_id, language=lang, source_text=source,
                                      text=text))
            elif row.text != text:
                row.text = text
                s.add(row)
    return ChangeSet.of(changes.TRANSLATIONS, patient_id=patient_id)


def delete_translation(store: Store, patient_id: int, translation_id: int) -> ChangeSet:
    with store.session() as s:
        row = s.get(TextTranslation, translation_id)
        if row is None or row.patient_id != patient_id:
            raise LookupError(f"no translation {translation_id} for patient {patient_id}")
        s.delete(row)
    return ChangeSet.of(changes.TRANSLATIONS, patient_id=patient_id)
