"""`mmsdesk people ...` and `--user LOGIN` (#22 team mode) as a practice runs them: on the
laptop's data file and on a PostgreSQL database."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

ANA = {"MMSDESK_USER_PASSPHRASE": "ana's own passphrase"}
TOM = {"MMSDESK_USER_PASSPHRASE": "tom's own passphrase"}

BUNDLE = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {
    "resourceType": "Patient", "id": "p1", "name": [{"family": "Müller", "given": ["José"]}],
    "gender": "male", "birthDate": "1944-05-06"}}]}


def _where(tmp_path, request, engine: str) -> list[str]:
    if engine == "postgresql":
        return ["--database", request.getfixturevalue("pg_database")]
    return ["--data-dir", str(tmp_path / "d")]


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_practice_adds_its_people_and_everyone_signs_in(tmp_path, request, engine):
    where = _where(tmp_path, request, engine)
    bundle = tmp_path / "patient.json"
    bundle.write_text(json.dumps(BUNDLE), encoding="utf-8")
    # no people: as today, nobody signs in
    first = run_cli(*where, "import-fhir", str(bundle), "--json")
    assert first.returncode == 0, first.stderr
    pid = json.loads(first.stdout)["patient_id"]
    refused = run_cli(*where, "--user", "ana", "patients", "list")
    assert refused.returncode == 2 and "has no people yet" in refused.stderr
    added = run_cli(*where, "people", "add", "ana", "--name", "Ana Ruiz", "--credentials",
                    "PharmD", env={"MMSDESK_NEW_PASSPHRASE": ANA["MMSDESK_USER_PASSPHRASE"]})
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Added Ana Ruiz (pharmacist), who signs in as ana."
    # from now on: sign in
    anon = run_cli(*where, "patients", "list", "--json")
    assert anon.returncode == 2 and anon.stdout == ""
    assert anon.stderr.strip() == ("mmsdesk: This practice's data is shared by its people: "
                                   "sign in with --user LOGIN.")
    wrong = run_cli(*where, "--user", "ana", "patients", "list",
                    env={"MMSDESK_USER_PASSPHRASE": "not hers"})
    assert wrong.returncode == 3 and wrong.stderr.strip() == (
        "mmsdesk: That login and passphrase do not match an active person of the practice.")
    tech = run_cli(*where, "--user", "ana", "people", "add", "tom", "--name", "Tom Lee",
                   "--role", "technician", env={**ANA, "MMSDESK_NEW_PASSPHRASE":
                                                 TOM["MMSDESK_USER_PASSPHRASE"]})
    assert tech.returncode == 0, tech.stderr
    again = run_cli(*where, "--user", "ana", "import-fhir", str(bundle), env=ANA)
    assert again.returncode == 0, again.stderr
    by_tom = run_cli(*where, "--user", "tom", "people", "add", "zed", "--name", "Zed",
                     env={**TOM, "MMSDESK_NEW_PASSPHRASE": "zed's passphrase"})
    assert by_tom.returncode == 2 and "Only a pharmacist can add a person" in by_tom.stderr
    listed = run_cli(*where, "--user", "tom", "people", "list", "--json", env=TOM)
    assert listed.returncode == 0, listed.stderr
    assert [(p["login"], p["name"], p["role"], p["active"]) for p in json.loads(
        listed.stdout)] == [("ana", "Ana Ruiz", "pharmacist", True),
                            ("tom", "Tom Lee", "technician", True)]
    last = run_cli(*where, "--user", "ana", "people", "deactivate", "ana", env=ANA)
    assert last.returncode == 2 and "your own account" in last.stderr  # and the last pharmacist
    off = run_cli(*where, "--user", "ana", "people", "deactivate", "tom", env=ANA)
    assert off.returncode == 0 and off.stdout.strip() == "Tom Lee can no longer sign in."
    assert run_cli(*where, "--user", "tom", "people", "list", env=TOM).returncode == 3
    # the audit trail names the person who signed in (the import before anyone: the OS login)
    trail = run_cli(*where, "--user", "ana", "audit", "list", "--patient", str(pid), "--json",
                    env=ANA)
    assert trail.returncode == 0, trail.stderr
    actors = [r["actor"] for r in json.loads(trail.stdout)]
    assert "Ana Ruiz" in actors and actors[-1] != "Ana Ruiz"  # newest first
    text = run_cli(*where, "--user", "ana", "audit", "list", "--patient", str(pid), env=ANA)
    assert "Ana Ruiz" in text.stdout
    verify = run_cli(*where, "--user", "ana", "audit", "verify", env=ANA)
    assert verify.returncode == 0 and verify.stdout.startswith("Audit trail intact:")
