"""Take along, bring back (team mode): charts copied to a laptop for a day of home visits.

**Take along** copies the chosen patients' charts from the practice's server into the laptop's
own store (with the prescribers, pharmacies, practice profile and service offerings they need),
keeping every record's uuid, and holds each patient on the server for the person who took it
until a given time: others can still read the chart and see who holds it until when; a second
person cannot take it along. On the laptop the copies are ordinary records: everything works
on them offline as on any chart.

**Bring back** writes each held patient back in one server transaction: records created
offline are inserted (new server ids, references turned into them by uuid), records changed
offline are updated, records deleted offline are deleted; the hold is released. If anything of
that patient changed on the server since it was taken (a record's version moved, a record was
added or deleted there), nothing of that patient is written: the differences come back side
by side (record, field, laptop value, server value) for the pharmacist to settle field by field
(:func:`settle`); then bring back again. Never merged silently.

On success the laptop's copies are removed: the server's chart is the one of record from then
on, and a stale copy on a laptop that travels would drift from it and keep patient data on the
road for nothing (the removal is in the laptop's audit trail).

The person signed in on the server who takes charts along is the one working on them away:
opening the laptop's store while it holds them (the window, the commands) signs that person in
there (:func:`sign_in_taker`), so its audit rows name them and a technician stays a technician;
and the server's audit rows for what comes back name them too, whoever brings it back (the
bring back itself and the hold's release name who brought it back). One person's charts at a
time on a laptop. Prescribers and pharmacies corrected away go back with the charts
(:mod:`mmsdesk.services.take_along_shared`).

What was taken (each record's server version and content hash, the hold, the server's address,
the person who took it: uuid, login, name, role) is kept beside the laptop's store in
``take_along.json``: uuids, versions and hashes, never patient data.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from mmsdesk.models import Patient
from mmsdesk.models.practice_people import PatientHold, Person
from mmsdesk.services import take_along_manifest as kept
from mmsdesk.services import take_along_shared as shared_back
from mmsdesk.services.chart_rows import (
    Row,
    Writer,
    chart_tables,
    describe,
    read_chart,
    read_shared,
    same,
    whole_of,
)
from mmsdesk.services.patient_holds import (  # noqa: F401 - re-exported: one API
    HoldInfo,
    TakeAlongRefused,
    active_hold,
    held_by,
    held_text,
    hold_info,
    holds,
    release,
    release_holds,
    who_name,
)
from mmsdesk.services.take_along_manifest import (  # noqa: F401 - re-exported: one API
    MANIFEST,
    away,
    sign_in_taker,
    taken_by,
    taker,
)
from mmsdesk.store import audit
from mmsdesk.store.conflicts import RecordChanged

Choice = Literal["laptop", "server"]
RECORD = "(record)"  # a Difference about a whole record: present on one side only


@dataclass(frozen=True)
class Difference:
    """One field of one record as the laptop has it and as the server has it now."""

    patient_uuid: str
    table: str
    key: str
    field: str  # RECORD when the record is on one side only
    laptop: Any
    server: Any
    label: str = ""  # which record, in words ("ingredient lisinopril 10 mg of Lisinopril …")

    @property
    def choice_key(self) -> tuple[str, str, str]:
        return (self.table, self.key, self.field)


@dataclass
class BringBackResult:
    brought_back: list[str]  # patient uuids written to the server
    differences: list[Difference]  # for the patients not written
    refused: list[str]  # one sentence per patient that could not be brought back

    @property
    def ok(self) -> bool:
        return not self.differences and not self.refused


# -- take along
def take_along(server: Any, laptop: Any, patient_ids: list[int], until: datetime,
               device: str | None = None) -> list[str]:
    """Copy the patients' charts (server ids) into ``laptop`` and hold them on the server.

    Returns the patients' uuids. Refused whole, with nothing copied or held, when one of them
    is held by someone (naming who and until when) or already on this laptop."""
    holder = who_name(server)
    who = getattr(server, "who", None)
    device = device or socket.gethostname()
    manifest = kept.load(laptop)
    taken: list[tuple[str, str, dict[tuple[str, str], Row]]] = []
    with server.session() as s:
        for pid in patient_ids:
            hold = active_hold(s, pid)
            if hold is not None:
                info = hold_info(s, hold)
                raise TakeAlongRefused(f"{info.patient_name} cannot be taken along: "
                                       f"{info.text[0].lower()}{info.text[1:]}.")
            if s.get(Patient, pid) is None:
                raise TakeAlongRefused(f"There is no patient {pid} in the practice database.")
        person = taker(server, s)
        before = manifest.get("person") if manifest["patients"] else person
        if (before or {}).get("uuid") != (person or {}).get("uuid"):
            first = next(iter(manifest["patients"].values()))
            raise TakeAlongRefused(f"This computer holds charts {first.get('holder')} took "
                                   f"along: bring them back before {holder} takes charts "
                                   "along here.")
        shared = read_shared(s, {})
        for pid in patient_ids:
            chart = read_chart(s, pid)
            puuid = next(r.key for (t, _), r in chart.items() if t == "patient")
            if puuid in manifest["patients"]:
                raise TakeAlongRefused("That chart is already taken along on this laptop: "
                                       "bring it back first.")
            hold = PatientHold(patient_id=pid, person_id=who.person_id if who else None,
                               holder_name=holder, device=device[:200],
                               until=until.astimezone(UTC) if until.tzinfo
                               else until.replace(tzinfo=UTC))
            s.add(hold)
            s.flush()
            audit.record_event(s, "take along", "patient", entity_id=str(pid), patient_id=pid,
                               detail=f"chart taken along until {until:%Y-%m-%d}")
            taken.append((puuid, hold.uuid, chart))
    signed = person is not None and laptop.who is None
    if signed:  # the copies are the taker's from now on: so are their audit rows
        laptop.sign_in(away(person))  # type: ignore[arg-type]
    try:
        with laptop.session() as ls:
            w = Writer(ls)
            waiting = set(shared_back.changed_away(ls, manifest))
            for row in shared:
                if (row.table, row.key) not in waiting:  # a correction made away stays
                    w.upsert_shared(row)
            for puuid, _, chart in taken:
                if w.find(chart[("patient", puuid)]) is not None:
                    raise TakeAlongRefused("That chart is already on this laptop (a copy not "
                                           "taken along): nothing was taken.")
                for t in chart_tables():
                    for (name, _), row in chart.items():
                        if name == t.name:
                            w.insert(row)
    except Exception:
        release_holds(server, [h for _, h, _ in taken], holder, "take along did not finish")
        if signed:
            laptop.sign_in(None)
        raise
    shared_back.note_taken(manifest, shared, waiting)
    if person is not None:
        manifest["person"] = person
    for puuid, hold_uuid, chart in taken:
        manifest["patients"][puuid] = {
            "server": getattr(server, "where", ""), "hold": hold_uuid, "holder": holder,
            "records": {kept.key(t, k): [r.version, r.hash] for (t, k), r in chart.items()}}
    kept.save(laptop, manifest)
    return [p for p, _, _ in taken]


# -- what differs
def _local_patient(ls: Session, puuid: str) -> int | None:
    return ls.execute(select(Patient.id).where(Patient.uuid == puuid)).scalar()


def _moved(taken: list[Any] | None, srv: Row | None) -> bool:
    if taken is None or srv is None:
        return (taken is None) != (srv is None)
    return bool(srv.version != taken[0] or srv.hash != taken[1])


def _differences(puuid: str, taken: dict[str, list[Any]], srv: dict[tuple[str, str], Row],
                 lap: dict[tuple[str, str], Row]) -> list[Difference]:
    out: list[Difference] = []
    every = {**srv, **lap}
    keys = set(srv) | set(lap) | {tuple(k.split("\t", 1)) for k in taken}
    moved = {k for k in keys if _moved(taken.get(kept.key(*k)), srv.get(k))}  # type: ignore[misc]
    # the wholes the server changed (a medicine whose ingredient or history it changed):
    # what the laptop changed in them is shown too, never added beside the server's
    wholes = {w for k in moved for w in (k, whole_of(srv.get(k) or lap.get(k) or _NONE))
              if w is not None}
    for table, key in sorted(keys):  # type: ignore[misc]
        s, lp = srv.get((table, key)), lap.get((table, key))
        if (table, key) not in moved:
            part = lp or s
            if part is None or whole_of(part) not in wholes:
                continue
            if s is not None and lp is not None and _identical({(table, key): s},
                                                               {(table, key): lp}):
                continue
        label = describe(lp or s, every) if (lp or s) else ""  # type: ignore[arg-type]
        if s is None or lp is None:
            if s is not None or lp is not None:
                out.append(Difference(puuid, table, key, RECORD,
                                      "present" if lp else "absent",
                                      "present" if s else "absent", label))
            continue
        out.extend(Difference(puuid, table, key, f, lp.values.get(f), v, label)
                   for f, v in s.values.items() if not same(lp.values.get(f), v))
    return out


_NONE = Row("", "", {}, None)


def _server_patient(s: Session, puuid: str) -> int | None:
    return s.execute(select(Patient.id).where(Patient.uuid == puuid)).scalar()


# -- bring back
def bring_back(server: Any, laptop: Any, patient_uuids: list[str] | None = None) -> BringBackResult:
    """Write each patient taken along back to the server, one transaction per patient."""
    manifest = kept.load(laptop)
    result = BringBackResult([], [], [])
    holder = who_name(server)
    if laptop.who is None:  # the laptop's copies are cleared in the taker's name
        sign_in_taker(laptop)
    for puuid, entry in list(manifest["patients"].items()):
        if patient_uuids is not None and puuid not in patient_uuids:
            continue
        with laptop.session() as ls:
            lpid = _local_patient(ls, puuid)
            lap = read_chart(ls, lpid) if lpid is not None else {}
            shared_refs = shared_back.refs(ls, lap)
            edits = shared_back.to_bring_back(ls, manifest, puuid, shared_refs)
        try:
            with server.session() as s:
                pid = _server_patient(s, puuid)
                hold = s.execute(select(PatientHold).where(
                    PatientHold.uuid == entry["hold"])).scalar()
                srv = read_chart(s, pid) if pid is not None else {}
                if hold is None or hold.released_at is not None:
                    if hold is not None and hold.released_by == holder \
                            and not hold.release_reason \
                            and (lpid is None or _identical(srv, lap)):
                        # brought back by a run that stopped before clearing the laptop
                        raise _AlreadyBack
                    by = f" by {hold.released_by}" if hold is not None else ""
                    result.refused.append(f"The hold on this chart was released{by}: the "
                                          "laptop's changes were not written.")
                    continue
                taken_shared, srv_shared = shared_back.scope(manifest, edits, s)
                diffs = _differences(puuid, {**entry["records"], **taken_shared},
                                     {**srv, **srv_shared}, {**lap, **edits})
                if diffs:
                    result.differences.extend(diffs)
                    continue
                refusal = _pharmacists_step(server, srv, lap)
                if refusal:
                    result.refused.append(refusal)
                    continue
                # the records name who worked on them away; the bring back, who brings back
                audit.set_session_actor(s, _worked_by(s, hold))
                w = Writer(s)
                shared_back.write(w, edits)
                _apply(w, srv, lap, shared_refs)
                now_shared = shared_back.written(s, edits)
                audit.set_session_actor(s, None)
                hold.released_at = datetime.now(UTC)
                hold.released_by = holder
                pid = _server_patient(s, puuid)
                audit.record_event(s, "bring back", "patient", entity_id=str(pid),
                                   patient_id=pid, detail=f"chart brought back from "
                                   f"{hold.device}"[:400])
        except RecordChanged as exc:
            result.refused.append(f"{exc} Bring it back again to see the differences.")
            continue
        except _AlreadyBack:
            now_shared = {}
        shared_back.note_seen(manifest, now_shared)
        with laptop.session() as ls:
            if lpid is not None:
                w = Writer(ls)
                for t in reversed(chart_tables()):
                    for (name, _), row in lap.items():
                        if name == t.name:
                            w.delete(row)
        del manifest["patients"][puuid]
        if not manifest["patients"]:  # nothing left away: nobody's laptop any more
            manifest.pop("person", None)
            manifest.pop("shared", None)
        kept.save(laptop, manifest)
        result.brought_back.append(puuid)
    return result


def _worked_by(s: Session, hold: PatientHold) -> str | None:
    """The person of the practice who took the chart along (None: nobody was signed in)."""
    if hold.person_id is None:
        return None
    person = s.get(Person, hold.person_id)
    return person.name if person is not None else hold.holder_name


def _pharmacists_step(server: Any, srv: dict[tuple[str, str], Row],
                      lap: dict[tuple[str, str], Row]) -> str:
    """A visit completed on the laptop reaches the chart only through a pharmacist: a
    technician bringing it back is refused, nothing written (a technician who took it along
    cannot complete it away either; this covers a copy made by an earlier version)."""
    who = getattr(server, "who", None)
    if who is None or who.is_pharmacist:
        return ""
    for (table, key), row in lap.items():
        done = srv.get((table, key))
        if table == "visit" and row.values.get("status") == "complete" and (
                done is None or done.values.get("status") != "complete"):
            return (f"A visit completed away is written to the chart only by a pharmacist; "
                    f"{who.name} is signed in as a technician: nothing of this chart was "
                    "written.")
    return ""


class _AlreadyBack(Exception):
    """The server already has this chart as the laptop has it, its hold released by its
    holder: only the laptop's copy is left to clear."""


