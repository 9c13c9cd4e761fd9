"""Medication reconciliation: lists from several sources, matched by ingredient.

A source is a :class:`~mmsdesk.services.visits.draft.ReconSource` (the chart's list, what the
patient says, the bottles, a pharmacy's record, a discharge list), typed line by line or read
from a FHIR bundle. :func:`find_discrepancies` compares each source with the chart:

* omission: an ingredient set on a source, not on the chart;
* commission: on the chart, on no other source (only once a source with at least one item
  was collected; an empty source is a placeholder, not "the patient takes nothing");
* dose: same ingredients, a different strength or a different amount per dose;
* frequency: same ingredients, a different (known) frequency;
* duplication: one ingredient in two different items of one list (the chart, a source), or
  an omission that shares an ingredient with a chart item (adding it would double it).
  Duplication by therapeutic class is left to the screening engine.

Items match by their set of generic ingredients; an unrecognised item matches by its text.
Each discrepancy has a stable ``key`` built from its kind, ingredients and chart entry, so a
decision taken earlier carries over when a source is added or edited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from mmsdesk.services.visits.draft import Discrepancy, DiscrepancyKind, ReconItem, ReconSource
from mmsdesk.store import Store

CHART = "chart"
CHART_LABEL = "Medication list in the chart"

# (pattern, code); first match wins, so the longer phrases come first.
_FREQUENCY_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\bevery other day\b|\bqod\b|\balternate days\b", "qod"),
    (r"\bq\.?\s?4\s?h\b|\bevery 4 hours\b", "q4h"),
    (r"\bq\.?\s?6\s?h\b|\bevery 6 hours\b", "q6h"),
    (r"\bq\.?\s?8\s?h\b|\bevery 8 hours\b", "q8h"),
    (r"\bq\.?\s?12\s?h\b|\bevery 12 hours\b", "bid"),
    (r"\bq\.?\s?24\s?h\b|\bevery 24 hours\b", "daily"),
    (r"\bq\.?i\.?d\.?\b|\bfour times (a|per|each) day\b|\bfour times daily\b|\b4 times (a|per) day\b|"
     r"\b4 times daily\b", "qid"),
    (r"\bt\.?i\.?d\.?\b|\bthree times (a|per|each) day\b|\bthree times daily\b|"
     r"\b3 times (a|per) day\b|\b3 times daily\b", "tid"),
    (r"\bb\.?i\.?d\.?\b|\btwice (a |per |each )?day\b|\btwice daily\b|\b2 times (a|per) day\b|"
     r"\b2 times daily\b|\bmorning and (evening|night|bedtime)\b", "bid"),
    (r"\bweekly\b|\bonce a week\b|\bevery week\b|\bq\s?week\b", "weekly"),
    (r"\bmonthly\b|\bonce a month\b|\bevery month\b", "monthly"),
    (r"\bwith meals\b|\bbefore meals\b|\bafter meals\b", "tid"),
    (r"\b(before|with|after) (breakfast|dinner|supper|lunch)\b", "daily"),
    (r"\bonce daily\b|\bdaily\b|\bonce a day\b|\bq\.?d\.?\b|\bevery day\b|\bq\s?am\b|\bq\s?pm\b|"
     r"\bqhs\b|\bat bedtime\b|\bevery (morning|evening|night)\b|\bin the (morning|evening)\b|"
     r"\bnightly\b|\b1 time (a|per) day\b", "daily"),
)
_FREQUENCIES = [(re.compile(p, re.I), code) for p, code in _FREQUENCY_PATTERNS]
_STRENGTH = re.compile(
    r"(?<![\w.])(\d+(?:[.,]\d+)?(?:\s*[-/]\s*\d+(?:[.,]\d+)?)*)\s*"
    r"(mg|mcg|µg|ug|g|ml|mL|units?|iu|meq|%)(?:\s*/\s*(?:\d+(?:\.\d+)?\s*)?(?:ml|mL|hr|h|actuation|dose|spray))?\b",
    re.I)
_WORD_NUMBERS = {"one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "half": 0.5, "½": 0.5}
_DOSE = re.compile(
    r"(?<![\w.])(\d+(?:\.\d+)?|one|two|three|four|half|½)\s*"
    r"(tabs?|tablets?|caps?|capsules?|puffs?|sprays?|drops?|patch(?:es)?|units?|pills?)\b", re.I)
_TO_MG = {"mg": 1.0, "mcg": 0.001, "µg": 0.001, "ug": 0.001, "g": 1000.0}


def parse_frequency(text: str) -> str:
    """The frequency code (models.sig.FREQUENCIES) written in ``text``, or ''."""
    for rx, code in _FREQUENCIES:
        if rx.search(text or ""):
            return code
    return ""


def parse_strength(text: str) -> tuple[str, str]:
    """(strength as written, e.g. "50 mg"; the text after it) or ("", "")."""
    m = _STRENGTH.search(text or "")
    if not m:
        return "", ""
    return f"{m.group(1).replace(' ', '')} {m.group(2).lower()}", text[m.end():].strip(" ,;")


def dose_amount(directions: str) -> float | None:
    """Units per dose from directions ("2 tabs", "one capsule", "half tablet"), or None."""
    m = _DOSE.search(directions or "")
    if not m:
        return None
    word = m.group(1).lower()
    return _WORD_NUMBERS.get(word) if word in _WORD_NUMBERS else float(word)


def normalise_strength(strength: str) -> str:
    """A comparable form: "50mg", "50 MG", "0.05 g" all give "50 mg"; else lowercase text."""
    s = (strength or "").strip().lower().replace(",", ".")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(mg|mcg|µg|ug|g)", s)
    if m:
        mg = float(m.group(1)) * _TO_MG[m.group(2)]
        return f"{mg:g} mg"
    return re.sub(r"\s+", "", s)


def item_from_text(text: str) -> ReconItem:
    """One typed line resolved through the drug dictionary, strength and frequency parsed."""
    from mmsdesk.clinical.dictionary import resolve

    line = " ".join((text or "").split())
    res = resolve(line)
    strength, rest = parse_strength(line)
    if not strength:
        rest = _directions_without_strength(line)
    return ReconItem(text=line, ingredients=sorted(res.ingredients),
                     strength=strength or res.strength, directions=rest,
                     frequency=parse_frequency(rest or line))


_DIRECTIONS_START = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?|one|two|half|½)\b|\b(take|apply|inhale|use|"
                               r"inject|place|insert|instill)\b", re.I)


def _directions_without_strength(line: str) -> str:
    """"Tylenol PM 2 at bedtime" -> "2 at bedtime": from the first number or verb."""
    m = _DIRECTIONS_START.search(line)
    if m:
        return line[m.start():].strip()
    for rx, _ in _FREQUENCIES:
        f = rx.search(line)
        if f:
            return line[f.start():].strip()
    return ""


def source_from_lines(lines: list[str], source: str, label: str) -> ReconSource:
    return ReconSource(source, label, [item_from_text(t) for t in lines if t and t.strip()])


ACTIVE_FHIR = ("active", "intended", "")


def source_from_fhir(path: Path | str, source: str, label: str) -> ReconSource:
    """Active MedicationStatement / MedicationRequest entries of a FHIR R4 bundle.

    Raises ValueError (a BundleError) whose message names the file when it cannot be read.
    """
    from mmsdesk.clinical.dictionary import resolve
    from mmsdesk.interop.fhir_bundle import parse_bundle

    bundle = parse_bundle(path)
    items: list[ReconItem] = []
    for med in bundle.medications:
        if med.status not in ACTIVE_FHIR or not med.text.strip():
            continue
        res = resolve(med.text, rxnorm=med.rxnorm_codes[0] if med.rxnorm_codes else None)
        strength, _ = parse_strength(med.text)
        items.append(ReconItem(text=" ".join(med.text.split()), ingredients=sorted(res.ingredients),
                               strength=strength or res.strength, directions=med.dosage_text,
                               frequency=parse_frequency(med.dosage_text)))
    return ReconSource(source, label, items)


def chart_source(store: Store, patient_id: int) -> ReconSource:
    """The chart's active medication list as a reconciliation source."""
    with store.session() as s:
        return chart_source_in(s, patient_id)


