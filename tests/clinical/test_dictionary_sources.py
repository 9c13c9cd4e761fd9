"""The curated files: well formed, cross-checked, compiled into a cache that follows edits."""

from __future__ import annotations

import csv
import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from mmsdesk import paths
from mmsdesk.clinical.dictionary import get_dictionary, load_dictionary
from mmsdesk.clinical.dictionary.compiled import COMPILED_NAME
from mmsdesk.clinical.dictionary.sources import DictionarySourceError, read_sources
from mmsdesk.clinical.dictionary.text import name_key
from tests.conftest import shared_data

SOURCE = paths.knowledge_dir() / "drugs"

# Ingredients the screening rules (issue 4) refer to, by lowercase generic name.
SCREENING_NEEDS = """
warfarin apixaban rivaroxaban dabigatran edoxaban heparin enoxaparin clopidogrel prasugrel
ticagrelor aspirin ibuprofen naproxen diclofenac meloxicam celecoxib indomethacin ketorolac
sertraline citalopram escitalopram fluoxetine paroxetine fluvoxamine venlafaxine duloxetine
desvenlafaxine amitriptyline nortriptyline imipramine doxepin clomipramine desipramine
simvastatin atorvastatin lovastatin rosuvastatin pravastatin fluconazole ketoconazole
itraconazole voriconazole posaconazole clarithromycin erythromycin azithromycin amiodarone
dronedarone sotalol dofetilide flecainide propafenone quinidine digoxin oxycodone hydrocodone
morphine hydromorphone fentanyl codeine tramadol methadone buprenorphine tapentadol alprazolam
lorazepam clonazepam diazepam temazepam zolpidem eszopiclone zaleplon quetiapine olanzapine
risperidone haloperidol aripiprazole ziprasidone clozapine diphenhydramine hydroxyzine
doxylamine chlorpheniramine meclizine promethazine oxybutynin tolterodine benztropine
dicyclomine cyclobenzaprine azathioprine mercaptopurine thioguanine fluorouracil capecitabine
tacrolimus omeprazole esomeprazole pantoprazole lansoprazole rabeprazole ondansetron
metoclopramide lithium methotrexate trimethoprim sulfamethoxazole spironolactone lisinopril
losartan potassium chloride allopurinol colchicine rifampin carbamazepine phenytoin
levothyroxine st john's wort ginkgo fish oil garlic ginseng glipizide glyburide insulin glargine
metformin ciprofloxacin levofloxacin moxifloxacin sildenafil nitroglycerin isosorbide mononitrate
tamoxifen codeine pimozide ritonavir cobicistat verapamil diltiazem theophylline
""".split("\n")


def _needs() -> list[str]:
    names: list[str] = []
    for line in SCREENING_NEEDS:
        names += line.split()
    # rejoin the two-word names split above
    joined = " ".join(names)
    for multi in ("potassium chloride", "st john's wort", "fish oil", "insulin glargine",
                  "isosorbide mononitrate"):
        joined = joined.replace(multi, multi.replace(" ", "_"))
    return [n.replace("_", " ") for n in joined.split()]


def test_header_has_version_reviewed_date_and_sources():
    d = get_dictionary()
    assert d.version and d.reviewed_on.count("-") == 2
    assert len(d.sources) >= 4


def test_coverage_counts_and_screening_ingredients_present():
    d = get_dictionary()
    assert len(d.ingredients) >= 600
    missing = [n for n in _needs() if n not in d.ingredients]
    assert not missing, missing
    # every ingredient has a plain-language class; most have an ATC code
    assert all(i.plain_class for i in d.ingredients.values())
    assert sum(1 for i in d.ingredients.values() if i.atc) >= 0.9 * len(d.ingredients)


def test_generic_names_are_lowercase_moieties_and_codes_unique():
    d = get_dictionary()
    seen: dict[str, str] = {}
    for ing in d.ingredients.values():
        assert ing.generic == ing.generic.lower().strip()
        if ing.rxnorm:
            assert ing.rxnorm not in seen, (ing.generic, seen.get(ing.rxnorm))
            seen[ing.rxnorm] = ing.generic


