"""Reading strengths as written: "25-100 mg", "250 mg/5 mL", "80/4.5", "21 mg/24 hr", "1%".

This is the one strength reader of MMS Desk: medication text (the resolver), a strength typed on
its own (``parse_components``), the curated files (the known strengths of a combination or an
ingredient) and the RxNorm importer all read numbers here.

A *group* is one or more numbers joined by "/" or "-", each with the unit written after it
(or after the last one: "25-100 mg" is two amounts in mg) and what it is per ("250 mg/5 mL",
"80 mcg/actuat"). Whether a group is a strength depends on the words around it: "1 tab",
"#30", "x 5 days", "q8h", "every 6 hours", "24 HR" are quantities, counts or timing, and
nothing after "take" (or another direction verb) is read as a strength.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.dictionary.naming import amount_text
from mmsdesk.clinical.dictionary.text import fold, split_brackets, strip_prefixes

# Amount units as written -> as stored (model.AMOUNT_UNITS). "u" is an error-prone
# abbreviation (ISMP) but is found on real lists, so it is read, and shown as "units".
AMOUNT_WORDS = {
    "mg": "mg", "mgs": "mg", "milligram": "mg", "milligrams": "mg",
    "mcg": "mcg", "mcgs": "mcg", "ug": "mcg", "\u00b5g": "mcg", "\u03bcg": "mcg",
    "microgram": "mcg", "micrograms": "mcg",
    "g": "g", "gm": "g", "gram": "g", "grams": "g",
    "meq": "meq", "mmol": "mmol",
    "unt": "unit", "unit": "unit", "units": "unit", "iu": "unit", "u": "unit",
    "%": "%",
}
# What an amount is per (model.PER_UNITS): (per amount understood, per unit). "" = per dose unit.
PER_WORDS: dict[str, tuple[float | None, str]] = {
    "ml": (None, "ml"), "cc": (None, "ml"), "l": (None, "l"),
    "actuat": (None, "actuat"), "actuation": (None, "actuat"), "actuations": (None, "actuat"),
    "puff": (None, "actuat"), "spray": (None, "actuat"), "inh": (None, "actuat"),
    "act": (None, "actuat"),
    "inhalation": (None, "actuat"),
    "hr": (None, "hr"), "hrs": (None, "hr"), "h": (None, "hr"), "hour": (None, "hr"),
    "hours": (None, "hr"), "day": (24.0, "hr"), "d": (24.0, "hr"),
    "g": (None, "g"), "gm": (None, "g"), "gram": (None, "g"),
    "dose": (None, "dose"),
    "tab": (None, ""), "tabs": (None, ""), "tablet": (None, ""), "cap": (None, ""),
    "caps": (None, ""), "capsule": (None, ""), "each": (None, ""),
}
# After "/" and a number only these are a "per" ("250 mg/5 ml"); "3 g/0.375 g" is two amounts.
_PER_AFTER_NUMBER = {"ml", "cc", "l", "actuat", "actuation", "actuations", "hr", "hrs", "h",
                     "hour", "hours", "dose"}
# A strength per body weight or area is a dose, never a product strength.
_DOSE_PER = {"kg", "m", "min", "minute"}

# A number after one of these is a count, a quantity or timing.
_BEFORE_NOT_STRENGTH = {"#", "x", "q", "every", "qty", "quantity", "disp", "dispense", "for",
                        "refill", "refills", "rf", "to", "day", "days", "week", "weeks", "age",
                        "aged", "step"}
# A number without a unit followed by one of these is a count, a volume or a duration.
_AFTER_NOT_STRENGTH = frozenset("""
tab tabs tablet tablets cap caps capsule capsules pill pills puff puffs spray sprays drop drops
gtt gtts patch patches softgel softgels caplet caplets lozenge lozenges piece pieces packet
packets scoop scoops teaspoon teaspoons tsp tablespoon tablespoons tbsp film films troche
troches suppository suppositories application applications inhalation inhalations vial vials
pen pens syringe syringes injection injections ampule ampules sachet sachets chew chews gummy
gummies capful capfuls wafer wafers strip strips ml cc l actuat actuation actuations dose doses
day days week weeks wk wks month months mo year years yr yrs hr hrs h hour hours min mins
minute minutes time times x refill refills count ct pack packs kit box bottle bottles click
clicks kg lb lbs of
""".split())
# A number without a unit followed by a route or a frequency may be a dose count ("metformin
# 1 bid"): read only when it is a known strength of the medicine ("Eliquis 5 bid").
# ... except a dose form, which a product line also puts after its strength ("Sinemet 25/100
# TAB", "metformin 500 tab" on a pharmacy label): a known strength there, else a count.
_AFTER_FORM = frozenset("""
tab tabs tablet tablets cap caps capsule capsules softgel softgels caplet caplets lozenge
lozenges troche troches suppository suppositories wafer wafers film films patch patches
""".split())
_AFTER_MAYBE_DOSE = frozenset("""
po pr sl im iv sc sq subq sub bid tid qid qd qod qhs qam qpm hs daily nightly weekly monthly
prn once twice am pm morning evening night bedtime ac pc by with
""".split())
# Directions start here: nothing after them is read as a strength.
_DIRECTION_WORDS = frozenset("""
take takes taking inhale apply applies use uses instill inject injects give place insert chew
dissolve sig directions
""".split())

_DECIMAL_COMMA = re.compile(r"\d+,\d+")
_TOKEN_RE = re.compile(r"\d+,\d+|\d+(?:\.\d+)?|\.\d+|[a-z\u00b5\u03bc]+|[/+&,;#%()\-]")
_BREAKS = frozenset("/+&,;-")


class Tokens:
    """Folded text cut into numbers ("n"), words ("w") and signs ("s"), with their places.

    A number written with a decimal comma ("2,5", "0,5": a thousands comma is gone after
    ``fold``) is one number token listed in ``decimal_commas``: no strength is read from it,
    since "2,5 mg" may be 2.5 mg, or 2 and 5 (it was once read as 5 mg)."""

    __slots__ = ("_words", "decimal_commas", "end", "folded", "kind", "start", "text", "value")

    def __init__(self, text: str) -> None:
        self.folded = fold(text).replace("\u00d7", " x ")
        self.text: list[str] = []
        self.kind: list[str] = []
        self.value: list[float] = []
        self.start: list[int] = []
        self.end: list[int] = []
        self._words: tuple[list[str], list[bool], list[int]] | None = None
        self.decimal_commas: set[int] = set()
        for m in _TOKEN_RE.finditer(self.folded):
            tok = m.group()
            c = tok[0]
            if _DECIMAL_COMMA.fullmatch(tok):
                self.decimal_commas.add(len(self.text))
                self.kind.append("n")
                self.value.append(float(tok.replace(",", ".")))
            elif c.isdigit() or c == ".":
                self.kind.append("n")
                self.value.append(float(tok))
                tok = tok if c != "." else "0" + tok
            else:
                self.kind.append("w" if c.isalpha() else "s")
                self.value.append(0.0)
            self.text.append(tok)
            self.start.append(m.start())
            self.end.append(m.end())

    def __len__(self) -> int:
        return len(self.text)

    def words(self) -> tuple[list[str], list[bool], list[int]]:
        """Words and numbers for the name reader: each one, whether a separator ("/", "-", "+",
        ",") came before it, and its token index."""
        if self._words is not None:
            return self._words
        words: list[str] = []
        breaks: list[bool] = []
        where: list[int] = []
        pending = False
        for i, (k, t) in enumerate(zip(self.kind, self.text, strict=True)):
            if k == "s":
                pending = pending or t in _BREAKS
                continue
            words.append(t)
            breaks.append(pending)
            where.append(i)
            pending = False
        self._words = (words, breaks, where)
        return self._words


@dataclass(frozen=True)
class Group:
    """Numbers written together: "25-100 mg" (two amounts), "250 mg/5 ml" (one)."""

    items: tuple[Component, ...]  # ingredient "" and unit "" where none was written
    start: int  # first token
    end: int  # after the last token
    written: str  # as written (folded): "25-100 mg"
    maybe_dose: bool = False  # a bare number before a route or frequency: a known strength only
    decimal_comma: bool = False  # a number written "2,5": not read (2.5, or 2 and 5?)


def _unit_at(t: Tokens, i: int) -> str:
    return AMOUNT_WORDS.get(t.text[i], "") if i < len(t) and t.kind[i] != "n" else ""


def _per_at(t: Tokens, i: int) -> tuple[int, float | None, str] | None:
    """A "per" starting at token i ("/5 ml", "/actuat", "per ml"): (next index, amount, unit)."""
    n = len(t)
    if i >= n or t.text[i] not in ("/", "per"):
        return None
    j = i + 1
    if j < n and t.kind[j] == "n" and j + 1 < n and t.text[j + 1] in _PER_AFTER_NUMBER:
        _, unit = PER_WORDS[t.text[j + 1]]
        return j + 2, t.value[j], unit
    if j < n and t.text[j] in PER_WORDS:
        understood, unit = PER_WORDS[t.text[j]]
        return j + 1, understood, unit
    if j < n and t.text[j] in _DOSE_PER:
        return j + 1, None, "kg"  # a dose per weight or area: the caller drops the group
    return None


def _read_group(t: Tokens, i: int, claimed: frozenset[int] | set[int]) -> Group | None:
    n = len(t)
    items: list[Component] = []
    j = i
    dose_per = False
    while True:
        value = t.value[j]
        j += 1
        unit = _unit_at(t, j)
        if unit:
            j += 1
        per_amount: float | None = None
        per_unit = ""
        per = _per_at(t, j)
        if per is not None:
            j, per_amount, per_unit = per
            if per_unit == "kg":
                dose_per, per_amount, per_unit = True, None, ""
        items.append(Component("", value, unit, per_amount, per_unit))
        if (j + 1 < n and t.text[j] in ("/", "-") and t.kind[j + 1] == "n"
                and j + 1 not in claimed):
            j += 1
            continue
        break
    if dose_per:
        return None
    # "25-100 mg", "250/50 mcg/actuat": the last unit (and per) is every bare number's.
    last = items[-1]
    if last.unit and len(items) > 1:
        items = [replace(c, unit=last.unit, per_amount=last.per_amount, per_unit=last.per_unit)
                 if not c.unit else c for c in items]
    written = t.folded[t.start[i]:t.end[j - 1]]
    return Group(tuple(items), i, j, written,
                 decimal_comma=any(k in t.decimal_commas for k in range(i, j)))


def _u_concentration(t: Tokens, i: int) -> Group | None:
    """"U-100", "U-500": insulin units per mL."""
    if i + 2 < len(t) and t.text[i] == "u" and t.text[i + 1] == "-" and t.kind[i + 2] == "n":
        item = Component("", t.value[i + 2], "unit", None, "ml")
        return Group((item,), i, i + 3, t.folded[t.start[i]:t.end[i + 2]])
    return None


def read_groups(t: Tokens, claimed: frozenset[int] | set[int] = frozenset(),
                *, context: bool = True) -> list[Group]:
    """The strength groups of the text, in order. ``claimed`` tokens belong to names
    ("Klor-Con M20", "polyethylene glycol 3350") and are never numbers of a strength. Without
    ``context`` every group is returned (a curated field, where no directions are written)."""
    out: list[Group] = []
    n = len(t)
    i = 0
    while i < n:
        word = t.text[i]
        if context and t.kind[i] == "w" and word in _DIRECTION_WORDS:
            break
        if i in claimed:
            i += 1
            continue
        if word == "u" and (g := _u_concentration(t, i)) is not None:
            out.append(g)
            i = g.end
            continue
        if t.kind[i] != "n":
            i += 1
            continue
        group = _read_group(t, i, claimed)
        if group is None:
            i += 1
            while i < n and (t.kind[i] == "n" or t.text[i] in ("/", "-")):
                i += 1
            continue
        i = group.end
        if not context:
            out.append(group)
            continue
        before = t.text[group.start - 1] if group.start > 0 else ""
        after = t.text[group.end] if group.end < n else ""
        if before in _BEFORE_NOT_STRENGTH:
            continue
        if any(c.unit for c in group.items):
            out.append(group)
        elif after in _AFTER_FORM:
            out.append(replace(group, maybe_dose=True))
        elif after in _AFTER_NOT_STRENGTH:
            continue
        elif after in _AFTER_MAYBE_DOSE or (after and t.kind[group.end] == "n"):
            out.append(replace(group, maybe_dose=True))
        else:
            out.append(group)
    return out


# -- known strengths in the curated files --------------------------------------------------------
@lru_cache(maxsize=4096)
def parse_known(field: str, size: int) -> tuple[tuple[Component, ...], ...]:
    """The strengths a curated field lists, each as ``size`` amounts in the field's order.

    "10-100;25-100;25-250 mg" (unit on the last: it is every bare number's), "160-4.5
    mcg/actuat", "70 mg-2800 unit", "0.044;0.11;0.22 mg/actuat;0.05 mg/actuat" (a bare entry
    takes the unit of the next entry that has one). Raises ValueError when an entry does not
    hold ``size`` amounts or a number is left without a unit.
    """
    field = field.strip()
    if not field:
        return ()
    parsed: list[list[Component]] = []
    for part in field.split(";"):
        groups = read_groups(Tokens(part), context=False)
        if len(groups) != 1 or len(groups[0].items) != size:
            raise ValueError(f'"{part.strip()}" is not {size} amount(s) joined by "-"')
        parsed.append(list(groups[0].items))
    for k in range(len(parsed) - 2, -1, -1):
        for pos, c in enumerate(parsed[k]):
            if not c.unit:
                later = parsed[k + 1][pos]
                parsed[k][pos] = replace(c, unit=later.unit, per_amount=later.per_amount,
                                         per_unit=later.per_unit)
    if any(not c.unit for row in parsed for c in row):
        raise ValueError(f'"{field}": a number has no unit (write it after the last one)')
    return tuple(tuple(row) for row in parsed)


def parse_strength(text: str) -> str:
    """The strengths written in a product name, for display: "Acetaminophen 325 MG / Oxycodone
    Hydrochloride 5 MG Oral Tablet" -> "325 mg / 5 mg"; numbers without a unit are left out."""
    main, _ = split_brackets(text or "")
    groups = read_groups(Tokens(strip_prefixes(main)))
    return " / ".join(amount_text(c) for g in groups for c in g.items if c.unit)
