"""`mmsdesk audit verify` and `mmsdesk audit list --patient ID`: the hash-chained audit trail."""

from __future__ import annotations

import argparse

from mmsdesk.commands.common import CliError, open_store, print_json

BROKEN_EXIT = 4


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("audit", help="check or list the audit trail")
    asub = p.add_subparsers(dest="audit_command", required=True)
    v = asub.add_parser("verify", help="check that no audit entry was altered or removed")
    v.add_argument("--json", action="store_true", help="print JSON")
    v.set_defaults(func=cmd_verify)
    lst = asub.add_parser("list", help="list one patient's audit entries (hashes, no contents)")
    lst.add_argument("--patient", type=int, required=True, metavar="ID", help="patient id")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=cmd_list)


def cmd_verify(args: argparse.Namespace) -> int:
    from mmsdesk.store.audit import verify_chain

    with open_store(args, create=False) as store, store.engine.connect() as conn:
        report = verify_chain(conn)
    if args.json:
        print_json({"ok": report.ok, "entries_checked": report.rows,
                    "first_bad_entry": report.first_bad_id, "problem": report.problem})
        return 0 if report.ok else BROKEN_EXIT
    if not report.ok:
        raise CliError(f"audit trail BROKEN: {report.problem} "
                       f"({report.rows} entries checked)", BROKEN_EXIT)
    print(f"Audit trail intact: {report.rows} entries checked.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from mmsdesk.store.audit import events_for_patient

    with open_store(args, create=False) as store, store.session() as s:
        rows = events_for_patient(s, args.patient)
    if args.json:
        print_json([r.__dict__ for r in rows])
        return 0
    for r in rows:
        print(f"{r.id:>7}  {r.at:%Y-%m-%d %H:%M:%S}  {r.action:<8} {r.entity:<22} "
              f"{r.entity_id:<8} {r.detail}")
    print(f"{len(rows)} entries")
    return 0
