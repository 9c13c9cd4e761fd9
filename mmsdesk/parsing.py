"""Reading dates and checking text from outside: one parser for every layer (the forms, the
refill CSV, FHIR bundles), and one rule for characters that must not reach a name or a
medicine. Pure Python; ``services`` and ``interop`` both import it.

Digits are ASCII only: ``\\d`` in Python also matches full-width and other scripts' digits
("２０２４"), which no date field should take.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_US = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$", re.ASCII)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", re.ASCII)
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$", re.ASCII)
_DMY_NAMED = re.compile(r"^(\d{1,2})-([A-Za-z]{3})-(\d{4})$", re.ASCII)
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                       "sep", "oct", "nov", "dec"), start=1)}
# FHIR date / dateTime: YYYY, YYYY-MM, YYYY-MM-DD, or a full time with a zone
_FHIR = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?"
                   r"(Z|[+-](\d{2}):(\d{2}))?)?)?)?$", re.ASCII)


def read_date(text: str, *, loose: bool = False) -> date:
    """A date written YYYY-MM-DD or MM/DD/YYYY (also with '.' or '-'); with ``loose`` (files
    from pharmacy systems) also MM/DD/YY, YYYYMMDD and DD-Mon-YYYY. ValueError otherwise,
    or when it is no calendar day."""
    t = (text or "").strip()
    m = _ISO.match(t)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = _US.match(t)
    if m and (len(m[4]) == 4 or loose):
        year = int(m[4]) if len(m[4]) == 4 else _century(int(m[4]))
        return date(year, int(m[1]), int(m[3]))
    if loose:
        m = _COMPACT.match(t)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _DMY_NAMED.match(t)
        if m and m[2].lower() in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    raise ValueError(f"not a date: {t[:40]!r}")


def _century(yy: int) -> int:
    """strptime's rule for %y: 69-99 -> 1900s, 00-68 -> 2000s."""
    return 1900 + yy if yy >= 69 else 2000 + yy


def read_fhir_date(text: str) -> date:
    """The day of a FHIR ``date`` or ``dateTime`` (a partial date takes its first day); the
    time, when given, must be a real time (``T25:61:00Z`` is refused)."""
    m = _FHIR.match((text or "").strip())
    if not m:
        raise ValueError("not a FHIR date")
    hour, minute, second = m[4], m[5], m[6]
    if hour is not None and (int(hour) > 23 or int(minute) > 59
                             or (second is not None and int(second) > 60)):
        raise ValueError("not a time of day")
    if m[8] is not None and (int(m[8]) > 14 or int(m[9]) > 59):
        raise ValueError("not a time zone")
    return date(int(m[1]), int(m[2] or 1), int(m[3] or 1))


# -- characters
_JOINERS = {"\u200c", "\u200d"}  # ZWNJ / ZWJ: needed between letters in Persian, Indic names


def _hidden_at(value: str, i: int) -> bool:
    ch = value[i]
    if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn") and \
            ch not in "\u115f\u1160\u3164\uffa0":  # Hangul fillers: letters that show nothing
        return False
    return not (ch in _JOINERS and 0 < i < len(value) - 1 and value[i - 1].isalpha()
                and value[i + 1].isalpha())


def hidden_characters(value: str) -> list[str]:
    """The invisible, control or non-characters in ``value``, as code points ("U+202E") so a
    message can name them without printing them. Zero-width (non-)joiners between two
    letters are writing, not hiding, and are allowed."""
    found: list[str] = []
    for i, ch in enumerate(value):
        code = f"U+{ord(ch):04X}"
        if _hidden_at(value, i) and code not in found:
            found.append(code)
    return found


def hidden_problem(value: str, label: str) -> str | None:
    """A one-line refusal naming the field and the code points, or None."""
    hidden = hidden_characters(value)
    if not hidden:
        return None
    return (f"{label} holds invisible or control characters ({', '.join(hidden[:4])}); "
            "retype it without them")


def strip_hidden(value: str) -> str:
    """``value`` without invisible or control characters (for free text: notes, directions);
    line breaks and tabs become spaces."""
    return "".join(" " if ch in "\t\n\r\x0b\x0c" else "" if _hidden_at(value, i) else ch
                   for i, ch in enumerate(value))


def npi_check_digit_ok(value: str) -> bool:
    """Whether ten ASCII digits end in the NPI's check digit (Luhn over the number with the
    80840 prefix). The form's message (services/validation.py) and the FHIR export (an NPI
    is sent as one only when it passes) both ask this."""
    if len(value) != 10 or not value.isascii() or not value.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed("80840" + value)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0
