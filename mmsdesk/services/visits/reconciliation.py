"""Medication reconciliation: lists of a kind, compared with the chart by ingredient.

A list (:class:`~mmsdesk.services.visits.draft.ReconSource`) has a kind and a date. A
discharge list or a prescriber's list says what the patient **should** take; the bottles, the
patient's own list and a pharmacy's fill history say what the patient **does** take.
:func:`find_discrepancies` compares them with the chart:

* with a list of what she should take:
  - a chart medicine left off it is **not on the list** (stop, keep, ask the prescriber);
  - a medicine on it that the chart lacks is an **omission** (add, leave off, ask);
  - the same medicine at another strength, dose or frequency is a **dose** or **frequency**
    discrepancy (change to the list's, keep, ask);
  - a bottle of a medicine on neither the chart nor that list, or of another strength than the
    one she should take, is **still at home** (leave off and set it aside, add, ask).
* with lists of what she takes only: a chart medicine on none of them is a **commission**; a
  medicine on one and not on the chart an **omission**; differences are **dose** or
  **frequency** discrepancies.
* one ingredient twice in one list is a **duplication**, and so is an omission that shares an
  ingredient with a chart medicine.
* a scanned package past the expiry date in its barcode is **expired** (set it aside or keep
  using it for now; the list is unchanged either way).

Medicines match by their set of generic ingredients (an unrecognised one by its text), and
strengths compare per ingredient on the components the drug dictionary read, so "carbidopa-
levodopa 25-100 mg" is "Carbidopa 25 mg / levodopa 100 mg" and 0.088 mg is 88 mcg. Each
discrepancy has a stable ``key`` (kind, ingredients, chart entry), so a decision taken earlier
carries over when a list is added or edited.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.dictionary.naming import strength_text
from mmsdesk.services.visits.draft import (
    Discrepancy,
    DiscrepancyKind,
    ReconDecision,
    ReconItem,
    ReconSource,
)
from mmsdesk.store import Store

CHART = "chart"
CHART_LABEL = "Medication list in the chart"
LIST_KIND_LABELS = {
    "discharge_list": "Discharge list",
    "prescriber_record": "Prescriber's list",
    "pharmacy_record": "Pharmacy fill history",
    "bottle": "Patient's bottles",
    "patient": "Patient's own list",
    "import": "Other list",
}

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
_WORD_NUMBERS = {"one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "half": 0.5, "½": 0.5}
# A dose count, not a strength: "2 tabs", "one capsule", "half tablet".
_DOSE = re.compile(
    r"(?<![\w.,])(\d+(?:\.\d+)?|one|two|three|four|half|½)\s*"
    r"(tabs?|tablets?|caps?|capsules?|puffs?|sprays?|drops?|patch(?:es)?|units?|pills?)\b", re.I)
_VERB = re.compile(r"\b(take|apply|inhale|use|inject|place|insert|instill|chew|dissolve)\b", re.I)
_AS_NEEDED = re.compile(r"\b(as needed|prn)\b", re.I)
_NUMBER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?|one|two|half|½)\b", re.I)


def parse_frequency(text: str) -> str:
    """The frequency code (clinical.sig.FREQUENCIES) written in ``text``, or ''."""
    for rx, code in _FREQUENCIES:
        if rx.search(text or ""):
            return code
    return ""


def dose_amount(directions: str) -> float | None:
    """Units per dose from directions ("2 tabs", "one capsule", "half tablet"), or None."""
    m = _DOSE.search(directions or "")
    if not m:
        return None
    word = m.group(1).lower()
    return _WORD_NUMBERS.get(word) if word in _WORD_NUMBERS else float(word)


def _directions_of(line: str, has_strength: bool) -> str:
    """The directions part of a typed line: from the dose count, the verb or the frequency,
    whichever comes first ("metoprolol 50 mg 1 tab twice daily" -> "1 tab twice daily"). When
    no strength was read, a bare number starts them ("Tylenol PM 2 at bedtime")."""
    starts = [m.start() for m in (_DOSE.search(line), _VERB.search(line), _AS_NEEDED.search(line))
              if m]
    starts += [m.start() for rx, _ in _FREQUENCIES for m in [rx.search(line)] if m]
    start = min(starts, default=len(line))
    if not has_strength:
        number = _NUMBER.search(line)
        if number and number.start() < start:
            start = number.start()
    return line[start:].strip(" ,;")


# A scanned package at the end of a typed line: "| NDC 0002-1407-01, lot AB12, expired 2025-03-31"
PACKAGE_TAIL = re.compile(r"\s*\|\s*NDC\s+(?P<ndc>\d[\d-]{8,12})(?P<rest>[^|]*)$", re.I)
_LOT = re.compile(r"\blot\s+([^,\s]+)", re.I)
_EXPIRY = re.compile(r"\b(expired|expires)\s+(\d{4}-\d{2}-\d{2})\b", re.I)
UNKNOWN_PACKAGE = "Not in the drug dictionary"


def scanned_line(package: Any, today: date) -> tuple[str, int]:
    """The line a scanned package (barcodes.ScannedPackage) adds to a typed list, and where
    its directions are typed: "Quinidine 80 mg/mL solution  | NDC 0002-1407-01, expired …"."""
    code = package.code
    tail = [f"NDC {package.shown_ndc}"]
    if code.lot:
        tail.append(f"lot {code.lot}")
    if code.expiry is not None:
        tail.append(f"{'expired' if code.expired(today) else 'expires'} {code.expiry.isoformat()}")
    med = package.medication
    main = (med.product or " ".join((*med.ingredients, med.strength))) if med else UNKNOWN_PACKAGE
    return f"{main}  | {', '.join(tail)}", len(main) + 1


def scan_to_line(text: str, today: date) -> tuple[str, int]:
    """What a barcode scanner typed -> (the list line, where its directions go);
    ValueError in plain words when it is no package code or does not read."""
    from mmsdesk.clinical.dictionary import get_dictionary
    from mmsdesk.clinical.dictionary.barcodes import read_code, resolve_package

    code = read_code(text)  # CodeError is a ValueError
    if code is None:
        raise ValueError(f"“{text.strip()[:40]}” is not a package barcode or an NDC")
    return scanned_line(resolve_package(get_dictionary(), code), today)


def _package(line: str) -> tuple[str, dict[str, Any], Any]:
    """(the line without its package tail, the package's fields, its product or None)."""
    m = PACKAGE_TAIL.search(line)
    if not m:
        return line, {}, None
    from mmsdesk.clinical.dictionary import get_dictionary
    from mmsdesk.clinical.dictionary.barcodes import CodeError, read_code, resolve_package

    rest = m.group("rest")
    lot, expiry = _LOT.search(rest), _EXPIRY.search(rest)
    fields: dict[str, Any] = {"ndc": m.group("ndc"), "lot": lot.group(1) if lot else ""}
    if expiry:
        fields["expires"] = date.fromisoformat(expiry.group(2))
        fields["expired"] = expiry.group(1).lower() == "expired"
    try:
        code = read_code(m.group("ndc"))
    except (CodeError, ValueError):
        code = None
    found = resolve_package(get_dictionary(), code) if code is not None else None
    med = found.medication if found is not None else None
    return line[:m.start()].strip(), fields, med


# A line read from a label's photo: "… | label photo 3f2a9c1b7e04d5a6: Rx 8109301, filled …"
LABEL_TAIL = re.compile(r"\s*\|\s*label photo\s+(?P<key>[0-9a-f]{8,32})\b[^|]*$", re.I)
LABEL_DETAILS = (("rx_number", "Rx {}"), ("filled_on", "filled {}"), ("quantity", "qty {}"),
                 ("prescriber", "prescriber {}"), ("pharmacy", "{}"))


def label_line(fields: dict[str, str], key: str) -> str:
    """The list line for a label's confirmed fields: the drug (with its strength), the
    directions, then the photo's key and the label's other fields after a "|"."""
    main = " ".join(v for v in (fields.get("drug", ""), fields.get("directions", "")) if v)
    strength = fields.get("strength", "")
    if strength and strength.lower() not in main.lower():
        main = " ".join(v for v in (fields.get("drug", ""), strength,
                                    fields.get("directions", "")) if v)
    details = [pattern.format(fields[k]) for k, pattern in LABEL_DETAILS if fields.get(k)]
    return f"{main or 'Label'}  | label photo {key}" + (f": {', '.join(details)}"
                                                         if details else "")


def item_from_text(text: str) -> ReconItem:
    """One typed line read by the drug dictionary (its components), with its directions; a
    scanned package's line is the product its NDC names (the text before it is directions);
    a line read from a label's photo keeps the photo's key."""
    from mmsdesk.clinical.dictionary import resolve

    line = " ".join((text or "").split())
    photo = LABEL_TAIL.search(line)
    if photo:
        item = item_from_text(line[:photo.start()])
        item.text, item.photo = line, photo.group("key").lower()
        return item
    main, package, med = _package(line)
    res = med if med is not None else resolve(main)
    has_strength = any(c.amount is not None for c in res.components) and res.recognised
    if med is not None:
        shown = med.product or ""
        rest = main[len(shown):].strip(" ,;") if main.lower().startswith(shown.lower()) \
            else _directions_of(main, has_strength)
    else:
        rest = _directions_of(main, has_strength) if main != UNKNOWN_PACKAGE else ""
    return ReconItem(text=line, ingredients=list(res.ingredients) if res.recognised else [],
                     directions=rest, frequency=parse_frequency(rest or main),
                     components=list(res.components) if res.recognised else [],
                     form=res.form, brand=res.brand, **package)


def source_from_lines(lines: list[str], source: str, label: str,
                      listed_on: Any = None) -> ReconSource:
    return ReconSource(source, label, [item_from_text(t) for t in lines if t and t.strip()],
                       listed_on)


ACTIVE_FHIR = ("active", "intended", "")


def source_from_fhir(path: Path | str, source: str, label: str,
                     listed_on: Any = None) -> ReconSource:
    """Active MedicationStatement / MedicationRequest entries of a FHIR R4 bundle, with the
    ingredients and strengths of their Medication resources when the bundle has them.

    Raises ValueError (a BundleError) whose message names the file when it cannot be read.
    """
    from mmsdesk.interop.fhir_bundle import parse_bundle

    bundle = parse_bundle(path)
    return ReconSource(source, label, _items_of(bundle.medications), listed_on)


def _items_of(medications: Iterable[Any]) -> list[ReconItem]:
    """ReconItems of parsed medications (FHIR or C-CDA) that are active, read by the drug
    dictionary (the source's RxNorm code first)."""
    from mmsdesk.clinical.dictionary import resolve

    items: list[ReconItem] = []
    for med in medications:
        if med.status not in ACTIVE_FHIR or not med.text.strip():
            continue
        res = resolve(med.text, rxnorm=med.rxnorm_codes[0] if med.rxnorm_codes else None)
        components = list(res.components) if res.recognised else []
        names = [resolve(i.text).ingredients for i in med.ingredients]
        if med.ingredients and all(len(n) == 1 for n in names):
            components = [Component(n[0], i.amount, i.unit, i.per_amount, i.per_unit)
                          for n, i in zip(names, med.ingredients, strict=True)]
        items.append(ReconItem(text=" ".join(med.text.split()),
                               ingredients=[c.ingredient for c in components],
                               directions=med.dosage_text,
                               frequency=parse_frequency(med.dosage_text),
                               components=components, form=med.form or res.form,
                               brand=res.brand))
    return items


def source_from_file(path: Path | str, source: str | None = None, label: str = "",
                     listed_on: Any = None) -> ReconSource:
    """A list from a file, whatever it holds (told from its content): a FHIR bundle, a C-CDA
    document, or one medicine a line. A C-CDA gives its discharge list when it has one (else
    its current medications), dated by the document unless ``listed_on`` is given, and labelled
    with the document's author and organisation. Without ``source``, a C-CDA's discharge list
    is a "discharge list" and anything else an "other list".

    Raises ValueError (a BundleError) naming the file when it cannot be read."""
    from mmsdesk.interop.formats import TEXT, detect_format, read_record

    p = Path(path)
    kind = detect_format(p)
    record = read_record(p) if kind != TEXT else None
    doc = record.document if record is not None else None
    if source is None:
        source = "discharge_list" if doc is not None and doc.lists("discharge") else "import"
    given = label
    label = label or f"{LIST_KIND_LABELS.get(source, 'List')} ({p.name})"
    if record is None:
        try:
            text = p.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"{p.name}: cannot be read as text ({exc})") from None
        return source_from_lines(text.splitlines(), source, label, listed_on)
    if doc is None:
        return ReconSource(source, label, _items_of(record.bundle.medications), listed_on)
    who = ", ".join(x for x in (doc.author, doc.organisation) if x)
    if who:  # "Discharge list: Dr Seven, Community Hospital" (a given label keeps its words)
        label = f"{given}: {who}" if given else f"{LIST_KIND_LABELS.get(source, 'List')}: {who}"
    return ReconSource(source, label, _items_of(m for lst in doc.screened_lists()
                                                for m in lst.medications),
                       listed_on or doc.date)


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
    items = [ReconItem(text=m.name(), ingredients=list(m.ingredient_list),
                       directions=m.directions_text(),
                       frequency=m.frequency or parse_frequency(m.directions_text()),
                       medication_id=m.id, components=list(m.component_values()),
                       form=m.dose_form if not m.release else f"{m.release} release {m.dose_form}",
                       brand=m.brand)
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


def _ingredients_of(item: ReconItem) -> set[str]:
    return set(_names(match_key(item)))


def _describe(item: ReconItem) -> str:
    parts = [item.name]
    if item.directions and item.directions not in item.text:
        parts.append(item.directions)
    elif item.directions and item.name != item.text:
        parts.append(item.directions)
    return " ".join(parts)


def strength_differs(a: ReconItem, b: ReconItem) -> bool:
    """Both strengths known and, ingredient by ingredient, not the same (mg and mcg on one
    scale, each ingredient compared with its own: the order written does not matter)."""
    ca = {c.ingredient: c for c in a.components}
    cb = {c.ingredient: c for c in b.components}
    if set(ca) != set(cb) or not ca:
        return False
    if any(c.amount is None for c in (*ca.values(), *cb.values())):
        return False
    return any(not ca[k].same_strength(cb[k]) for k in ca)


def _dose_differs(a: ReconItem, b: ReconItem) -> bool:
    x, y = dose_amount(a.directions), dose_amount(b.directions)
    return x is not None and y is not None and x != y


def _frequency_differs(a: ReconItem, b: ReconItem) -> bool:
    return bool(a.frequency and b.frequency and a.frequency != b.frequency)


Add = Callable[[Discrepancy], None]


def find_discrepancies(chart: ReconSource, others: Sequence[ReconSource],
                       previous: Iterable[Discrepancy] = ()) -> list[Discrepancy]:
    """Every discrepancy between the chart and the lists, decisions carried over by key."""
    earlier = {d.key: d for d in previous}
    collected = [o for o in others if o.items]
    should = [o for o in collected if o.should]
    does = [o for o in collected if not o.should]
    found: dict[str, Discrepancy] = {}

    def add(d: Discrepancy) -> None:
        if d.key not in found:
            found[d.key] = d

    chart_by_key: dict[str, list[ReconItem]] = {}
    for item in chart.items:
        chart_by_key.setdefault(match_key(item), []).append(item)
    for src in (chart, *collected):
        _duplications_within(src, add)
    for src in collected:
        _expired_within(src, add)
    if should:
        _against_should_lists(chart_by_key, should, does, add)
    else:
        _against_does_lists(chart_by_key, does, add)
    _omissions(chart, chart_by_key, should or does, add)

    out = sorted(found.values(), key=lambda d: (_ORDER[d.kind], d.ingredients, d.key))
    for d in out:
        d.kind = DiscrepancyKind(d.kind).value  # plain text, as it comes back from JSON
        before = earlier.get(d.key)
        if before is not None:
            _carry_over(before, d)
    return out


def _carry_over(before: Discrepancy, d: Discrepancy) -> None:
    decision = before.decision
    if decision == ReconDecision.KEEP and d.kind == DiscrepancyKind.OMISSION:
        decision = ReconDecision.ADD  # drafts of earlier versions: "keep" added the medicine
    if decision in {c for c, _ in decision_choices(d)}:
        d.decision = decision
    for name in ("new_strength", "new_directions", "note", "indication", "prescriber_id",
                 "details_unknown", "patient_reason"):
        value = getattr(before, name)
        if value not in ("", None, False):
            setattr(d, name, value)


_ORDER = {DiscrepancyKind.OMISSION: 0, DiscrepancyKind.NOT_ON_LIST: 1,
          DiscrepancyKind.COMMISSION: 2, DiscrepancyKind.DOSE: 3, DiscrepancyKind.FREQUENCY: 4,
          DiscrepancyKind.STILL_AT_HOME: 5, DiscrepancyKind.DUPLICATION: 6,
          DiscrepancyKind.EXPIRED: 7}


def _labels(sources: Iterable[ReconSource]) -> str:
    return ", ".join(dict.fromkeys(s.label for s in sources))


def _matches(key: str, lists: Sequence[ReconSource]) -> list[tuple[ReconSource, ReconItem]]:
    return [(o, i) for o in lists for i in o.items if match_key(i) == key]


def _against_should_lists(chart_by_key: dict[str, list[ReconItem]],
                          should: list[ReconSource], does: list[ReconSource], add: Add) -> None:
    for key, chart_items in chart_by_key.items():
        for c in chart_items:
            on = _matches(key, should)
            missing = [o for o in should if not any(src is o for src, _ in on)]
            at_home = _labels(src for src, _ in _matches(key, does))
            if missing:
                first = missing[0]
                add(Discrepancy(
                    f"not_on_list:{key}:{c.medication_id}", DiscrepancyKind.NOT_ON_LIST,
                    _names(key) or [c.text],
                    f"Chart: {_describe(c)}; not on {_labels(missing)}"
                    + (f" (still in: {at_home})" if at_home else "") + ".",
                    medication_id=c.medication_id, source=first.source,
                    listed_on=first.listed_on))
            _compare(key, c, on, add)
    # what the patient does take, against what she should take
    targets: dict[str, ReconItem] = {}
    for o in should:
        for i in o.items:
            targets.setdefault(match_key(i), i)
    for o in does:
        for i in o.items:
            key = match_key(i)
            target = targets.get(key)
            if target is None and key not in chart_by_key:
                add(Discrepancy(f"still_at_home:{key}:{o.source}", DiscrepancyKind.STILL_AT_HOME,
                                _names(key) or [i.text],
                                f"{o.label}: {_describe(i)}; on neither the chart nor "
                                f"{_labels(should)}.", source_item=i, source=o.source,
                                listed_on=o.listed_on))
            elif target is not None and strength_differs(i, target):
                chart_item = chart_by_key.get(key, [None])[0]
                add(Discrepancy(f"still_at_home:{key}:{o.source}:strength",
                                DiscrepancyKind.STILL_AT_HOME, _names(key) or [i.text],
                                f"{o.label}: {_describe(i)}; the strength to take is "
                                f"{target.strength}.", source_item=i, source=o.source,
                                listed_on=o.listed_on,
                                medication_id=chart_item.medication_id if chart_item else None))
            # a bottle of a chart medicine left off the list: its "not on the list" says so


def _against_does_lists(chart_by_key: dict[str, list[ReconItem]], does: list[ReconSource],
                        add: Add) -> None:
    for key, chart_items in chart_by_key.items():
        for c in chart_items:
            matches = _matches(key, does)
            if does and not matches:
                add(Discrepancy(f"commission:{key}:{c.medication_id}", DiscrepancyKind.COMMISSION,
                                _names(key) or [c.text],
                                f"Chart: {_describe(c)}; not on {_labels(does)}.",
                                medication_id=c.medication_id, source=does[0].source,
                                listed_on=does[0].listed_on))
            _compare(key, c, matches, add)


def _omissions(chart: ReconSource, chart_by_key: dict[str, list[ReconItem]],
               lists: list[ReconSource], add: Add) -> None:
    seen: dict[str, list[tuple[ReconSource, ReconItem]]] = {}
    for o in lists:
        for i in o.items:
            k = match_key(i)
            if k not in chart_by_key:
                seen.setdefault(k, []).append((o, i))
    for k, where in seen.items():
        src, first = where[0]
        labels = _labels(o for o, _ in where)
        add(Discrepancy(f"omission:{k}", DiscrepancyKind.OMISSION, _names(k) or [first.text],
                        f"{labels}: {_describe(first)}; not on the chart's list.",
                        source_item=first, source=src.source, listed_on=src.listed_on,
                        new_strength=first.strength, new_directions=first.directions))
        for c in (c for c in chart.items if _ingredients_of(c) & _ingredients_of(first)):
            shared = sorted(_ingredients_of(c) & _ingredients_of(first))
            add(Discrepancy(f"duplication:{';'.join(shared)}:{c.medication_id}",
                            DiscrepancyKind.DUPLICATION, shared,
                            f"{', '.join(shared).capitalize()} twice: chart {_describe(c)}; "
                            f"{labels} {_describe(first)}.", medication_id=c.medication_id,
                            source=src.source, listed_on=src.listed_on))


def _expired_within(src: ReconSource, add: Add) -> None:
    for i in src.items:
        if i.expired:
            key = match_key(i)
            when = f" on {i.expires.month}/{i.expires.day}/{i.expires.year}" if i.expires else ""
            add(Discrepancy(f"expired:{key}:{src.source}:{i.ndc}", DiscrepancyKind.EXPIRED,
                            _names(key) or [i.text],
                            f"{src.label}: {_describe(i)}; the package (NDC {i.ndc}) expired"
                            f"{when}.", source_item=i, source=src.source,
                            listed_on=src.listed_on))


def _duplications_within(src: ReconSource, add: Add) -> None:
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
                            f"{_describe(b)}).", medication_id=mid, source=src.source,
                            listed_on=src.listed_on))


