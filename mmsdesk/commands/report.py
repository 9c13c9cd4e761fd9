"""`mmsdesk report`: print a patient or prescriber document to a PDF file (no Qt).

    mmsdesk report KIND --patient ID [--visit ID] [--lang es] [--large-print] --out FILE.pdf
    mmsdesk report pml --patient ID --compact --out FILE.pdf   (portrait, dates under each)
    mmsdesk report prescriber-letter --patient ID --with-list --out FILE.pdf
    mmsdesk report gfe --patient ID --follow-up ID --out FILE.pdf   (a planned follow-up's)
    mmsdesk report pml --fhir BUNDLE.json [--lang es] [--large-print] --out FILE.pdf

KIND is one of pml, map, cms-summary, prescriber-letter, visit-note, calendar, invoice,
claim (a CMS-1500-style claim summary for payers that take paper) and gfe (a Good Faith
Estimate for a self-pay patient, stored with the visit the first time it is printed; with
--follow-up, the estimate for a follow-up planned at a visit, before it takes place, with a
warning on stderr when it is given after the deadline of 45 CFR 149.610(b)(1)(vi)).
A document printed before the practice's details are set up carries a warning banner, and
the command says so on stderr.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from mmsdesk.commands.common import CliError, open_store

KINDS = ("pml", "map", "cms-summary", "prescriber-letter", "visit-note", "calendar", "invoice",
         "claim", "gfe")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("report", help="write a patient or prescriber document as PDF",
                       description="Write a document as PDF: " + ", ".join(KINDS) + ".")
    p.add_argument("kind", choices=KINDS, metavar="KIND", help=" | ".join(KINDS))
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--patient", type=int, metavar="ID", help="patient id")
    src.add_argument("--fhir", type=Path, metavar="BUNDLE.json",
                     help="print a medication list straight from a FHIR R4 bundle (pml only)")
    p.add_argument("--visit", type=int, metavar="ID",
                   help="visit id (default: the patient's latest visit)")
    p.add_argument("--lang", choices=("en", "es"),
                   help="language of a patient document (default: the patient's preferred one)")
    p.add_argument("--large-print", action="store_true", help="large print (16 pt body)")
    p.add_argument("--compact", action="store_true",
                   help="pml: the compact portrait form (dates under each medicine)")
    p.add_argument("--with-list", action="store_true",
                   help="prescriber-letter: attach the current medication list (after the visit)")
    p.add_argument("--follow-up", type=int, metavar="ID", dest="follow_up",
                   help="gfe: the Good Faith Estimate of this planned follow-up")
    p.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="PDF file to write")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    if args.out.parent and not args.out.parent.exists():
        raise CliError(f"--out: the folder {args.out.parent} does not exist", 2)
    if args.fhir is not None:
        return _from_fhir(args)
    from mmsdesk.services.documents import practice_info, render_document, save_document

    follow_up = getattr(args, "follow_up", None)
    if follow_up is not None and args.kind != "gfe":
        raise CliError("--follow-up applies to gfe only", 2)
    late = ""
    with open_store(args, create=False) as store:
        try:
            if follow_up is not None:
                from mmsdesk.services.estimates import issue_follow_up_estimate

                late = issue_follow_up_estimate(store, args.patient, follow_up,
                                                date.today()).warning()
            pdf = render_document(store, args.kind, args.patient, visit_id=args.visit,
                                  lang=args.lang, large_print=args.large_print,
                                  today=date.today(), compact=args.compact,
                                  attach_list=args.with_list, follow_up_id=follow_up)
        except LookupError as exc:
            raise CliError(str(exc).strip("'\""), 2) from exc
        save_document(store, args.kind, args.patient, pdf, args.out, visit_id=args.visit)
        missing = practice_info(store).missing
    if missing:
        print("Warning: the practice's details are missing (" + ", ".join(missing) + "); the "
              "document says so in red. Enter them in Settings.", file=sys.stderr)
    if late:
        print(f"Warning: {late}", file=sys.stderr)
    print(f"Wrote {args.out}", file=sys.stderr)
    return 0


def _from_fhir(args: argparse.Namespace) -> int:
    if args.kind != "pml":
        raise CliError("--fhir prints a medication list only: use `mmsdesk report pml --fhir`", 2)
    if args.visit is not None:
        raise CliError("--visit does not apply to --fhir", 2)
    from mmsdesk.interop.fhir_bundle import BundleError
    from mmsdesk.interop.fhir_import import FhirImportError
    from mmsdesk.reports import pml
    from mmsdesk.services.document_fhir import document_from_fhir
    from mmsdesk.services.documents import practice_info, save_document

    store = _optional_store(args)
    try:
        practice = practice_info(store) if store is not None else None
        try:
            data = document_from_fhir(args.fhir, today=date.today(), lang=args.lang,
                                      large_print=args.large_print, practice=practice)
            if args.compact:
                from dataclasses import replace

                data = replace(data, compact=True)
        except (BundleError, FhirImportError, OSError) as exc:
            raise CliError(str(exc), 2) from exc
        pdf = pml.build_pdf(data)
        if store is not None:
            save_document(store, "pml", None, pdf, args.out)
        else:
            args.out.write_bytes(pdf)
    finally:
        if store is not None:
            store.close()
    print(f"Wrote {args.out}", file=sys.stderr)
    return 0


def _optional_store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The store for the letterhead and the audit trail, when there is one to open."""
    from mmsdesk import paths

    if not paths.store_path().exists():
        return None
    try:
        return open_store(args, create=False)
    except CliError:
        return None
