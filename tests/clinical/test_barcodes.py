"""Package codes a barcode scanner types, read as NDCs: UPC-A/EAN-13/GTIN-14 for the three NDC
configurations with check digits, GS1 element strings with and without group separators,
expiry, and resolution through the dictionary's NDC directory."""

from __future__ import annotations

import json
from datetime import date

import pytest

from mmsdesk.clinical.dictionary.barcodes import (
    CodeError,
    check_digit,
    ndc_of_gtin,
    ndc_to_ean13,
    ndc_to_gtin14,
    ndc_to_upc,
    parse_gs1,
    read_code,
    resolve_package,
)
from tests.conftest import TODAY, run_cli, shared_data

GS = "\x1d"


def directory_ndcs() -> list[str]:
    """Package NDCs of the FDA directory sample (all 4-4-2)."""
    lines = shared_data("fda-ndc", "openfda-ndc-test-package_trimmed.txt").read_text(
        encoding="utf-8").splitlines()
    col = lines[0].split("\t").index("NDCPACKAGECODE")
    return [line.split("\t")[col] for line in lines[1:] if line.strip()]


# (NDC, configuration, UPC-A), check digits worked apart from the code under test (GS1 mod 10,
# weights 3 and 1 from the left of the 11 digits); the 4-4-2 Tylenol
# code is the one printed on the bottle (3 00450 44910 8).
TABLE = [
    ("0045-0449-10", "4-4-2", "300450449108"),
    ("0002-0800-01", "4-4-2", "300020800018"),
    ("50242-040-62", "5-3-2", "350242040624"),
    ("68180-513-01", "5-3-2", "368180513018"),
    ("12345-6789-0", "5-4-1", "312345678906"),
    ("60505-0141-0", "5-4-1", "360505014101"),
]


@pytest.mark.parametrize(("ndc", "config", "upc"), TABLE)
def test_ndc_to_upc_ean_gtin_and_back(ndc: str, config: str, upc: str):
    assert [len(p) for p in ndc.split("-")] == [int(w) for w in config.split("-")]
    assert ndc_to_upc(ndc) == upc
    assert ndc_to_ean13(ndc) == "0" + upc
    assert ndc_to_gtin14(ndc) == "00" + upc
    assert ndc_to_gtin14(ndc, indicator=5)[:-1] == "50" + upc[:-1]  # a case: other check digit
    digits = ndc.replace("-", "")
    for code in (upc, "0" + upc, "00" + upc, ndc_to_gtin14(ndc, indicator=5)):
        assert ndc_of_gtin(code) == digits
    read = read_code(upc)
    assert read is not None and read.kind == "upc-a" and read.digits == digits
    prefixed = read_code("]E0" + "0" + upc)  # the scanner's symbology prefix for EAN/UPC
    assert prefixed is not None and prefixed.kind == "ean-13" and prefixed.digits == digits
    assert ndc in [full for _, full in read.product_codes()]


@pytest.mark.parametrize(("ndc", "eleven", "product"), [
    ("0045-0449-10", "00045044910", "0045-0449"),
    ("50242-040-62", "50242004062", "50242-040"),
    ("60505-0141-0", "60505014100", "60505-0141"),
])
def test_eleven_digit_and_hyphenated_forms(ndc: str, eleven: str, product: str):
    for typed in (ndc, eleven, f"{eleven[:5]}-{eleven[5:9]}-{eleven[9:]}", f"NDC: {ndc}",
                  ndc.replace("-", "")):
        code = read_code(typed)
        assert code is not None, typed
        assert product in [p for p, _ in code.product_codes()], typed
    assert read_code(ndc).ndc_11 == eleven


def test_check_digits_and_bad_codes():
    assert check_digit("30045044910") == "8"
    assert check_digit("0030045044910") == "8"  # leading zeros do not change it
    with pytest.raises(CodeError, match="wrong check digit"):
        read_code("300450449107")
    with pytest.raises(CodeError, match="not a drug's code"):
        read_code("012345678905")  # a grocery UPC-A (number system 0)
    with pytest.raises(CodeError, match="not an NDC"):
        read_code("0045-44-10")
    assert read_code("metformin 500 mg") is None and read_code("") is None
    assert read_code("316672") is None  # an RxNorm code stays the resolver's


