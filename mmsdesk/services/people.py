"""The people of a practice (team mode): accounts, passphrases, sign-in.

A store with no people works as it always has (the sole proprietor's laptop, nobody signs
in). Once the first person is added -- a pharmacist -- opening the store asks who is working:
:func:`sign_in` checks the person's own passphrase and puts them on the store
(:meth:`Store.sign_in`), so every audit row names them and services know their role.

Passphrases are stored only as a salted scrypt hash, ``scrypt$n$r$p$salthex$hashhex``, and
compared in constant time. Wrong passphrases are counted per data file or per database
(:mod:`mmsdesk.store.attempts`): after a few, each further try waits longer.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, func, select

from mmsdesk.models.practice_people import Person
from mmsdesk.services.validation import ValidationError, optional_text, required_name
from mmsdesk.store.who import PHARMACIST, ROLES, TECHNICIAN, NotPermitted, Who

# scrypt cost: 2^15 x 8 x 1 uses 32 MiB and about 0.1 s per check on a laptop.
SCRYPT_N = 2 ** 15
SCRYPT_R = 8
SCRYPT_P = 1
_MAXMEM = 128 * 1024 * 1024
MIN_PASSPHRASE = 8
# The signed-in person's passphrase for scripts and tests (the CLI's --user, the window's)
USER_PASSPHRASE_ENV = "MMSDESK_USER_PASSPHRASE"
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")

__all__ = ["PHARMACIST", "TECHNICIAN", "NotPermitted", "PersonInfo", "SignInFailed"]


class SignInFailed(NotPermitted):
    """A login unknown or inactive, or a wrong passphrase: one sentence for the person."""


@dataclass(frozen=True)
class PersonInfo:
    id: int
    login: str
    name: str
    role: str
    credentials: str
    npi: str
    active: bool
    has_passphrase: bool


def _info(p: Person) -> PersonInfo:
    return PersonInfo(p.id or 0, p.login, p.name, p.role, p.credentials, p.npi, p.active,
                      bool(p.passphrase_hash))


# -- passphrase hashes
def hash_passphrase(passphrase: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R,
                    p: int = SCRYPT_P) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                            maxmem=_MAXMEM, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def passphrase_matches(passphrase: str, stored: str) -> bool:
    """Whether ``passphrase`` is the one ``stored`` was made from (constant-time compare)."""
    try:
        scheme, n, r, p, salt, want = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(passphrase.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n),
                             r=int(r), p=int(p), maxmem=_MAXMEM, dklen=len(want) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, bytes.fromhex(want))


def _passphrase_problem(passphrase: str) -> str | None:
    if len(passphrase or "") < MIN_PASSPHRASE:
        return f"Choose a passphrase of at least {MIN_PASSPHRASE} characters."
    return None


# -- the accounts
def has_people(store: Any) -> bool:
    """Whether this store belongs to a practice with people (then sign-in is required)."""
    with store.session() as s:
        return bool(s.exec(select(func.count()).select_from(Person)).one())


def list_people(store: Any, *, include_inactive: bool = True) -> list[PersonInfo]:
    with store.session() as s:
        q = select(Person).order_by(col(Person.name), col(Person.login))
        if not include_inactive:
            q = q.where(col(Person.active).is_(True))
        return [_info(p) for p in s.exec(q).all()]


def _check_fields(login: str, name: str, role: str, credentials: str, npi: str) -> dict[str, str]:
    from mmsdesk.services.validation import npi as npi_check

    errors: dict[str, str] = {}
    if not _LOGIN.match(login):
        errors["login"] = ("Choose a login of lower-case letters, digits, '.', '_' or '-' "
                           "(at most 64, starting with a letter or digit).")
    problem = required_name(name, "Name")
    if problem:
        errors["name"] = problem
    if role not in ROLES:
        errors["role"] = "The role is pharmacist or technician."
    problem = optional_text(credentials, "Credentials", 50)
    if problem:
        errors["credentials"] = problem
    if npi:
        problem = npi_check(npi)
        if problem:
            errors["npi"] = problem
    return errors


def add_person(store: Any, *, login: str, name: str, role: str = PHARMACIST,
               credentials: str = "", npi: str = "", passphrase: str | None = None
               ) -> PersonInfo:
    """A new person of the practice. The first one must be a pharmacist (the practice needs
    someone who can decide and sign); while nobody has a passphrase yet, nobody can sign in."""
    login, name, role = (login or "").strip().lower(), (name or "").strip(), (role or "").strip()
    credentials, npi = (credentials or "").strip(), (npi or "").strip()
    _require_manager(store, "add a person to the practice")
    errors = _check_fields(login, name, role, credentials, npi)
    if passphrase is not None:
        problem = _passphrase_problem(passphrase)
        if problem:
            errors["passphrase"] = problem
    with store.session() as s:
        if "login" not in errors and s.exec(select(Person).where(Person.login == login)).first():
            errors["login"] = f"The login {login} is taken; choose another."
        if role == TECHNICIAN and not _active_pharmacists(s):
            errors["role"] = ("The first person of a practice is a pharmacist: add the "
                              "pharmacist first.")
        if not passphrase and not s.exec(select(Person.id)).first():
            errors["passphrase"] = ("The practice's first person needs a passphrase: nobody "
                                    "could sign in otherwise.")
        if errors:
            raise ValidationError(errors)
        person = Person(login=login, name=name, role=role, credentials=credentials, npi=npi,
                        passphrase_hash=hash_passphrase(passphrase) if passphrase else "")
        s.add(person)
        s.flush()
        return _info(person)


def _active_pharmacists(s: Any) -> list[Person]:
    return list(s.exec(select(Person).where(Person.role == PHARMACIST,
                                            col(Person.active).is_(True))).all())


def _require_manager(store: Any, what: str) -> None:
    who = getattr(store, "who", None)
    if who is not None and not who.is_pharmacist:
        raise NotPermitted(f"Only a pharmacist can {what}; {who.name} is signed in as a "
                           "technician.")


def _person(s: Any, login: str) -> Person:
    person = s.exec(select(Person).where(Person.login == (login or "").strip().lower())).first()
    if person is None:
        raise ValidationError({"login": f"No person of the practice signs in as {login}."})
    return person


def set_passphrase(store: Any, login: str, passphrase: str) -> None:
    """Set or change a person's passphrase: their own, or anyone's by a pharmacist."""
    who = getattr(store, "who", None)
    if who is not None and who.login != (login or "").strip().lower():
        _require_manager(store, "set another person's passphrase")
    problem = _passphrase_problem(passphrase)
    if problem:
        raise ValidationError({"passphrase": problem})
    with store.session() as s:
        _person(s, login).passphrase_hash = hash_passphrase(passphrase)


def set_role(store: Any, login: str, role: str) -> PersonInfo:
    _require_manager(store, "change a person's role")
    if role not in ROLES:
        raise ValidationError({"role": "The role is pharmacist or technician."})
    who = getattr(store, "who", None)
    if who is not None and who.login == (login or "").strip().lower() and role != who.role:
        raise ValidationError({"role": "You cannot change your own role while signed in: "
                               "another pharmacist of the practice can."})
    with store.session() as s:
        person = _person(s, login)
        if role == TECHNICIAN and person.role == PHARMACIST and person.active:
            _keep_a_pharmacist(s, person, "a technician")
        person.role = role
        s.flush()
        return _info(person)


def set_active(store: Any, login: str, active: bool) -> PersonInfo:
    """Deactivate (they can no longer sign in; their name stays in the audit trail) or
    reactivate a person. The last active pharmacist stays."""
    _require_manager(store, "deactivate or reactivate a person")
    who = getattr(store, "who", None)
    if not active and who is not None and who.login == (login or "").strip().lower():
        raise ValidationError({"login": "You cannot deactivate your own account while signed "
                               "in: another pharmacist of the practice can."})
    with store.session() as s:
        person = _person(s, login)
        if not active and person.active and person.role == PHARMACIST:
            _keep_a_pharmacist(s, person, "inactive")
        person.active = active
        s.flush()
        return _info(person)


def _keep_a_pharmacist(s: Any, person: Person, becoming: str) -> None:
    if [p.id for p in _active_pharmacists(s)] == [person.id]:
        raise ValidationError({"role": f"{person.name} is the practice's last active "
                               f"pharmacist and cannot be made {becoming}: add or reactivate "
                               "another pharmacist first."})


# -- signing in
def _attempts_path(store: Any) -> Path:
    """Where wrong sign-ins are counted: beside the data file, or (a server store) in the
    temporary folder under a name made from the database's address."""
    try:
        base = Path(store.path)
    except Exception:  # noqa: BLE001 - a server store has no data file
        tag = hashlib.sha256(str(store.where).encode("utf-8")).hexdigest()[:16]
        base = Path(tempfile.gettempdir()) / f"mmsdesk-{tag}"
    return base.with_name(base.name + ".signin")


