"""RxNorm ``RXNCONSO.RRF``: names and codes of ingredients, brands and drugs ("|"-separated).

Columns: RXCUI|LAT|TS|LUI|STT|SUI|ISPREF|RXAUI|SAUI|SCUI|SDUI|SAB|TTY|CODE|STR|SRL|SUPPRESS|CVF|
Only RxNorm's own current English names are used. The ingredients of a clinical or branded drug
are read from its name ("Acetaminophen 325 MG / Oxycodone Hydrochloride 5 MG Oral Tablet"),
and a brand's from the branded drugs that carry it in brackets ("... [Percocet]").
"""

from __future__ import annotations

from collections.abc import Iterator

from mmsdesk.clinical.dictionary.dictionary import DrugDictionary
from mmsdesk.clinical.dictionary.importing import ImportedProduct, LineReader
from mmsdesk.clinical.dictionary.strength import parse_strength
from mmsdesk.clinical.dictionary.text import (
    name_key,
    parse_form,
    split_brackets,
    strip_prefixes,
    tokens_with_breaks,
)

RXNORM_SOURCE = "rxnorm"
FIELDS = 18
INGREDIENT_TTYS = {"IN", "PIN", "MIN"}
DRUG_TTYS = {"SCD", "SBD", "GPCK", "BPCK"}
_SUPPRESSED = {"O", "Y", "E"}


def _drug_ingredients(text: str, known: dict[str, str], dictionary: DrugDictionary) -> tuple[str, ...]:
    """Ingredient names found in a drug name, longest first, from the file's own IN/PIN names."""
    main, _ = split_brackets(text)
    words, _ = tokens_with_breaks(strip_prefixes(main))
    out: list[str] = []
    i = 0
    while i < len(words):
        for k in range(min(6, len(words) - i), 0, -1):
            key = " ".join(words[i:i + k])
            generic = known.get(key)
            if generic is None:
                entry = dictionary.lookup(key)
                generic = entry.ingredients[0] if entry is not None and len(entry.ingredients) == 1 \
                    and entry.kind in ("ingredient", "synonym") else None
            if generic:
                if generic not in out:
                    out.append(generic)
                i += k
                break
        else:
            i += 1
    return tuple(out)


def rxnorm_products(lines: LineReader, dictionary: DrugDictionary,
                    counters: dict[str, int]) -> Iterator[ImportedProduct]:
    ingredients: list[tuple[str, str, str]] = []  # (rxcui, tty, name)
    drugs: list[tuple[str, str, str]] = []
    brands: list[tuple[str, str]] = []
    counters["skipped"] = 0
    for line_no, line in lines:
        if not line.strip():
            continue
        f = line.split("|")
        if len(f) < FIELDS:
            raise lines.fail(f"expected {FIELDS} '|'-separated fields (RXNCONSO.RRF), found {len(f)}",
                             line_no)
        rxcui, lat, sab, tty, name, suppress = f[0], f[1], f[11], f[12], f[14], f[16]
        if not rxcui.isdigit():
            raise lines.fail(f"RXCUI {rxcui[:20]!r} is not a number", line_no)
        if sab != "RXNORM" or lat != "ENG" or suppress in _SUPPRESSED:
            continue
        if tty in INGREDIENT_TTYS:
            ingredients.append((rxcui, tty, name))
        elif tty in DRUG_TTYS:
            drugs.append((rxcui, tty, name))
        elif tty == "BN":
            brands.append((rxcui, name))
    known: dict[str, str] = {}
    for rxcui, tty, name in ingredients:
        if tty == "MIN":
            continue
        generic = dictionary.moiety(name)
        known.setdefault(name_key(name), generic)
        yield ImportedProduct(code=rxcui, label=name.lower(), kind="ingredient", brand="",
                              ingredients=(generic,), strength="", form="", route="",
                              rxnorm=rxcui, classes="", names=((name, "generic"),), codes=(rxcui,))
    brand_ingredients: dict[str, tuple[str, ...]] = {}
    for rxcui, tty, name in drugs:
        found = _drug_ingredients(name, known, dictionary)
        if not found:
            counters["skipped"] += 1
            continue
        _, inside = split_brackets(name)
        brand = inside[0] if inside and tty in ("SBD", "BPCK") else ""
        if brand:
            brand_ingredients.setdefault(name_key(brand), found)
        words, _ = tokens_with_breaks(name)
        form, route = parse_form(" ".join(words))
        yield ImportedProduct(code=rxcui, label=name, kind="product", brand=brand,
                              ingredients=found, strength=parse_strength(name), form=form,
                              route=route, rxnorm=rxcui, classes="", names=(), codes=(rxcui,))
    for rxcui, name in brands:
        found = brand_ingredients.get(name_key(name), ())
        if not found:
            counters["skipped"] += 1
            continue
        yield ImportedProduct(code=rxcui, label=name, kind="brand", brand=name, ingredients=found,
                              strength="", form="", route="", rxnorm=rxcui, classes="",
                              names=((name, "brand"),), codes=(rxcui,))