def chart_source_in(session: Any, patient_id: int) -> ReconSource:
    """:func:`chart_source` inside a caller's session."""
    from sqlalchemy import select

    from mmsdesk.models import MedicationEntry

    rows = session.execute(select(MedicationEntry)
                           .where(MedicationEntry.patient_id == patient_id,
                                  MedicationEntry.status == "active")
                           .order_by(MedicationEntry.id)).scalars().all()
    items = [ReconItem(text=m.name(), ingredients=sorted(m.ingredient_list),
                       strength=m.strength, directions=m.directions_text(),
                       frequency=m.frequency or parse_frequency(m.directions_text()),
                       medication_id=m.id)
             for m in rows]
    return ReconSource(CHART, CHART_LABEL, items)


# -- matching
def match_key(item: ReconItem) -> str:
    """Items with the same key are the same medicine: sorted ingredients, else the text."""
    if item.ingredients:
        return ";".join(sorted(i.strip().lower() for i in item.ingredients if i.strip()))
    return "text:" + " ".join(item.text.lower().split())


def _names(key: str) -> list[str]:
    return [] if key.startswith("text:") else key.split(";")


def _describe(item: ReconItem) -> str:
    parts = [item.text]
    if item.strength and _squash(item.strength) not in _squash(item.text):
        parts.append(item.strength)
    if item.directions and item.directions not in item.text:
        parts.append(item.directions)
    return " ".join(parts)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text.lower())


def _ingredients_of(item: ReconItem) -> set[str]:
    return set(_names(match_key(item)))


