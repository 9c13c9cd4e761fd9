"""The Pharmacist eCare Plan (#21 item 1): a completed demo CMR exports as a document Bundle
that validates, declares its profiles, and whose problems, goals and interventions equal the
visit's (read back from the file)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from mmsdesk.interop import fhir_profiles as prof
from mmsdesk.interop.fhir_careplan import DTP_CATEGORY, DTP_VALUE_SET, SECTIONS, dtp_code
from mmsdesk.models.enums import ProblemCategory
from mmsdesk.services.careplan_export import CarePlanRefused, careplan_bundle, export_careplan
from tests.conftest import run_cli
from tests.interop.test_fhir_profiles import validate

STATUS = {"accepted": {"in-progress", "completed"}, "modified": {"in-progress", "completed"},
          "declined": {"cancelled"}, "no_answer": {"stopped"},
          "pending": {"not-started", "in-progress"}}


def _completed_cmrs(store) -> list[int]:
    with store.session() as s:
        return [r[0] for r in s.execute(text(
            "SELECT id FROM visit WHERE service = 'cmr' AND status = 'complete' ORDER BY id"))]


def test_every_completed_demo_cmr_exports_a_valid_profiled_document(demo_store):
    ids = _completed_cmrs(demo_store)
    assert len(ids) >= 3
    for vid in ids:
        bundle = careplan_bundle(demo_store, vid)
        assert bundle["type"] == "document"
        comp = bundle["entry"][0]["resource"]
        assert comp["resourceType"] == "Composition"
        assert comp["meta"]["profile"] == [prof.PHCP_COMPOSITION]
        assert {s["code"]["coding"][0]["code"] for s in comp["section"]} == {
            c for c, _ in SECTIONS.values()}
        validate(bundle)
        urls = {e["fullUrl"] for e in bundle["entry"]}
        for section in comp["section"]:  # every section entry resolves inside the bundle
            assert {e["reference"] for e in section.get("entry", [])} <= urls


def test_problems_goals_and_interventions_read_back_equal_the_visit(demo_store, tmp_path):
    vid = _completed_cmrs(demo_store)[0]
    out = tmp_path / "ecp.json"
    n = export_careplan(demo_store, vid, out)
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert len(bundle["entry"]) == n
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    with demo_store.session() as s:
        problems = s.execute(text("SELECT uuid, category, description FROM drug_therapy_problem "
                                  "WHERE visit_id = :v ORDER BY id"), {"v": vid}).all()
        goals = s.execute(text("SELECT uuid, target, measure, due_on, problem_id FROM goal "
                               "WHERE visit_id = :v ORDER BY id"), {"v": vid}).all()
        recs = s.execute(text(
            "SELECT r.text, r.recipient, r.response, d.uuid, p.npi FROM recommendation r "
            "LEFT JOIN drug_therapy_problem d ON d.id = r.problem_id "
            "LEFT JOIN prescriber p ON p.id = r.prescriber_id "
            "WHERE r.visit_id = :v ORDER BY r.id"), {"v": vid}).all()
        active_meds = s.execute(text(
            "SELECT count(*) FROM medication_entry m JOIN visit v ON v.patient_id = m.patient_id "
            "WHERE v.id = :v AND m.status != 'stopped'"), {"v": vid}).scalar()
    assert problems and goals and recs

    dtps = [r for r in by_url.values()
            if prof.PHCP_MEDICATION_THERAPY_CONDITION in r.get("meta", {}).get("profile", [])]
    assert [(d["id"], d["code"]["coding"][-1]["system"], d["code"]["coding"][-1]["code"],
             d["code"]["text"]) for d in dtps] == [
        (u, DTP_CATEGORY, cat, desc) for u, cat, desc in problems]

    got_goals = [r for r in by_url.values() if r["resourceType"] == "Goal"]
    assert [(g["id"], g["description"]["text"], g["target"][0]["measure"]["text"],
             g["target"][0].get("dueDate")) for g in got_goals] == [
        (u, target or measure, measure, str(due) if due else None)
        for u, target, measure, due, _ in goals]

    careplan = next(r for r in by_url.values() if r["resourceType"] == "CarePlan")
    acts = [a["detail"] for a in careplan["activity"]]
    assert [a["description"] for a in acts] == [r[0] for r in recs]
    for act, (_text, recipient, response, problem_uuid, npi) in zip(acts, recs, strict=True):
        assert act["status"] in STATUS[response]
        assert f"Sent to the {recipient}" in act["statusReason"]["text"]
        performer = by_url[act["performer"][0]["reference"]]
        if recipient == "prescriber":
            assert performer["resourceType"] == "Practitioner"
            if npi:
                assert performer["identifier"][0]["value"] == npi
        elif recipient == "patient":
            assert performer["resourceType"] == "Patient"
        if problem_uuid:
            assert act["reasonReference"][0]["reference"] == f"urn:uuid:{problem_uuid}"
    meds = next(s for s in bundle["entry"][0]["resource"]["section"]
                if s["code"]["coding"][0]["code"] == SECTIONS["medications"][0])
    assert len(meds["entry"]) == active_meds
    with demo_store.session() as s:
        audit = s.execute(text("SELECT detail FROM audit_event WHERE entity = 'visit' "
                               "AND action = 'export'")).all()
    assert any("eCare Plan" in a[0] for a in audit)


SCT = "http://snomed.info/sct"


@pytest.mark.parametrize(("category", "snomed"), [
    (ProblemCategory.UNNECESSARY, None),
    (ProblemCategory.NEEDS_ADDITIONAL, None),
    (ProblemCategory.INEFFECTIVE, None),
    (ProblemCategory.DOSAGE_TOO_LOW, None),
    (ProblemCategory.ADVERSE_REACTION, ("62014003", "Adverse reaction caused by drug (disorder)")),
    (ProblemCategory.DOSAGE_TOO_HIGH, None),
    (ProblemCategory.ADHERENCE, ("702565001", "Non-compliance of drug therapy (finding)")),
])
def test_each_problem_category_codes_as_the_guide_prefers(category, snomed):
    """SNOMED CT first where a category has a checked concept (the PhCP binding, preferred, to
    the VSAC value set), our own category code always; the problem's words as the text."""
    code = dtp_code(category, "Forgets the evening dose")
    ours = {"system": DTP_CATEGORY, "code": str(category),
            "display": code["coding"][-1]["display"]}
    assert code["coding"][-1] == ours and ours["display"]
    assert code["coding"][:-1] == ([{"system": SCT, "code": snomed[0], "display": snomed[1]}]
                                   if snomed else [])
    assert code["text"] == "Forgets the evening dose"
    assert dtp_code(category, "")["text"] == ours["display"]


