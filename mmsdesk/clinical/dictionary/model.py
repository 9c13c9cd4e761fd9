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
    ingredients: tuple[str, ...]
    strength: str = ""
    form: str = ""
    rxnorm: str = ""
    brand: str = ""


@dataclass(frozen=True)
class ResolvedMedication:
    """What a medication text (or code) is: its ingredients and how sure we are."""

    text: str
    ingredients: tuple[str, ...] = ()
    strength: str = ""
    form: str = ""
    route: str = ""
    brand: str = ""
    rxnorm: str = ""
    product: str = ""
    match: str = "unrecognised"  # exact | brand | approximate | code | unrecognised
    confidence: float = 0.0
    notes: tuple[str, ...] = field(default=())  # e.g. 'read "simvistatin" as "simvastatin"'

    @property
    def recognised(self) -> bool:
        return self.match != "unrecognised"

    def as_json(self) -> dict[str, object]:
        return {
            "text": self.text, "ingredients": list(self.ingredients), "strength": self.strength,
            "form": self.form, "route": self.route, "brand": self.brand, "rxnorm": self.rxnorm,
            "product": self.product, "match": self.match, "confidence": round(self.confidence, 2),
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

    def as_json(self) -> dict[str, object]:
        return {"label": self.label, "kind": self.kind, "ingredients": list(self.ingredients),
                "strength": self.strength, "form": self.form, "brand": self.brand,
                "rxnorm": self.rxnorm, "source": self.source}
