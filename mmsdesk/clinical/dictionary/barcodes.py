"""What a barcode scanner types for a medicine package, read as an NDC (plus lot and expiry).

A US package barcode carries the 10-digit NDC without its hyphens:

- UPC-A: ``3`` + the 10 digits + a check digit (12 digits); EAN-13 is the same with a
  leading ``0``; a GTIN-14 (GS1 AI 01) is an indicator digit + ``03`` + the 10 digits + check.
  (GS1 US, "Guidance for the National Drug Code in a GTIN"; FDA 21 CFR 207.35.)
- GS1 element strings (DataMatrix, GS1-128): ``(01)`` GTIN-14, ``(17)`` expiry YYMMDD (day
  ``00`` is the month's last day), ``(10)`` lot, variable-length fields ended by the group
  separator (FNC1, ASCII 29) or the end of the data. Scanners may send the symbology prefix
  (``]d2`` DataMatrix, ``]C1`` GS1-128, ``]Q3`` QR, ``]e0`` DataBar) first.
  (GS1 General Specifications, sections 3.2 and 7.8.)

The 10 digits hide where the hyphens go: 4-4-2, 5-3-2 or 5-4-1. The 11-digit (5-4-2) billing
form pads one of the three parts with a zero. The NDC directory writes product NDCs with the
hyphen (``0002-1407``), so a code is tried in each configuration it can stand for.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from mmsdesk.clinical.dictionary.dictionary import DrugDictionary
from mmsdesk.clinical.dictionary.model import ResolvedMedication

GS = "\x1d"
CONFIGURATIONS = ((4, 4, 2), (5, 3, 2), (5, 4, 1))
_SYMBOLOGY = re.compile(r"^\](?:d2|C1|Q3|e0|d1|Q1|E0|A0)")
_GS1_PREFIXES = ("]d2", "]C1", "]Q3", "]e0")
# GS1 AIs of fixed length (General Specifications figure 7.8.4-2), the rest end at a GS
_FIXED = {"00": 18, "01": 14, "02": 14, "03": 14, "04": 16, "11": 6, "12": 6, "13": 6,
          "15": 6, "16": 6, "17": 6, "20": 2, "31": 8, "32": 8, "33": 8, "34": 8, "35": 8,
          "36": 8, "41": 16}
_VARIABLE = ("10", "21", "22", "30", "37", "90", "91", "92", "93", "94", "95", "96", "97",
             "98", "99", "240", "241", "250", "251", "400", "401", "710", "711", "712", "713",
             "714")
_HRI = re.compile(r"\((\d{2,4})\)([^(]*)")


class CodeError(ValueError):
    """The text looks like a code but is not a valid one (named in plain words)."""


def check_digit(digits: str) -> str:
    """The GS1 mod-10 check digit of ``digits`` (UPC-A, EAN-13, GTIN-14 without their last)."""
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def ndc10(ndc: str) -> str:
    """The 10 digits of a hyphenated 4-4-2 / 5-3-2 / 5-4-1 NDC ("0002-1407-01" -> "0002140701")."""
    parts = ndc.strip().split("-")
    if tuple(len(p) for p in parts) not in CONFIGURATIONS or not all(p.isdigit() for p in parts):
        raise CodeError(f"{ndc!r} is not a 4-4-2, 5-3-2 or 5-4-1 NDC")
    return "".join(parts)


def ndc_to_upc(ndc: str) -> str:
    """UPC-A (12 digits) of a hyphenated NDC."""
    body = "3" + ndc10(ndc)
    return body + check_digit(body)


def ndc_to_ean13(ndc: str) -> str:
    return "0" + ndc_to_upc(ndc)


def ndc_to_gtin14(ndc: str, indicator: int = 0) -> str:
    body = f"{indicator}03{ndc10(ndc)}"
    return body + check_digit(body)


def ndc11(ndc: str) -> str:
    """The 11-digit 5-4-2 form of a hyphenated NDC ("0002-1407-01" -> "00002140701")."""
    parts = ndc.strip().split("-")
    ndc10(ndc)  # checks the configuration
    return "".join(p.zfill(w) for p, w in zip(parts, (5, 4, 2), strict=True))


def hyphenate(digits10: str, config: tuple[int, int, int]) -> str:
    a, b, _ = config
    return f"{digits10[:a]}-{digits10[a:a + b]}-{digits10[a + b:]}"


def ndc_of_gtin(gtin: str) -> str:
    """The 10 NDC digits in a UPC-A, EAN-13 or GTIN-14, checked; CodeError when not an NDC."""
    if not gtin.isdigit() or len(gtin) not in (12, 13, 14):
        raise CodeError(f"{gtin!r} is not a UPC-A, EAN-13 or GTIN-14")
    if check_digit(gtin[:-1]) != gtin[-1]:
        raise CodeError(f"{gtin} has a wrong check digit (a misread; scan it again)")
    body = gtin[:-1].zfill(13)  # indicator + "03" + 10 digits
    if body[1:3] != "03":
        raise CodeError(f"{gtin} is not a drug's code (an NDC barcode starts with 3)")
    return body[3:]


def _expiry(yymmdd: str) -> date:
    if not re.fullmatch(r"\d{6}", yymmdd):
        raise CodeError(f"expiry {yymmdd!r} is not YYMMDD")
    year, month, day = 2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if not 1 <= month <= 12:
        raise CodeError(f"expiry {yymmdd} has no month {month}")
    last = calendar.monthrange(year, month)[1]
    if day == 0:
        day = last
    if day > last:
        raise CodeError(f"expiry {yymmdd} has no day {day}")
    return date(year, month, day)


def parse_gs1(text: str) -> dict[str, str]:
    """The element strings of GS1 data, raw (FNC1 as GS) or human-readable "(01)…(17)…"."""
    t = _SYMBOLOGY.sub("", text.strip(" \t\r\n")).replace("<GS>", GS).replace("\\x1d", GS)
    if t.startswith("("):
        found = _HRI.findall(t.replace(GS, ""))
        if not found or "".join(f"({a}){v}" for a, v in found) != t.replace(GS, ""):
            raise CodeError("the GS1 text is not (AI)value pairs")
        return {a: v.strip() for a, v in found}
    t = t.lstrip(GS)
    out: dict[str, str] = {}
    i = 0
    while i < len(t):
        ai = t[i:i + 2]
        if ai in _FIXED:
            width = 4 if ai[0] == "3" or ai == "41" else 2
            ai = t[i:i + width] if ai[0] == "3" or ai == "41" else ai
            length = _FIXED[t[i:i + 2]] - (width - 2)
            value = t[i + width:i + width + length]
            if len(value) != length or GS in value:
                raise CodeError(f"GS1 field ({ai}) is cut short")
            out[ai] = value
            i += width + length
            if i < len(t) and t[i] == GS:
                i += 1
            continue
        ai = next((a for a in sorted(_VARIABLE, key=len, reverse=True) if t.startswith(a, i)), "")
        if not ai:
            raise CodeError(f"unknown GS1 field at {t[i:i + 4]!r}")
        end = t.find(GS, i)
        end = len(t) if end < 0 else end
        out[ai] = t[i + len(ai):end]
        i = end + 1
    return out


@dataclass(frozen=True)
class PackageCode:
    """What a scanned package code says. ``digits`` is the NDC's 10 digits when the code
    gives them (barcodes), ``ndc`` the hyphenated NDC when the configuration is written."""

    text: str
    kind: str  # "upc-a", "ean-13", "gtin-14", "gs1", "ndc-10", "ndc-11", "ndc"
    digits: str = ""
    ndc: str = ""
    ndc_11: str = ""
    gtin: str = ""
    expiry: date | None = None
    lot: str = ""

    def expired(self, today: date) -> bool:
        return self.expiry is not None and self.expiry < today

    def product_codes(self) -> list[tuple[str, str]]:
        """(product NDC as the directory writes it, full hyphenated NDC), each configuration
        this code can stand for, the written one first."""
        if self.ndc:
            return [(self.ndc.rsplit("-", 1)[0], self.ndc)]
        if self.digits:
            return [(hyphenate(self.digits, c).rsplit("-", 1)[0], hyphenate(self.digits, c))
                    for c in CONFIGURATIONS]
        d = self.ndc_11
        out = []
        if d.startswith("0"):
            out.append(hyphenate(d[1:], (4, 4, 2)))
        if d[5] == "0":
            out.append(hyphenate(d[:5] + d[6:], (5, 3, 2)))
        if d[9] == "0":
            out.append(hyphenate(d[:9] + d[10:], (5, 4, 1)))
        out.append(f"{d[:5]}-{d[5:9]}-{d[9:]}")
        return [(n.rsplit("-", 1)[0], n) for n in out]


def read_code(text: str) -> PackageCode | None:
    """The package code in what a scanner (or a person) typed; None when the text is no code
    (a drug name), CodeError when it is a code that does not read (a bad check digit)."""
    raw = text or ""
    t = raw.strip(" \t\r\n")
    if not t:
        return None
    prefix = _SYMBOLOGY.match(t)
    if prefix and prefix.group(0) not in _GS1_PREFIXES:  # ]E0 EAN/UPC, ]d1 plain DataMatrix…
        return read_code(t[prefix.end():])
    if prefix or GS in t or t.startswith("(01)") or (
            t.isdigit() and len(t) >= 16 and t.startswith("01")):
        fields = parse_gs1(t)
        gtin = fields.get("01", "")
        if not gtin:
            raise CodeError("the GS1 code carries no GTIN (01)")
        digits = ndc_of_gtin(gtin)
        return PackageCode(raw, "gs1", digits=digits, gtin=gtin,
                           expiry=_expiry(fields["17"]) if "17" in fields else None,
                           lot=fields.get("10", ""))
    t = re.sub(r"^ndc\s*[:#]?\s*", "", t, flags=re.I)
    if re.fullmatch(r"\d+(-\d+){2}", t):
        widths = tuple(len(p) for p in t.split("-"))
        if widths in CONFIGURATIONS:
            return PackageCode(raw, "ndc", digits=ndc10(t), ndc=t, ndc_11=ndc11(t))
        if widths == (5, 4, 2):
            return PackageCode(raw, "ndc-11", ndc_11=t.replace("-", ""))
        raise CodeError(f"{t} is not an NDC (4-4-2, 5-3-2, 5-4-1 or 5-4-2 digits)")
    if not t.isdigit():
        return None
    kinds = {10: "ndc-10", 11: "ndc-11", 12: "upc-a", 13: "ean-13", 14: "gtin-14"}
    kind = kinds.get(len(t))
    if kind is None:
        return None
    if kind == "ndc-10":
        return PackageCode(raw, kind, digits=t)
    if kind == "ndc-11":
        return PackageCode(raw, kind, ndc_11=t)
    return PackageCode(raw, kind, digits=ndc_of_gtin(t), gtin=t)


@dataclass(frozen=True)
class ScannedPackage:
    code: PackageCode
    ndc: str  # hyphenated, in the configuration the directory knows ("" when unknown)
    medication: ResolvedMedication | None  # None: the dictionary does not know this NDC

    @property
    def shown_ndc(self) -> str:
        c = self.code
        return self.ndc or c.ndc or c.digits or c.ndc_11

    def as_json(self) -> dict[str, str]:
        out = {"ndc": self.shown_ndc}
        if self.code.expiry is not None:
            out["expiry"] = self.code.expiry.isoformat()
        if self.code.lot:
            out["lot"] = self.code.lot
        return out

    def unknown_text(self) -> str:
        """The line's text when the dictionary does not know the NDC."""
        return f"NDC {self.shown_ndc} (not in the drug dictionary)"


def resolve_package(d: DrugDictionary, code: PackageCode) -> ScannedPackage:
    """The product the NDC directory (bundled products and `kb import-ndc`) gives this code."""
    from mmsdesk.clinical.dictionary.resolver import resolve_with

    for product, full in code.product_codes():
        res = resolve_with(d, product)
        if res.recognised:
            return ScannedPackage(code, full, res)
    return ScannedPackage(code, "", None)
