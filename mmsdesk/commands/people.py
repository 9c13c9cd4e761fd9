"""`mmsdesk people add|list|passphrase|deactivate|activate`: the people of a practice (team mode).

The first person added is the practice's pharmacist; from then on every command signs in
with ``--user LOGIN``. A new passphrase comes from ``MMSDESK_NEW_PASSPHRASE`` or is asked
twice at the terminal.
"""

from __future__ import annotations

import argparse
import os
import sys

from mmsdesk.commands.common import CliError, open_store, print_json

NEW_ENV = "MMSDESK_NEW_PASSPHRASE"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("people", help="the people of the practice: accounts and passphrases")
    psub = p.add_subparsers(dest="people_command", required=True)
    add = psub.add_parser("add", help="add a person (the first one: the pharmacist)")
    add.add_argument("login", help="what they sign in with (lower-case letters, digits, . _ -)")
    add.add_argument("--name", required=True, help="their name, as the audit trail shows it")
    add.add_argument("--role", choices=("pharmacist", "technician"), default="pharmacist")
    add.add_argument("--credentials", default="", help='e.g. "PharmD", "CPhT"')
    add.add_argument("--npi", default="", help="their NPI (10 digits)")
    add.set_defaults(func=cmd_add)
    lst = psub.add_parser("list", help="list the people of the practice")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=cmd_list)
    pw = psub.add_parser("passphrase", help="set or change a person's passphrase")
    pw.add_argument("login")
    pw.set_defaults(func=cmd_passphrase)
    for name, active in (("deactivate", False), ("activate", True)):
        a = psub.add_parser(name, help=("stop a person from signing in (their name stays in "
                                         "the audit trail)") if not active else
                            "let a deactivated person sign in again")
        a.add_argument("login")
        a.set_defaults(func=cmd_active, active=active)
    role = psub.add_parser("role", help="make a person a pharmacist or a technician")
    role.add_argument("login")
    role.add_argument("role", choices=("pharmacist", "technician"))
    role.set_defaults(func=cmd_role)


def _new_passphrase(login: str) -> str:
    env = os.environ.get(NEW_ENV)
    if env:
        return env
    if not sys.stdin.isatty():
        raise CliError(f"Give {login}'s new passphrase in {NEW_ENV} or run in a terminal.", 2)
    import getpass

    first = getpass.getpass(f"New passphrase of {login}: ")
    if getpass.getpass("Repeat it: ") != first:
        raise CliError("The two passphrases differ; nothing was changed.", 2)
    return first


def cmd_add(args: argparse.Namespace) -> int:
    from mmsdesk.services import people

    with open_store(args) as store:
        info = people.add_person(store, login=args.login, name=args.name, role=args.role,
                                 credentials=args.credentials, npi=args.npi,
                                 passphrase=_new_passphrase(args.login))
    print(f"Added {info.name} ({info.role}), who signs in as {info.login}.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from mmsdesk.services import people

    with open_store(args, create=False, write=False) as store:
        rows = people.list_people(store)
    if args.json:
        print_json([{"login": p.login, "name": p.name, "role": p.role,
                     "credentials": p.credentials, "npi": p.npi, "active": p.active,
                     "has_passphrase": p.has_passphrase} for p in rows])
        return 0
    for p in rows:
        state = "" if p.active else "  (inactive)"
        creds = f", {p.credentials}" if p.credentials else ""
        print(f"{p.login:<16} {p.name}{creds:<12} {p.role}{state}")
    print(f"{len(rows)} people" if len(rows) != 1 else "1 person")
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    from mmsdesk.services import people

    with open_store(args, create=False) as store:
        people.set_passphrase(store, args.login, _new_passphrase(args.login))
    print(f"The passphrase of {args.login} was changed.")
    return 0


def cmd_active(args: argparse.Namespace) -> int:
    from mmsdesk.services import people

    with open_store(args, create=False) as store:
        info = people.set_active(store, args.login, args.active)
    print(f"{info.name} can {'now' if info.active else 'no longer'} sign in.")
    return 0


def cmd_role(args: argparse.Namespace) -> int:
    from mmsdesk.services import people

    with open_store(args, create=False) as store:
        info = people.set_role(store, args.login, args.role)
    print(f"{info.name} is now a {info.role}.")
    return 0
