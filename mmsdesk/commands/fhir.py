"""`mmsdesk import-fhir FILE [--patient ID] [--json]`, `mmsdesk import FILE [--patient ID]
[--preview] [--json]` (FHIR bundle or C-CDA) and `mmsdesk export-fhir PATIENT_ID OUT`."""

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
    rec = sub.add_parser("import", help="import a patient's record from a FHIR R4 bundle or a "
                                        "C-CDA document (told from the content; all or nothing)")
    rec.add_argument("file", metavar="FILE")
    rec.add_argument("--patient", type=int, metavar="ID",
                     help="add to this patient (default: match by name and birth date, "
                          "or create a new patient)")
    rec.add_argument("--preview", action="store_true",
                     help="show what would be imported and write nothing")
    rec.add_argument("--json", action="store_true", help="print JSON")
    rec.set_defaults(func=cmd_import_record)
    exp = sub.add_parser("export-fhir", help="write a patient's record as a FHIR R4 bundle")
    exp.add_argument("patient_id", type=int, metavar="PATIENT_ID")
    exp.add_argument("out", metavar="OUT.json")
    exp.set_defaults(func=cmd_export)
    from mmsdesk.commands.careplan import register_careplan

    register_careplan(sub)


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


def cmd_import_record(args: argparse.Namespace) -> int:
    from datetime import date

    from mmsdesk.services.fhir_import import KINDS, FhirImportService, ImportRefused
    from mmsdesk.services.record_import import read_plan

    try:
        fmt, plan, summary = read_plan(args.file)
    except ImportRefused as exc:
        raise CliError(f"not imported, nothing written: {exc}", 2) from None
    with open_store(args) as store:
        service = FhirImportService(store)
        try:
            preview = service.preview(plan, args.patient)
            result = None if args.preview else service.commit(plan, date.today(), args.patient)
        except ImportRefused as exc:
            raise CliError(f"not imported, nothing written: {exc}", 2) from None
    if args.json:
        out = {"format": fmt, "patient": preview.patient_name,
               "existing_patient_id": preview.existing_patient_id,
               "to_create": preview.to_create, "already_on_record": preview.already_on_record,
               "skipped": preview.skipped,
               "document": summary.as_json() if summary else None}
        print_json(out | (result.as_json() if result else {}))
        return 0
    if summary is not None:
        print(f"C-CDA: {summary.document_type}"
              + (f", {summary.date.isoformat()}" if summary.date else "")
              + (f", by {summary.author}" if summary.author else "")
              + (f", {summary.organisation}" if summary.organisation else ""))
        for kind, label, n in summary.lists:
            print(f"  {label}: {n}" + (" (into the chart)" if kind in summary.charted else ""))
    who = (f"existing patient {preview.existing_patient_id}" if preview.existing_patient_id
           else "a new patient")
    print(f"{preview.patient_name}: into {who}; new: "
          + ", ".join(f"{preview.to_create[k]} {k}" for k in KINDS)
          + "; already there: " + ", ".join(f"{preview.already_on_record[k]} {k}" for k in KINDS))
    for line in preview.skipped:
        print(f"  not imported: {line}")
    if result is None:
        print("Preview only: nothing written.")
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
