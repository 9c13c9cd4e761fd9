"""resolve(text) -> ResolvedMedication: what a medication text really is.

Reading order: an RxNorm or NDC code typed alone; otherwise the names in the text, longest
first (generic, synonym, brand, combination), salts after a name skipped ("warfarin sodium"),
a bracketed brand ("[Toprol]") kept as the brand; then the imported NDC/RxNorm products; then
spelling mistakes, matched approximately and marked so. Text we cannot read is returned as
"unrecognised" with no ingredients: never dropped and never guessed silently.
"""

from __future__ import annotations

from mmsdesk.clinical.dictionary.dictionary import DrugDictionary
from mmsdesk.clinical.dictionary.model import NamedProduct, ResolvedMedication
from mmsdesk.clinical.dictionary.text import (
    SALT_WORDS,
    code_in,
    is_noise,
    name_key,
    ndc_in,
    parse_form,
    parse_strength,
    split_brackets,
    strip_prefixes,
    tokens_with_breaks,
)

FUZZY_CUTOFF = 85.0
FUZZY_MIN_LENGTH = 4
_FORM_ROUTE = {"tablet": "oral", "capsule": "oral"}


class _Reading:
    """Names found in one piece of text, and the words nobody claimed."""

    def __init__(self) -> None:
        self.found: list[NamedProduct] = []
        self.unknown: list[str] = []
        self.approximate: list[tuple[str, str, float]] = []  # (typed, read as, score)

    @property
    def ingredients(self) -> tuple[str, ...]:
        out: list[str] = []
        for entry in self.found:
            for ing in entry.ingredients:
                if ing not in out:
                    out.append(ing)
        return tuple(out)

    @property
    def brand_entry(self) -> NamedProduct | None:
        return next((e for e in self.found if e.kind in ("brand", "combination")), None)


def _read_names(d: DrugDictionary, words: list[str], breaks: list[bool]) -> _Reading:
    reading = _Reading()
    n = len(words)
    i = 0
    while i < n:
        w = words[i]
        longest = d.max_len.get(w, 0)
        matched = 0
        for k in range(min(longest, n - i), 0, -1):
            entry = d.names.get(w if k == 1 else " ".join(words[i:i + k]))
            if entry is not None:
                reading.found.append(entry)
                matched = k
                break
        if matched:
            i += matched
            while i < n and words[i] in SALT_WORDS and not breaks[i]:
                i += 1  # "metoprolol succinate", "penicillin v potassium"
            continue
        if not is_noise(w) and w not in SALT_WORDS and len(w) > 1:
            reading.unknown.append(w)
        i += 1
    return reading


