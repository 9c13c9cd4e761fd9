"""What a pharmacy label says, from the lines of text an OCR engine read off its photo.

:func:`read_label` proposes the label's fields for the pharmacist to confirm one by one: the
drug (resolved by the drug dictionary to a product with its strength), the strength, the
directions (read by the sig reader), the prescriber, the quantity, the fill date, the Rx number
and the pharmacy. Each field carries a confidence between 0 and 1: the OCR engine's confidence
in the line it came from, lowered when the reading of that line is uncertain (a drug matched
approximately, directions with words the sig reader did not understand, a field found without
its printed caption). Nothing here is saved: the proposal is plain data.

Pure Python; the OCR engine itself is in interop/label_ocr.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from mmsdesk.clinical.dictionary import (
    DrugDictionary,
    ResolvedMedication,
    get_dictionary,
    resolve,
)
from mmsdesk.clinical.sig_read import read as read_sig


@dataclass(frozen=True)
class OcrLine:
    text: str
    confidence: float  # the engine's, 0..1


@dataclass(frozen=True)
class ProposedField:
    key: str  # drug | strength | directions | prescriber | quantity | filled_on | rx_number | pharmacy
    label: str  # "Drug", "Fill date"
    value: str  # as the form shows it ("Metoprolol 50 mg tablet", "2026-03-14")
    confidence: float
    line: str = ""  # the label's line it was read from


FIELD_LABELS = {
    "drug": "Drug", "strength": "Strength", "directions": "Directions",
    "prescriber": "Prescriber", "quantity": "Quantity", "filled_on": "Fill date",
    "rx_number": "Rx number", "pharmacy": "Pharmacy",
}


@dataclass(frozen=True)
class LabelReading:
    lines: tuple[OcrLine, ...]
    fields: tuple[ProposedField, ...] = ()
    drug: ResolvedMedication | None = field(default=None, compare=False)

    def get(self, key: str) -> ProposedField | None:
        return next((f for f in self.fields if f.key == key), None)

    def value(self, key: str) -> str:
        f = self.get(key)
        return f.value if f else ""

    @property
    def text(self) -> str:
        """Every line as read, for the record kept with the photo."""
        return "\n".join(line.text for line in self.lines)


# -- reading the OCR's letters -------------------------------------------------------------
# Letters the recognition model gives for digits inside numbers: "5OMG", "l0 mg", "2S mg".
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "Q": "0", "D": "0", "l": "1", "I": "1",
                                   "|": "1", "S": "5", "B": "8", "Z": "2"})
_UNITS = r"(?i:mg|mcg|µg|ug|g|ml|meq|units?|iu|%)"


def _fix_numbers(text: str) -> str:
    """Digits misread as letters inside a number or a strength, and a unit run into its
    number, put right: "METOPROLOL 5OMG" -> "METOPROLOL 50 MG"."""
    def number(m: re.Match[str]) -> str:
        return m.group(0).translate(_DIGIT_LOOKALIKES)

    # a token that starts with a digit and then mixes in lookalikes: "5O", "1O0", "2S"
    text = re.sub(r"(?<![A-Za-z])\d[\dOoQDlI|SBZ.,/]*(?=\s*" + _UNITS + r"\b|\b)",
                  lambda m: number(m) if re.search(r"\d", m.group(0)) else m.group(0), text)
    # a lookalike before digits: "O.5 MG", "l0 MG"
    text = re.sub(r"(?<![A-Za-z])[OolI](?=[\d.]+\s*" + _UNITS + r"\b)", number, text)
    return re.sub(r"(\d)(" + _UNITS + r")\b", r"\1 \2", text)


def _clean(text: str) -> str:
    text = re.sub(r"([A-Za-z]{3,})(?=\d)", r"\1 ", text)  # "TARTRATE5O" -> "TARTRATE 5O"
    text = _fix_numbers(text)
    text = re.sub(r"(\d\s*" + _UNITS + r")(?=[A-Za-z]{2,})", r"\1 ", text)  # "40MGTAB"
    return " ".join(_fix_numbers(text).replace("—", "-").split())


# -- words run together or split by the OCR ("TAKEONE TABLETBY", "m outh") --------------------
SIG_WORDS = frozenset("""
take takes inhale apply inject use place instill put insert chew dissolve give spray swallow
tablet tablets tab tabs capsule capsules cap caps puff puffs drop drops patch patches spray sprays
teaspoon teaspoons unit units ml mg mcg suppository suppositories packet packets application
applications injection injections lozenge lozenges one two three four half
by mouth under the tongue to on skin into muscle in each nostril eye eyes both affected ear
rectally vaginally once twice times a day daily every other week weekly month monthly hours
hour at bedtime morning evening night noon midday before after with meals meal breakfast lunch
supper dinner food as needed for pain sleep up most no more than per of and then days full glass
water plenty rinse your thin layer area directed until gone finished not do crush
""".split())


def resegment(text: str) -> str:
    """Directions whose words the OCR ran together or split, cut again at the words that
    directions use ("TAKEONE TABLETBY MOUTH" -> "TAKE ONE TABLET BY MOUTH"); a run of letters
    that is no such word is kept as it was printed. Capitals as read."""
    letters = [(i, c) for i, c in enumerate(text) if not c.isspace()]
    if not letters:
        return text
    compact = "".join(c for _, c in letters)
    low = compact.lower()
    n = len(low)
    inf = float("inf")
    cost = [0.0] + [inf] * n
    back: list[tuple[int, bool]] = [(0, False)] * (n + 1)
    for i in range(n):
        if cost[i] == inf:
            continue
        m = re.match(r"\d+(?:[./]\d+)?|[^\w]+", low[i:])
        if m:
            j = i + len(m.group(0))
            if cost[i] + 1 < cost[j]:
                cost[j], back[j] = cost[i] + 1, (i, True)
        for j in range(i + 1, min(n, i + 14) + 1):
            if low[i:j] in SIG_WORDS and cost[i] + 1 < cost[j]:
                cost[j], back[j] = cost[i] + 1, (i, True)
        if cost[i] + 3 < cost[i + 1]:  # a letter of no known word
            cost[i + 1], back[i + 1] = cost[i] + 3, (i, False)
    cuts: list[tuple[int, int, bool]] = []
    j = n
    while j > 0:
        i, known = back[j]
        cuts.append((i, j, known))
        j = i
    cuts.reverse()
    out: list[str] = []
    unknown_start: int | None = None
    for i, j, known in cuts:
        if not known:
            unknown_start = i if unknown_start is None else unknown_start
            continue
        if unknown_start is not None:  # letters of no known word: as printed, with its spaces
            a, b = letters[unknown_start][0], letters[i - 1][0]
            out.append(text[a:b + 1])
            unknown_start = None
        piece = compact[i:j]
        if out and re.fullmatch(r"[^\w]+", piece):
            out[-1] += piece
        else:
            out.append(piece)
    if unknown_start is not None:
        out.append(text[letters[unknown_start][0]:letters[-1][0] + 1])
    return " ".join(out)


# -- the fields ------------------------------------------------------------------------------
_RX = re.compile(r"\bR\s*[Xx]\s*(?:#|No\.?|NUMBER|NUM)?\s*[:.#]?\s*(\d[\d-]{4,11}\d)(?![\d-])",
                 re.I)  # "Rx# 6024117Date Filled" read without its space
_QTY = re.compile(r"\b(?:QTY|QUANTITY|QTY\s*DISP(?:ENSED)?|DISP)\s*[:.#]?\s*(\d+(?:\.\d+)?)",
                  re.I)
_DATE = re.compile(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})\b")
_FILL_WORDS = re.compile(r"\b(fill(?:ed)?|date|dispensed|disp\.? date|dt)\b", re.I)
_NOT_FILL = re.compile(r"\b(discard|exp|expires?|use by|use before|beyond|birth|dob|refill by|"
                       r"orig(?:inal)?)\b", re.I)
_PRESCRIBER = re.compile(r"\b(?:prescriber|prescribed by|presc|dr|doctor|md)\s*[:.]\s*"
                         r"(?P<name>[A-Za-z][A-Za-z .,'-]{2,60})", re.I)
_DR_NAME = re.compile(r"\bDR\.?\s+(?P<name>[A-Z][A-Za-z.'-]*(?:\s+[A-Z][A-Za-z.'-]*){0,3})", re.I)
_DEGREE = re.compile(r"^(?P<name>(?:[A-Z][A-Za-z.'-]*\s+){1,3}[A-Z][A-Za-z'-]*),?\s+"
                     r"(?:MD|DO|NP|PA-?C?|DDS|DPM|APRN|FNP|PA)\.?$", re.I)
_PHARMACY = re.compile(r"\b(pharmacy|pharmacies|drugs?|drugstore|apothecary|chemists?|rx\b|"
                       r"pharmacie|farmacia)\b", re.I)
_PHARMACY_WORD = re.compile(r"pharmacy|drugstore|apothecary|chemist|farmacia", re.I)
_SIG_START = re.compile(r"^\s*(take|inhale|apply|inject|use|place|instill|put|insert|chew|"
                        r"dissolve|give|spray|swallow)\b", re.I)
_PHONE = re.compile(r"\(?\b\d{3}\)?[\s.-]*\d{3}[\s.-]*\d{4}\b")
# lines that end the directions when they follow them
_OTHER_LINE = re.compile(r"\b(qty|quantity|refills?|rx\s*#?|dr\.?|prescriber|filled|date|"
                         r"mfg|manufacturer|ndc|discard|pharmacist|generic|substituted)\b",
                         re.I)


def _date(m: re.Match[str]) -> date | None:
    month, day, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _fill_date(lines: Sequence[OcrLine]) -> ProposedField | None:
    """The date on the line that says it is the fill date; failing that, the first date on a
    line that is no discard, expiry or birth date."""
    best: tuple[float, date, OcrLine] | None = None
    for line in lines:
        for part in re.split(r"\s{3,}", line.text):
            m = _DATE.search(part)
            if not m or _NOT_FILL.search(part[:m.start()]):
                continue
            day = _date(m)
            if day is None:
                continue
            labelled = bool(_FILL_WORDS.search(part[:m.start()]))
            score = line.confidence * (1.0 if labelled else 0.6)
            if best is None or score > best[0]:
                best = (score, day, line)
    if best is None:
        return None
    return ProposedField("filled_on", FIELD_LABELS["filled_on"], best[1].isoformat(), best[0],
                         best[2].text)


def _first(rx: re.Pattern[str], lines: Sequence[OcrLine], key: str,
           group: int | str = 1) -> ProposedField | None:
    for line in lines:
        m = rx.search(_fix_numbers(line.text))
        if m:
            return ProposedField(key, FIELD_LABELS[key], m.group(group).strip(), line.confidence,
                                 line.text)
    return None


def _prescriber(lines: Sequence[OcrLine]) -> ProposedField | None:
    for line in lines:
        for part in re.split(r"\s{3,}", line.text):
            m = _PRESCRIBER.search(part) or _DR_NAME.search(part) or _DEGREE.search(part.strip())
            if m:
                name = re.split(r"\s{2,}|\b(?:qty|rx|refills?|date)\b", m.group("name"),
                                flags=re.I)[0]
                name = _person(name)
                if len(name) >= 3:
                    return ProposedField("prescriber", FIELD_LABELS["prescriber"], name,
                                         line.confidence, line.text)
    return None


def _pharmacy(lines: Sequence[OcrLine]) -> ProposedField | None:
    for line in lines[:4]:
        part = re.split(r"\s{3,}", line.text)[0]
        if (_PHARMACY.search(part) or _PHARMACY_WORD.search(part)) and not _RX.search(part):
            name = _PHONE.sub("", part).strip(" -,:")
            name = re.sub(r"(?<=[A-Za-z])(?=(?:pharmacy|PHARMACY|Pharmacy|APOTHECARY|Apothecary)\b)",
                          " ", name)  # "STREETPHARMACY"
            if name:
                return ProposedField("pharmacy", FIELD_LABELS["pharmacy"], _title(name),
                                     line.confidence, line.text)
    return None


def _person(text: str) -> str:
    """A prescriber's name without the title and degree around it, words the OCR ran
    together cut at their capitals: "DR. ALAN SMITH, MD" -> "Alan Smith"."""
    text = re.sub(r"([a-z])([A-Z])", r"\1 \2", text.strip(" .,:"))
    text = re.sub(r"^(?:dr\.?\s+|dr\.|DR(?=[A-Z][a-z]))", "", text, flags=re.I).strip()
    text = re.sub(r"[,\s]+(?:MD|DO|NP|PA-?C?|DDS|DPM|APRN|FNP)\.?$", "", text, flags=re.I)
    return _title(text.strip(" .,"))


def _title(text: str) -> str:
    """Capitals as a name is written: "ALAN SMITH MD" -> "Alan Smith MD"."""
    if not text.isupper():
        return text
    return " ".join(w if w in ("MD", "DO", "NP", "PA", "PA-C", "DDS", "CVS", "RX") else
                    w.capitalize() for w in text.split())


def _sentence(text: str) -> str:
    """Directions printed in capitals, written as a sentence: "Take 1 tablet by mouth …"."""
    if not text.isupper():
        return text
    low = text.lower()
    return low[:1].upper() + low[1:]


def _directions(lines: Sequence[OcrLine]) -> tuple[ProposedField | None, set[int]]:
    """The directions: from the line that starts with a verb ("TAKE", "INHALE"…) through the
    lines that follow it until one that is another field."""
    for i, line in enumerate(lines):
        first = re.split(r"\s{3,}", line.text)[0]
        if not _SIG_START.match(resegment(_clean(first))):  # "TAKEONE TABLET…" too
            continue
        parts, used, conf = [first], {i}, line.confidence
        for j in range(i + 1, min(i + 3, len(lines))):
            nxt = re.split(r"\s{3,}", lines[j].text)[0]
            if _OTHER_LINE.search(nxt) or _DATE.search(nxt) or _SIG_START.match(nxt) or \
                    _has_strength(nxt) or _is_drug(nxt):
                break
            parts.append(nxt)
            used.add(j)
            conf = min(conf, lines[j].confidence)
        text = _sentence(resegment(" ".join(_clean(p) for p in parts)))
        sig = read_sig(text)
        # the longest start that the sig reader understands whole, the rest kept as written
        confidence = conf * (1.0 if sig.understood else 0.8)
        return ProposedField("directions", FIELD_LABELS["directions"], text, confidence,
                             line.text), used
    return None, set()


def _is_drug(text: str) -> bool:
    """A line the dictionary reads as a medicine by name (not approximately)."""
    res = resolve(_clean(text))
    return res.match in ("exact", "brand") and bool(res.ingredients)


def _has_strength(text: str) -> bool:
    """A strength on the line, also when the OCR split its unit ("10 M G")."""
    clean = _clean(text)
    return bool(re.search(r"\d\s*" + _UNITS + r"\b", clean)
                or re.search(r"\d(?:mg|mcg|meq|ml|units?)", re.sub(r"\s", "", clean.lower())))


@lru_cache(maxsize=2)
def _compact_names(d: DrugDictionary) -> tuple[tuple[str, str], ...]:
    """(name without spaces, name) for the dictionary's names, longest first."""
    names = {key.replace(" ", ""): key for key in d.names if len(key.replace(" ", "")) >= 5}
    return tuple(sorted(names.items(), key=lambda kv: -len(kv[0])))


