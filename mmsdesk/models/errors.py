"""Errors every layer may raise or catch (no database, no Qt)."""

from __future__ import annotations


class ValidationError(ValueError):
    """One or more fields refused, each with a message that says how to fix it."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


def has_invalid_characters(value: str) -> bool:
    """NUL or a lone UTF-16 surrogate (e.g. from a JSON ``\\ud800`` escape): not storable text."""
    return "\x00" in value or any("\ud800" <= c <= "\udfff" for c in value)
