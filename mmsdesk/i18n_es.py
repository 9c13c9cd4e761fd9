"""The Spanish catalogue of :mod:`mmsdesk.i18n` (our own wording)."""

from __future__ import annotations

CATALOG_ES: dict[str, str] = {}
