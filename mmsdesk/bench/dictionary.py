"""Drug dictionary figures: load time, resolver throughput, search latency (bundled and 150,000 products)."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

from mmsdesk.bench import BenchContext, Figure, median, percentile

LOAD_RUNS = 5
LARGE_PRODUCTS = 150_000
SEARCH_QUERIES = 400
_LOAD_SCRIPT = """
import sys, time
t = time.perf_counter()
from mmsdesk.clinical.dictionary import load_dictionary
from pathlib import Path
d = load_dictionary(Path(sys.argv[1]), Path(sys.argv[2]))
d.names  # loaded
print((time.perf_counter() - t) * 1000)
"""
NDC_HEADER = ("PRODUCTID\tPRODUCTNDC\tPRODUCTTYPENAME\tPROPRIETARYNAME\tPROPRIETARYNAMESUFFIX\t"
              "NONPROPRIETARYNAME\tDOSAGEFORMNAME\tROUTENAME\tSTARTMARKETINGDATE\tENDMARKETINGDATE\t"
              "MARKETINGCATEGORYNAME\tAPPLICATIONNUMBER\tLABELERNAME\tSUBSTANCENAME\t"
              "ACTIVE_NUMERATOR_STRENGTH\tACTIVE_INGRED_UNIT\tPHARM_CLASSES\tDEASCHEDULE\t"
              "NDC_EXCLUDE_FLAG\tLISTING_RECORD_CERTIFIED_THROUGH")
_SYLLABLES = ("ra", "lo", "ven", "tor", "zi", "mex", "pra", "dol", "qui", "nex", "sa", "tri", "vo",
              "lin", "cor", "fen", "za", "mo", "rel", "tan", "bi", "xa", "du", "ple")


def _sources() -> Path:
    from mmsdesk import paths

    return paths.knowledge_dir() / "drugs"


def bench_load(ctx: BenchContext) -> list[Figure]:
    """Fresh process: import the package and load the compiled dictionary (cache already built)."""
    from mmsdesk.clinical.dictionary.compiled import COMPILED_NAME, compile_dictionary

    cache = ctx.folder("dict-cache")
    started = time.perf_counter()
    compile_dictionary(_sources(), cache / COMPILED_NAME)
    compile_ms = (time.perf_counter() - started) * 1000
    cmd = [sys.executable, "-c", _LOAD_SCRIPT, str(_sources()), str(cache)]
    subprocess.run(cmd, check=True, capture_output=True)  # warm the file cache
    times = [float(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
             for _ in range(LOAD_RUNS)]
    return [Figure("dictionary_load_ms", median(times), "ms", target=150),
            Figure("dictionary_compile_ms", compile_ms, "ms")]


def resolver_corpus(seed: int = 7) -> list[str]:
    """Realistic medication texts built from the dictionary: generic, salt, brand, tall-man, combos, typos."""
    from mmsdesk.clinical.dictionary import get_dictionary

    rng = random.Random(seed)
    d = get_dictionary()
    out: list[str] = []
    forms = ("Oral Tablet", "Oral Capsule", "mg tab", "Extended Release Oral Tablet", "")
    for ing in d.ingredients.values():
        strength = (ing.strengths[0].split()[0] if ing.strengths else "10")
        out.append(f"{ing.generic.title()} {strength} MG {rng.choice(forms)}".strip())
        if ing.salts:
            out.append(f"{ing.generic} {ing.salts[0]} {strength} mg")
        for brand in ing.brands[:2]:
            out.append(f"{brand} {strength}mg")
            out.append(f"{ing.generic.title()} {strength} MG Oral Tablet [{brand}]")
        word = ing.generic
        if len(word) > 6 and rng.random() < 0.15:
            i = rng.randrange(2, len(word) - 2)
            out.append(f"{word[:i]}{word[i + 1:]} {strength} mg")  # a letter dropped
    combos = [e for e in d.names.values() if e.kind == "combination"]
    for c in combos:
        out.append(f"{c.label} {_written(c)}".strip())
        out.append(" / ".join(f"{i} 5 MG" for i in c.ingredients) + " Oral Tablet")
    out += ["asdfgh", "water pill", "blood pressure pill", "the white one"] * 10
    rng.shuffle(out)
    return out


def _written(entry) -> str:  # type: ignore[no-untyped-def]
    """A combination's first known strength as people write it: "10-100 mg", "70 mg-2800 unit"."""
    from mmsdesk.clinical.dictionary.naming import format_amount
    from mmsdesk.clinical.dictionary.strength import parse_known

    rows = parse_known(entry.strength, len(entry.ingredients))
    if not rows:
        return ""
    first = rows[0]
    units = {c.unit for c in first}
    if len(units) == 1:
        return "-".join(format_amount(c.amount or 0) for c in first) + f" {first[0].unit}"
    return "-".join(f"{format_amount(c.amount or 0)} {c.unit}" for c in first)