def _compare(key: str, c: ReconItem, matches: list[tuple[ReconSource, ReconItem]],
             add: Add) -> None:
    names = _names(key) or [c.text]
    dose_diff = [(o, i) for o, i in matches if strength_differs(i, c) or _dose_differs(i, c)]
    freq_diff = [(o, i) for o, i in matches if _frequency_differs(i, c)]
    if dose_diff:
        o, i = dose_diff[0]
        detail = "; ".join(f"{src.label}: {_describe(it)}" for src, it in dose_diff)
        # the list's directions only when they differ too: the chart's plain words stay
        how = i.directions if _dose_differs(i, c) or _frequency_differs(i, c) else ""
        add(Discrepancy(f"dose:{key}:{c.medication_id}", DiscrepancyKind.DOSE, names,
                        f"{detail}; chart: {_describe(c)}.", medication_id=c.medication_id,
                        source_item=i, new_strength=i.strength or c.strength,
                        new_directions=how, source=o.source, listed_on=o.listed_on))
    if freq_diff:
        o, i = freq_diff[0]
        detail = "; ".join(f"{src.label}: {it.directions or it.frequency}" for src, it in freq_diff)
        add(Discrepancy(f"frequency:{key}:{c.medication_id}", DiscrepancyKind.FREQUENCY, names,
                        f"{c.name}: {detail}; chart: {c.directions or c.frequency}.",
                        medication_id=c.medication_id, source_item=i,
                        new_directions=i.directions, source=o.source, listed_on=o.listed_on))