def _identical(srv: dict[tuple[str, str], Row], lap: dict[tuple[str, str], Row]) -> bool:
    return set(srv) == set(lap) and all(
        same(lap[k].values.get(f), v) for k, r in srv.items() for f, v in r.values.items())


def _apply(w: Writer, srv: dict[tuple[str, str], Row], lap: dict[tuple[str, str], Row],
           shared_refs: list[Row]) -> None:
    for row in shared_refs:
        if w.find(row) is None:
            w.insert(row)
    for t in chart_tables():
        for (name, key), row in lap.items():
            if name != t.name:
                continue
            s = srv.get((name, key))
            if s is None:
                w.insert(row)
            elif s.hash != row.hash:
                w.update(w.find(s), row)
    for t in reversed(chart_tables()):
        for (name, key), row in srv.items():
            if name == t.name and (name, key) not in lap:
                w.delete(row)


# -- settle
def differences(server: Any, laptop: Any, patient_uuid: str) -> list[Difference]:
    """What :func:`settle` needs a choice for, read now from both stores."""
    manifest = kept.load(laptop)
    if patient_uuid not in manifest["patients"]:
        raise TakeAlongRefused("That chart is not taken along on this laptop.")
    return _compared(server, laptop, manifest, patient_uuid)[0]


def _compared(server: Any, laptop: Any, manifest: dict[str, Any], patient_uuid: str
              ) -> tuple[list[Difference], dict[tuple[str, str], Row],
                         dict[tuple[str, str], Row], list[Row]]:
    """The patient's differences, the server's and the laptop's rows (the chart and the
    corrections made away that go back with it), and the server's shared records."""
    entry = manifest["patients"][patient_uuid]
    with laptop.session() as ls:
        lpid = _local_patient(ls, patient_uuid)
        lap = read_chart(ls, lpid) if lpid is not None else {}
        edits = shared_back.to_bring_back(ls, manifest, patient_uuid,
                                          shared_back.refs(ls, lap))
    with server.session() as s:
        pid = _server_patient(s, patient_uuid)
        srv = read_chart(s, pid) if pid is not None else {}
        taken_shared, srv_shared = shared_back.scope(manifest, edits, s)
        every = read_shared(s, {})
    srv, lap = {**srv, **srv_shared}, {**lap, **edits}
    return (_differences(patient_uuid, {**entry["records"], **taken_shared}, srv, lap), srv,
            lap, every)


