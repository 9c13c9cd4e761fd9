"""`mmsdesk mtm records --from DATE --to DATE [--plan NAME] --out FILE.csv|.json [--pdf FILE]`:
one row per MTM service delivered, with the elements Part D plans report (services/mtm_records),
and the printable summary per plan.

`mmsdesk mtm offer PATIENT --on DATE --method mail|telephone|in_person|portal|other
[--plan NAME] [--notes TEXT] [--json]`: record that a CMR was offered (services/mtm_offers)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
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
    from mmsdesk.services.offer_methods import OFFER_METHODS

    offer = sub.add_parser("offer", help="record that a CMR was offered to a patient")
    offer.add_argument("patient", type=int, help="patient id")
    offer.add_argument("--on", dest="offered_on", type=date_type, required=True,
                       help="the day of the offer (YYYY-MM-DD)")
    offer.add_argument("--method", required=True, choices=list(OFFER_METHODS),
                       help="how the offer was made")
    offer.add_argument("--plan", help="the plan the offer was made for (default: the "
                                      "patient's plan)")
    offer.add_argument("--notes", default="", help="a note kept with the offer")
    offer.add_argument("--json", action="store_true", help="print the offer as JSON")
    offer.set_defaults(func=cmd_mtm_offer)


def cmd_mtm_offer(args: argparse.Namespace) -> int:
    from mmsdesk.services.mtm_offers import OfferError, record_offer

    with open_store(args, create=False) as store:
        try:
            row, _ = record_offer(store, args.patient, args.offered_on, args.method,
                                  today=date.today(), plan_name=args.plan, notes=args.notes)
        except OfferError as e:
            raise CliError(str(e), 2) from e
    if args.json:
        print(json.dumps({"id": row.id, "patient_id": row.patient_id,
                          "offered_on": row.offered_on.isoformat(), "method": row.method,
                          "plan_name": row.plan_name, "notes": row.notes}, ensure_ascii=False))
    else:
        print(f"CMR offer recorded for patient {row.patient_id}: {row.offered_on.isoformat()} "
              f"by {row.method_label.lower()}" + (f" ({row.plan_name})" if row.plan_name else ""))
    return 0


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
