"""`mmsdesk export-careplan --visit ID OUT.json`: a completed visit as a Pharmacist eCare Plan
(FHIR R4 document Bundle, HL7 Pharmacist Care Plan guide)."""

from __future__ import annotations

import argparse

from mmsdesk.commands.common import CliError, open_store


def register_careplan(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cp = sub.add_parser("export-careplan", help="write a completed visit as a Pharmacist eCare "
                                                "Plan (FHIR R4 document bundle)")
    cp.add_argument("--visit", type=int, required=True, metavar="ID", help="visit id")
    cp.add_argument("out", metavar="OUT.json")
    cp.set_defaults(func=cmd_export_careplan)


def cmd_export_careplan(args: argparse.Namespace) -> int:
    from mmsdesk.services.careplan_export import CarePlanRefused, export_careplan

    with open_store(args, create=False) as store:
        try:
            n = export_careplan(store, args.visit, args.out)
        except CarePlanRefused as exc:
            raise CliError(str(exc), 2) from None
    print(f"Wrote the eCare Plan of visit {args.visit} ({n} resources) to {args.out}")
    return 0