def _fuzzy(d: DrugDictionary, reading: _Reading) -> None:
    """Read unclaimed words as the nearest name when the spelling is close enough."""
    candidates = [w for w in reading.unknown if len(w) >= FUZZY_MIN_LENGTH and w.isalpha()]
    if not candidates:
        return
    from rapidfuzz import fuzz, process

    pairs = [f"{a} {b}" for a, b in zip(reading.unknown, reading.unknown[1:], strict=False)]
    claimed: set[str] = set()
    for query in pairs + candidates:
        parts = query.split()
        if any(p in claimed for p in parts):
            continue
        best = process.extractOne(query, d.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            continue
        key, score, _ = best
        reading.found.append(d.names[key])
        reading.approximate.append((query, key, float(score)))
        claimed.update(parts)
    reading.unknown = [w for w in reading.unknown if w not in claimed]


def _product_label(ingredients: tuple[str, ...], strength: str, form: str) -> str:
    return " ".join(p for p in (" / ".join(ingredients), strength, form) if p)


def _finish(text: str, reading: _Reading, match: str, confidence: float, *, strength: str,
            form: str, route: str, brand: str, rxnorm: str = "") -> ResolvedMedication:
    ingredients = reading.ingredients
    combo = reading.brand_entry
    if combo is not None:
        strength = strength or combo.strength
        form = form or combo.form
    route = route or _FORM_ROUTE.get(form.split()[-1] if form else "", "")
    confidence -= 0.1 * len(reading.unknown)
    notes = tuple(f'read "{typed}" as "{read}"' for typed, read, _ in reading.approximate)
    if match == "brand" and reading.unknown:
        notes += ("the text says more than the brand name: a product of the same line may hold "
                  "other ingredients; check the label",)
    return ResolvedMedication(
        text=text, ingredients=ingredients, strength=strength, form=form, route=route,
        brand=brand, rxnorm=rxnorm, product=_product_label(ingredients, strength, form),
        match=match, confidence=round(max(0.3, min(1.0, confidence)), 2), notes=notes)


def _from_entry(text: str, entry: NamedProduct, match: str, rxnorm: str) -> ResolvedMedication:
    reading = _Reading()
    reading.found.append(entry)
    strength = parse_strength(entry.label) if entry.kind == "product" else entry.strength
    words, _ = tokens_with_breaks(entry.label)
    form, route = parse_form(" ".join(words))
    brand = entry.brand
    if not brand and "[" in entry.label:
        brand = split_brackets(entry.label)[1][0]
    return _finish(text, reading, match, 1.0, strength=strength or entry.strength,
                   form=form or entry.form, route=route, brand=brand, rxnorm=rxnorm)


def _by_code(d: DrugDictionary, text: str, code: str) -> ResolvedMedication | None:
    entry = d.codes.get(code)
    if entry is None:
        ext = d.extension()
        entry = ext.by_code(code) if ext is not None else None
    if entry is None:
        return None
    return _from_entry(text, entry, "code", code)


def _bracket_brand(d: DrugDictionary, brackets: list[str]) -> tuple[str, _Reading | None]:
    for inside in brackets:
        words, breaks = tokens_with_breaks(inside)
        reading = _read_names(d, words, breaks)
        entry = reading.brand_entry
        if entry is not None:
            return entry.label, reading
        if reading.found:
            return inside, reading
    return (brackets[0], None) if brackets else ("", None)


def _by_text(d: DrugDictionary, text: str) -> ResolvedMedication:
    main, brackets = split_brackets(text)
    main = strip_prefixes(main)
    words, breaks = tokens_with_breaks(main)
    reading = _read_names(d, words, breaks)
    strength = parse_strength(main)
    form, route = parse_form(" ".join(words))
    bracket_brand, bracket_reading = _bracket_brand(d, brackets)
    own_brand = reading.brand_entry
    brand = own_brand.label if own_brand is not None else bracket_brand
    rxnorm = ""
    product = d.products_by_key.get(name_key(text))
    if product is not None:
        rxnorm = product.rxnorm
    if reading.found:
        only_brands = all(e.kind in ("brand", "combination") for e in reading.found)
        return _finish(text, reading, "brand" if only_brands else "exact",
                       0.95 if only_brands else 1.0, strength=strength, form=form, route=route,
                       brand=brand, rxnorm=rxnorm)
    if bracket_reading is not None and bracket_reading.found:
        bracket_reading.unknown = reading.unknown
        return _finish(text, bracket_reading, "brand", 0.9, strength=strength, form=form,
                       route=route, brand=brand)
    ext = d.extension()
    if ext is not None:
        keys = [" ".join(words[i:i + k]) for i in range(len(words)) for k in range(1, 5)
                if i + k <= len(words) and not is_noise(words[i])]
        hit = ext.lookup(keys)
        if hit is not None:
            key, entry = hit
            reading.found.append(entry)
            claimed = set(key.split())
            reading.unknown = [w for w in reading.unknown if w not in claimed]
            return _finish(text, reading, "brand" if entry.brand else "exact", 0.95,
                           strength=strength or entry.strength, form=form or entry.form,
                           route=route, brand=brand or entry.brand, rxnorm=entry.rxnorm)
    _fuzzy(d, reading)
    if reading.found:
        score = min(s for _, _, s in reading.approximate)
        return _finish(text, reading, "approximate", 0.9 * score / 100.0, strength=strength,
                       form=form, route=route, brand=brand)
    return ResolvedMedication(text=text, strength=strength, form=form, route=route, brand=brand)


def resolve_with(d: DrugDictionary, text: str = "", *, rxnorm: str | None = None) -> ResolvedMedication:
    text = text or ""
    stripped = text.strip()
    if stripped:
        code = code_in(stripped)
        if code:
            return _by_code(d, text, code) or ResolvedMedication(text=text)
        ndc = ndc_in(stripped)
        if ndc:
            return _by_code(d, text, ndc) or ResolvedMedication(text=text)
        result = _by_text(d, text)
        if result.match in ("exact", "brand"):
            if rxnorm and not result.rxnorm:
                coded = d.codes.get(rxnorm)
                if coded is not None and set(coded.ingredients) == set(result.ingredients):
                    result = _with_rxnorm(result, rxnorm)
            return result
    else:
        result = ResolvedMedication(text=text)
    if rxnorm:
        coded = _by_code(d, text, rxnorm.strip())
        if coded is not None:
            return coded
    return result


def _with_rxnorm(result: ResolvedMedication, rxnorm: str) -> ResolvedMedication:
    from dataclasses import replace

    return replace(result, rxnorm=rxnorm)