def test_the_value_set_cited_is_the_guides_binding():
    assert DTP_VALUE_SET.endswith("/ValueSet/2.16.840.1.113762.1.4.1096.213")
    assert len(ProblemCategory) == 7


def test_a_demo_adverse_reaction_exports_with_its_snomed_code(demo_store):
    with demo_store.session() as s:
        vid, uuid = s.execute(text(
            "SELECT visit_id, uuid FROM drug_therapy_problem "
            "WHERE category = 'adverse_drug_reaction' ORDER BY id")).first()
    bundle = careplan_bundle(demo_store, vid)
    dtp = next(e["resource"] for e in bundle["entry"] if e["resource"]["id"] == uuid)
    assert dtp["code"]["coding"][0] == {"system": SCT, "code": "62014003",
                                        "display": "Adverse reaction caused by drug (disorder)"}
    validate(bundle)


def test_a_draft_or_missing_visit_is_refused(demo_store):
    with demo_store.session() as s:
        s.execute(text("UPDATE visit SET status = 'draft' WHERE id = 1"))
        s.commit()
    with pytest.raises(CarePlanRefused, match="not completed"):
        careplan_bundle(demo_store, 1)
    with pytest.raises(CarePlanRefused, match="No visit"):
        careplan_bundle(demo_store, 999)


def test_cli_export_careplan(tmp_path):
    data = str(tmp_path / "d")
    assert run_cli("--data-dir", data, "demo").returncode == 0
    out = tmp_path / "ecp.json"
    res = run_cli("--data-dir", data, "export-careplan", "--visit", "1", str(out))
    assert res.returncode == 0, res.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["type"] == "document"
    bad = run_cli("--data-dir", data, "export-careplan", "--visit", "999", str(out))
    assert bad.returncode == 2 and "No visit" in bad.stderr