def find_discrepancies(chart: ReconSource, others: Sequence[ReconSource],
                       previous: Iterable[Discrepancy] = ()) -> list[Discrepancy]:
    earlier = {d.key: d for d in previous}
    collected = [o for o in others if o.items]
    found: dict[str, Discrepancy] = {}

    def add(d: Discrepancy) -> None:
        if d.key not in found:
            found[d.key] = d

    chart_by_key: dict[str, list[ReconItem]] = {}
    for item in chart.items:
        chart_by_key.setdefault(match_key(item), []).append(item)

    for src in (chart, *collected):
        _duplications_within(src, add)

    for key, chart_items in chart_by_key.items():
        for c in chart_items:
            matches = [(o, i) for o in collected for i in o.items if match_key(i) == key]
            if collected and not matches:
                add(Discrepancy(f"commission:{key}:{c.medication_id}", DiscrepancyKind.COMMISSION,
                                _names(key) or [c.text],
                                f"Chart: {_describe(c)}; not on "
                                + ", ".join(o.label for o in collected) + ".",
                                medication_id=c.medication_id))
            _compare(key, c, matches, add)

    seen_omissions: dict[str, list[tuple[ReconSource, ReconItem]]] = {}
    for o in collected:
        for i in o.items:
            k = match_key(i)
            if k not in chart_by_key:
                seen_omissions.setdefault(k, []).append((o, i))
    for k, where in seen_omissions.items():
        first = where[0][1]
        labels = ", ".join(dict.fromkeys(o.label for o, _ in where))
        add(Discrepancy(f"omission:{k}", DiscrepancyKind.OMISSION, _names(k) or [first.text],
                        f"{labels}: {_describe(first)}; not on the chart's list.",
                        source_item=first))
        overlap = [c for c in chart.items if _ingredients_of(c) & _ingredients_of(first)]
        for c in overlap:
            shared = sorted(_ingredients_of(c) & _ingredients_of(first))
            add(Discrepancy(f"duplication:{';'.join(shared)}:{c.medication_id}",
                            DiscrepancyKind.DUPLICATION, shared,
                            f"{', '.join(shared).capitalize()} twice: chart {_describe(c)}; "
                            f"{labels} {_describe(first)}.", medication_id=c.medication_id))

    out = sorted(found.values(), key=lambda d: (_ORDER[d.kind], d.ingredients, d.key))
    for d in out:
        d.kind = DiscrepancyKind(d.kind).value  # plain text, as it comes back from JSON
        before = earlier.get(d.key)
        if before is not None:
            d.decision, d.new_strength = before.decision, before.new_strength
            d.new_directions, d.note = before.new_directions, before.note
    return out


_ORDER = {DiscrepancyKind.OMISSION: 0, DiscrepancyKind.COMMISSION: 1, DiscrepancyKind.DOSE: 2,
          DiscrepancyKind.FREQUENCY: 3, DiscrepancyKind.DUPLICATION: 4}


def _duplications_within(src: ReconSource, add) -> None:  # noqa: ANN001
    items = src.items
    for a_i, a in enumerate(items):
        for b in items[a_i + 1:]:
            shared = sorted(_ingredients_of(a) & _ingredients_of(b))
            if not shared:
                if match_key(a) == match_key(b):  # the same unrecognised text twice
                    shared = [a.text]
                else:
                    continue
            mid = a.medication_id if src.source == CHART else None
            add(Discrepancy(f"duplication:{';'.join(shared)}:{src.source}:{mid}",
                            DiscrepancyKind.DUPLICATION, shared,
                            f"{src.label}: {', '.join(shared)} twice ({_describe(a)}; "
                            f"{_describe(b)}).", medication_id=mid))


def _compare(key: str, c: ReconItem, matches: list[tuple[ReconSource, ReconItem]],
             add) -> None:  # noqa: ANN001
    names = _names(key) or [c.text]
    dose_diff, freq_diff = [], []
    for o, i in matches:
        if i.strength and c.strength and normalise_strength(i.strength) != normalise_strength(
                c.strength):
            dose_diff.append((o, i))
        else:
            a, b = dose_amount(i.directions), dose_amount(c.directions)
            if a is not None and b is not None and a != b:
                dose_diff.append((o, i))
        if i.frequency and c.frequency and i.frequency != c.frequency:
            freq_diff.append((o, i))
    if dose_diff:
        o, i = dose_diff[0]
        detail = "; ".join(f"{src.label}: {_describe(it)}" for src, it in dose_diff)
        add(Discrepancy(f"dose:{key}:{c.medication_id}", DiscrepancyKind.DOSE, names,
                        f"{detail}; chart: {_describe(c)}.", medication_id=c.medication_id,
                        source_item=i, new_strength=i.strength or c.strength,
                        new_directions=i.directions))
    if freq_diff:
        o, i = freq_diff[0]
        detail = "; ".join(f"{src.label}: {it.directions or it.frequency}" for src, it in freq_diff)
        add(Discrepancy(f"frequency:{key}:{c.medication_id}", DiscrepancyKind.FREQUENCY, names,
                        f"{c.text}: {detail}; chart: {c.directions or c.frequency}.",
                        medication_id=c.medication_id, source_item=i,
                        new_directions=i.directions))