def settle(server: Any, laptop: Any, patient_uuid: str,
           choices: dict[tuple[str, str, str], Choice]) -> None:
    """Apply the pharmacist's choice for every difference of one patient to the laptop's copy
    ('server': take the server's value; 'laptop': keep hers) and count the server's records as
    seen, so that bringing back again writes the settled chart. Every difference must have a
    choice; the differences are read again from the server (they may have moved)."""
    manifest = kept.load(laptop)
    entry = manifest["patients"].get(patient_uuid)
    if entry is None:
        raise TakeAlongRefused("That chart is not taken along on this laptop.")
    if laptop.who is None:
        sign_in_taker(laptop)
    diffs, srv, lap, shared = _compared(server, laptop, manifest, patient_uuid)
    missing = [d for d in diffs if d.choice_key not in choices]
    if missing:
        names = ", ".join(f"{d.table}.{d.field}" for d in missing[:5])
        raise TakeAlongRefused(f"Choose the laptop's or the server's value for every "
                               f"difference ({len(missing)} left: {names}).")
    with laptop.session() as ls:
        w = Writer(ls)
        for row in shared:
            if w.find(row) is None:
                w.insert(row)
        seen = {(d.table, d.key) for d in diffs}
        # records: the server's copy added or removed on the laptop, parents first
        for t in chart_tables():
            for d in diffs:
                if d.table == t.name and d.field == RECORD and choices[d.choice_key] == "server" \
                        and d.server == "present":
                    w.insert(srv[(d.table, d.key)])
        for t in reversed(chart_tables()):
            for d in diffs:
                if d.table == t.name and d.field == RECORD and choices[d.choice_key] == "server" \
                        and d.server == "absent":
                    w.delete(lap[(d.table, d.key)])
        for d in diffs:
            if d.field != RECORD and choices[d.choice_key] == "server":
                row = srv[(d.table, d.key)]
                w.update(w.find(row), row, {d.field})
        for table, key in seen:
            s_row = srv.get((table, key))
            if shared_back.is_shared(table):  # a prescriber or pharmacy: the practice's
                shared_back.note_seen(manifest, {(table, key): s_row} if s_row else {})
            elif s_row is None:
                entry["records"].pop(kept.key(table, key), None)
            else:
                entry["records"][kept.key(table, key)] = [s_row.version, s_row.hash]
    kept.save(laptop, manifest)
