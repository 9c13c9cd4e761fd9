"""NDC and RxNorm imports: real file formats, all-or-nothing, and what they add to resolve/search."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from mmsdesk.clinical.dictionary import load_dictionary
from mmsdesk.clinical.dictionary.importers import ImportFailed, import_ndc, import_rxnorm
from mmsdesk.clinical.dictionary.model import Component
from mmsdesk.clinical.dictionary.resolver import resolve_with
from mmsdesk.clinical.dictionary.search import search_with
from mmsdesk.paths import knowledge_dir
from tests.conftest import shared_data


@pytest.fixture
def fresh(tmp_path):
    """A dictionary of its own (compiled into tmp_path) with an extension path in tmp_path."""
    d = load_dictionary(knowledge_dir() / "drugs", tmp_path / "cache", tmp_path / "knowledge" / "ext.sqlite3")
    yield d
    d.close()


def ndc_file(name: str) -> Path:
    return shared_data("fda-ndc", name)


def rrf(rxcui: str, tty: str, text: str, sab: str = "RXNORM", suppress: str = "N") -> str:
    """One RXNCONSO.RRF line: RXCUI|LAT|TS|LUI|STT|SUI|ISPREF|RXAUI|SAUI|SCUI|SDUI|SAB|TTY|CODE|STR|SRL|SUPPRESS|CVF|"""
    return "|".join([rxcui, "ENG", "", "", "", "", "", f"9{rxcui}", "", "", "", sab, tty, rxcui, text,
                     "", suppress, "4096", ""])


RRF_LINES = [
    rrf("6918", "IN", "metoprolol"),
    rrf("221124", "PIN", "metoprolol succinate"),
    rrf("161", "IN", "acetaminophen"),
    rrf("7804", "IN", "oxycodone"),
    rrf("82063", "PIN", "oxycodone hydrochloride"),
    rrf("2555", "IN", "cisplatin"),
    rrf("35827", "IN", "ketorolac", sab="MTHSPL"),  # another source: ignored
    rrf("866427", "SCD", "24 HR metoprolol succinate 25 MG Extended Release Oral Tablet"),
    rrf("866412", "SBD", "24 HR metoprolol succinate 25 MG Extended Release Oral Tablet [Toprol]"),
    rrf("1049621", "SCD", "acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet"),
    rrf("1049640", "SBD", "acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet [Oxyzzcet]"),
    rrf("1049641", "BN", "Oxyzzcet"),
    rrf("999001", "SCD", "oldname 5 MG Oral Tablet", suppress="O"),  # obsolete: ignored
    rrf("999002", "SCD", "Unknownium 5 MG Oral Tablet"),  # no known ingredient: skipped
]


def write_rrf(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "RXNCONSO.RRF"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ndc_import_adds_products_codes_and_brands(fresh):
    assert resolve_with(fresh, "Amyvid").match == "unrecognised"
    report = import_ndc(ndc_file("openfda-ndc-test-product_trimmed.txt"), fresh.extension_path, fresh)
    assert (report.products, report.lines, report.total_products) == (3, 4, 3)
    amyvid = resolve_with(fresh, "Amyvid injection")
    assert amyvid.match == "brand" and amyvid.brand == "Amyvid III"
    assert "alendronate" in amyvid.ingredients  # the fixture row's (altered) substance list
    quinidine = resolve_with(fresh, "0002-1407")
    assert quinidine.match == "code" and quinidine.ingredients == ("quinidine",)
    assert quinidine.strength == "80 mg/mL"
    assert quinidine.components == (Component("quinidine", 80, "mg", None, "ml"),)


def test_ndc_zip_import_and_search_lists_imported_products(fresh, tmp_path):
    archive = tmp_path / "ndctext.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(ndc_file("openfda-annotation-test-product.txt"), "product.txt")
        zf.writestr("package.txt", "not read\n")
    report = import_ndc(archive, fresh.extension_path, fresh)
    assert report.products == 3
    hits = search_with(fresh, "viagra", 10)
    assert hits[0].label == "Viagra" and hits[0].source == "bundled"
    imported = [h for h in hits if h.source == "ndc"]
    assert len(imported) == 3
    assert all(h.ingredients == ("sildenafil",) for h in imported)
    assert {h.strength for h in imported} == {"25 mg", "50 mg", "100 mg"}
    assert resolve_with(fresh, "0069-4210").strength == "50 mg"
    assert resolve_with(fresh, "NDC 0069-4220").strength == "100 mg"


def test_bad_line_is_reported_with_its_number_and_nothing_changes(fresh, tmp_path):
    import_ndc(ndc_file("openfda-annotation-test-product.txt"), fresh.extension_path, fresh)
    before = fresh.extension_path.read_bytes()
    broken = tmp_path / "product.txt"
    shutil.copy(ndc_file("openfda-ndc-test-product_trimmed.txt"), broken)
    with open(broken, "a", encoding="utf-8") as f:
        f.write("0002-9999\tonly three\tfields\n")
    with pytest.raises(ImportFailed, match=r"^product.txt: line 5: expected 20 tab-separated fields, found 3$"):
        import_ndc(broken, fresh.extension_path, fresh)
    assert fresh.extension_path.read_bytes() == before
    assert [p.name for p in fresh.extension_path.parent.iterdir()] == [fresh.extension_path.name]
    assert resolve_with(fresh, "0069-4200").ingredients == ("sildenafil",)  # previous import intact


def test_not_an_ndc_file_and_bad_product_code(tmp_path, fresh):
    other = tmp_path / "notes.txt"
    other.write_text("hello\tworld\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"notes.txt: line 1: not an FDA NDC product file"):
        import_ndc(other, fresh.extension_path, fresh)
    bad_code = tmp_path / "product.txt"
    lines = ndc_file("openfda-annotation-test-product.txt").read_text(encoding="utf-8").splitlines()
    fields = lines[2].split("\t")
    fields[1] = "69-42X0"  # PRODUCTNDC
    lines[2] = "\t".join(fields)
    bad_code.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"line 3: PRODUCTNDC '69-42X0' is not a product NDC"):
        import_ndc(bad_code, fresh.extension_path, fresh)
    assert not fresh.extension_path.exists()


def test_rxnorm_import_reads_ingredients_from_drug_names_and_brands_from_brackets(fresh, tmp_path):
    report = import_rxnorm(write_rrf(tmp_path, RRF_LINES), fresh.extension_path, fresh)
    assert report.skipped == 1  # "Unknownium": no ingredient known
    scd = resolve_with(fresh, rxnorm="1049621")
    assert scd.match == "code" and scd.ingredients == ("acetaminophen", "oxycodone")
    assert scd.strength == "325 mg / 5 mg" and scd.form == "oral tablet"
    sbd = resolve_with(fresh, "", rxnorm="866412")
    assert sbd.ingredients == ("metoprolol",) and sbd.brand == "Toprol"
    # a brand only RxNorm knows, found by text and by its code
    brand = resolve_with(fresh, "Oxyzzcet 5/325")
    assert brand.ingredients == ("acetaminophen", "oxycodone") and brand.match == "brand"
    assert resolve_with(fresh, "1049641").ingredients == ("acetaminophen", "oxycodone")
    assert resolve_with(fresh, rxnorm="999001").match == "unrecognised"  # obsolete row ignored
    ext = fresh.extension()
    assert ext is not None and ext.by_code("35827") is None  # another source's row: not imported
    assert ext.by_code("6918") is not None


def test_rxnorm_import_keeps_the_ndc_import_and_reimport_replaces_only_its_own(fresh, tmp_path):
    import_ndc(ndc_file("openfda-annotation-test-product.txt"), fresh.extension_path, fresh)
    import_rxnorm(write_rrf(tmp_path, RRF_LINES), fresh.extension_path, fresh)
    ext = fresh.extension()
    assert ext is not None and ext.count("ndc") == 3 and ext.count("rxnorm") > 5
    import_rxnorm(write_rrf(tmp_path, RRF_LINES[:3]), fresh.extension_path, fresh)
    ext = fresh.extension()
    assert ext is not None and ext.count("ndc") == 3 and ext.count("rxnorm") == 3  # two IN, one PIN
    assert resolve_with(fresh, "0069-4200").ingredients == ("sildenafil",)


def test_short_rrf_line_fails_with_its_line_number(fresh, tmp_path):
    lines = RRF_LINES[:4] + ["6918|ENG|too|short"]
    with pytest.raises(ImportFailed, match=r"RXNCONSO.RRF: line 5: expected 18 '\|'-separated fields"):
        import_rxnorm(write_rrf(tmp_path, lines), fresh.extension_path, fresh)
    assert not fresh.extension_path.exists()


def test_progress_is_reported_up_to_the_whole_file(fresh):
    seen: list[tuple[int, int]] = []
    path = ndc_file("openfda-annotation-test-product.txt")
    import_ndc(path, fresh.extension_path, fresh, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (path.stat().st_size, path.stat().st_size)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_ndc_rows_in_windows_1252_are_read(fresh, tmp_path):
    """Some FDA rows carry Windows-1252 bytes (e.g. a registered sign): the row is kept, not refused."""
    source = ndc_file("openfda-annotation-test-product.txt").read_bytes()
    path = tmp_path / "product.txt"
    path.write_bytes(source.replace(b"Pfizer Laboratories", b"Pfizer\xae Laboratories", 1))
    report = import_ndc(path, fresh.extension_path, fresh)
    assert report.products == 3
    assert resolve_with(fresh, "0069-4200").ingredients == ("sildenafil",)


def test_an_imported_extended_release_product_keeps_its_release(fresh, tmp_path):
    """The NDC directory writes the release after the form ("TABLET, EXTENDED RELEASE",
    "TABLET, FILM COATED, EXTENDED RELEASE"): the product read as a plain tablet, so a bottle
    of isosorbide mononitrate ER was listed as an immediate-release tablet. The real file's
    columns, one row of it given an extended-release form and a dictionary ingredient."""
    from mmsdesk.clinical.dictionary.ndc import fda_form

    assert fda_form("TABLET, EXTENDED RELEASE") == "extended release tablet"
    assert fda_form("CAPSULE, DELAYED RELEASE") == "delayed release capsule"
    assert fda_form("INJECTION, SOLUTION") == "injection, solution"
    header, first = ndc_file("openfda-ndc-test-product_trimmed.txt").read_text(
        encoding="utf-8").splitlines()[:2]
    row = dict(zip(header.split("\t"), first.split("\t"), strict=True))
    row.update(PRODUCTNDC="0002-7777", PROPRIETARYNAME="", NONPROPRIETARYNAME="isosorbide "
               "mononitrate", DOSAGEFORMNAME="TABLET, EXTENDED RELEASE", ROUTENAME="ORAL",
               SUBSTANCENAME="ISOSORBIDE MONONITRATE", ACTIVE_NUMERATOR_STRENGTH="30",
               ACTIVE_INGRED_UNIT="mg/1")
    path = tmp_path / "product.txt"
    path.write_text(header + "\n" + "\t".join(row[k] for k in header.split("\t")) + "\n",
                    encoding="utf-8")
    import_ndc(path, fresh.extension_path, fresh)
    res = resolve_with(fresh, "0002-7777")
    assert res.match == "code" and res.ingredients == ("isosorbide mononitrate",)
    from mmsdesk.clinical.dictionary.naming import split_form

    assert split_form(res.form) == ("tablet", "extended"), res.form  # the entry's release
