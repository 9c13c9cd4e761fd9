"""Reading the names in a medication text: which ingredients, brands and combinations it names,
where each name stands (so that a number after "Acetaminophen 325 MG / Hydrocodone 5 MG" is
given to the right ingredient), and the words nobody claimed.

Names are read longest first (generic, synonym, brand, combination), salts after a name are
skipped ("warfarin sodium"), and words left over may be read as the nearest name when the
spelling is close enough (marked approximate by the resolver).
"""

from __future__ import annotations

from mmsdesk.clinical.dictionary.dictionary import DrugDictionary
from mmsdesk.clinical.dictionary.model import NamedProduct
from mmsdesk.clinical.dictionary.strength import Tokens
from mmsdesk.clinical.dictionary.text import SALT_WORDS, is_noise

FUZZY_CUTOFF = 85.0
FUZZY_MIN_LENGTH = 4


class Reading:
    """Names found in one piece of text, where they stand, and the words nobody claimed."""

    def __init__(self, tokens: Tokens | None = None) -> None:
        self.tokens = tokens
        self.found: list[NamedProduct] = []
        self.spans: list[tuple[int, int]] = []  # token range of each found name (salts included)
        self.unknown: list[str] = []
        self.unknown_at: list[int] = []  # token index of each unknown word
        self.approximate: list[tuple[str, str, float]] = []  # (typed, read as, score)

    def add(self, entry: NamedProduct, span: tuple[int, int] = (-1, -1)) -> None:
        self.found.append(entry)
        self.spans.append(span)

    @property
    def ingredients(self) -> tuple[str, ...]:
        out: list[str] = []
        for entry in self.found:
            for ing in entry.ingredients:
                if ing not in out:
                    out.append(ing)
        return tuple(out)

    @property
    def brand_entry(self) -> NamedProduct | None:
        return next((e for e in self.found if e.kind in ("brand", "combination")), None)

    def claimed(self) -> set[int]:
        """Token indexes that belong to a name: never numbers of a strength."""
        out: set[int] = set()
        for start, end in self.spans:
            out.update(range(start, end))
        return out

    def forget_unknown(self, words: set[str]) -> None:
        keep = [(w, at) for w, at in zip(self.unknown, self.unknown_at, strict=True)
                if w not in words]
        self.unknown = [w for w, _ in keep]
        self.unknown_at = [at for _, at in keep]


def read_names(d: DrugDictionary, tokens: Tokens) -> Reading:
    words, breaks, where = tokens.words()
    reading = Reading(tokens)
    n = len(words)
    i = 0
    while i < n:
        w = words[i]
        longest = d.max_len.get(w, 0)
        matched = 0
        entry = None
        for k in range(min(longest, n - i), 0, -1):
            entry = d.names.get(w if k == 1 else " ".join(words[i:i + k]))
            if entry is not None:
                matched = k
                break
        if entry is not None:
            start = i
            i += matched
            while i < n and words[i] in SALT_WORDS and not breaks[i]:
                i += 1  # "metoprolol succinate", "penicillin v potassium"
            reading.add(entry, (where[start], where[i - 1] + 1))
            continue
        if not is_noise(w) and w not in SALT_WORDS and len(w) > 1:
            reading.unknown.append(w)
            reading.unknown_at.append(where[i])
        i += 1
    return reading


def read_fuzzy(d: DrugDictionary, reading: Reading) -> None:
    """Read unclaimed words as the nearest name when the spelling is close enough."""
    candidates = [w for w in reading.unknown if len(w) >= FUZZY_MIN_LENGTH and w.isalpha()]
    if not candidates:
        return
    from rapidfuzz import fuzz, process

    unknown, at = reading.unknown, reading.unknown_at
    pairs = [(f"{a} {b}", (at[k], at[k + 1] + 1)) for k, (a, b)
             in enumerate(zip(unknown, unknown[1:], strict=False))]
    singles = [(w, (at[k], at[k] + 1)) for k, w in enumerate(unknown) if w in candidates]
    claimed: set[str] = set()
    for query, span in pairs + singles:
        parts = query.split()
        if any(p in claimed for p in parts):
            continue
        best = process.extractOne(query, d.fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            continue
        key, score, _ = best
        reading.add(d.names[key], span)
        reading.approximate.append((query, key, float(score)))
        claimed.update(parts)
    reading.forget_unknown(claimed)


def span_of(tokens: Tokens, key: str) -> tuple[int, int]:
    """Where the words of ``key`` ("klor con") first stand in the text, or (-1, -1)."""
    words, _, where = tokens.words()
    parts = key.split()
    for i in range(len(words) - len(parts) + 1):
        if words[i:i + len(parts)] == parts:
            return where[i], where[i + len(parts) - 1] + 1
    return -1, -1
