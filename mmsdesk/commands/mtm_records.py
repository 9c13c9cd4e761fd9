"""`mmsdesk mtm records --from DATE --to DATE [--plan NAME] --out FILE.csv|.json [--pdf FILE]`:
one row per MTM service delivered, with the elements Part D plans report (services/mtm_records),
and the printable summary per plan."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mmsdesk.commands.common import CliError, open_store


def register_records(mtm: argparse.ArgumentParser, date_type) -> None:  # type: ignore[no-untyped-def]
    sub = mtm.add_subparsers(dest="mtm_command")
    rec = sub.add_parser("records", help="MTM services delivered, one row each, for the plans")
    rec.add_argument("--from", dest="start", type=date_type, required=True, help="first day")
    rec.add_argument("--to", dest="end", type=date_type, required=True, help="last day")
    rec.add_argument("--plan", help="one plan only (its name as on the patients' records)")
    rec.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.json")
    rec.add_argument("--pdf", type=Path, help="also write the printable summary per plan")
    rec.set_defaults(func=cmd_mtm_records)


def cmd_mtm_records(args: argparse.Namespace) -> int:
    from mmsdesk.services.mtm_records import export_records, export_summary, mtm_records

    if args.end < args.start:
        raise CliError("--to is before --from", 2)
    if args.out.suffix.lower() not in (".csv", ".json"):
        raise CliError("--out must end in .csv or .json", 2)
    with open_store(args, create=False) as store:
        data = mtm_records(store, args.start, args.end, args.plan)
        if args.plan and not data.plans:
            known = sorted({r.plan_name for r in mtm_records(store, args.start, args.end).records})
            print(f"No MTM service for plan {args.plan!r} in the period"
                  + (f" (plans with services: {', '.join(known)})" if known else ""),
                  file=sys.stderr)
        n = export_records(store, data, args.out)
        if args.pdf:
            export_summary(store, data, args.pdf)
    print(f"{n} MTM service(s) from {args.start.isoformat()} to {args.end.isoformat()} "
          f"written to {args.out}" + (f"; summary per plan in {args.pdf}" if args.pdf else ""))
    return 0
