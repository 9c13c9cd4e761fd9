"""`mmsdesk patients list [--json]`."""

from __future__ import annotations

import argparse

from mmsdesk.commands.common import open_store, print_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("patients", help="list patients")
    psub = p.add_subparsers(dest="patients_command", required=True)
    lst = psub.add_parser("list", help="list every patient")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=cmd_list)


def cmd_list(args: argparse.Namespace) -> int:
    from mmsdesk.services.patients import PatientService

    with open_store(args, create=False, write=False) as store:
        rows = PatientService(store).list_rows()
    if args.json:
        print_json([{
            "id": r.id, "first_name": r.first_name, "last_name": r.last_name,
            "preferred_name": r.preferred_name, "date_of_birth": r.date_of_birth.isoformat(),
            "phone": r.phone, "payer": r.payer_type, "active_medications": r.active_medications,
        } for r in rows])
    else:
        for r in rows:
            print(f"{r.id:>5}  {r.display_name:<40} {r.date_of_birth.isoformat()}  "
                  f"{r.active_medications:>3} meds")
        print(f"{len(rows)} patients")
    return 0
