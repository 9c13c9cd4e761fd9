"""resolve(text) -> ResolvedMedication: what a medication text really is.

Reading order: an RxNorm or NDC code typed alone; otherwise the names in the text (reading.py),
a bracketed brand ("[Toprol]") kept as the brand; then the imported NDC/RxNorm products; then
spelling mistakes, matched approximately and marked so. Text we cannot read is returned as
"unrecognised" with no ingredients: never dropped and never guessed silently.

Every answer carries its components: one per ingredient, in the order the product is sold
under the name written, each with the amount written for it (components.py says how numbers
are given to ingredients). ``strength`` and ``product`` are display text built from them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from mmsdesk.clinical.dictionary.components import KnownStrengths, assign
from mmsdesk.clinical.dictionary.dictionary import DrugDictionary
from mmsdesk.clinical.dictionary.model import Component, NamedProduct, ResolvedMedication
from mmsdesk.clinical.dictionary.naming import medication_name, split_form, strength_text
from mmsdesk.clinical.dictionary.reading import Reading, read_fuzzy, read_names, span_of
from mmsdesk.clinical.dictionary.strength import Group, Tokens, read_groups
from mmsdesk.clinical.dictionary.text import (
    code_in,
    is_noise,
    name_key,
    ndc_in,
    parse_form,
    split_brackets,
    strip_prefixes,
)

_FORM_ROUTE = {"tablet": "oral", "capsule": "oral"}
_NAMED_KINDS = ("brand", "combination", "synonym")


def _product_entry(ingredients: tuple[str, ...], *readings: Reading | None) -> NamedProduct | None:
    """The name in the text that stands for exactly these ingredients (a brand, a combination,
    a name such as "baby aspirin"): its order and its strengths are the product's."""
    wanted = set(ingredients)
    for reading in readings:
        for entry in reading.found if reading is not None else ():
            if entry.kind in _NAMED_KINDS and set(entry.ingredients) == wanted:
                return entry
    return None


def _owners(reading: Reading, groups: list[Group], order: tuple[str, ...]) -> dict[int, str] | None:
    """Group index -> ingredient when every number stands right after its own ingredient's
    name ("Acetaminophen 325 MG / Hydrocodone Bitartrate 5 MG"), else None."""
    tokens = reading.tokens
    spans = sorted(((s, e, entry) for (s, e), entry in zip(reading.spans, reading.found, strict=True)
                    if s >= 0), key=lambda x: (x[0], x[1]))
    if tokens is None or len(order) < 2 or len(spans) < 2 or not groups:
        return None
    owners: dict[int, str] = {}
    for k, group in enumerate(groups):
        if len(group.items) != 1:
            return None
        before = [(s, e, entry) for s, e, entry in spans if e <= group.start]
        if not before:
            return None
        _, end, entry = before[-1]
        if len(entry.ingredients) != 1 or entry.ingredients[0] not in order:
            return None
        if any(tokens.kind[t] == "n" for t in range(end, group.start)):
            return None
        if entry.ingredients[0] in owners.values():
            return None
        owners[k] = entry.ingredients[0]
    if len(groups) == 1 and not any(s >= groups[0].end for s, _, _ in spans):
        return None  # "carbidopa-levodopa 100 mg": one number after both names
    return owners


def known_strengths(d: DrugDictionary, order: tuple[str, ...],
                    product: NamedProduct | None) -> KnownStrengths:
    return KnownStrengths(
        label=product.label if product is not None else "",
        product=d.known_for_entry(product) if product is not None else (),
        similar=d.known_for_set(order) if len(order) > 1 else (),
        usual={i: d.known_for_ingredient(i) for i in order})


def _components(d: DrugDictionary, reading: Reading, order: tuple[str, ...],
                product: NamedProduct | None, implied: NamedProduct | None
                ) -> tuple[tuple[Component, ...], tuple[str, ...]]:
    tokens = reading.tokens
    groups = read_groups(tokens, reading.claimed()) if tokens is not None else []
    known = known_strengths(d, order, product)
    comps, notes = assign(groups, order, known, _owners(reading, groups, order))
    if notes or any(c.amount is not None for c in comps) or implied is None:
        return comps, notes
    strengths = d.known_for_entry(implied)
    if len(strengths) == 1:  # nothing written: the strength the name itself says
        return tuple(replace(strengths[0][i], ingredient=i) for i in order), ()
    return comps, notes


def _implied(order: tuple[str, ...], *readings: Reading | None) -> NamedProduct | None:
    wanted = set(order)
    for reading in readings:
        for entry in reading.found if reading is not None else ():
            if entry.implied and set(entry.ingredients) == wanted:
                return entry
    return None