def test_no_name_belongs_to_two_ingredients():
    src = read_sources(SOURCE)
    owner: dict[str, str] = {}
    for ing in src.ingredients:
        for name in (ing.generic, *ing.synonyms, *ing.brands):
            key = name_key(name)
            assert owner.get(key, ing.generic) == ing.generic, (name, owner[key], ing.generic)
            owner[key] = ing.generic
    combos: set[str] = set()
    for combo in (*src.combinations, *src.named_strengths):
        key = name_key(combo.label)
        assert key not in owner, combo.label
        assert key not in combos, f"{combo.label} listed twice"
        combos.add(key)


def test_rxnorm_codes_agree_with_the_cpic_table():
    """CPIC lists the RxNorm ingredient code of each drug it covers: ours must not differ."""
    d = get_dictionary()
    checked = 0
    with open(shared_data("cpic", "pypgx-cpic-table.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ing = d.ingredients.get(row["Drug"].lower())
            if ing is None or not ing.rxnorm or not row["RxNorm"]:
                continue
            checked += 1
            assert ing.rxnorm == row["RxNorm"], (ing.generic, ing.rxnorm, row["RxNorm"])
    assert checked >= 150


def test_brand_names_agree_with_fda_unii_where_listed():
    """A brand we list under one ingredient must be an FDA brand name of that substance."""
    d = get_dictionary()
    unii: dict[str, set[str]] = {}
    with open(shared_data("fda-unii", "unii-names-brand-bn-subset.tsv"), encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            unii.setdefault(name_key(row["Name"]), set()).add(row["Display Name"].lower())
    checked = 0
    for ing in d.ingredients.values():
        words = set(name_key(ing.generic).split()) | {
            w for s in ing.synonyms for w in name_key(s).split()}
        for brand in ing.brands:
            substances = unii.get(name_key(brand))
            if not substances:
                continue
            checked += 1
            assert any(name_key(s).split()[0] in words or ing.generic.split()[0] in s
                       for s in substances), (brand, ing.generic, substances)
    assert checked >= 500


def _copy_sources(tmp_path: Path) -> Path:
    folder = tmp_path / "drugs"
    shutil.copytree(SOURCE, folder)
    return folder


def test_compiled_file_is_indexed_and_rebuilt_when_a_source_changes(tmp_path):
    folder = _copy_sources(tmp_path)
    cache = tmp_path / "cache"
    d = load_dictionary(folder, cache)
    compiled = cache / COMPILED_NAME
    con = sqlite3.connect(compiled)
    indexes = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    con.close()
    assert "name_key" in indexes
    assert "zzfakeol" not in d.ingredients
    first_mtime = compiled.stat().st_mtime_ns
    # loading again reuses the compiled file
    load_dictionary(folder, cache)
    assert compiled.stat().st_mtime_ns == first_mtime
    time.sleep(0.01)
    with open(folder / "ingredients" / "cardiovascular.csv", "a", encoding="utf-8") as f:
        f.write("zzfakeol,,Fakebrand,,C00,test class,tablet,1 mg,\n")
    d2 = load_dictionary(folder, cache)
    assert "zzfakeol" in d2.ingredients
    assert d2.canonical("Fakebrand") == "zzfakeol"


def test_malformed_row_names_file_and_line_and_keeps_the_old_compiled_file(tmp_path):
    folder = _copy_sources(tmp_path)
    cache = tmp_path / "cache"
    load_dictionary(folder, cache)
    before = (cache / COMPILED_NAME).read_bytes()
    path = folder / "ingredients" / "cardiovascular.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "brokenrow,with,too,few")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DictionarySourceError, match=r"cardiovascular.csv: line 4: expected 9 fields"):
        load_dictionary(folder, cache)
    assert (cache / COMPILED_NAME).read_bytes() == before
    assert not list(cache.glob("*.tmp"))


def test_combination_with_unknown_ingredient_is_refused(tmp_path):
    folder = _copy_sources(tmp_path)
    with open(folder / "combinations.csv", "a", encoding="utf-8") as f:
        f.write("Madeupcombo,warfarin;notadrug,,tablet\n")
    with pytest.raises(DictionarySourceError, match=r"combinations.csv: line \d+: unknown ingredient notadrug"):
        read_sources(folder)


@pytest.mark.parametrize(("file", "row", "message"), [
    ("combinations.csv", "Madeupcombo,warfarin;aspirin,5-10-20 mg,tablet",
     r'combinations.csv: line \d+: strength "5-10-20 mg" is not 2 amount\(s\)'),
    ("combinations.csv", "Madeupcombo,warfarin;aspirin,5-10,tablet",
     r"combinations.csv: line \d+: strength .*a number has no unit"),
    ("named_strengths.csv", "Madeup DS,brand,warfarin,5;10 mg,tablet,label",
     r"named_strengths.csv: line \d+: a name says one strength"),
    ("named_strengths.csv", "Madeup DS,generic,warfarin,5 mg,tablet,label",
     r"named_strengths.csv: line \d+: kind must be brand or common"),
    ("named_strengths.csv", "Madeup DS,brand,warfarin,5 mg,tablet,",
     r"named_strengths.csv: line \d+: source missing"),
    ("ingredients/cardiovascular.csv",
     "madeupdrug,,,,B01AA03,blood thinner,tablet,5;10 mg/kg,",
     r"cardiovascular.csv: line \d+: strength"),
])
def test_a_strength_the_reader_cannot_read_is_refused_at_build_time(tmp_path, file, row, message):
    folder = _copy_sources(tmp_path)
    with open(folder / file, "a", encoding="utf-8") as f:
        f.write(row + "\n")
    with pytest.raises(DictionarySourceError, match=message):
        read_sources(folder)


def test_canonical_and_ingredient_facts():
    d = get_dictionary()
    assert d.canonical("Coumadin") == "warfarin"
    assert d.canonical("paracetamol") == "acetaminophen"
    assert d.canonical("Bactrim DS") == ""  # two ingredients: not one generic
    warfarin = d.ingredient("Jantoven")
    assert warfarin is not None and warfarin.atc == "B01AA03" and warfarin.rxnorm == "11289"
    assert "blood thinner" in warfarin.plain_class
    assert "sodium" in warfarin.salts


def test_ingredients_by_atc_class():
    d = get_dictionary()
    ssris = d.with_atc("N06AB")
    assert {"sertraline", "citalopram", "escitalopram", "fluoxetine", "paroxetine"} <= set(ssris)
    assert "venlafaxine" not in ssris
    statins = d.with_atc("C10AA")
    assert {"simvastatin", "atorvastatin", "rosuvastatin", "pravastatin", "lovastatin"} <= set(statins)
    assert {"warfarin", "apixaban", "rivaroxaban", "clopidogrel"} <= set(d.with_atc("B01A"))


def test_cache_follows_content_not_file_times(tmp_path):
    """A frozen app unpacks its resources with new times at each start: no needless rebuild."""
    import os

    folder = _copy_sources(tmp_path)
    cache = tmp_path / "cache"
    load_dictionary(folder, cache)
    compiled = cache / COMPILED_NAME
    stamp = compiled.stat().st_mtime_ns
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (1_000_000, 1_000_000))
    load_dictionary(folder, cache)
    assert compiled.stat().st_mtime_ns == stamp


def test_other_atc_codes_count_for_class_lookups():
    """Codeine's main code is a cough code (R05DA04); as a pain medicine it is still an opioid."""
    d = get_dictionary()
    codeine = d.ingredients["codeine"]
    assert codeine.atc == "R05DA04" and "N02AA59" in codeine.atc_codes
    opioids = d.with_atc("N02A")
    assert {"codeine", "oxycodone", "morphine", "tramadol", "methadone"} <= set(opioids)
    assert "aspirin" in d.with_atc("N02BA") and "aspirin" in d.with_atc("B01AC")
    assert all(i.atc == (i.atc_codes[0] if i.atc_codes else "") for i in d.ingredients.values())