def _compact_drug(text: str) -> str:
    """A drug line whose words the OCR ran together ("AMLODIPINEBESYLATE5mgTablet") written
    again from the longest dictionary name inside it and the strength after it; "" if none."""
    low = re.sub(r"[^a-z0-9.]", "", _clean(text).lower())
    for compact, name in _compact_names(get_dictionary()):
        at = low.find(compact)
        if at < 0:
            continue
        rest = low[at + len(compact):]
        m = re.search(r"(\d+(?:\.\d+)?)(mg|mcg|g|ml|meq|units?)", rest)
        if not m:
            return ""
        form = re.search(r"(tablet|tab|capsule|cap|solution|patch|inhaler|cream)", rest[m.end():])
        return f"{name} {m.group(1)} {m.group(2)}" + (f" {form.group(1)}" if form else "")
    return ""


def _drug(lines: Sequence[OcrLine], skip: set[int]) -> tuple[ResolvedMedication | None,
                                                            OcrLine | None, float]:
    """The line the dictionary reads as a product with a strength (a brand line or a
    "generic for" line without one only when nothing better is there)."""
    best: tuple[float, ResolvedMedication, OcrLine] | None = None
    for i, line in enumerate(lines):
        if i in skip:
            continue
        for part in re.split(r"\s{3,}", line.text):
            text = _clean(part)
            if len(text) < 3 or _SIG_START.match(text):
                continue
            res = resolve(text)
            with_strength = any(c.amount is not None for c in res.components)
            if not res.recognised or not with_strength:  # "LISIN OPRIL 1O M G TABLET"
                again_text = _compact_drug(text)
                res = resolve(again_text) if again_text else res
                with_strength = any(c.amount is not None for c in res.components)
            if not res.recognised or not res.ingredients:
                continue
            score = res.confidence * line.confidence * (1.0 if with_strength else 0.5)
            if best is None or score > best[0]:
                best = (score, res, line)
    if best is None:
        return None, None, 0.0
    return best[1], best[2], best[0]


def read_label(lines: Sequence[OcrLine]) -> LabelReading:
    """The fields a pharmacy label's lines propose (see the module's docstring); a field the
    label does not show is left out."""
    lines = tuple(lines)
    fields: list[ProposedField] = []
    directions, used = _directions(lines)
    rx = _first(_RX, lines, "rx_number")
    drug, drug_line, drug_conf = _drug(lines, used)
    if drug is not None and drug_line is not None:
        fields.append(ProposedField("drug", FIELD_LABELS["drug"], drug.product or drug.text,
                                    round(min(drug_conf, 1.0), 2), drug_line.text))
        if drug.strength:
            fields.append(ProposedField("strength", FIELD_LABELS["strength"], drug.strength,
                                        round(min(drug_conf, 1.0), 2), drug_line.text))
    for found in (directions, _prescriber(lines), _first(_QTY, lines, "quantity"),
                  _fill_date(lines), rx, _pharmacy(lines)):
        if found is not None:
            fields.append(ProposedField(found.key, found.label, found.value,
                                        round(found.confidence, 2), found.line))
    return LabelReading(lines, tuple(fields), drug)