def _finish(d: DrugDictionary, text: str, reading: Reading, match: str, confidence: float, *,
            form: str, route: str, brand: str, rxnorm: str = "",
            bracket: Reading | None = None) -> ResolvedMedication:
    ingredients = reading.ingredients
    product = _product_entry(ingredients, reading, bracket)
    order = product.ingredients if product is not None else ingredients
    comps, strength_notes = _components(d, reading, order, product,
                                        _implied(order, reading, bracket))
    combo = reading.brand_entry
    if combo is not None:
        form = form or combo.form
    route = route or _FORM_ROUTE.get(form.split()[-1] if form else "", "")
    confidence -= 0.1 * len(reading.unknown)
    notes = tuple(f'read "{typed}" as "{read}"' for typed, read, _ in reading.approximate)
    part_of = bracket.brand_entry if bracket is not None and reading is not bracket else None
    if part_of is not None and set(part_of.ingredients) > set(order):
        # "Diphenhydramine 25 MG [Tylenol PM component]": RxNorm's component of a brand that
        # holds more than this medicine. Printed as "(Tylenol PM)" the list would tell the
        # patient she takes the whole product (with acetaminophen) while it screens one part.
        others = ", ".join(sorted(set(part_of.ingredients) - set(order)))
        notes += (f"written as a part of {part_of.label}, which also holds {others}: ask which "
                  "product the patient takes",)
        brand = ""
    if match == "brand" and reading.unknown:
        notes += ("the text says more than the brand name: a product of the same line may hold "
                  "other ingredients; check the label",)
    return ResolvedMedication(
        text=text, ingredients=order, strength=strength_text(comps), form=form, route=route,
        brand=brand, rxnorm=rxnorm, product=_product_name(comps, form), match=match,
        confidence=round(max(0.3, min(1.0, confidence)), 2), notes=notes + strength_notes,
        components=comps)


def _product_name(comps: tuple[Component, ...], form: str) -> str:
    """"Carbidopa 10 mg / levodopa 100 mg tablet": the generic product, brand left out."""
    base, release = split_form(form)
    return medication_name(comps, base, release)


def _from_entry(d: DrugDictionary, text: str, entry: NamedProduct, match: str,
                rxnorm: str) -> ResolvedMedication:
    """A coded product: its strength field when it has one (imported products, amounts in the
    order of their ingredients), else what its name says ("Acetaminophen 325 MG / Oxycodone
    Hydrochloride 5 MG Oral Tablet")."""
    main, brackets = split_brackets(entry.label)
    label_tokens = Tokens(strip_prefixes(main))
    if entry.strength:
        reading = Reading(Tokens(entry.strength))
    else:
        reading = read_names(d, label_tokens)
        own = set(entry.ingredients)
        kept = [(e, s) for e, s in zip(reading.found, reading.spans, strict=True)
                if set(e.ingredients) <= own]
        reading.found, reading.spans = [e for e, _ in kept], [s for _, s in kept]
        reading.unknown, reading.unknown_at = [], []
    reading.found.insert(0, entry)
    reading.spans.insert(0, (-1, -1))
    words, _, _ = label_tokens.words()
    form, route = parse_form(" ".join(words))
    brand = entry.brand or (brackets[0] if brackets else "")
    return _finish(d, text, reading, match, 1.0, form=form or entry.form, route=route,
                   brand=brand, rxnorm=rxnorm)


def _by_code(d: DrugDictionary, text: str, code: str) -> ResolvedMedication | None:
    entry = d.codes.get(code)
    if entry is None:
        ext = d.extension()
        entry = ext.by_code(code) if ext is not None else None
    if entry is None:
        return None
    return _from_entry(d, text, entry, "code", code)


def _bracket_brand(d: DrugDictionary, brackets: list[str]) -> tuple[str, Reading | None]:
    for inside in brackets:
        reading = read_names(d, Tokens(inside))
        reading.tokens = None  # numbers inside brackets are not read as the strength
        entry = reading.brand_entry
        if entry is not None:
            return entry.label, reading
        if reading.found:
            return inside, reading
    return (brackets[0], None) if brackets else ("", None)


def _unrecognised(text: str, form: str, route: str, brand: str) -> ResolvedMedication:
    written = " ".join(text.split())
    return ResolvedMedication(text=text, form=form, route=route, brand=brand,
                              components=(Component(written),) if written else ())


