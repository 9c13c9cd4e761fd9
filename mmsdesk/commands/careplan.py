"""`mmsdesk export-careplan --visit ID OUT.json`: a completed visit as a Pharmacist eCare Plan
(FHIR R4 document Bundle, HL7 Pharmacist Care Plan guide), and
`mmsdesk export-smp PATIENT_ID OUT.json [--visit ID]`: the Standardized Medication Profile
(the current list; with a completed visit, its Medication Action Plan too)."""

from __future__ import annotations

import argparse

from mmsdesk.commands.common import CliError, open_store


def register_careplan(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cp = sub.add_parser("export-careplan", help="write a completed visit as a Pharmacist eCare "
                                                "Plan (FHIR R4 document bundle)")
    cp.add_argument("--visit", type=int, required=True, metavar="ID", help="visit id")
    cp.add_argument("out", metavar="OUT.json")
    cp.set_defaults(func=cmd_export_careplan)
    smp = sub.add_parser("export-smp", help="write the patient's current medication list as a "
                                            "Standardized Medication Profile (FHIR R4)")
    smp.add_argument("patient_id", type=int, metavar="PATIENT_ID")
    smp.add_argument("out", metavar="OUT.json")
    smp.add_argument("--visit", type=int, metavar="ID",
                     help="a completed visit: add its Medication Action Plan")
    smp.set_defaults(func=cmd_export_smp)


def cmd_export_careplan(args: argparse.Namespace) -> int:
    from mmsdesk.services.careplan_export import CarePlanRefused, export_careplan

    with open_store(args, create=False) as store:
        try:
            n = export_careplan(store, args.visit, args.out)
        except CarePlanRefused as exc:
            raise CliError(str(exc), 2) from None
    print(f"Wrote the eCare Plan of visit {args.visit} ({n} resources) to {args.out}")
    return 0


def cmd_export_smp(args: argparse.Namespace) -> int:
    from mmsdesk.services.smp_export import export_smp

    with open_store(args, create=False) as store:
        try:
            n = export_smp(store, args.patient_id, args.out, args.visit)
        except (LookupError, ValueError) as exc:
            raise CliError(str(exc), 2) from None
    print(f"Wrote the medication profile ({n} resources) to {args.out}")
    return 0
