"""Field validators shared by forms, importers and the CLI.

Each validator returns ``None`` when the value is acceptable, else one plain sentence that a
form shows next to the field. :class:`ValidationError` carries a field -> message mapping.
"""

from __future__ import annotations

import re
from datetime import date

from mmsdesk.models.errors import ValidationError as ValidationError
from mmsdesk.models.errors import has_invalid_characters as has_invalid_characters
from mmsdesk.parsing import hidden_problem, npi_check_digit_ok, read_date

EARLIEST_BIRTH_YEAR = 1900
MAX_NAME = 100
MAX_NOTE = 20000

_PHONE_CHARS = re.compile(r"^[0-9+().\-\s]+(\s*(x|ext\.?)\s*\d{1,6})?$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NPI = re.compile(r"^\d{10}$", re.ASCII)


def required_name(value: str, label: str) -> str | None:
    v = (value or "").strip()
    if not v:
        return f"{label} is required."
    if len(v) > MAX_NAME:
        return f"{label} is too long (at most {MAX_NAME} characters)."
    if any(ord(c) < 32 for c in v):
        return f"{label} contains control characters."
    if has_invalid_characters(v):
        return f"{label} contains an invalid character."
    hidden = hidden_problem(v, label)
    if hidden:
        return f"{hidden}."
    return None


def optional_text(value: str, label: str, limit: int) -> str | None:
    if value and len(value) > limit:
        return f"{label} is too long (at most {limit} characters)."
    if value and has_invalid_characters(value):
        return f"{label} contains an invalid character."
    return None


def birth_date(value: date | None, today: date) -> str | None:
    if value is None:
        return "Date of birth is required."
    if value > today:
        return "Date of birth cannot be in the future."
    if value.year < EARLIEST_BIRTH_YEAR:
        return f"Date of birth must be in {EARLIEST_BIRTH_YEAR} or later."
    return None


def event_date(value: date | None, today: date, label: str, *, required: bool = False) -> str | None:
    if value is None:
        return f"{label} is required." if required else None
    if value > today:
        return f"{label} cannot be in the future."
    if value.year < EARLIEST_BIRTH_YEAR:
        return f"{label} must be in {EARLIEST_BIRTH_YEAR} or later."
    return None


def phone(value: str, label: str = "Phone") -> str | None:
    v = (value or "").strip()
    if not v:
        return None
    digits = re.sub(r"\D", "", v.split("x")[0].split("ext")[0])
    if not _PHONE_CHARS.match(v) or not 7 <= len(digits) <= 15:
        return f"{label} should look like (555) 123-4567: 7 to 15 digits."
    return None


def email(value: str) -> str | None:
    v = (value or "").strip()
    if v and (len(v) > 200 or not _EMAIL.match(v) or has_invalid_characters(v)):
        return "Email should look like name@example.com."
    return None


def npi(value: str) -> str | None:
    """A US National Provider Identifier: 10 digits with a Luhn check digit (prefix 80840)."""
    v = (value or "").strip()
    if not v:
        return None
    if not _NPI.match(v):
        return "NPI must be 10 digits."
    if not npi_check_digit_ok(v):
        return "NPI check digit does not match; please re-check the number."
    return None


def collect(**checks: str | None) -> dict[str, str]:
    """Keep only the failing checks: ``collect(last_name=required_name(...), ...)``."""
    return {k: v for k, v in checks.items() if v}


def parse_date(text: str, label: str = "Date") -> tuple[date | None, str | None]:
    """Read a date typed as MM/DD/YYYY or YYYY-MM-DD (ASCII digits; the one reader in
    :mod:`mmsdesk.parsing`). Returns (date, None) or (None, message).

    An empty text gives (None, None): whether the field is required is the caller's call.
    """
    t = (text or "").strip()
    if not t:
        return None, None
    try:
        return read_date(t), None
    except ValueError as exc:
        if str(exc).startswith("not a date"):
            return None, f"{label} should be written as MM/DD/YYYY, for example 05/14/1943."
        return None, f"{label} {t} is not a real calendar date."


def format_date(value: date | None) -> str:
    return value.strftime("%m/%d/%Y") if value else ""