def _by_text(d: DrugDictionary, text: str) -> ResolvedMedication:
    main, brackets = split_brackets(text)
    tokens = Tokens(strip_prefixes(main))
    words, _, _ = tokens.words()
    reading = read_names(d, tokens)
    form, route = parse_form(" ".join(words))
    bracket_brand, bracket_reading = _bracket_brand(d, brackets)
    own_brand = reading.brand_entry
    brand = own_brand.label if own_brand is not None else bracket_brand
    product = d.products_by_key.get(name_key(text))
    rxnorm = product.rxnorm if product is not None else ""
    if reading.found:
        only_brands = all(e.kind in ("brand", "combination") for e in reading.found)
        return _finish(d, text, reading, "brand" if only_brands else "exact",
                       0.95 if only_brands else 1.0, form=form, route=route, brand=brand,
                       rxnorm=rxnorm, bracket=bracket_reading)
    if bracket_reading is not None and bracket_reading.found:
        bracket_reading.tokens = tokens
        bracket_reading.unknown, bracket_reading.unknown_at = reading.unknown, reading.unknown_at
        bracket_reading.spans = [(-1, -1)] * len(bracket_reading.found)
        return _finish(d, text, bracket_reading, "brand", 0.9, form=form, route=route,
                       brand=brand)
    ext = d.extension()
    if ext is not None:
        keys = [" ".join(words[i:i + k]) for i in range(len(words)) for k in range(1, 5)
                if i + k <= len(words) and not is_noise(words[i])]
        hit = ext.lookup(keys)
        if hit is not None:
            key, entry = hit
            # an imported name stands for one product of several strengths: none is implied
            reading.add(replace(entry, strength="", implied=False), span_of(tokens, key))
            reading.forget_unknown(set(key.split()))
            return _finish(d, text, reading, "brand" if entry.brand else "exact", 0.95,
                           form=form or entry.form, route=route, brand=brand or entry.brand,
                           rxnorm=entry.rxnorm)
    read_fuzzy(d, reading)
    if reading.found:
        score = min(s for _, _, s in reading.approximate)
        return _finish(d, text, reading, "approximate", 0.9 * score / 100.0, form=form,
                       route=route, brand=brand)
    return _unrecognised(text, form, route, brand)


def resolve_with(d: DrugDictionary, text: str = "", *, rxnorm: str | None = None) -> ResolvedMedication:
    text = text or ""
    stripped = text.strip()
    if stripped:
        code = code_in(stripped)
        if code:
            return _by_code(d, text, code) or _unrecognised(text, "", "", "")
        ndc = ndc_in(stripped)
        if ndc:
            return _by_code(d, text, ndc) or _unrecognised(text, "", "", "")
        result = _by_text(d, text)
        if result.match in ("exact", "brand"):
            if rxnorm and not result.rxnorm:
                coded = d.codes.get(rxnorm)
                if coded is not None and set(coded.ingredients) == set(result.ingredients):
                    result = replace(result, rxnorm=rxnorm)
            return result
    else:
        result = ResolvedMedication(text=text)
    if rxnorm:
        coded = _by_code(d, text, rxnorm.strip())
        if coded is not None:
            return coded
    return result


def parse_components_with(d: DrugDictionary, text: str, ingredients: Sequence[str], *,
                          product: str = "") -> tuple[tuple[Component, ...], tuple[str, ...]]:
    """A strength typed on its own for known ingredients, read with the resolver's rules.

    ``ingredients`` are generic names (or anything the dictionary reads as one ingredient:
    "Eliquis", "paracetamol"), in the order the components are wanted; ``product`` is the
    brand or combination when known ("Sinemet"), whose strengths then count first.
    "2.5 mg" for apixaban, "10/100" or "10 mg / 100 mg" for carbidopa and levodopa, "80/4.5"
    for budesonide and formoterol (read as mcg per puff). Returns one component per ingredient
    (amount None where nothing could be read with confidence) and notes in plain words.
    """
    order = tuple(d.canonical(i) or " ".join(i.split()) for i in ingredients if i.strip())
    if not order:
        return (), ()
    entry = d.names.get(name_key(product)) if product.strip() else None
    if entry is not None and set(entry.ingredients) != set(order):
        entry = None
    tokens = Tokens(text or "")
    reading = read_names(d, tokens)
    anchors = Reading(tokens)
    for found, span in zip(reading.found, reading.spans, strict=True):
        anchors.add(found if set(found.ingredients) <= set(order) else
                    replace(found, ingredients=()), span)
    groups = read_groups(tokens, reading.claimed())
    known = known_strengths(d, order, entry)
    return assign(groups, order, known, _owners(anchors, groups, order))
