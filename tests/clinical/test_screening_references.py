"""The rules against the shared references: ONC high-priority pairs, CPIC level A, dictionary."""

from __future__ import annotations

import csv

from mmsdesk.clinical.screening import PatientContext, get_knowledge, screen
from tests.clinical.screening_cases import med
from tests.conftest import shared_data

KB = get_knowledge()

# ONC list item -> (our drug term for side A, our term for side B)
ONC_TERMS = {
    "1": ("@amphetamines", "@maoi"), "2": ("atazanavir", "@ppi"),
    "3": ("febuxostat", "azathioprine,mercaptopurine"), "4": ("@ssri", "@maoi"),
    "5": ("irinotecan", "@strong_cyp3a4_inhibitors"), "6": ("@opioids", "@maoi"),
    "7": ("@tca", "@maoi"), "8": ("@qt_high", "@qt_high"),
    "9": ("ramelteon", "@strong_cyp1a2_inhibitors"),
    "10": ("@strong_cyp3a4_inducers", "@protease_inhibitors"),
    "11": ("@statins_cyp3a4", "@cyp3a4_inhibitors"), "12": ("@cyp3a4_inhibitors", "@ergots"),
    "13": ("tizanidine", "@cyp1a2_inhibitors"), "14": ("tranylcypromine", "procarbazine"),
    "15": ("@triptans_mao", "@maoi"),
}

# Ingredients the rules name that the drug dictionary (issue 3) does not carry yet.
DICTIONARY_GAPS = {
    "almotriptan", "avanafil", "belladonna", "bosentan", "cefazolin", "cefepime", "cefixime",
    "cefprozil", "chlorzoxazone", "dalteparin", "dihydroergotamine", "ertapenem",
    "fosamprenavir", "frovatriptan", "imipenem", "isocarboxazid",
    "lornoxicam", "meropenem", "methamphetamine", "methylergonovine", "mineral oil", "moexipril",
    "nafcillin", "nelfinavir", "peginterferon alfa-2a", "peginterferon alfa-2b", "procarbazine",
    "repaglinide", "riociguat", "saquinavir", "telithromycin", "tenoxicam", "ticlopidine",
    "tipranavir", "toluidine blue", "tropisetron", "zileuton",
}


def _interaction(x: str, y: str) -> list:
    result = screen(PatientContext((med(x), med(y)), age=50))
    return [a for a in result.alerts if a.kind == "interaction" and set(a.drugs) == {x, y}]


def test_each_onc_pair_fires_for_two_members_of_each_class():
    rows = list(csv.DictReader(shared_data("onc-high-priority-ddi",
                                           "onc-high-priority-ddi-pairs.csv").open()))
    assert len(rows) == 15
    for row in rows:
        a_term, b_term = ONC_TERMS[row["list_item"]]
        a, b = sorted(KB.expand(a_term)), sorted(KB.expand(b_term))
        a_pick = a[:2] if len(a) > 1 else a
        b_pick = b[-2:] if len(b) > 1 else b
        for x in a_pick:
            for y in b_pick:
                if x != y:
                    assert _interaction(x, y), (row["drug_or_class_a"], x, y)
                    assert _interaction(x, y)[0].severity == "high"


def test_every_cpic_level_a_pair_for_screened_genes_has_a_rule():
    genes = {"CYP2C19", "CYP2D6", "CYP2C9", "VKORC1", "SLCO1B1", "TPMT", "NUDT15", "DPYD",
             "HLA-B", "G6PD", "HLA-A", "UGT1A1", "CYP3A5", "CYP2B6", "ABCG2", "CYP4F2", "IFNL3"}
    rows = csv.DictReader(shared_data("cpic", "pypgx-cpic-table.csv").open())
    pairs = {(r["Gene"], r["Drug"]) for r in rows if r["CPICLevel"] == "A" and r["Gene"] in genes}
    assert len(pairs) > 60
    covered = {(rule["gene"].split("*")[0], drug) for rule in KB.rules["pgx"]
               for drug in KB.expand(rule["drugs"])}
    missing = sorted(pairs - covered)
    assert not missing, missing


def test_every_rule_ingredient_is_known_to_the_dictionary():
    from mmsdesk.clinical.dictionary import get_dictionary

    known = get_dictionary().ingredients
    unknown = sorted(n for n in KB.ingredients() if n not in known)
    assert unknown == sorted(DICTIONARY_GAPS), set(unknown) ^ DICTIONARY_GAPS


def test_no_alert_fatigue_for_common_safe_regimen():
    ctx = PatientContext(tuple(med(d) for d in ("atorvastatin", "lisinopril", "metformin",
                                                  "amlodipine", "levothyroxine")), age=50)
    assert screen(ctx).alerts == []


def test_broken_rule_file_names_file_and_line(tmp_path):
    import shutil

    import pytest

    from mmsdesk.clinical.screening.knowledge import KnowledgeError, load_knowledge

    folder = tmp_path / "kb"
    shutil.copytree(KB.folder, folder)
    path = folder / "interactions.psv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].rsplit("|", 1)[0] + "|"  # drop the reviewed date
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"interactions.psv line 6: .*reviewed"):
        load_knowledge(folder)
    lines[5] = lines[5].replace("|@", "|@no_such_class", 1) + "2026-11-20"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="unknown class"):
        load_knowledge(folder)


def test_every_onc_cited_rule_is_a_pair_on_the_onc_list():
    """The `onc` key only on pairs the ONC high-priority list (Phansalkar 2012) contains: each
    onc-cited interaction row's two sides are one list item's two sides (ONC_TERMS above), and
    every list item is cited by at least one row."""
    rows = list(csv.DictReader(shared_data("onc-high-priority-ddi",
                                           "onc-high-priority-ddi-pairs.csv").open()))
    on_list = {ONC_TERMS[r["list_item"]] for r in rows}
    on_list |= {(b, a) for a, b in on_list}
    cited = [r for r in KB.rules["interactions"]
             if "onc" in {k.strip() for k in r["source"].split(",")}]
    wrong = [r.rule_id for r in cited if (r["a"], r["b"]) not in on_list]
    assert not wrong, wrong
    sides = {frozenset((r["a"], r["b"])) for r in cited}
    assert sides >= {frozenset(ONC_TERMS[r["list_item"]]) for r in rows}
    # SNRIs with an MAOI is a labelled contraindication, not an ONC list pair (item 4 is SSRIs)
    snri = next(r for r in KB.rules["interactions"] if r["a"] == "@snri" and r["b"] == "@maoi")
    assert "onc" not in snri["source"] and snri["severity"] == "high"


def test_rows_reviewed_in_issue_16_name_their_section():
    """Every row of the files reviewed line by line names the exact table, criterion section or
    label section it comes from, and carries the review date."""
    for file in ("beers", "drug_disease", "pgx", "duplicates", "same_ingredient"):
        for row in KB.rules[file]:
            assert row["section"], (file, row.rule_id)
            assert row["reviewed"] == "2026-12-04", (file, row.rule_id)


def test_onc_rows_name_their_list_item_as_in_the_onc_file():
    rows = {r["list_item"]: r for r in csv.DictReader(
        shared_data("onc-high-priority-ddi", "onc-high-priority-ddi-pairs.csv").open())}
    for row in KB.rules["interactions"]:
        if "onc" not in {k.strip() for k in row["source"].split(",")}:
            continue
        item = next(k for k, v in ONC_TERMS.items() if set(v) == {row["a"], row["b"] or row["a"]})
        assert row["section"].startswith(f"ONC high-priority list item {item} "), row.rule_id
        assert rows[item]["drug_or_class_a"] in row["section"], row.rule_id
