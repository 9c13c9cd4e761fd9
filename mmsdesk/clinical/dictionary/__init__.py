"""Drug dictionary: resolve any medication text to its generic ingredients; search as you type.

Pure Python (stdlib sqlite3 for the compiled and imported files); no Qt, no patient database.

    from mmsdesk.clinical.dictionary import resolve, search, get_dictionary
    resolve("Bactrim DS").ingredients == ("sulfamethoxazole", "trimethoprim")
"""

from __future__ import annotations

from mmsdesk.clinical.dictionary.dictionary import (
    DrugDictionary,
    get_dictionary,
    load_dictionary,
    reset_dictionary,
)
from mmsdesk.clinical.dictionary.model import Ingredient, ResolvedMedication, SearchHit
from mmsdesk.clinical.dictionary.resolver import resolve_with
from mmsdesk.clinical.dictionary.search import search_with

__all__ = [
    "DrugDictionary", "Ingredient", "ResolvedMedication", "SearchHit", "get_dictionary",
    "load_dictionary", "reset_dictionary", "resolve", "search",
]


def resolve(text: str = "", *, rxnorm: str | None = None) -> ResolvedMedication:
    """What ``text`` (or, failing that, the RxNorm code) is; see resolver.py."""
    return resolve_with(get_dictionary(), text, rxnorm=rxnorm)


def search(text: str, limit: int = 20) -> list[SearchHit]:
    """Ranked names, brands and products for a search box."""
    return search_with(get_dictionary(), text, limit)
