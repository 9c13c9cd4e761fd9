"""Drug dictionary: resolve any medication text to its generic ingredients; search as you type.

Pure Python (stdlib sqlite3 for the compiled and imported files); no Qt, no patient database.

    from mmsdesk.clinical.dictionary import resolve, search, get_dictionary, parse_components
    resolve("Bactrim DS").ingredients == ("sulfamethoxazole", "trimethoprim")
    resolve("Sinemet 10/100").components  # carbidopa 10 mg, levodopa 100 mg
    parse_components("80/4.5", ["budesonide", "formoterol"])  # (components, notes)
"""

from __future__ import annotations

from collections.abc import Sequence

from mmsdesk.clinical.dictionary.dictionary import (
    DrugDictionary,
    get_dictionary,
    load_dictionary,
    reset_dictionary,
)
from mmsdesk.clinical.dictionary.model import Component, Ingredient, ResolvedMedication, SearchHit
from mmsdesk.clinical.dictionary.resolver import parse_components_with, resolve_with
from mmsdesk.clinical.dictionary.search import search_with

__all__ = [
    "Component", "DrugDictionary", "Ingredient", "ResolvedMedication", "SearchHit",
    "get_dictionary", "load_dictionary", "parse_components", "reset_dictionary", "resolve",
    "search",
]


def resolve(text: str = "", *, rxnorm: str | None = None) -> ResolvedMedication:
    """What ``text`` (or, failing that, the RxNorm code) is; see resolver.py."""
    return resolve_with(get_dictionary(), text, rxnorm=rxnorm)


def search(text: str, limit: int = 20) -> list[SearchHit]:
    """Ranked names, brands and products for a search box."""
    return search_with(get_dictionary(), text, limit)


def parse_components(text: str, ingredients: Sequence[str],
                     dictionary: DrugDictionary | None = None, *, product: str = ""
                     ) -> tuple[tuple[Component, ...], tuple[str, ...]]:
    """A strength typed on its own ("2.5 mg", "10/100", "10 mg / 100 mg", "80/4.5") read for
    these ingredients, in their order: (one component each, notes). See resolver.py."""
    return parse_components_with(dictionary or get_dictionary(), text, ingredients,
                                 product=product)
