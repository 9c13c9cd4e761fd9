"""A small conformance checker that reads real StructureDefinitions (their snapshots) and holds a
resource to them: every element with a minimum cardinality of 1 or more is present where its
parent is, slices are found by their discriminators and counted, fixed and pattern values hold,
an element whose maximum is 0 is absent, and a code under a required binding is in the value set
when that value set (and its code systems) are bundled. Invariants (FHIRPath) are not evaluated.

The definitions are the FHIR R4 core package (tests/fixtures/fhir-r4-core/README.md says where
they come from): the base resources and the core profiles our US Core profiles derive from.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fhir-r4-core"
CORE = "http://hl7.org/fhir/StructureDefinition/"
# US Core 6.1.0's vital-sign profiles each derive from the FHIR core profile of the same sign
# (their baseDefinition), so a resource that declares one is held to the core one too
US_CORE_BASE = {
    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure": CORE + "bp",
    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-body-weight": CORE + "bodyweight",
    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-body-height": CORE + "bodyheight",
    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-bmi": CORE + "bmi",
    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-heart-rate": CORE + "heartrate",
}


def _load(kind: str) -> dict[str, dict[str, Any]]:
    out = {}
    for path in sorted(FIXTURES.glob(f"{kind}-*.json")):
        res = json.loads(path.read_text(encoding="utf-8"))
        out[res["url"]] = res
    return out


@cache
def definitions() -> dict[str, dict[str, Any]]:
    return _load("StructureDefinition")


@cache
def _value_sets() -> dict[str, dict[str, Any]]:
    return _load("ValueSet")


@cache
def _code_systems() -> dict[str, dict[str, Any]]:
    return _load("CodeSystem")


def _concepts(concepts: list[dict[str, Any]]) -> Iterator[str]:
    for c in concepts:
        yield c["code"]
        yield from _concepts(c.get("concept", []))


@cache
def value_set_codes(url: str) -> frozenset[tuple[str, str]] | None:
    """The (system, code) pairs of a bundled value set, or None when it cannot be expanded
    here (not bundled, a filter, a code system not bundled)."""
    vs = _value_sets().get(url.split("|")[0])
    if vs is None:
        return None
    codes: set[tuple[str, str]] = set()
    for inc in vs.get("compose", {}).get("include", []):
        if inc.get("filter"):
            return None
        for other in inc.get("valueSet", []):
            more = value_set_codes(other)
            if more is None:
                return None
            codes |= more
        system = inc.get("system")
        if not system:
            continue
        if inc.get("concept"):
            codes |= {(system, c["code"]) for c in inc["concept"]}
            continue
        cs = _code_systems().get(system)
        if cs is None or cs.get("content") not in ("complete", None):
            return None
        codes |= {(system, c) for c in _concepts(cs.get("concept", []))}
    if vs.get("compose", {}).get("exclude"):
        return None
    return frozenset(codes)


def _children(node: Any, name: str) -> list[Any]:
    """The values of one element name under a node (a choice ``value[x]`` matches valueQuantity,
    valueString, ...); lists are flattened."""
    if not isinstance(node, dict):
        return []
    if name.endswith("[x]"):
        stem = name[:-3]
        keys = [k for k in node if k.startswith(stem) and k[len(stem):][:1].isupper()]
    else:
        keys = [name] if name in node else []
    out: list[Any] = []
    for k in keys:
        v = node[k]
        out += v if isinstance(v, list) else [v]
    return out


def _at(node: Any, path: str) -> list[Any]:
    values = [node]
    if path in ("", "$this"):
        return values
    for name in path.split("."):
        values = [c for v in values for c in _children(v, name)]
    return values


def _contains(value: Any, pattern: Any) -> bool:
    """FHIR pattern matching: the value holds everything the pattern says (lists: each pattern
    item matches some item)."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(_contains(value.get(k), p)
                                               for k, p in pattern.items())
    if isinstance(pattern, list):
        items = value if isinstance(value, list) else [value]
        return all(any(_contains(v, p) for v in items) for p in pattern)
    return bool(value == pattern)


def _matches(value: Any, kind: str, want: Any) -> bool:
    """A slice discriminator: a fixed value, a pattern, or a required value set."""
    if kind == "binding":
        codes = value_set_codes(want)
        return codes is not None and any(p in codes for p in _code_pairs(value) or [])
    return _contains(value, want) if kind == "pattern" else bool(value == want)


def _fixed(element: dict[str, Any]) -> tuple[str, Any] | None:
    for k, v in element.items():
        if k.startswith("fixed"):
            return "fixed", v
        if k.startswith("pattern"):
            return "pattern", v
    return None


def _unsliced(eid: str) -> str:
    return ".".join(seg.partition(":")[0] for seg in eid.split("."))


@dataclass
class _Profile:
    sd: dict[str, Any]
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {e["id"]: e for e in self.sd["snapshot"]["element"]}

    def slice_value(self, slice_id: str, path: str) -> tuple[str, Any] | None:
        """The fixed or pattern value a slice gives at a discriminator path (the element may sit
        under a further slice: ``code.coding.code`` is ``code.coding:SBPCode.code``)."""
        want = f"{_unsliced(slice_id)}.{path}" if path != "$this" else _unsliced(slice_id)
        binding = None
        for eid, element in self.by_id.items():
            if (eid == slice_id or eid.startswith(slice_id + ".")) and _unsliced(eid) == want:
                fixed = _fixed(element)
                if fixed:
                    return fixed
                b = element.get("binding", {})
                if b.get("strength") == "required" and b.get("valueSet"):
                    binding = ("binding", b["valueSet"])
        return binding  # a slice told apart by a required value set, or nothing to go by

    def discriminated(self, slice_id: str, members: list[Any]) -> list[Any]:
        """The members of a list that belong to the slice ``slice_id`` (``a.b:name``)."""
        base_id, _, name = slice_id.rpartition(":")
        last = base_id.rsplit(".", 1)[-1]
        if last.endswith("[x]"):  # a type slice: value[x]:valueQuantity holds valueQuantity
            return [m for m in members if isinstance(m, _Typed) and m.key == name]
        slicing = self.by_id.get(base_id, {}).get("slicing", {})
        out = []
        for m in members:
            ok = True
            for d in slicing.get("discriminator", []):
                want = self.slice_value(slice_id, d["path"])
                if want is None:
                    continue
                found = _at(m, d["path"])
                ok = ok and any(_matches(f, *want) for f in found)
            if ok:
                out.append(m)
        return out


