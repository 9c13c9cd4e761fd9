"""The Standardized Medication Profile (#21 item 2): the current list from the chart, and from
a completed visit with its Medication Action Plan; valid, profiled, read back equal."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from mmsdesk.interop import fhir_profiles as prof
from mmsdesk.models.visit import Visit
from mmsdesk.services.document_data import load_draft
from mmsdesk.services.smp_export import export_smp, smp_bundle
from tests.conftest import TODAY, run_cli
from tests.interop.test_fhir_profiles import validate


def _current(store, pid: int) -> list[str]:
    with store.session() as s:
        return [r[0] for r in s.execute(text(
            "SELECT uuid FROM medication_entry WHERE patient_id = :p AND status != 'stopped' "
            "ORDER BY id"), {"p": pid})]


def _list(bundle):
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "List")


def test_every_demo_patients_list_is_an_smp_bundle_equal_to_the_chart(demo_store):
    with demo_store.session() as s:
        pids = [r[0] for r in s.execute(text("SELECT id FROM patient ORDER BY id"))]
    for pid in pids:
        bundle = smp_bundle(demo_store, pid, today=TODAY)
        assert bundle["meta"]["profile"] == [prof.SMP_BUNDLE]
        validate(bundle)
        by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
        items = [by_url[e["item"]["reference"]] for e in _list(bundle).get("entry", [])]
        assert [i["id"] for i in items] == _current(demo_store, pid)
        assert all(i["meta"]["profile"] == [prof.SMP_MEDICATION_STATEMENT] for i in items)
        assert not any(e["resource"]["resourceType"] == "Composition" for e in bundle["entry"])


def test_from_a_visit_the_action_plan_is_a_composition_with_its_items(demo_store, tmp_path):
    with demo_store.session() as s:
        vid, pid, draft_json = s.execute(text(
            "SELECT id, patient_id, draft_json FROM visit WHERE service = 'cmr' "
            "AND status = 'complete' ORDER BY id")).first()
        goals = [r[0] for r in s.execute(text(
            "SELECT target FROM goal WHERE visit_id = :v ORDER BY id"), {"v": vid})]
    draft = load_draft(Visit(draft_json=draft_json))
    items = draft.plan.action_items
    assert items
    out = tmp_path / "smp.json"
    n = export_smp(demo_store, pid, out, vid, TODAY)
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert len(bundle["entry"]) == n
    validate(bundle)
    comp = bundle["entry"][0]["resource"]
    assert comp["resourceType"] == "Composition" and comp["title"] == "Medication Action Plan"
    actions = comp["section"][0]["text"]["div"]
    for a in items:
        assert a.talked_about.replace("'", "&#x27;") in actions
        assert a.to_do.replace("'", "&#x27;") in actions
    assert comp["section"][1]["entry"][0]["reference"] == next(
        e["fullUrl"] for e in bundle["entry"] if e["resource"]["resourceType"] == "List")
    goal_div = comp["section"][2]["text"]["div"]
    assert all(g in goal_div for g in goals)


def test_a_visit_of_another_patient_or_a_draft_is_refused(demo_store):
    with demo_store.session() as s:
        s.execute(text("UPDATE visit SET status = 'draft' WHERE id = 3"))
        s.commit()
        pid3 = s.execute(text("SELECT patient_id FROM visit WHERE id = 3")).scalar()
        other = s.execute(text("SELECT patient_id FROM visit WHERE id = 1")).scalar()
    with pytest.raises(ValueError, match="not completed"):
        smp_bundle(demo_store, pid3, 3)
    with pytest.raises(LookupError, match="No visit 1"):
        smp_bundle(demo_store, pid3 if pid3 != other else other + 1, 1)


def test_cli_export_smp(tmp_path):
    data = str(tmp_path / "d")
    assert run_cli("--data-dir", data, "demo").returncode == 0
    out = tmp_path / "smp.json"
    res = run_cli("--data-dir", data, "export-smp", "1", str(out), "--visit", "1")
    assert res.returncode == 0, res.stderr
    types = [e["resource"]["resourceType"] for e in json.loads(out.read_text())["entry"]]
    assert types[:2] == ["Composition", "List"]
    bad = run_cli("--data-dir", data, "export-smp", "999", str(out))
    assert bad.returncode == 2 and "No patient" in bad.stderr
