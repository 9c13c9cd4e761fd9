"""Discrepancy rules per kind of list, the decisions they allow, and the working list.

A discharge or prescriber's list says what the patient should take; bottles, the patient's own
list and a pharmacy's fill history say what she does take (services/visits/reconciliation.py).
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from mmsdesk.clinical.dictionary import parse_components
from mmsdesk.services.visits.draft import ReconItem, ReconSource, VisitDraft
from mmsdesk.services.visits.reconciliation import (
    decision_choices,
    find_discrepancies,
    kind_label,
    source_from_lines,
    stop_reason,
)
from mmsdesk.services.visits.working_list import working_list
from tests.conftest import TODAY, run_cli

LIST_DAY = date(2026, 11, 22)


def _chart_item(text: str, ingredients: list[str], strength: str, directions: str,
                frequency: str, mid: int) -> ReconItem:
    comps = list(parse_components(strength, ingredients)[0])
    return ReconItem(text, ingredients, directions, frequency, mid, comps, "oral tablet")


@pytest.fixture
def chart() -> ReconSource:
    return ReconSource("chart", "Chart", [
        _chart_item("Apixaban 5 MG Oral Tablet", ["apixaban"], "5 mg",
                    "Take 1 tablet by mouth twice a day", "bid", 1),
        _chart_item("Levothyroxine 0.088 MG", ["levothyroxine"], "0.088 mg",
                    "Take 1 tablet by mouth every morning", "daily", 2),
        _chart_item("Carbidopa 25 MG / Levodopa 100 MG", ["carbidopa", "levodopa"],
                    "25 mg / 100 mg", "Take 1 tablet by mouth three times a day", "tid", 3),
        _chart_item("Doxazosin 4 MG", ["doxazosin"], "4 mg",
                    "Take 1 tablet by mouth at bedtime", "daily", 4),
    ])


def _keys(chart: ReconSource, *lists: ReconSource) -> set[str]:
    return {d.key for d in find_discrepancies(chart, list(lists))}


SAME = ["apixaban 5 mg 1 tab twice a day", "Synthroid 88 mcg every morning",
        "levodopa-carbidopa 100-25 mg three times a day", "doxazosin 4 mg at bedtime"]

RULES = [
    # (kind of list, its lines, the discrepancies expected: exactly these)
    ("discharge_list", SAME, set()),  # other names, other notation, mcg for mg: the same list
    ("discharge_list", SAME[:3], {"not_on_list:doxazosin:4"}),
    ("prescriber_record", SAME[1:], {"not_on_list:apixaban:1"}),
    ("discharge_list", [*SAME, "cephalexin 500 mg 4 times a day"], {"omission:cephalexin"}),
    ("discharge_list", ["apixaban 2.5 mg twice a day", *SAME[1:]], {"dose:apixaban:1"}),
    ("discharge_list", ["apixaban 5 mg once a day", *SAME[1:]], {"frequency:apixaban:1"}),
    ("discharge_list", ["apixaban 5 mg 2 tabs twice a day", *SAME[1:]], {"dose:apixaban:1"}),
    ("bottle", SAME, set()),
    ("bottle", SAME[:3], {"commission:doxazosin:4"}),  # no list of what she should take
    ("patient", [*SAME, "ibuprofen 200 mg as needed"], {"omission:ibuprofen"}),
    ("pharmacy_record", ["apixaban 2.5 mg twice a day", *SAME[1:]], {"dose:apixaban:1"}),
    ("bottle", [*SAME, "apixaban 5 mg twice a day"], {"duplication:apixaban:bottle:None"}),
]


@pytest.mark.parametrize(("kind", "lines", "expected"), RULES)
def test_each_kind_of_list_against_the_chart(chart, kind, lines, expected):
    assert _keys(chart, source_from_lines(lines, kind, kind)) == expected


def test_bottles_beside_a_discharge_list_show_what_is_still_at_home(chart):
    discharge = source_from_lines(["apixaban 2.5 mg twice a day", *SAME[1:3]],
                                  "discharge_list", "Discharge list", LIST_DAY)
    bottles = source_from_lines(["Eliquis 5 mg 1 tab twice a day",  # the old strength
                                 "doxazosin 4 mg at bedtime",  # the hospital stopped it
                                 "Tylenol 500 mg as needed"],  # on neither list
                                "bottle", "Bottles")
    found = {d.key: d for d in find_discrepancies(chart, [discharge, bottles])}
    assert set(found) == {"dose:apixaban:1", "not_on_list:doxazosin:4",
                          "still_at_home:apixaban:bottle:strength",
                          "still_at_home:acetaminophen:bottle"}
    assert "still in: Bottles" in found["not_on_list:doxazosin:4"].detail
    assert kind_label(found["not_on_list:doxazosin:4"]) == "Not on the discharge list"
    old = found["still_at_home:apixaban:bottle:strength"]
    assert kind_label(old) == "Still at home" and "the strength to take is 2.5 mg" in old.detail
    assert [v for v, _ in decision_choices(old)] == ["leave_off", "ask_prescriber"]


@pytest.mark.parametrize(("key_start", "choices"), [
    ("omission", ["Add to the list: Cephalexin 500 mg", "Leave off the list",
                  "Ask the prescriber"]),
    ("not_on_list", ["Stop: remove from the list", "Keep on the list", "Ask the prescriber"]),
    ("dose", ["Change to 2.5 mg", "Keep the chart's dose", "Ask the prescriber"]),
])
def test_decisions_are_worded_as_their_result_on_the_list(chart, key_start, choices):
    discharge = source_from_lines(["apixaban 2.5 mg twice a day", "cephalexin 500 mg qid",
                                   *SAME[1:3]], "discharge_list", "Discharge list", LIST_DAY)
    d = next(d for d in find_discrepancies(chart, [discharge]) if d.key.startswith(key_start))
    assert [label for _v, label in decision_choices(d)] == choices


def test_stop_reasons_are_plain_words_for_the_patient(chart):
    discharge = source_from_lines(SAME[:3], "discharge_list", "Discharge", LIST_DAY)
    prescriber = source_from_lines(SAME[:3], "prescriber_record", "Dr Okafor's list", LIST_DAY)
    bottles = source_from_lines(SAME[:3], "bottle", "Bottles")
    for src, reason in ((discharge, "Stopped by the hospital, 11/22"),
                        (prescriber, "Stopped by the prescriber, 11/22"),
                        (bottles, "No longer taken, 11/24")):
        (d,) = find_discrepancies(chart, [src])
        assert stop_reason(d, TODAY) == reason
        d.patient_reason = "Made her dizzy"
        assert stop_reason(d, TODAY) == "Made her dizzy"


def test_the_working_list_is_the_chart_with_every_decision_applied(chart):
    draft = VisitDraft(1, "cmr", TODAY)
    discharge = source_from_lines(["apixaban 2.5 mg twice a day", *SAME[1:3],
                                   "cephalexin 500 mg 1 cap four times a day"],
                                  "discharge_list", "Discharge", LIST_DAY)
    draft.collect.sources = [chart, discharge]
    draft.collect.discrepancies = find_discrepancies(chart, [discharge])
    before = [(w.name, w.change) for w in working_list(draft)]
    assert all(change == "" for _n, change in before)  # nothing decided: the chart as it is
    by = {d.key.split(":")[0]: d for d in draft.collect.discrepancies}
    by["dose"].decision = "change"
    by["not_on_list"].decision = "stop"
    by["omission"].decision = "add"
    working = {w.name: w for w in working_list(draft)}
    assert working["Apixaban 2.5 mg tablet"].change == "changed"
    assert working["Apixaban 2.5 mg tablet"].directions == "Take 1 tablet by mouth twice a day"
    assert working["Doxazosin 4 mg tablet"].change == "stopped"
    assert working["Doxazosin 4 mg tablet"].stop_reason == "Stopped by the hospital, 11/22"
    assert working["Cephalexin 500 mg capsule"].change == "added"
    assert "Apixaban 5 mg tablet" not in working
    # a draft reopened from its JSON gives the same working list
    again = VisitDraft.from_json(draft.to_json())
    assert [(w.name, w.change) for w in working_list(again)] == \
        [(w.name, w.change) for w in working_list(draft)]


def test_reconcile_cli_compares_and_writes_nothing(tmp_path):
    data = tmp_path / "practice"
    assert run_cli("--data-dir", str(data), "--no-encryption", "demo").returncode == 0
    rows = json.loads(run_cli("--data-dir", str(data), "--no-encryption", "patients", "list",
                              "--json").stdout)
    pid = next(r["id"] for r in rows if r["last_name"] == "Kowalski")
    discharge = tmp_path / "discharge.txt"
    discharge.write_text("carbidopa-levodopa 25-100 mg 1 tab three times a day\n"
                         "apixaban 2.5 mg 1 tab twice a day\n", encoding="utf-8")
    bag = tmp_path / "bag.txt"
    bag.write_text("Eliquis 5 mg 1 tab twice a day\n", encoding="utf-8")
    before = (data / "mmsdesk.sqlite3").read_bytes()
    out = run_cli("--data-dir", str(data), "--no-encryption", "reconcile", "--patient", str(pid),
                  "--list", f"discharge={discharge}@11/22/2026", "--list", f"bottles={bag}",
                  "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    found = {(d["kind"], tuple(d["ingredients"])): d for d in result["discrepancies"]}
    dose = found[("dose", ("apixaban",))]
    assert dose["chart"].startswith("Apixaban 5 mg tablet (Eliquis)")
    assert dose["lists"] == {"Discharge list (discharge.txt)": "Apixaban 2.5 mg tablet 1 tab "
                                                                "twice a day",
                             "Patient's bottles (bag.txt)": "Apixaban 5 mg tablet (Eliquis) 1 tab "
                                                            "twice a day"}
    assert ("still_at_home", ("apixaban",)) in found
    assert ("not_on_list", ("doxazosin",)) in found
    assert not [k for k in found if k[1] == ("carbidopa", "levodopa")]  # other notation
    assert result["lists"][0]["date"] == "2026-11-22"
    assert (data / "mmsdesk.sqlite3").read_bytes() == before
    bad = run_cli("--data-dir", str(data), "--no-encryption", "reconcile", "--patient", str(pid),
                  "--list", f"hospital={discharge}")
    assert bad.returncode == 2 and "KIND" in bad.stderr
