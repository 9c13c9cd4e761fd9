"""`mmsdesk import-fhir FILE [--patient ID] [--json]` and `mmsdesk export-fhir PATIENT_ID OUT`."""

from __future__ import annotations

import argparse

from mmsdesk.commands.common import CliError, open_store, print_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    imp = sub.add_parser("import-fhir", help="import a FHIR R4 bundle (all or nothing)")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--patient", type=int, metavar="ID",
                     help="add to this patient (default: match by name and birth date, "
                          "or create a new patient)")
    imp.add_argument("--json", action="store_true", help="print JSON")
    imp.set_defaults(func=cmd_import)
    exp = sub.add_parser("export-fhir", help="write a patient's record as a FHIR R4 bundle")
    exp.add_argument("patient_id", type=int, metavar="PATIENT_ID")
    exp.add_argument("out", metavar="OUT.json")
    exp.set_defaults(func=cmd_export)


def cmd_import(args: argparse.Namespace) -> int:
    from datetime import date

    from mmsdesk.services.fhir_import import FhirImportService, ImportRefused

    with open_store(args) as store:
        try:
            result = FhirImportService(store).import_file(args.file, date.today(), args.patient)
        except ImportRefused as exc:
            raise CliError(f"not imported, nothing written: {exc}", 2) from None
    if args.json:
        print_json(result.as_json())
    else:
        who = "new patient" if result.patient_created else "existing patient"
        counts = ", ".join(f"{n} {k}" for k, n in result.created.items())
        print(f"Imported into {who} {result.patient_id}: {counts}")
    return 0


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