@dataclass(frozen=True)
class _Typed:
    """A choice element's value with the key it was found under (valueQuantity...)."""

    key: str
    value: Any


def _nodes(profile: _Profile, res: dict[str, Any], element_id: str) -> list[list[Any]]:
    """The instance values at an element id, grouped by parent node (each group is what one
    parent holds), slices applied."""
    segments = element_id.split(".")[1:]
    groups: list[list[Any]] = [[res]]
    prefix = element_id.split(".")[0]
    for seg in segments:
        name, _, slice_name = seg.partition(":")
        prefix = f"{prefix}.{seg}"
        parents = [p.value if isinstance(p, _Typed) else p for g in groups for p in g]
        groups = []
        for p in parents:
            if name.endswith("[x]") and isinstance(p, dict):
                stem = name[:-3]
                kids: list[Any] = [_Typed(k, v) for k, v in p.items()
                                   if k.startswith(stem) and k[len(stem):][:1].isupper()]
            else:
                kids = _children(p, name)
            if slice_name:
                kids = profile.discriminated(prefix, kids)
            groups.append(kids)
    return groups


def _code_pairs(value: Any) -> list[tuple[str, str]] | None:
    if isinstance(value, dict) and "coding" in value:
        return [(c.get("system", ""), c.get("code", "")) for c in value["coding"]]
    if isinstance(value, dict) and "code" in value:
        return [(value.get("system", ""), value["code"])]
    return None


def check(res: dict[str, Any], url: str) -> list[str]:
    """What in ``res`` breaks the StructureDefinition ``url`` (an empty list: nothing)."""
    profile = _Profile(definitions()[url])
    name = url.rsplit("/", 1)[-1]
    problems = []
    for element in profile.sd["snapshot"]["element"]:
        eid = element["id"]
        if "." not in eid:
            continue
        groups = _nodes(profile, res, eid)
        values = [v.value if isinstance(v, _Typed) else v for g in groups for v in g]
        if element.get("min", 0) >= 1:
            for g in groups:
                if len(g) < element["min"]:
                    problems.append(f"{name}: {eid} needs {element['min']}, has {len(g)}")
        if element.get("max") == "0" and values:
            problems.append(f"{name}: {eid} must be absent")
        fixed = _fixed(element)
        if fixed:
            kind, want = fixed
            for v in values:
                if not (_contains(v, want) if kind == "pattern" else v == want):
                    problems.append(f"{name}: {eid} is {v!r}, {kind} {want!r}")
        binding = element.get("binding", {})
        if binding.get("strength") == "required" and binding.get("valueSet") and values:
            codes = value_set_codes(binding["valueSet"])
            if codes is None:
                continue
            systems = {s for s, _ in codes}
            for v in values:
                if isinstance(v, str):  # a code: in the value set under one of its systems
                    ok = any((s, v) in codes for s in systems)
                else:  # a Coding or CodeableConcept: a coding from the value set, all valid
                    pairs = _code_pairs(v) or []
                    mine = [(s, c) for s, c in pairs if s in systems]
                    ok = bool(mine) and all(p in codes for p in mine)
                if not ok:
                    problems.append(f"{name}: {eid} {v!r} not in {binding['valueSet']}")
    return problems


def profiles_for(res: dict[str, Any]) -> list[str]:
    """The StructureDefinitions here that a resource is held to: its base resource and the
    core profiles among (or under) those it declares."""
    urls = [CORE + res["resourceType"]]
    for declared in res.get("meta", {}).get("profile", []):
        for url in (declared, US_CORE_BASE.get(declared)):
            if url and url in definitions() and url not in urls:
                urls.append(url)
    return urls


def check_bundle(bundle: dict[str, Any]) -> list[str]:
    """Every resource of a bundle (and the bundle) against its StructureDefinitions."""
    problems = [f"Bundle: {p}" for p in check(bundle, CORE + "Bundle")]
    for i, entry in enumerate(bundle.get("entry", [])):
        res = entry["resource"]
        for url in profiles_for(res):
            problems += [f"entry {i} {res['resourceType']} {p}" for p in check(res, url)]
    return problems


def bindings_unchecked(bundle: dict[str, Any]) -> set[str]:
    """The required value sets a bundle's values fall under that cannot be expanded here."""
    out = set()
    for entry in bundle.get("entry", []):
        res = entry["resource"]
        for url in profiles_for(res):
            profile = _Profile(definitions()[url])
            for element in profile.sd["snapshot"]["element"]:
                b = element.get("binding", {})
                if (b.get("strength") == "required" and b.get("valueSet") and "." in element["id"]
                        and value_set_codes(b["valueSet"]) is None
                        and any(g for g in _nodes(profile, res, element["id"]))):
                    out.add(b["valueSet"].split("|")[0])
    return out
