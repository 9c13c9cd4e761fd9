"""`mmsdesk import-fhir FILE [--patient ID] [--json]` and `mmsdesk export-fhir PATIENT_ID OUT`."""

from __future__ import annotations

import argparse

from mmsdesk.commands.common import CliError, open_store


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    exp = sub.add_parser("export-fhir", help="write a patient's record as a FHIR R4 bundle")
    exp.add_argument("patient_id", type=int, metavar="PATIENT_ID")
    exp.add_argument("out", metavar="OUT.json")
    exp.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from mmsdesk.services.fhir_export import export_fhir

    with open_store(args, create=False) as store:
        try:
            n = export_fhir(store, args.patient_id, args.out)
        except LookupError as exc:
            raise CliError(str(exc), 2) from None
        except OSError as exc:
            raise CliError(f"could not write {args.out}: {exc.strerror}", 2) from None
    print(f"Wrote {n} resources to {args.out}")
    return 0
