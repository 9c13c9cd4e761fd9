"""The people of a practice (#22 team mode, item 2): accounts, passphrases, sign-in, the audit
trail naming the person. Runs on SQLite and PostgreSQL (tests/services/conftest.py)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from mmsdesk.models import MedicationEntry, Patient
from mmsdesk.models.practice_people import Person
from mmsdesk.services import people
from mmsdesk.services.validation import ValidationError
from mmsdesk.store import Store
from mmsdesk.store.audit import ACTOR, verify_chain
from mmsdesk.store.conflicts import RecordChanged
from mmsdesk.store.who import NotPermitted
from tests.conftest import med_entry

PASS = "correct horse battery"


def _second_handle(store):
    from mmsdesk.store.server import ServerStore, open_server

    if isinstance(store, ServerStore):
        return open_server(store.url.render_as_string(hide_password=False), ask=False)
    return Store.open(store.path)


def _team(store):
    people.add_person(store, login="ana", name="Ana Ruiz", role="pharmacist",
                      credentials="PharmD", npi="1234567893", passphrase=PASS)
    people.add_person(store, login="tom", name="Tom Lee", role="technician",
                      credentials="CPhT", passphrase="technician pass")


def test_a_store_without_people_needs_no_sign_in(store):
    assert not people.has_people(store)
    assert store.who is None


def test_the_passphrase_is_kept_only_as_a_salted_scrypt_hash(store):
    _team(store)
    with store.session() as s:
        stored = s.exec(select(Person.passphrase_hash).where(Person.login == "ana")).one()
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(people.SCRYPT_N), "8", "1")
    assert len(salt) == 32 and len(digest) == 64 and PASS not in stored
    assert people.passphrase_matches(PASS, stored)
    assert not people.passphrase_matches(PASS + "x", stored)
    assert people.hash_passphrase(PASS) != people.hash_passphrase(PASS)  # random salt


def test_fields_are_checked_each_with_its_key(store):
    with pytest.raises(ValidationError) as refused:
        people.add_person(store, login="Bad Login!", name="", role="boss",
                          npi="1234567890", passphrase="short")
    assert set(refused.value.errors) == {"login", "name", "role", "npi", "passphrase"}
    assert not people.has_people(store)


def test_the_first_person_is_a_pharmacist(store):
    with pytest.raises(ValidationError) as refused:
        people.add_person(store, login="tom", name="Tom Lee", role="technician")
    assert "first person of a practice is a pharmacist" in refused.value.errors["role"]
    _team(store)
    with pytest.raises(ValidationError, match="login ana is taken"):
        people.add_person(store, login="ANA", name="Another Ana")


def test_the_last_active_pharmacist_stays(store):
    _team(store)
    with pytest.raises(ValidationError, match="last active pharmacist"):
        people.set_active(store, "ana", False)
    with pytest.raises(ValidationError, match="last active pharmacist"):
        people.set_role(store, "ana", "technician")
    people.add_person(store, login="bo", name="Bo Park", passphrase="another pass")
    assert not people.set_active(store, "ana", False).active
    with pytest.raises(ValidationError, match="Bo Park is the practice's last active"):
        people.set_role(store, "bo", "technician")
    assert people.set_active(store, "ana", True).active
    assert people.set_role(store, "bo", "technician").role == "technician"
    listed = {p.login: (p.role, p.active) for p in people.list_people(store)}
    assert listed == {"ana": ("pharmacist", True), "bo": ("technician", True),
                      "tom": ("technician", True)}


def test_sign_in_checks_the_passphrase_and_counts_wrong_ones(store):
    _team(store)
    with pytest.raises(people.SignInFailed) as refused:
        people.sign_in(store, "ana", "wrong passphrase")
    assert str(refused.value) == ("That login and passphrase do not match an active person "
                                  "of the practice.")
    assert store.who is None
    for _ in range(2):
        with pytest.raises(people.SignInFailed, match="do not match"):
            people.sign_in(store, "nobody", PASS)
    with pytest.raises(people.SignInFailed, match="wait 1 s"):
        people.sign_in(store, "ana", PASS)  # after three wrong ones in a row, a wait
    from mmsdesk.store import attempts

    attempts.succeeded(people._attempts_path(store))
    who = people.sign_in(store, "ANA", PASS)
    assert (who.login, who.name, who.role) == ("ana", "Ana Ruiz", "pharmacist")
    assert store.who == who
    people.set_passphrase(store, "tom", "a new technician pass")
    people.set_active(store, "tom", False)
    with pytest.raises(people.SignInFailed):  # inactive: no sign-in, even with the passphrase
        people.sign_in(_second_handle(store), "tom", "a new technician pass")


def test_a_technician_cannot_manage_people(store):
    _team(store)
    people.sign_in(store, "tom", "technician pass")
    with pytest.raises(NotPermitted, match="Only a pharmacist can add a person"):
        people.add_person(store, login="zed", name="Zed")
    with pytest.raises(NotPermitted):
        people.set_passphrase(store, "ana", "taken over!")
    people.set_passphrase(store, "tom", "my own new pass")  # their own: allowed


def _patient(store) -> int:
    with store.session() as s:
        p = Patient(first_name="José", last_name="Müller", date_of_birth=date(1944, 5, 6))
        s.add(p)
        s.flush()
        s.add(med_entry(p.id, "Lisinopril 10 mg tablet", "lisinopril", indication="bp"))
    with store.session() as s:
        return s.exec(select(MedicationEntry.id)).one()


def test_every_audit_row_of_the_session_names_the_person_and_the_chain_verifies(store):
    _team(store)
    people.sign_in(store, "ana", PASS)
    _patient(store)
    other = _second_handle(store)  # another app on the same data, nobody signed in on it
    try:
        with other.session() as s:
            s.add(Patient(first_name="Other", last_name="Handle", date_of_birth=date(1950, 1, 1)))
        with store.session() as s:
            rows = s.exec(select(Person)).all()  # noqa: F841 - a read writes no audit row
        from mmsdesk.models import AuditEvent

        with store.session() as s:
            actors = [(a.entity, a.actor) for a in s.exec(
                select(AuditEvent).order_by(AuditEvent.id)).all()]
        by_entity = {}
        for entity, actor in actors:
            by_entity.setdefault(entity, set()).add(actor)
        assert by_entity["medication_entry"] == {"Ana Ruiz"}
        # the people added before anyone signed in: the OS login; the second store: its own
        assert by_entity["person"] == {ACTOR}
        assert by_entity["patient"] == {"Ana Ruiz", ACTOR}
        with store.engine.connect() as conn:
            assert verify_chain(conn).ok
    finally:
        other.close()


def test_the_conflict_names_the_person_who_saved_first(store):
    mid = _patient(store)
    _team(store)
    other = _second_handle(store)
    try:
        people.sign_in(other, "tom", "technician pass")
        with pytest.raises(RecordChanged, match=r"^This medication entry was changed by Tom Lee"):
            with store.session() as mine:
                my_med = mine.get(MedicationEntry, mid)
                with other.session() as theirs:
                    theirs.get(MedicationEntry, mid).notes = "with breakfast"
                my_med.indication = "kidney protection"
    finally:
        other.close()


def test_signing_in_again_after_a_lock_keeps_the_name(store):
    _team(store)
    people.sign_in(store, "ana", PASS)
    store.lock()
    store.unlock(None)
    _patient(store)
    from mmsdesk.models import AuditEvent

    with store.session() as s:
        actor = s.exec(select(AuditEvent.actor).where(AuditEvent.entity == "patient")).one()
    assert actor == "Ana Ruiz"


def _refused_whole(store, other, match: str) -> None:  # type: ignore[no-untyped-def]
    """A write through ``store`` is refused (``match``) and leaves nothing, seen through
    ``other``: no record, and an audit chain that still checks out."""
    with pytest.raises(NotPermitted, match=match):
        with store.session() as s:
            s.add(Patient(first_name="Not", last_name="Saved", date_of_birth=date(1950, 1, 1)))
    with other.session() as s:
        assert s.exec(select(Patient).where(Patient.last_name == "Saved")).first() is None
        assert verify_chain(s.connection()).ok


def test_a_deactivated_persons_open_session_can_no_longer_write(store):
    """A colleague deactivates Tom while his app is open: his next write is refused whole, in
    its own transaction (no audit row, no record), and the check says he is no longer active."""
    _team(store)
    people.add_person(store, login="bo", name="Bo Park", passphrase="another pass")
    people.sign_in(store, "tom", "technician pass")
    assert people.still_active(store)
    _patient(store)  # still active: writes as before
    other = _second_handle(store)
    try:
        people.sign_in(other, "ana", PASS)
        people.set_active(other, "tom", False)
        assert not people.still_active(store)
        _refused_whole(store, other, "^Tom Lee's account was deactivated by the practice: "
                                     "nothing was saved")
        people.set_active(other, "tom", True)  # back: his open session writes again
        assert people.still_active(store)
        with store.session() as s:
            s.add(Patient(first_name="Saved", last_name="Again", date_of_birth=date(1950, 1, 1)))
        with pytest.raises(ValidationError, match="cannot deactivate your own account"):
            people.set_active(other, "ana", False)
        people.set_active(other, "bo", False)  # another pharmacist: allowed
    finally:
        other.close()


def test_a_role_changed_while_signed_in_refuses_the_open_sessions_writes(store):
    """Ana makes Tom a technician while his session, signed in as a pharmacist, is open: he
    cannot go on writing as a pharmacist (the services read the role he signed in with); his
    next write is refused whole, and the window's check says to sign in again."""
    _team(store)
    other = _second_handle(store)
    try:
        people.sign_in(other, "ana", PASS)
        people.set_role(other, "tom", "pharmacist")
        people.sign_in(store, "tom", "technician pass")
        assert store.who.is_pharmacist and people.still_active(store)
        _patient(store)
        people.set_role(other, "tom", "technician")  # a colleague, meanwhile
        assert not people.still_active(store)
        _refused_whole(store, other, "^Tom Lee's role in the practice was changed: nothing "
                                     "was saved")
        people.sign_in(store, "tom", "technician pass")  # signed in again: as a technician
        assert not store.who.is_pharmacist and people.still_active(store)
        with store.session() as s:
            s.add(Patient(first_name="Saved", last_name="Again", date_of_birth=date(1950, 1, 1)))
        with pytest.raises(ValidationError, match="cannot change your own role"):
            people.set_role(other, "ana", "technician")
    finally:
        other.close()