def bench_resolve(ctx: BenchContext) -> list[Figure]:
    from mmsdesk.clinical.dictionary import get_dictionary
    from mmsdesk.clinical.dictionary.resolver import resolve_with

    d = get_dictionary()
    corpus = resolver_corpus()
    for text in corpus[:200]:
        resolve_with(d, text)  # warm: fuzzy module import, caches
    started = time.perf_counter()
    for text in corpus:
        resolve_with(d, text)
    seconds = time.perf_counter() - started
    return [Figure("resolver_throughput", len(corpus) / seconds, "strings/s", target=5000,
                   better="higher")]


def _queries(d, seed: int = 11) -> list[str]:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    labels = [e.label for e in d.names.values()]
    out = []
    for _ in range(SEARCH_QUERIES):
        label = rng.choice(labels)
        out.append(label[: rng.randint(2, max(2, min(8, len(label))))])
    return out


def _search_p95(d, queries: list[str]) -> float:  # type: ignore[no-untyped-def]
    from mmsdesk.clinical.dictionary.search import search_with

    for q in queries[:20]:
        search_with(d, q, 20)
    times = []
    for q in queries:
        started = time.perf_counter()
        search_with(d, q, 20)
        times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 95)


def write_large_ndc(path: Path, products: int, seed: int = 3) -> None:
    """An NDC product.txt with ``products`` rows: real ingredient names, made-up brands and labelers."""
    from mmsdesk.clinical.dictionary import get_dictionary

    rng = random.Random(seed)
    generics = sorted(get_dictionary().ingredients)
    forms = ("TABLET", "TABLET, FILM COATED", "CAPSULE", "TABLET, EXTENDED RELEASE", "SOLUTION",
             "INJECTION, SOLUTION", "CREAM")
    with open(path, "w", encoding="utf-8") as f:
        f.write(NDC_HEADER + "\n")
        for n in range(products):
            ings = [rng.choice(generics) for _ in range(1 if rng.random() < 0.85 else 2)]
            brand = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).title()
            labeler, product = divmod(n, 9000)
            ndc = f"{10000 + labeler:05d}-{product:04d}"
            generic = " and ".join(ings)
            f.write("\t".join([
                f"{ndc}_x", ndc, "HUMAN PRESCRIPTION DRUG", brand if rng.random() < 0.6 else generic.title(),
                "", generic, rng.choice(forms), "ORAL", "20200101", "", "ANDA", f"ANDA{n:06d}",
                f"Labeler {labeler}", "; ".join(i.upper() for i in ings),
                "; ".join(str(rng.choice((5, 10, 20, 25, 50, 100))) for _ in ings),
                "; ".join("mg/1" for _ in ings), "", "", "N", "20271231"]) + "\n")


def bench_search(ctx: BenchContext) -> list[Figure]:
    from mmsdesk.clinical.dictionary import load_dictionary
    from mmsdesk.clinical.dictionary.importers import import_ndc

    folder = ctx.folder("dict-search")
    d = load_dictionary(_sources(), folder / "cache", folder / "knowledge" / "ext.sqlite3")
    queries = _queries(d)
    bundled = _search_p95(d, queries)
    product_file = folder / "product.txt"
    write_large_ndc(product_file, LARGE_PRODUCTS)
    started = time.perf_counter()
    report = import_ndc(product_file, d.extension_path, d)  # type: ignore[arg-type]
    import_s = time.perf_counter() - started
    large = _search_p95(d, queries + [q.lower()[:3] for q in queries[:100]])
    from mmsdesk.clinical.dictionary.resolver import resolve_with

    corpus = resolver_corpus()
    started = time.perf_counter()
    for text in corpus:
        resolve_with(d, text)
    throughput_large = len(corpus) / (time.perf_counter() - started)
    d.close()
    return [
        Figure("search_p95_bundled_ms", bundled, "ms", target=20),
        Figure("search_p95_150k_products_ms", large, "ms", target=20),
        Figure("ndc_import_150k_s", import_s, "s"),
        Figure("ndc_import_rows_per_s", report.products / import_s, "rows/s", better="higher"),
        Figure("resolver_throughput_150k_products", throughput_large, "strings/s", target=5000,
               better="higher"),
    ]


BENCHMARKS = {
    "dictionary_load": bench_load,
    "dictionary_resolve": bench_resolve,
    "dictionary_search": bench_search,
}
