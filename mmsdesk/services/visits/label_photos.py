"""Photos of pharmacy labels kept with the list lines they were read into (the LabelPhoto
table, in the encrypted store like every other record; never in a temporary file).

A line of a typed list carries its photo's key in its tail ("… | label photo 3f2a9c1b7e04");
reconciliation.item_from_text gives it to the ReconItem as ``photo``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from mmsdesk.models.visit import LabelPhoto
from mmsdesk.store import Store


@dataclass(frozen=True)
class LabelPhotoView:
    id: int
    line_key: str
    mime: str
    image: bytes
    read_text: str
    taken_at: datetime
    visit_id: int | None = None


def new_line_key() -> str:
    return uuid.uuid4().hex[:16]


class LabelPhotoService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def keep(self, patient_id: int, line_key: str, image: bytes, read_text: str, *,
             visit_id: int | None = None, mime: str = "image/png") -> int:
        """Keep a confirmed line's photo; its id."""
        with self.store.session() as s:
            row = LabelPhoto(patient_id=patient_id, visit_id=visit_id, line_key=line_key,
                             mime=mime, image=image, read_text=read_text)
            s.add(row)
            s.flush()
            pid = row.id
        assert pid is not None
        return pid

    def get(self, patient_id: int, line_key: str) -> LabelPhotoView | None:
        with self.store.session() as s:
            row = s.execute(select(LabelPhoto).where(
                LabelPhoto.patient_id == patient_id,  # type: ignore[arg-type]
                LabelPhoto.line_key == line_key)).scalars().first()  # type: ignore[arg-type]
            if row is None:
                return None
            assert row.id is not None
            return LabelPhotoView(row.id, row.line_key, row.mime, row.image, row.read_text,
                                  row.taken_at, row.visit_id)

    def count(self, patient_id: int) -> int:
        with self.store.session() as s:
            return len(s.execute(select(LabelPhoto.id).where(
                LabelPhoto.patient_id == patient_id)).all())  # type: ignore[arg-type]

    def discard(self, patient_id: int, line_keys: list[str]) -> None:
        """Photos of lines that were not kept after all (the list they were in cancelled)."""
        if not line_keys:
            return
        with self.store.session() as s:
            s.execute(delete(LabelPhoto).where(
                LabelPhoto.patient_id == patient_id,  # type: ignore[arg-type]
                LabelPhoto.line_key.in_(line_keys)))  # type: ignore[attr-defined]
