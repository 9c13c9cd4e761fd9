"""The loaded dictionary: ingredient facts and the name, code and search indexes built from them."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from mmsdesk.clinical.dictionary.compiled import (
    COMPILED_NAME,
    KIND_ORDER,
    compile_dictionary,
    compiled_is_current,
    read_compiled,
)
from mmsdesk.clinical.dictionary.extension import EXTENSION_NAME, ExtensionIndex
from mmsdesk.clinical.dictionary.model import Component, Ingredient, NamedProduct
from mmsdesk.clinical.dictionary.strength import parse_known
from mmsdesk.clinical.dictionary.text import SALT_WORDS, name_key

KnownStrength = dict[str, Component]  # one amount per ingredient

log = logging.getLogger(__name__)


class DrugDictionary:
    """Ingredients by generic name; names, codes and search entries; the imported extension."""

    def __init__(self, meta: dict[str, str], ingredients: list[Ingredient],
                 names: list[tuple[str, NamedProduct]], extension_path: Path | None = None) -> None:
        self.version = meta.get("version", "")
        self.reviewed_on = meta.get("reviewed_on", "")
        self.sources: tuple[str, ...] = tuple(json.loads(meta.get("sources", "[]")))
        self.ingredients: dict[str, Ingredient] = {i.generic: i for i in ingredients}
        self.names: dict[str, NamedProduct] = {}
        self.products_by_key: dict[str, NamedProduct] = {}
        self.codes: dict[str, NamedProduct] = {}
        self.max_len: dict[str, int] = {}
        self.search_entries: list[tuple[str, NamedProduct]] = []
        for key, entry in names:
            self.search_entries.append((key, entry))
            if entry.rxnorm and (entry.kind in ("ingredient", "product")):
                self.codes.setdefault(entry.rxnorm, entry)
            if entry.kind == "product":
                if entry.rxnorm:
                    self.products_by_key.setdefault(key, entry)
                continue
            old = self.names.get(key)
            if old is None or KIND_ORDER[entry.kind] < KIND_ORDER[old.kind]:
                self.names[key] = entry
            first, _, _ = key.partition(" ")
            n = key.count(" ") + 1
            if n > self.max_len.get(first, 0):
                self.max_len[first] = n
        self._fuzzy_keys: list[str] | None = None
        self._by_set: dict[frozenset[str], tuple[KnownStrength, ...]] | None = None
        self._usual: dict[str, tuple[Component, ...]] = {}
        self.extension_path = extension_path
        self._extension: ExtensionIndex | None = None
        self._extension_stamp: tuple[int, int] | None = None
        self._lock = threading.Lock()

    # -- facts -------------------------------------------------------------------------------
    def ingredient(self, name: str) -> Ingredient | None:
        """The ingredient for a generic name, synonym or single-ingredient brand."""
        canonical = self.canonical(name)
        return self.ingredients.get(canonical) if canonical else None

    def canonical(self, name: str) -> str:
        """"Coumadin", "paracetamol", "Warfarin" -> the lowercase generic; "" if not a single one."""
        if name in self.ingredients:
            return name
        entry = self.names.get(name_key(name))
        if entry is not None and len(entry.ingredients) == 1:
            return entry.ingredients[0]
        return ""

    def with_atc(self, *prefixes: str) -> list[str]:
        """Generic names with an ATC code (main or other) under any prefix ("N06AB": SSRIs), sorted."""
        return sorted(g for g, i in self.ingredients.items()
                      if any(code.startswith(p) for code in i.atc_codes for p in prefixes))

    def lookup(self, key: str) -> NamedProduct | None:
        return self.names.get(key)

    def moiety(self, substance: str) -> str:
        """"SILDENAFIL CITRATE" -> "sildenafil"; an unknown substance keeps its name, salt removed."""
        key = name_key(substance)
        entry = self.names.get(key)
        if entry is not None and len(entry.ingredients) == 1:
            return entry.ingredients[0]
        words = key.split()
        while len(words) > 1 and words[-1] in SALT_WORDS and words[-2] not in SALT_WORDS:
            words.pop()
            entry = self.names.get(" ".join(words))
            if entry is not None and len(entry.ingredients) == 1:
                return entry.ingredients[0]
        return " ".join(words)

    @property
    def fuzzy_keys(self) -> list[str]:
        if self._fuzzy_keys is None:
            self._fuzzy_keys = [k for k, e in self.names.items() if len(k) >= 4]
        return self._fuzzy_keys

    # -- known strengths ---------------------------------------------------------------------------
    def known_for_entry(self, entry: NamedProduct) -> tuple[KnownStrength, ...]:
        """The strengths a named product is known in, each as ingredient -> amount."""
        return _known(entry)

    def known_for_set(self, ingredients: tuple[str, ...]) -> tuple[KnownStrength, ...]:
        """Every known strength of the named products that hold exactly these ingredients."""
        if self._by_set is None:
            by_set: dict[frozenset[str], list[KnownStrength]] = {}
            for _, entry in self.search_entries:
                if entry.strength and entry.kind in ("combination", "brand", "synonym"):
                    bucket = by_set.setdefault(frozenset(entry.ingredients), [])
                    bucket.extend(k for k in _known(entry) if k not in bucket)
            self._by_set = {k: tuple(v) for k, v in by_set.items()}
        return self._by_set.get(frozenset(ingredients), ())

    def known_for_ingredient(self, generic: str) -> tuple[Component, ...]:
        """The usual strengths of one ingredient (its row's strengths column)."""
        found = self._usual.get(generic)
        if found is None:
            ing = self.ingredients.get(generic)
            try:
                rows = parse_known(";".join(ing.strengths), 1) if ing is not None else ()
            except ValueError:
                rows = ()
            found = tuple(replace(r[0], ingredient=generic) for r in rows)
            self._usual[generic] = found
        return found

    # -- the imported extension (NDC / RxNorm files) ---------------------------------------------
    def extension(self) -> ExtensionIndex | None:
        """The imported products, reopened when an import has replaced the file."""
        path = self.extension_path
        if path is None:
            return None
        with self._lock:
            try:
                st = path.stat()
            except OSError:
                self._close_extension()
                return None
            stamp = (st.st_mtime_ns, st.st_ino)
            if self._extension is None or stamp != self._extension_stamp:
                self._close_extension()
                self._extension = ExtensionIndex.open(path)
                self._extension_stamp = stamp
            return self._extension

    def _close_extension(self) -> None:
        if self._extension is not None:
            self._extension.close()
        self._extension = None
        self._extension_stamp = None

    def close(self) -> None:
        with self._lock:
            self._close_extension()


def load_dictionary(source_folder: Path, cache_folder: Path,
                    extension_path: Path | None = None) -> DrugDictionary:
    """Compile if needed (or if a source changed), then read the compiled file."""
    compiled = cache_folder / COMPILED_NAME
    if not compiled_is_current(compiled, source_folder):
        try:
            compile_dictionary(source_folder, compiled)
        except OSError as exc:  # read-only cache: build in a private temporary folder
            log.warning("drug dictionary cache not writable (%s)", type(exc).__name__)
            import tempfile

            compiled = Path(tempfile.mkdtemp(prefix="mmsdesk-dict-")) / COMPILED_NAME
            compile_dictionary(source_folder, compiled)
    meta, ingredients, names = read_compiled(compiled)
    return DrugDictionary(meta, ingredients, names, extension_path)


@lru_cache(maxsize=2048)
def _known(entry: NamedProduct) -> tuple[KnownStrength, ...]:
    try:
        rows = parse_known(entry.strength, len(entry.ingredients))
    except ValueError:
        return ()  # an imported product's strength that does not read as one amount each
    return tuple({i: replace(c, ingredient=i) for i, c in zip(entry.ingredients, row, strict=True)}
                 for row in rows)


_current: DrugDictionary | None = None
_current_lock = threading.Lock()


def default_locations() -> tuple[Path, Path, Path]:
    from mmsdesk import paths

    return (paths.knowledge_dir() / "drugs", paths.cache_dir(),
            paths.knowledge_user_dir() / EXTENSION_NAME)


def get_dictionary() -> DrugDictionary:
    """The process-wide dictionary, loaded on first use (compiled file in the cache folder)."""
    global _current
    with _current_lock:
        if _current is None:
            _current = load_dictionary(*default_locations())
        return _current


def reset_dictionary() -> None:
    """Forget the loaded dictionary (tests; after the data folder changes)."""
    global _current
    with _current_lock:
        if _current is not None:
            _current.close()
        _current = None