# -- decisions, phrased as what they do to the list
KIND_LABELS = {DiscrepancyKind.OMISSION: "Not on the chart",
               DiscrepancyKind.NOT_ON_LIST: "Not on the {list}",
               DiscrepancyKind.COMMISSION: "Only on the chart (not taken?)",
               DiscrepancyKind.DOSE: "Different dose",
               DiscrepancyKind.FREQUENCY: "Different frequency",
               DiscrepancyKind.STILL_AT_HOME: "Still at home",
               DiscrepancyKind.DUPLICATION: "Duplication",
               DiscrepancyKind.EXPIRED: "Expired package"}


def kind_label(d: Discrepancy) -> str:
    """"Not on the discharge list", "Still at home", "Different dose"..."""
    text = KIND_LABELS.get(DiscrepancyKind(d.kind), d.kind) if d.kind in set(
        DiscrepancyKind) else d.kind
    return text.format(list=LIST_KIND_LABELS.get(d.source, "list").lower())

def decision_choices(d: Discrepancy) -> list[tuple[str, str]]:
    """The decisions a discrepancy allows, each worded as its result on the list."""
    ask = (ReconDecision.ASK_PRESCRIBER.value, "Ask the prescriber")
    kind = d.kind
    if kind == DiscrepancyKind.OMISSION:
        name = d.source_item.name if d.source_item else ", ".join(d.ingredients)
        return [(ReconDecision.ADD.value, f"Add to the list: {name}"),
                (ReconDecision.LEAVE_OFF.value, "Leave off the list"), ask]
    if kind in (DiscrepancyKind.NOT_ON_LIST, DiscrepancyKind.COMMISSION,
                DiscrepancyKind.DUPLICATION):
        return [(ReconDecision.STOP.value, "Stop: remove from the list"),
                (ReconDecision.KEEP.value, "Keep on the list"), ask]
    if kind in (DiscrepancyKind.DOSE, DiscrepancyKind.FREQUENCY):
        new = " ".join(x for x in (d.new_strength.strip(), d.new_directions.strip()) if x)
        what = "dose" if kind == DiscrepancyKind.DOSE else "directions"
        return [(ReconDecision.CHANGE.value, f"Change to {new}" if new else "Change"),
                (ReconDecision.KEEP.value, f"Keep the chart's {what}"), ask]
    if kind == DiscrepancyKind.EXPIRED:  # the list is unchanged either way
        return [(ReconDecision.LEAVE_OFF.value, "Set the expired package aside (dispose of it)"),
                (ReconDecision.KEEP.value, "Keep using it until a new supply comes")]
    if kind == DiscrepancyKind.STILL_AT_HOME:
        if d.key.endswith(":strength"):  # a bottle of an old strength
            return [(ReconDecision.LEAVE_OFF.value, "Set the old bottle aside (the list keeps "
                                                    "the strength to take)"), ask]
        return [(ReconDecision.LEAVE_OFF.value, "Leave off the list: set the bottle aside"),
                (ReconDecision.ADD.value, "Add to the list"), ask]
    return [ask]


