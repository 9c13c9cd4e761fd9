"""The data the dictionary benchmarks run on is realistic: it resolves, and the large file imports."""

from __future__ import annotations

from mmsdesk.bench.dictionary import resolver_corpus, write_large_ndc
from mmsdesk.clinical.dictionary import load_dictionary, resolve
from mmsdesk.clinical.dictionary.importers import import_ndc
from mmsdesk.clinical.dictionary.search import search_with
from mmsdesk.paths import knowledge_dir


def test_resolver_corpus_is_mostly_recognised_and_contains_junk():
    corpus = resolver_corpus()
    assert len(corpus) >= 2000
    results = [resolve(t) for t in corpus]
    unrecognised = [r.text for r in results if r.match == "unrecognised"]
    assert 40 <= len(unrecognised) <= 0.05 * len(corpus)
    assert sum(r.match == "approximate" for r in results) >= 10


def test_generated_ndc_file_imports_and_is_searchable(tmp_path):
    d = load_dictionary(knowledge_dir() / "drugs", tmp_path / "cache", tmp_path / "ext.sqlite3")
    path = tmp_path / "product.txt"
    write_large_ndc(path, 2000)
    report = import_ndc(path, d.extension_path, d)
    assert report.products == 2000 and report.lines == 2001
    hits = search_with(d, "metformin", 40)
    assert hits[0].label == "metformin"
    assert any(h.source == "ndc" and "metformin" in h.ingredients for h in hits)
    d.close()
