"""Reading a medication stored by MMS Desk before components existed (schema 0003 and older).

Those rows kept loose strings: the text as given, a ";"-joined ingredient list and one strength
string that a visit may have changed. The strength last set wins when a change of strength was
recorded; otherwise what was written with the text wins, since the old dictionary replaced
written numbers with a product's default. Whatever cannot be read with confidence keeps an empty
amount and is flagged for the pharmacist to confirm: nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.dictionary.naming import split_form


@dataclass(frozen=True)
class LegacyReading:
    components: tuple[Component, ...]
    dose_form: str
    release: str
    to_confirm: bool


def _complete(components: tuple[Component, ...]) -> bool:
    return bool(components) and all(c.amount is not None for c in components)


def _same(a: tuple[Component, ...], b: tuple[Component, ...]) -> bool:
    return len(a) == len(b) and all(x.same_strength(y) for x, y in zip(a, b, strict=True))


def read_stored_strength(strength: str, ingredients: list[str]) -> tuple[Component, ...]:
    """Components for a strength string stored beside its ingredients ("325-5 mg" with
    acetaminophen;hydrocodone: the old rows kept both in the same order)."""
    from mmsdesk.clinical.dictionary import parse_components

    components, _notes = parse_components(strength, ingredients)
    return components


def components_from_legacy(*, text_given: str, display_name: str, ingredients: str,
                           strength: str, dose_form: str, match: str, rxnorm: str,
                           strength_was_changed: bool) -> LegacyReading:
    from mmsdesk.clinical.dictionary import resolve

    form, release = split_form(dose_form)
    names = [i for i in ingredients.split(";") if i]
    if match == "unrecognised" or not names:
        name = " ".join((display_name or text_given).split()) or "(no name)"
        return LegacyReading((Component(name),), form, release, False)
    res = resolve(text_given, rxnorm=rxnorm or None)
    if set(res.ingredients) == set(names) and len(res.components) == len(names):
        written = res.components
    else:  # mapped by hand: the text does not name these ingredients
        written = tuple(Component(n) for n in names)
    order = [c.ingredient for c in written]
    text_has_numbers = bool(re.search(r"\d", text_given))
    if not strength.strip():
        return LegacyReading(written, form, release, not _complete(written) and text_has_numbers)
    stored = read_stored_strength(strength, order)
    if not _complete(stored):
        blank = tuple(Component(n) for n in order)
        return LegacyReading(written if _complete(written) else blank, form, release, True)
    if _complete(written) and not _same(written, stored) and not strength_was_changed:
        return LegacyReading(written, form, release, True)
    return LegacyReading(stored, form, release, False)
