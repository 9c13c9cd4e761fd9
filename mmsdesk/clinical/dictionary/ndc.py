"""FDA NDC Directory ``product.txt``: one product per line, tab-separated, header line first."""

from __future__ import annotations

import re
from collections.abc import Iterator

from mmsdesk.clinical.dictionary.dictionary import DrugDictionary
from mmsdesk.clinical.dictionary.importing import ImportedProduct, LineReader
from mmsdesk.clinical.dictionary.text import name_key

NDC_SOURCE = "ndc"
REQUIRED = ("PRODUCTNDC", "PROPRIETARYNAME", "NONPROPRIETARYNAME", "DOSAGEFORMNAME", "ROUTENAME",
            "SUBSTANCENAME", "ACTIVE_NUMERATOR_STRENGTH", "ACTIVE_INGRED_UNIT", "PHARM_CLASSES")
_PRODUCT_NDC = re.compile(r"^\d{4,5}-\d{3,4}$")
_ROUTES = {"oral": "oral", "topical": "topical", "ophthalmic": "ophthalmic", "nasal": "nasal",
           "transdermal": "transdermal", "respiratory (inhalation)": "inhalation",
           "subcutaneous": "injection", "intramuscular": "injection", "intravenous": "injection",
           "sublingual": "sublingual", "rectal": "rectal", "vaginal": "vaginal", "otic": "otic",
           "buccal": "buccal", "intrauterine": "intrauterine"}


def _strength(amounts: str, units: str) -> str:
    nums = [a.strip() for a in amounts.split(";")]
    unit_list = [u.strip() for u in units.split(";")]
    parts = []
    for i, num in enumerate(nums):
        if not num:
            continue
        unit = unit_list[i] if i < len(unit_list) else (unit_list[-1] if unit_list else "")
        unit = unit.lower().removesuffix("/1").replace("[iu]", "unit").replace("[usp'u]", "unit")
        parts.append(f"{num} {unit}".strip())
    return " / ".join(parts)


def _route(routes: str) -> str:
    first = routes.split(";")[0].strip().lower()
    return _ROUTES.get(first, first)


def ndc_products(lines: LineReader, dictionary: DrugDictionary,
                 counters: dict[str, int]) -> Iterator[ImportedProduct]:
    header: list[str] | None = None
    col: dict[str, int] = {}
    counters["skipped"] = 0
    for line_no, line in lines:
        if header is None:
            header = [h.strip().upper() for h in line.lstrip("\ufeff").split("\t")]
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise lines.fail(f"not an FDA NDC product file (missing column {missing[0]})", line_no)
            col = {name: i for i, name in enumerate(header)}
            continue
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(header):
            raise lines.fail(f"expected {len(header)} tab-separated fields, found {len(fields)}", line_no)
        row = {name: fields[i].strip() for name, i in col.items()}
        ndc = row["PRODUCTNDC"]
        if not _PRODUCT_NDC.match(ndc):
            raise lines.fail(f"PRODUCTNDC {ndc[:20]!r} is not a product NDC (like 0069-4200)", line_no)
        substances = [s for s in row["SUBSTANCENAME"].split(";") if s.strip()]
        if not substances:
            counters["skipped"] += 1  # kits and devices without a listed substance
            continue
        ingredients: list[str] = []
        for sub in substances:
            m = dictionary.moiety(sub)
            if m and m not in ingredients:
                ingredients.append(m)
        proprietary = " ".join(p for p in (row["PROPRIETARYNAME"], row.get("PROPRIETARYNAMESUFFIX", "")) if p)
        generic = row["NONPROPRIETARYNAME"]
        brand_key = name_key(proprietary)
        is_brand = bool(brand_key) and brand_key != name_key(generic) and not (
            (entry := dictionary.lookup(brand_key)) is not None and entry.kind in ("ingredient", "synonym"))
        strength = _strength(row["ACTIVE_NUMERATOR_STRENGTH"], row["ACTIVE_INGRED_UNIT"])
        form = fda_form(row["DOSAGEFORMNAME"])
        shown_generic = generic.lower() or " / ".join(ingredients)
        label = (f"{proprietary} ({shown_generic})" if is_brand else shown_generic)
        label = " ".join(p for p in (label, strength, form) if p)
        names: list[tuple[str, str]] = [(generic, "generic")]
        if is_brand:
            names.append((proprietary, "brand"))
            if row.get("PROPRIETARYNAMESUFFIX"):
                names.append((row["PROPRIETARYNAME"], "brand"))
        yield ImportedProduct(
            code=ndc, label=label, kind="product", brand=proprietary if is_brand else "",
            ingredients=tuple(ingredients), strength=strength, form=form,
            route=_route(row["ROUTENAME"]), rxnorm="", classes=row["PHARM_CLASSES"],
            names=tuple(names), codes=(ndc,))


def fda_form(name: str) -> str:
    """The NDC directory's DOSAGEFORMNAME as the dictionary writes forms: the release first,
    so it is kept as the medicine's release ("TABLET, FILM COATED, EXTENDED RELEASE" ->
    "extended release tablet, film coated"; "CAPSULE, DELAYED RELEASE" -> "delayed release
    capsule"). Read as written, the release was lost: an extended-release product printed as
    a plain tablet."""
    parts = [" ".join(p.split()) for p in name.lower().split(",") if p.strip()]
    release = next((p for p in parts if p in ("extended release", "delayed release")), "")
    rest = ", ".join(p for p in parts if p != release)
    return f"{release} {rest}".strip() if release else rest

