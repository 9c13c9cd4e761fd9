"""Which written number belongs to which ingredient: each ingredient with its own amount.

The rules, in order:

* Numbers written with the text win over any product default. A product's own strength is used
  only when nothing is written and the name itself says it ("Bactrim DS", "baby aspirin").
* "Acetaminophen 325 MG / Hydrocodone 5 MG": each number belongs to the ingredient named just
  before it.
* "carbidopa-levodopa 25-100 mg", "hydrocodone/APAP 5/325": the numbers go to the ingredients in
  the order they are named; after a brand ("Norco 5-325") in the order the brand lists them. When
  only another order is a strength the product is known in ("Norco 325-5"), that order is read,
  and a note says so.
* A number without a unit ("Sinemet 10/100", "Zocor 20") takes the unit of the known strength it
  matches (the product's, the same ingredients' other products', the ingredient's usual ones);
  mg, mcg and g are one scale ("levothyroxine 0.088" matches 88 mcg).
* Whatever cannot be given to an ingredient with confidence (more or fewer numbers than
  ingredients, a number matching no known strength, two orders that both fit) is left empty
  with a note in plain words. Nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import permutations

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.dictionary.naming import strength_text
from mmsdesk.clinical.dictionary.strength import Group

Known = tuple[dict[str, Component], ...]  # strengths, each one amount per ingredient
_MASS = {"mg": 1.0, "mcg": 0.001, "g": 1000.0}


@dataclass(frozen=True)
class KnownStrengths:
    """What the dictionary knows of the strengths a medicine comes in (each amount carries its
    ingredient's name)."""

    label: str = ""  # the product named in the text ("Norco"), for notes
    product: Known = ()  # that product's strengths
    similar: Known = ()  # every product of exactly these ingredients
    usual: dict[str, tuple[Component, ...]] | None = None  # each ingredient's usual strengths

    def usual_of(self, ingredient: str) -> tuple[Component, ...]:
        return (self.usual or {}).get(ingredient, ())

    def all_of(self, ingredient: str) -> list[Component]:
        """Every amount known for one ingredient: its usual strengths and its share of the
        combinations' ("hydrocodone 5 mg" from Norco 5/325)."""
        out = list(self.usual_of(ingredient))
        out.extend(k[ingredient] for k in (*self.product, *self.similar) if ingredient in k)
        return out

    def every(self) -> list[Component]:
        out = [c for k in (*self.product, *self.similar) for c in k.values()]
        for comps in (self.usual or {}).values():
            out.extend(comps)
        return out


def _bare_unit(value: float, k: Component) -> str:
    """The unit a bare number has when it is the known amount ``k`` ("" when it is not): its
    own, or mg for mcg and mcg for mg ("levothyroxine 0.088" is 88 mcg in mg). Never g: a bare
    "1" is a tablet far more often than a gram."""
    if k.amount is None:
        return ""
    if round(value, 9) == round(k.amount, 9):
        return k.unit
    other = {"mg": "mcg", "mcg": "mg"}.get(k.unit)
    if other and round(value * _MASS[other], 9) == round(k.amount * _MASS[k.unit], 9):
        return other
    return ""


def fits(w: Component, k: Component) -> Component | None:
    """The written amount ``w`` completed from the known ``k`` when they are the same strength:
    a bare number takes k's unit, a missing "per" takes k's ("Symbicort 80/4.5" is per puff)."""
    if not w.unit:
        if w.amount is None:
            return None
        unit = _bare_unit(w.amount, k)
        if not unit:
            return None
        if w.per_unit and (w.per_unit, w.per_amount) != (k.per_unit, k.per_amount):
            return None
        return Component(k.ingredient, w.amount, unit, k.per_amount, k.per_unit)
    if w.per_unit:
        full = Component(k.ingredient, w.amount, w.unit, w.per_amount, w.per_unit)
    else:
        full = Component(k.ingredient, w.amount, w.unit, k.per_amount, k.per_unit)
    return full if full.same_strength(k) else None


def _orders(n: int) -> list[tuple[int, ...]]:
    return list(permutations(range(n))) if n <= 4 else [tuple(range(n))]


def _fitting(written: Sequence[Component], order: Sequence[str], known: Known
             ) -> list[tuple[tuple[int, ...], tuple[Component, ...]]]:
    """Every way of giving the written amounts to the ingredients that is a known strength."""
    out: list[tuple[tuple[int, ...], tuple[Component, ...]]] = []
    seen: set[tuple[Component, ...]] = set()
    for perm in _orders(len(order)):
        for k in known:
            comps = []
            for i, ing in enumerate(order):
                c = fits(written[perm[i]], k[ing])
                if c is None:
                    break
                comps.append(c)
            else:
                key = tuple(comps)
                if key not in seen:
                    seen.add(key)
                    out.append((perm, key))
                break
    return out


def _by_usual(written: Sequence[Component], order: Sequence[str], known: KnownStrengths
              ) -> tuple[Component, ...] | None:
    """In the order given, each number as the ingredient's usual strength (or as written)."""
    out = []
    for w, ing in zip(written, order, strict=True):
        matches = {c for k in known.all_of(ing) if (c := fits(w, k))}
        if len(matches) == 1:
            out.append(matches.pop())
        elif w.unit:
            out.append(replace(w, ingredient=ing))
        else:
            return None
    return tuple(out)


def _names(order: Sequence[str]) -> str:
    return ", ".join(order)


def _numbers(n: int) -> str:
    return f"{n} number" + ("" if n == 1 else "s")


def _ingredients(n: int) -> str:
    return f"{n} ingredient" + ("" if n == 1 else "s")


def _match(written: Sequence[Component], order: tuple[str, ...], known: KnownStrengths,
           text: str) -> tuple[tuple[Component, ...] | None, tuple[str, ...]]:
    identity = tuple(range(len(order)))
    comps: tuple[Component, ...] | None = None
    notes: tuple[str, ...] = ()
    for tier in (known.product, known.similar):
        if not tier:
            continue
        found = _fitting(written, order, tier)
        same = [c for perm, c in found if perm == identity]
        if same:
            comps = same[0]
        elif len(found) == 1:
            comps = found[0][1]
            notes = (f'read "{text}" as {_spelled(comps)} (the numbers were written in another '
                     "order)",)
        elif len(found) > 1:
            return None, (f'"{text}" fits {_names(order)} in more than one order: strength not '
                          "read; confirm it",)
        if comps is not None:
            if tier is known.product:
                return comps, notes
            break
    if comps is None:
        comps = _by_usual(written, order, known)
        if comps is None:
            return None, (f'"{text}" has no unit and is not a known strength of '
                          f"{_names(order)}: strength not read; confirm it",)
    if known.product and len(order) > 1:
        notes += (f"{strength_text(comps)} is not a known strength of {known.label}; "
                  "confirm it",)
    return comps, notes


def _spelled(comps: Sequence[Component]) -> str:
    return " / ".join(f"{c.ingredient} {strength_text((c,))}" for c in comps)


def _is_dose(group: Group, order: Sequence[str], known: KnownStrengths) -> bool:
    """"Lantus 100 units/mL, 10 units at bedtime": units without "per mL" of a medicine that only
    comes per mL (insulin) are a dose."""
    if not all(c.unit == "unit" and not c.per_unit for c in group.items):
        return False
    usual = [known.usual_of(i) for i in order]
    return all(u and all(c.per_unit == "ml" for c in u) for u in usual)


def _useful(group: Group, every: list[Component], beside_units: bool) -> bool:
    if not group.maybe_dose and (not beside_units or any(c.unit for c in group.items)):
        return True
    return all(any(fits(c, k) for k in every) for c in group.items)


def assign(groups: Sequence[Group], order: tuple[str, ...], known: KnownStrengths,
           owners: dict[int, str] | None = None) -> tuple[tuple[Component, ...], tuple[str, ...]]:
    """One component per ingredient of ``order`` from the strength groups written in a text.

    ``owners`` (group index -> ingredient) is given when each number stands right after the
    ingredient it belongs to (RxNorm style); otherwise the numbers are read together.
    """
    blank = tuple(Component(i) for i in order)
    if not order:
        return (), ()
    comma = next((g for g in groups if g.decimal_comma), None)
    if comma is not None:  # "2,5 mg": 2.5 mg, or 2 and 5? never a guess (it was read as 5 mg)
        return blank, (f'"{comma.written}" has a comma in a number: a decimal is written '
                       f'with a point ("{comma.written.replace(",", ".")}"): strength not read; '
                       "confirm it",)
    keep = [k for k, g in enumerate(groups) if not _is_dose(g, order, known)]
    with_unit = any(c.unit for k in keep for c in groups[k].items)
    if with_unit or any(groups[k].maybe_dose for k in keep):
        # a bare number beside written strengths ("20 mg 2 times") or before a route or a
        # frequency ("metformin 1 bid") counts only when it is a known amount
        every = known.every()
        keep = [k for k in keep if _useful(groups[k], every, with_unit)]
    if not keep:
        return blank, ()
    text = ", ".join(groups[k].written for k in keep)
    if owners and all(k in owners for k in keep):
        return _by_owner([groups[k] for k in keep], [owners[k] for k in keep], order, known)
    written = [c for k in keep for c in groups[k].items]
    if len(written) != len(order):
        return blank, (f'"{text}" has {_numbers(len(written))} for {_ingredients(len(order))} '
                       f"({_names(order)}): strength not read; confirm it",)
    comps, notes = _match(written, order, known, text)
    return (comps if comps is not None else blank), notes


def _by_owner(groups: Sequence[Group], owners: Sequence[str], order: tuple[str, ...],
              known: KnownStrengths) -> tuple[tuple[Component, ...], tuple[str, ...]]:
    given: dict[str, Component] = {}
    notes: list[str] = []
    for group, ing in zip(groups, owners, strict=True):
        comps = _by_usual(group.items, (ing,), known)
        if comps is None:
            notes.append(f'"{group.written}" has no unit and is not a known strength of {ing}: '
                         "strength not read; confirm it")
            continue
        given[ing] = comps[0]
    out = tuple(given.get(i, Component(i)) for i in order)
    if all(c.amount is not None and c.unit for c in out):
        for tier in (known.product, known.similar):
            found = [comps for perm, comps in _fitting(out, order, tier)
                     if perm == tuple(range(len(order)))]
            if found:
                return found[0], tuple(notes)  # completes a "per puff" left unwritten
    return out, tuple(notes)
