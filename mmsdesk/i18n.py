"""Translations: one catalogue per language, looked up by the English text (gettext style).

``_(text, lang)`` returns the translation of ``text`` in ``lang`` ("en" or "es"), or ``text``
itself when there is none. ``translator(lang)`` returns a one-argument ``_`` bound to a
language, which is what a report module uses. Nothing is installed into builtins.

The Spanish texts are our own plain-language wording (they follow the meaning, not the
letter, of the Spanish edition of the CMS form). Medication names are never translated.
"""

from __future__ import annotations

from collections.abc import Callable

from mmsdesk.i18n_es import CATALOG_ES

LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
CATALOGS: dict[str, dict[str, str]] = {"en": {}, "es": CATALOG_ES}

Translator = Callable[[str], str]


def normalise_language(lang: str | None) -> str:
    """'es', 'es-US', 'spa', 'Spanish' -> 'es'; anything we do not print in -> 'en'."""
    t = (lang or "").strip().lower().replace("_", "-")
    if t.startswith("es") or t in {"spa", "spanish", "español", "espanol"}:
        return "es"
    return "en"


def _(text: str, lang: str = "en") -> str:
    return CATALOGS.get(lang, {}).get(text, text)


def translator(lang: str) -> Translator:
    catalog = CATALOGS.get(normalise_language(lang), {})

    def gettext(text: str) -> str:
        return catalog.get(text, text)

    return gettext


def missing(lang: str, texts: list[str]) -> list[str]:
    """The texts of ``texts`` that ``lang`` has no translation for (for tests)."""
    catalog = CATALOGS.get(lang, {})
    return [t for t in texts if t not in catalog]


MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def long_date(day: object, lang: str) -> str:
    """'November 24, 2026' / '24 de noviembre de 2026'."""
    y, m, d = day.year, day.month, day.day  # type: ignore[attr-defined]
    if normalise_language(lang) == "es":
        return f"{d} de {MONTHS_ES[m - 1]} de {y}"
    return f"{MONTHS_EN[m - 1]} {d}, {y}"


MONTHS_ES_SHORT = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov",
                   "dic")


def short_date(day: object, lang: str) -> str:
    """'11/24/2026' in English; '24 nov 2026' in Spanish (never an ambiguous 24/11 vs 11/24)."""
    if day is None:
        return ""
    y, m, d = day.year, day.month, day.day  # type: ignore[attr-defined]
    if normalise_language(lang) == "es":
        return f"{d} {MONTHS_ES_SHORT[m - 1]} {y}"
    return f"{m:02d}/{d:02d}/{y}"