def stop_reason(d: Discrepancy, on: Any) -> str:
    """Why a medicine was stopped, in the patient's words: what the PML prints."""
    if d.patient_reason.strip():
        return d.patient_reason.strip()
    day = (d.listed_on or on)
    when = f"{day.month}/{day.day}" if day else ""
    if d.kind == DiscrepancyKind.NOT_ON_LIST:
        who = "the hospital" if d.source == "discharge_list" else "the prescriber"
        return f"Stopped by {who}, {when}".strip(", ")
    if d.kind == DiscrepancyKind.DUPLICATION:
        return "The same medicine twice; this one stopped"
    if d.kind == DiscrepancyKind.COMMISSION:
        return f"No longer taken, {when}".strip(", ")
    return f"Stopped, {when}".strip(", ")


def proposed_item(d: Discrepancy) -> ReconItem | None:
    """What a change or an addition would put on the list: the list's medicine, at the strength
    and directions the pharmacist confirmed."""
    from mmsdesk.clinical.dictionary import parse_components

    base = d.source_item
    if base is None:
        return None
    components = list(base.components)
    if d.new_strength.strip() and base.ingredients:
        read, _ = parse_components(d.new_strength, base.ingredients, product=base.brand)
        if all(c.amount is not None for c in read):
            components = list(read)
    directions = d.new_directions.strip() or base.directions
    return ReconItem(text=base.text, ingredients=list(base.ingredients), directions=directions,
                     frequency=parse_frequency(directions) or base.frequency,
                     components=components, form=base.form, brand=base.brand)


def strength_reads(d: Discrepancy) -> bool:
    """A typed new strength reads for the medicine's ingredients (or none was typed)."""
    from mmsdesk.clinical.dictionary import parse_components

    if not d.new_strength.strip() or d.source_item is None or not d.source_item.ingredients:
        return True
    read, _ = parse_components(d.new_strength, d.source_item.ingredients,
                               product=d.source_item.brand)
    return bool(read) and all(c.amount is not None for c in read)


def strength_of(components: Sequence[Component]) -> str:
    return strength_text(tuple(components))
