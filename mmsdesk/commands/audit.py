"""`mmsdesk audit verify` and `mmsdesk audit list --patient ID`: the hash-chained audit trail."""

from __future__ import annotations

import argparse
import sys

from mmsdesk.commands.common import CliError, open_store, print_json

BROKEN_EXIT = 4


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("audit", help="check or list the audit trail")
    asub = p.add_subparsers(dest="audit_command", required=True)
    v = asub.add_parser("verify", help="check that no audit entry was altered or removed")
    v.add_argument("--json", action="store_true", help="print JSON")
    v.add_argument("--deep", action="store_true",
                   help="also check every audited record against its last audit entry "
                        "(finds edits made outside MMS Desk)")
    v.set_defaults(func=cmd_verify)
    lst = asub.add_parser("list", help="list one patient's audit entries (hashes, no contents)")
    lst.add_argument("--patient", type=int, required=True, metavar="ID", help="patient id")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=cmd_list)


def cmd_verify(args: argparse.Namespace) -> int:
    from mmsdesk.store.audit_check import check_audit

    with open_store(args, create=False, write=False) as store:
        check = check_audit(store, deep=args.deep)
    report, head, records = check.chain, check.head, check.records
    if args.json:
        out = {"ok": check.ok, "entries_checked": report.rows,
               "first_bad_entry": report.first_bad_id, "problem": "; ".join(check.problems),
               "head": {"ok": head.ok, "problem": head.problem, "note": head.note}}
        if args.deep:
            out["records_checked"] = check.records_checked
            out["records"] = records
        print_json(out)
        return 0 if check.ok else BROKEN_EXIT
    if head.note:
        print(f"Note: {head.note}.", file=sys.stderr)
    for line in records:
        print(f"record: {line}")
    if not check.ok:
        raise CliError(f"audit trail BROKEN: {check.summary()} ({report.rows} entries checked)",
                       BROKEN_EXIT)
    deep = f", {check.records_checked} records match their last entry" if args.deep else ""
    print(f"Audit trail intact: {report.rows} entries checked{deep}.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from mmsdesk.store.audit import events_for_patient

    with open_store(args, create=False, write=False) as store, store.session() as s:
        rows = events_for_patient(s, args.patient)
    if args.json:
        print_json([r.__dict__ for r in rows])
        return 0
    for r in rows:
        print(f"{r.id:>7}  {r.at:%Y-%m-%d %H:%M:%S}  {r.actor[:20]:<20} {r.action:<8} "
              f"{r.entity:<22} "
              f"{r.entity_id:<8} {r.detail}")
    print(f"{len(rows)} entries")
    return 0
