"""Plain records of the drug dictionary: ingredients, names, resolutions and search hits."""

from __future__ import annotations

from dataclasses import dataclass, field

MATCH_KINDS = ("exact", "brand", "approximate", "code", "unrecognised")


@dataclass(frozen=True)
class Ingredient:
    """One active moiety, as written in resources/knowledge/drugs/ingredients/*.csv."""

    generic: str  # lowercase moiety name without its salt: "metoprolol"
    synonyms: tuple[str, ...] = ()
    brands: tuple[str, ...] = ()
    salts: tuple[str, ...] = ()
    atc: str = ""  # the main WHO ATC code
    plain_class: str = ""  # "blood thinner (vitamin K antagonist)"
    forms: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()  # "25", "50", "100 mg" (unit on the last)
    rxnorm: str = ""
    atc_codes: tuple[str, ...] = ()  # every ATC code, main one first ("R05DA04", "N02AA59")


@dataclass(frozen=True)
class NamedProduct:
    """A name that stands for fixed ingredients: a brand, a combination or a coded product."""

    label: str  # as displayed: "Bactrim DS", "Coumadin", "Simvastatin 20 MG Oral Tablet"
    kind: str  # "ingredient" | "synonym" | "brand" | "combination" | "product"
    ingredients: tuple[str, ...]  # in the order the product is sold under this name
    strength: str = ""  # known strengths as curated: "10-100;25-100;25-250 mg" (see strength.py)
    form: str = ""
    rxnorm: str = ""
    brand: str = ""
    implied: bool = False  # the name itself says the strength ("Bactrim DS", "baby aspirin")


# Units of an amount, as stored: mass, enzyme/biologic units, electrolytes, percent, volume.
AMOUNT_UNITS = ("mg", "mcg", "g", "unit", "meq", "mmol", "%", "ml")
# What an amount is per, when it is not per dose unit (tablet, capsule...): "250 mg/5 ml".
PER_UNITS = ("ml", "actuat", "hr", "g", "l", "dose")
_TO_MG = {"mg": 1.0, "mcg": 0.001, "g": 1000.0}


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 6)


@dataclass(frozen=True)
class Component:
    """One active ingredient of a medicine with its own amount: "levodopa 100 mg".

    ``ingredient`` is the lowercase generic name when the dictionary knows it, else the name as
    written. ``amount`` is None when no strength was written or none could be assigned to this
    ingredient with confidence: never a guess. ``per_amount``/``per_unit`` say what the amount is
    per when it is not one dose unit: "250 mg/5 ml" is (250, "mg", 5, "ml"), "80 mcg/actuat" is
    (80, "mcg", None, "actuat").
    """

    ingredient: str
    amount: float | None = None
    unit: str = ""
    per_amount: float | None = None
    per_unit: str = ""

    def scaled(self) -> tuple[str, float | None, str, float | None, str]:
        """A comparable form: mg, mcg and g on one scale (0.088 mg == 88 mcg), the amount per
        one of ``per_unit`` (250 mg/5 ml == 50 mg/ml)."""
        amount, unit = self.amount, self.unit
        if amount is not None and unit in _TO_MG:
            amount, unit = amount * _TO_MG[unit], "mg"
        per = self.per_amount
        if amount is not None and per:
            amount, per = amount / per, 1.0
        if amount is not None:
            amount = round(amount, 9)
        return (self.ingredient, amount, unit, per if self.per_unit else None, self.per_unit)

    def same_strength(self, other: Component) -> bool:
        return self.scaled() == other.scaled()

    def as_json(self) -> dict[str, object]:
        return {"ingredient": self.ingredient, "amount": _number(self.amount), "unit": self.unit,
                "per_amount": _number(self.per_amount), "per_unit": self.per_unit}


@dataclass(frozen=True)
class ResolvedMedication:
    """What a medication text (or code) is: its ingredients and how sure we are."""

    text: str
    ingredients: tuple[str, ...] = ()
    strength: str = ""  # display text built from ``components``
    form: str = ""
    route: str = ""
    brand: str = ""
    rxnorm: str = ""
    product: str = ""
    match: str = "unrecognised"  # exact | brand | approximate | code | unrecognised
    confidence: float = 0.0
    notes: tuple[str, ...] = field(default=())  # e.g. 'read "simvistatin" as "simvastatin"'
    components: tuple[Component, ...] = ()  # one per ingredient, in the order the product is sold

    @property
    def recognised(self) -> bool:
        return self.match != "unrecognised"

    def as_json(self) -> dict[str, object]:
        return {
            "text": self.text, "ingredients": list(self.ingredients), "strength": self.strength,
            "form": self.form, "route": self.route, "brand": self.brand, "rxnorm": self.rxnorm,
            "product": self.product, "match": self.match, "confidence": round(self.confidence, 2),
            "components": [c.as_json() for c in self.components], "notes": list(self.notes),
        }


@dataclass(frozen=True)
class SearchHit:
    label: str
    kind: str  # ingredient | brand | combination | product
    ingredients: tuple[str, ...]
    strength: str = ""
    form: str = ""
    brand: str = ""
    rxnorm: str = ""
    source: str = "bundled"  # bundled | ndc | rxnorm
    strengths: tuple[str, ...] = ()  # the strengths it is known in, for a choice list

    def as_json(self) -> dict[str, object]:
        return {"label": self.label, "kind": self.kind, "ingredients": list(self.ingredients),
                "strength": self.strength, "form": self.form, "brand": self.brand,
                "rxnorm": self.rxnorm, "source": self.source, "strengths": list(self.strengths)}