@pytest.mark.parametrize("typed", [
    "]d2" + "01" + "00300450449108" + "17271231" + "10" + "AB123",      # lot last, no GS
    "]d2" + "01" + "00300450449108" + "10" + "AB123" + GS + "17271231",  # GS ends the lot
    "01" + "00300450449108" + "10" + "AB123" + GS + "17271231" + GS,     # trailing GS
    "]C1" + "0100300450449108" + "17271231" + "10AB123",                 # GS1-128
    GS + "0100300450449108" + "17271231" + "10AB123",                    # FNC1 first
    "(01)00300450449108(17)271231(10)AB123",                             # human-readable
    "]d2010030045044910810AB123<GS>17271231",                            # GS typed as <GS>
])
def test_gs1_element_strings(typed: str):
    code = read_code(typed)
    assert code is not None and code.kind == "gs1"
    assert (code.gtin, code.digits, code.lot) == ("00300450449108", "0045044910", "AB123")
    assert code.expiry == date(2027, 12, 31)


def test_gs1_fields_and_expiry_in_past_and_future():
    fields = parse_gs1("0100300450449108" + "11250102" + "21SER9" + GS + "17260200" + "10L1")
    assert fields == {"01": "00300450449108", "11": "250102", "21": "SER9", "17": "260200",
                      "10": "L1"}
    past = read_code("0100300450449108" + "17260200")  # day 00: the month's last day
    assert past.expiry == date(2026, 2, 28) and past.expired(TODAY)
    future = read_code("0100300450449108" + "17261231")
    assert future.expiry == date(2026, 12, 31) and not future.expired(TODAY)
    assert not read_code("300450449108").expired(TODAY)  # no expiry in a UPC
    with pytest.raises(CodeError, match="no month 13"):
        read_code("0100300450449108" + "17261301")
    with pytest.raises(CodeError, match="no GTIN"):
        read_code("]d2" + "10AB" + GS + "17261231")


def _imported_dictionary():
    from mmsdesk.clinical.dictionary import get_dictionary
    from mmsdesk.clinical.dictionary.importers import import_ndc

    d = get_dictionary()
    import_ndc(shared_data("fda-ndc", "openfda-ndc-test-product_trimmed.txt"), d.extension_path, d)
    return d


def test_real_ndcs_resolve_through_the_directory_in_every_form():
    d = _imported_dictionary()
    ndcs = directory_ndcs()
    assert ndcs
    for ndc in ndcs:
        forms = [ndc, ndc.replace("-", ""), "0" + ndc.replace("-", ""), ndc_to_upc(ndc),
                 ndc_to_ean13(ndc), "]d201" + ndc_to_gtin14(ndc) + "17300131" + "10X1"]
        for typed in forms:
            package = resolve_package(d, read_code(typed))
            assert package.medication is not None, typed
            assert package.ndc == ndc, typed
            assert package.medication.components, typed
    quinidine = resolve_package(d, read_code(ndc_to_upc("0002-1407-01")))
    assert quinidine.medication.ingredients == ("quinidine",)
    assert (quinidine.medication.strength, quinidine.medication.form) == ("80 mg/mL", "solution")
    unknown = resolve_package(d, read_code(ndc_to_upc("0045-0449-10")))
    assert unknown.medication is None
    assert unknown.unknown_text() == "NDC 0045044910 (not in the drug dictionary)"


def test_drug_resolve_cli_reads_ndc_and_gs1(tmp_path):
    data = str(tmp_path / "d")
    path = shared_data("fda-ndc", "openfda-ndc-test-product_trimmed.txt")
    assert run_cli("--data-dir", data, "kb", "import-ndc", str(path)).returncode == 0
    gs1 = "]d201" + ndc_to_gtin14("0002-1407-01") + "10LOT7" + GS + "17250331"
    out = json.loads(run_cli("--data-dir", data, "drug", "resolve", gs1, "--json").stdout)
    assert out["ingredients"] == ["quinidine"] and out["match"] == "code"
    assert (out["ndc"], out["expiry"], out["lot"]) == ("0002-1407-01", "2025-03-31", "LOT7")
    plain = json.loads(run_cli("--data-dir", data, "drug", "resolve", "00002140701",
                               "--json").stdout)
    assert plain["ingredients"] == ["quinidine"] and plain["ndc"] == "0002-1407-01"
    assert "expiry" not in plain and "lot" not in plain
    name = json.loads(run_cli("--data-dir", data, "drug", "resolve", "metformin", "--json").stdout)
    assert "ndc" not in name and name["ingredients"] == ["metformin"]
    text = run_cli("--data-dir", data, "drug", "resolve", ndc_to_upc("0045-0449-10")).stdout
    assert "unrecognised: NDC 0045044910 (not in the drug dictionary)" in text
    bad = run_cli("--data-dir", data, "drug", "resolve", "300450449107")
    assert bad.returncode == 2 and "wrong check digit" in bad.stderr
