"""What a laptop took along (team mode), kept beside its store in ``take_along.json``, and who.

Per chart: the hold, the server's address, each record's server version and content hash;
per prescriber and pharmacy copied along, the same (:mod:`mmsdesk.services.take_along_shared`);
and the person who took the charts along (uuid, login, name, role). Never patient data.

That person is the one working on the charts away: opening the laptop's store while it holds
them signs them in there (:func:`sign_in_taker`: the window and the commands do), so its audit
rows name them and a technician stays a technician. The laptop has no person rows (the people
of the practice stay on the server), so nobody signs in there with a passphrase: the data
file's own passphrase guards it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mmsdesk.models.practice_people import Person
from mmsdesk.store.errors import StoreError
from mmsdesk.store.who import ROLES, TECHNICIAN, Who

MANIFEST = "take_along.json"


def _path(laptop: Any) -> Path:
    return Path(laptop.path).parent / MANIFEST


def load(laptop: Any) -> dict[str, Any]:
    p = _path(laptop)
    return json.loads(p.read_text("utf-8")) if p.exists() else {"patients": {}}


def save(laptop: Any, data: dict[str, Any]) -> None:
    p = _path(laptop)
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), "utf-8")
    tmp.replace(p)


def key(table: str, uuid: str) -> str:
    return f"{table}\t{uuid}"


# -- who works on the charts away
def taker(server: Any, s: Session) -> dict[str, str] | None:
    """The person signed in on the server, as the manifest keeps them (None: nobody)."""
    who = getattr(server, "who", None)
    if who is None:
        return None
    person = s.get(Person, who.person_id)
    return {"uuid": person.uuid if person is not None else "", "login": who.login,
            "name": who.name, "role": who.role}


def away(person: dict[str, str]) -> Who:
    """The taker on the laptop: no person row there, so no id; an unknown role is a
    technician's."""
    role = person.get("role", "")
    return Who(None, str(person.get("login", "")), str(person.get("name", "")),
               role if role in ROLES else TECHNICIAN)


def taken_by(store: Any) -> Who | None:
    """Who took along the charts ``store`` (a laptop's data file) holds; None when it holds
    none, when nobody was signed in on the server then, or for a server store. A store with
    people of its own is never signed in from the manifest (a file beside it, not a
    passphrase): its people sign in as always."""
    try:
        manifest = load(store)
    except StoreError:  # a server store has no data file, so no manifest
        return None
    person = manifest.get("person")
    if not (manifest["patients"] and person):
        return None
    with store.session() as s:
        if s.execute(select(Person.id).limit(1)).first() is not None:
            return None
    return away(person)


def sign_in_taker(store: Any) -> Who | None:
    """Opening a laptop's store that holds charts taken along: the person who took them is
    the one working on it (every audit row names them; a technician stays a technician)."""
    who = taken_by(store)
    if who is not None:
        store.sign_in(who)
    return who
