"""`mmsdesk take-along`, `bring-back`, `settle`, `holds`, `release-hold` (team mode, #22).

Take along copies charts from the practice's database (``--database``) into this computer's own
data file (the ordinary ``--data-dir`` store), for home visits without a connection; bring back
writes them to the server again, one transaction per patient, and exits 3 with the differences
side by side when a chart was changed on the server meanwhile.
"""

from __future__ import annotations

import argparse
from typing import Any

from mmsdesk.commands.common import CliError, open_store, print_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    def database(p: argparse.ArgumentParser) -> None:
        p.add_argument("--database", metavar="URL", default=argparse.SUPPRESS,
                       help="the practice's PostgreSQL database (postgresql://USER@HOST/DB)")

    p = sub.add_parser("take-along", help="copy patients' charts from the practice database "
                       "to this computer and hold them there")
    database(p)
    p.add_argument("--patient", type=int, action="append", required=True, metavar="ID",
                   help="the patient's id in the practice database (repeat for several)")
    p.add_argument("--until", required=True, metavar="YYYY-MM-DD",
                   help="the day the charts are held until (end of that day, UTC)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_take_along)

    p = sub.add_parser("bring-back", help="write the charts taken along back to the practice "
                       "database and release their holds")
    database(p)
    p.add_argument("--patient", type=int, action="append", metavar="ID",
                   help="only this patient (id in the practice database; repeatable)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_bring_back)

    p = sub.add_parser("settle", help="choose the laptop's or the server's value for each "
                       "difference bring-back listed, then bring it back again")
    database(p)
    p.add_argument("--patient", type=int, required=True, metavar="ID",
                   help="the patient's id in the practice database")
    p.add_argument("--choose", action="append", default=[], metavar="RECORD/KEY/FIELD=SIDE",
                   help="one difference as bring-back --json lists it (record, key, field), "
                        "SIDE laptop or server; repeatable")
    p.add_argument("--keep", choices=("laptop", "server"),
                   help="the side for every difference not named with --choose")
    p.set_defaults(func=cmd_settle)

    p = sub.add_parser("holds", help="list the charts taken along and not yet brought back")
    database(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_holds)

    p = sub.add_parser("release-hold", help="end a hold without bringing the chart back")
    database(p)
    p.add_argument("--patient", type=int, required=True, metavar="ID")
    p.add_argument("--reason", default="", help="required when the hold is someone else's")
    p.set_defaults(func=cmd_release)


def _server(args: argparse.Namespace) -> Any:
    if not getattr(args, "database", None):
        raise CliError(f"`{args.command}` needs the practice database: --database "
                       "postgresql://USER@HOST/DATABASE.", 2)
    return open_store(args)


def _laptop(args: argparse.Namespace) -> Any:
    from mmsdesk.commands.common import _open_store

    return _open_store(argparse.Namespace(**{**vars(args), "database": None}))


def _uuids(server: Any, ids: list[int]) -> list[str]:
    from sqlalchemy import select

    from mmsdesk.models import Patient

    with server.session() as s:
        found = dict(s.execute(select(Patient.id, Patient.uuid)
                               .where(Patient.id.in_(ids))).all())  # type: ignore[union-attr]
    missing = [i for i in ids if i not in found]
    if missing:
        raise CliError(f"No patient {missing[0]} in the practice database.", 2)
    return [found[i] for i in ids]


def cmd_take_along(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime, time

    from mmsdesk.services import take_along as ta

    try:
        day = datetime.strptime(args.until, "%Y-%m-%d").date()
    except ValueError as exc:
        raise CliError(f"--until takes a date as YYYY-MM-DD, not {args.until!r}.", 2) from exc
    until = datetime.combine(day, time(23, 59), tzinfo=UTC)
    with _server(args) as server, _laptop(args) as laptop:
        try:
            taken = ta.take_along(server, laptop, args.patient, until)
        except ta.TakeAlongRefused as exc:
            raise CliError(str(exc), 3) from exc
    if args.json:
        print_json({"taken": taken, "until": until.isoformat()})
    else:
        print(f"{len(taken)} charts taken along until {until:%Y-%m-%d %H:%M} UTC")
    return 0


def cmd_bring_back(args: argparse.Namespace) -> int:
    from mmsdesk.services import take_along as ta

    with _server(args) as server, _laptop(args) as laptop:
        wanted = _uuids(server, args.patient) if args.patient else None
        result = ta.bring_back(server, laptop, wanted)
    if args.json:
        print_json({"brought_back": result.brought_back, "refused": result.refused,
                    "differences": [{"patient": d.patient_uuid, "record": d.table,
                                     "key": d.key, "field": d.field, "laptop": d.laptop,
                                     "server": d.server, "label": d.label}
                                    for d in result.differences]})
    else:
        print(f"{len(result.brought_back)} charts brought back")
        for line in result.refused:
            print(f"not brought back: {line}")
        for d in result.differences:
            print(f"to settle: {d.label}, {d.field}: laptop {d.laptop!r} | server "
                  f"{d.server!r}  [--choose {d.table}/{d.key}/{d.field}=laptop|server]")
    return 0 if result.ok else 3


def cmd_settle(args: argparse.Namespace) -> int:
    from mmsdesk.services import take_along as ta

    chosen: dict[tuple[str, str, str], Any] = {}
    for item in args.choose:
        where, _, side = item.rpartition("=")
        parts = where.split("/", 2)
        if side not in ("laptop", "server") or len(parts) != 3:
            raise CliError(f"--choose takes RECORD/KEY/FIELD=laptop|server, not {item!r}.", 2)
        chosen[(parts[0], parts[1], parts[2])] = side
    with _server(args) as server, _laptop(args) as laptop:
        (puuid,) = _uuids(server, [args.patient])
        try:
            diffs = ta.differences(server, laptop, puuid)
            unknown = set(chosen) - {d.choice_key for d in diffs}
            if unknown:
                raise CliError("No such difference: " + "/".join(sorted(unknown)[0]) + ".", 2)
            choices = {d.choice_key: chosen.get(d.choice_key, args.keep) for d in diffs}
            missing = [d for d in diffs if choices[d.choice_key] is None]
            if missing:
                d = missing[0]
                raise CliError(f"{len(missing)} differences have no choice (e.g. {d.table}/"
                               f"{d.key}/{d.field}): name each with --choose or give --keep.", 2)
            ta.settle(server, laptop, puuid, choices)
        except ta.TakeAlongRefused as exc:
            raise CliError(str(exc), 3) from exc
    print(f"{len(diffs)} differences settled; now run bring-back")
    return 0


def cmd_holds(args: argparse.Namespace) -> int:
    from mmsdesk.services import take_along as ta

    with _server(args) as server:
        rows = ta.holds(server)
    if args.json:
        print_json([{"patient_id": h.patient_id, "patient": h.patient_name,
                     "holder": h.holder, "device": h.device, "taken_at": h.taken_at,
                     "until": h.until, "overdue": h.overdue()} for h in rows])
    else:
        for h in rows:
            print(f"{h.patient_id:>5}  {h.patient_name:<30} {h.text}")
        print(f"{len(rows)} charts held")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from mmsdesk.services import take_along as ta

    with _server(args) as server:
        try:
            info = ta.release(server, args.patient, args.reason)
        except ta.TakeAlongRefused as exc:
            raise CliError(str(exc), 3) from exc
    print(f"Released {info.holder}'s hold on patient {info.patient_id}")
    return 0
