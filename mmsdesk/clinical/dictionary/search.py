"""Search as you type over names, brands and products, ranked: exact, prefix, word, fuzzy.

An ingredient that matches brings its brands right after it, so "war" lists warfarin, then
Coumadin and Jantoven, before anything else that merely starts with "war".
"""

from __future__ import annotations

from functools import lru_cache

from mmsdesk.clinical.dictionary.dictionary import DrugDictionary
from mmsdesk.clinical.dictionary.model import NamedProduct, SearchHit
from mmsdesk.clinical.dictionary.naming import strength_text
from mmsdesk.clinical.dictionary.strength import parse_known
from mmsdesk.clinical.dictionary.text import name_key

FUZZY_CUTOFF = 75.0
_HIT_KIND = {"synonym": "ingredient"}
# Ingredients first, then brands and combinations together (shortest first), then products.
_GROUP = {"ingredient": 0, "synonym": 0, "brand": 1, "combination": 1, "product": 2}


@lru_cache(maxsize=4096)
def _shown(field: str, size: int) -> tuple[str, ...]:
    """A curated strengths field as display strengths: ("10 mg / 100 mg", "25 mg / 100 mg")."""
    try:
        return tuple(strength_text(row) for row in parse_known(field, size))
    except ValueError:
        return (field,) if field else ()


def _hit(entry: NamedProduct) -> SearchHit:
    label = entry.label
    if entry.kind == "synonym":
        label = f"{entry.label} ({entry.ingredients[0]})"
    if entry.kind == "product":
        strength, strengths = entry.strength, ((entry.strength,) if entry.strength else ())
    else:  # a name stands for one strength only when it says it ("Bactrim DS")
        strengths = _shown(entry.strength, len(entry.ingredients))
        strength = strengths[0] if entry.implied and strengths else ""
    return SearchHit(label=label, kind=_HIT_KIND.get(entry.kind, entry.kind),
                     ingredients=entry.ingredients, strength=strength, form=entry.form,
                     brand=entry.brand, rxnorm=entry.rxnorm, strengths=strengths)


def _rank(key: str, query: str) -> int:
    if key == query:
        return 0
    if key.startswith(query):
        return 1
    if f" {query}" in key:
        return 2
    return -1


def search_with(d: DrugDictionary, text: str, limit: int = 20) -> list[SearchHit]:
    query = name_key(text)
    if not query or limit <= 0:
        return []
    ranked: list[tuple[tuple[int, int, int, int, str], SearchHit, NamedProduct | None]] = []
    for key, entry in d.search_entries:
        rank = _rank(key, query)
        if rank >= 0:
            ranked.append(((rank, 0, _GROUP[entry.kind], len(key), key), _hit(entry), entry))
    ext = d.extension()
    if ext is not None:
        for rank, hit in ext.search(query, limit):
            ranked.append(((rank, 1, _GROUP.get(hit.kind, 2), len(hit.label), hit.label.lower()),
                           hit, None))
    if len(ranked) < limit and len(query) >= 3:
        ranked += _fuzzy(d, query, {h.label.lower() for _, h, _ in ranked}, limit - len(ranked))
    ranked += _combined(d, text, query)
    ranked.sort(key=lambda r: r[0])
    out: list[SearchHit] = []
    seen: set[tuple[str, str]] = set()
    listed: set[str] = set()  # ingredients already shown (once, with their brands)

    def add(hit: SearchHit) -> None:
        mark = (hit.label.lower(), hit.kind)
        if mark not in seen:
            seen.add(mark)
            out.append(hit)

    for _, hit, entry in ranked:
        if len(out) >= limit:
            break
        if entry is not None and entry.kind in ("ingredient", "synonym"):
            generic = entry.ingredients[0]
            if generic in listed:
                continue
            listed.add(generic)
            add(hit)
            ing = d.ingredients.get(generic)
            for brand in ing.brands if ing else ():
                add(SearchHit(label=brand, kind="brand", ingredients=(generic,), brand=brand))
            continue
        add(hit)
    return out[:limit]


def _combined(d: DrugDictionary, text: str, query: str
              ) -> list[tuple[tuple[int, int, int, int, str], SearchHit, NamedProduct | None]]:
    """"lisinopril hctz": the combination itself, then the named products that hold exactly it."""
    if " " not in query:
        return []
    from mmsdesk.clinical.dictionary.resolver import resolve_with

    res = resolve_with(d, text)
    if len(res.ingredients) < 2 or res.match not in ("exact", "brand"):
        return []
    wanted = set(res.ingredients)
    label = " / ".join(res.ingredients)
    out: list[tuple[tuple[int, int, int, int, str], SearchHit, NamedProduct | None]] = [
        ((0, 0, 0, 0, label), SearchHit(label=label, kind="combination",
                                        ingredients=res.ingredients), None)]
    for key, entry in d.search_entries:
        if entry.kind == "combination" and set(entry.ingredients) == wanted:
            out.append(((0, 0, 1, len(key), key), _hit(entry), entry))
    return out


def _fuzzy(d: DrugDictionary, query: str, taken: set[str], room: int
           ) -> list[tuple[tuple[int, int, int, int, str], SearchHit, NamedProduct | None]]:
    from rapidfuzz import fuzz, process

    out = []
    for key, score, _ in process.extract(query, d.fuzzy_keys, scorer=fuzz.ratio,
                                         score_cutoff=FUZZY_CUTOFF, limit=room):
        entry = d.names[key]
        if entry.label.lower() in taken:
            continue
        out.append(((3, 0, -int(score), len(key), key), _hit(entry), entry))
    return out