def sign_in(store: Any, login: str, passphrase: str) -> Who:
    """Check ``login``'s passphrase and put them on the store; :class:`SignInFailed` (one
    sentence) for an unknown or inactive login or a wrong passphrase, counted."""
    from mmsdesk.store import attempts

    counter = _attempts_path(store)
    try:
        attempts.check(counter)
    except attempts.TooSoon as exc:
        raise SignInFailed(str(exc)) from exc
    with store.session() as s:
        person = s.exec(select(Person).where(
            Person.login == (login or "").strip().lower())).first()
        ok = (person is not None and person.active and bool(person.passphrase_hash)
              and passphrase_matches(passphrase or "", person.passphrase_hash))
        if not ok or person is None or person.id is None:
            if person is None:  # spend the same time as a real check
                passphrase_matches(passphrase or "", _DUMMY_HASH)
            attempts.failed(counter)
            raise SignInFailed("That login and passphrase do not match an active person of "
                               "the practice.")
        who = Who(person.id, person.login, person.name, person.role)
    attempts.succeeded(counter)
    store.sign_in(who)
    return who


def still_active(store: Any) -> bool:
    """Whether the person signed in on ``store`` is still an active person of the practice,
    with the role they signed in with (True when nobody is signed in). One primary-key
    lookup: a window asks every few seconds, so a colleague's deactivation, or a change of
    role, ends a session already open (its writes are refused meanwhile: store/audit.py)."""
    who = getattr(store, "who", None)
    if who is None or who.person_id is None:  # nobody, or a laptop's charts taken along
        return True
    with store.engine.connect() as conn:
        t = Person.__table__  # type: ignore[attr-defined]
        row = conn.execute(select(t.c.active, t.c.role).where(t.c.id == who.person_id)).first()
    return row is not None and bool(row[0]) and row[1] == who.role


_DUMMY_HASH = "scrypt$32768$8$1$" + "00" * 16 + "$" + "00" * 32
