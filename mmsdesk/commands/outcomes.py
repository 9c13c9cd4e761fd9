"""Follow-up and outcomes commands (no Qt):

    mmsdesk outcomes --from DATE --to DATE [--csv PATH] [--pdf PATH] [--json]
    mmsdesk refills import --patient ID FILE [--map FIELD=HEADER ...]
    mmsdesk refills pdc --patient ID [--json] [--gap-days N]
    mmsdesk refills fills --patient ID [--json]
    mmsdesk followups ics [--days N] [--identify initials|id] [--out PATH]
    mmsdesk mtm --patient ID [--year YEAR] [--json]
    mmsdesk mtm records --from DATE --to DATE [--plan NAME] --out FILE.csv|.json [--pdf FILE]
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from mmsdesk.commands.common import CliError, open_store, print_json


def _date(text: str) -> date:
    from mmsdesk.services.validation import parse_date

    value, error = parse_date(text)
    if error or value is None:
        raise argparse.ArgumentTypeError(error or "a date is required")
    return value


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    out = sub.add_parser("outcomes", help="outcomes report over a period (text, CSV, PDF)")
    out.add_argument("--from", dest="start", type=_date, help="first day (default: a year ago)")
    out.add_argument("--to", dest="end", type=_date, help="last day (default: today)")
    out.add_argument("--csv", type=Path, help="write the figures as CSV to this file")
    out.add_argument("--pdf", type=Path, help="write the report as PDF to this file")
    out.add_argument("--json", action="store_true", help="print JSON")
    out.set_defaults(func=cmd_outcomes)

    ref = sub.add_parser("refills", help="pharmacy fill history and adherence (PDC)")
    rsub = ref.add_subparsers(dest="refills_command", required=True)
    imp = rsub.add_parser("import", help="import a fill history (CSV in any delimiter, or FHIR "
                          "MedicationDispense .json) for one patient, or for the patients a "
                          "CSV names (matched by name and birth date)")
    imp.add_argument("--patient", type=int, help="patient id (without it: each row's patient "
                                                 "is matched by name and birth date)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER",
                     help="column mapping, e.g. fill_date='Date Filled' (repeatable)")
    imp.add_argument("--pharmacy", metavar="NAME",
                     help="remember this file's --map for the pharmacy NAME, or use the "
                          "mapping remembered for it")
    imp.add_argument("--preview", action="store_true",
                     help="show what would be added and write nothing")
    imp.set_defaults(func=cmd_refills_import)
    pdc = rsub.add_parser("pdc", help="proportion of days covered per drug and class")
    pdc.add_argument("--patient", type=int, required=True)
    pdc.add_argument("--gap-days", type=int, default=30)
    pdc.add_argument("--hospital", action="append", default=[], metavar="FROM:TO",
                     help="an inpatient or skilled-nursing stay to leave out (repeatable)")
    pdc.add_argument("--json", action="store_true")
    pdc.set_defaults(func=cmd_refills_pdc)
    fills = rsub.add_parser("fills", help="the recorded fills as the pharmacy's file gave them "
                            "(NDC, Rx number, prescriber and NPI, sig, pharmacy)")
    fills.add_argument("--patient", type=int, required=True)
    fills.add_argument("--json", action="store_true")
    fills.set_defaults(func=cmd_refills_fills)

    fu = sub.add_parser("followups", help="follow-up reminders")
    fsub = fu.add_subparsers(dest="followups_command", required=True)
    ics = fsub.add_parser("ics", help="iCalendar file of upcoming follow-ups")
    ics.add_argument("--days", type=int, default=90, help="how far ahead (default 90)")
    ics.add_argument("--identify", choices=("initials", "id"), default="initials",
                     help="how events name the patient (never the full name)")
    ics.add_argument("--out", type=Path, help="file to write (default: standard output)")
    ics.set_defaults(func=cmd_followups_ics)

    mtm = sub.add_parser("mtm", help="Medicare Part D MTM eligibility and reviews due; "
                         "'mtm records' for the plans' MTM records")
    mtm.add_argument("--patient", type=int, help="patient id (required without a subcommand)")
    mtm.add_argument("--year", type=int, help="plan year (default: this year)")
    mtm.add_argument("--json", action="store_true")
    mtm.set_defaults(func=cmd_mtm)
    from mmsdesk.commands.mtm_records import register_records

    register_records(mtm, _date)


def cmd_outcomes(args: argparse.Namespace) -> int:
    from mmsdesk.reports import outcomes as report
    from mmsdesk.services.outcomes import OutcomesService

    end = args.end or date.today()
    start = args.start or end - timedelta(days=364)
    if end < start:
        raise CliError("--to is before --from", 2)
    with open_store(args, create=False) as store:
        service = OutcomesService(store)
        data = service.report(start, end)
        if args.csv:
            args.csv.write_bytes(service.export(data, "csv"))
        if args.pdf:
            args.pdf.write_bytes(service.export(data, "pdf"))
    if args.json:
        print_json({"start": start, "end": end, "series": data.series(),
                    "figures": dict(report.key_figures(data))})
    elif not (args.csv or args.pdf):
        print(f"Outcomes {start.isoformat()} to {end.isoformat()}")
        for label, value in report.key_figures(data):
            print(f"  {label}: {value}")
    for path in (args.csv, args.pdf):
        if path:
            print(f"Wrote {path}", file=sys.stderr)
    return 0


def cmd_refills_import(args: argparse.Namespace) -> int:
    from mmsdesk import settings
    from mmsdesk.interop.refill_csv import FIELDS, RefillImportError
    from mmsdesk.services.refills import import_file

    mapping: dict[str, str] = {}
    for item in args.map:
        field, sep, header = item.partition("=")
        if not sep or field not in FIELDS:
            raise CliError(f"--map {item!r}: use FIELD=HEADER with FIELD one of {', '.join(FIELDS)}", 2)
        mapping[field] = header
    if args.pharmacy:  # a mapping given is remembered for the pharmacy; else the remembered one
        saved = settings.load()
        if mapping:
            settings.save(saved.with_changes(refill_mappings={**saved.refill_mappings,
                                                              args.pharmacy: mapping}))
        else:
            mapping = dict(saved.refill_mappings.get(args.pharmacy, {}))
    with open_store(args, create=False) as store:
        try:
            if args.patient is None:
                return _refills_by_patient(store, args, mapping)
            if args.preview:
                return _refills_preview(store, args, mapping)
            result = import_file(store, args.patient, args.file, mapping or None, date.today())
        except RefillImportError as exc:
            raise CliError(str(exc), 2) from exc
        except LookupError as exc:
            raise CliError(str(exc), 2) from exc
    print(f"Imported {result.added} fills ({result.skipped_duplicates} already recorded)")
    return 0


def _refills_preview(store: Any, args: argparse.Namespace, mapping: dict[str, str]) -> int:
    from mmsdesk.services.refills import load_refill_file, new_rows

    parsed = load_refill_file(args.file, mapping or None, today=date.today())
    new, already = new_rows(store, args.patient, parsed.rows)
    print(f"Would import {new} fills ({already} already recorded); nothing written")
    return 0


def _refills_by_patient(store: Any, args: argparse.Namespace, mapping: dict[str, str]) -> int:
    from mmsdesk.services.refills import import_csv_patients

    result = import_csv_patients(store, args.file, mapping or None, date.today(),
                                 preview=args.preview)
    verb = "Would import" if args.preview else "Imported"
    for pid, n in result.added.items():
        print(f"{verb} {n} fills for patient {pid}")
    print(f"{result.skipped} already recorded"
          + ("; nothing written" if args.preview else ""))
    for line in result.unmatched:
        print(f"  no patient with this name and birth date: {line}")
    return 0


def cmd_refills_pdc(args: argparse.Namespace) -> int:
    from mmsdesk.services.refills import patient_adherence

    stays = []
    for item in args.hospital:
        first, sep, last = item.partition(":")
        usage = f"--hospital {item!r}: use FROM:TO with TO on or after FROM"
        if not sep:
            raise CliError(usage, 2)
        try:
            stays.append((_date(first), _date(last)))
        except argparse.ArgumentTypeError as exc:
            raise CliError(f"{usage} ({exc})", 2) from exc
        if stays[-1][1] < stays[-1][0]:
            raise CliError(usage, 2)
    with open_store(args, create=False) as store:
        summary = patient_adherence(store, args.patient, date.today(), gap_days=args.gap_days,
                                    hospital_stays=stays)
    rows = [{"scope": scope, "key": r.key, "pdc": None if r.pdc is None else round(r.pdc, 4),
             "days_covered": r.days_covered, "days": r.days_in_period, "fills": r.fills,
             "measurable": r.measurable, "below_80": r.below_threshold,
             "gaps": [{"start": g.start, "end": g.end, "days": g.days} for g in r.gaps]}
            for scope, results in (("drug", summary.by_drug), ("class", summary.by_class))
            for r in results]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            pdc = "—" if r["pdc"] is None else f"{r['pdc'] * 100:.0f}%"
            flag = "  BELOW 80%" if r["below_80"] else ""
            print(f"{r['scope']:<6}{r['key']:<36}{pdc:>6}  {r['days_covered']}/{r['days']} days{flag}")
    return 0


def cmd_refills_fills(args: argparse.Namespace) -> int:
    from mmsdesk.services.refills import fill_history

    with open_store(args, create=False) as store:
        rows = fill_history(store, args.patient)
    if args.json:
        print_json([r.as_json() for r in rows])
        return 0
    for r in rows:
        qty = "" if r.quantity is None else f"{r.quantity:g} "
        print(f"{r.fill_date.strftime('%m/%d/%Y')}  {r.drug}  {qty}for {r.days_supply} days"
              + "".join(f"  {label} {value}" for label, value in (
                  ("NDC", r.ndc), ("Rx", r.rx_number), ("by", r.prescriber),
                  ("NPI", r.prescriber_npi), ("at", r.pharmacy),
                  ("NCPDP", r.pharmacy_ncpdp)) if value)
              + (f"  sig: {r.sig}" if r.sig else ""))
    if not rows:
        print("No fills recorded.")
    return 0


def cmd_followups_ics(args: argparse.Namespace) -> int:
    from mmsdesk.services.dashboard import follow_ups_calendar

    with open_store(args, create=False) as store:
        text, n = follow_ups_calendar(store, date.today(), args.identify, args.days)
    if args.out:
        args.out.write_text(text, encoding="utf-8", newline="")
        print(f"Wrote {n} follow-ups to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_mtm(args: argparse.Namespace) -> int:
    from mmsdesk.services.eligibility import patient_eligibility

    if args.patient is None:
        raise CliError("mtm: --patient is required (or use 'mtm records')", 2)
    with open_store(args, create=False) as store:
        try:
            e = patient_eligibility(store, args.patient, date.today(), args.year)
        except LookupError as exc:
            raise CliError(str(exc), 2) from exc
    out = {"year": e.criteria.year, "eligible": e.eligible,
           "core_diseases": list(e.core_diseases), "part_d_drugs": e.part_d_drugs,
           "annual_cost": round(e.annual_cost, 2), "next_cmr": e.reviews.next_cmr,
           "next_tmr": e.reviews.next_tmr, "reasons": list(e.reasons),
           # keys added (#20): "meets" / "does not meet" / "cost not known", the kind of CMR
           # due, where the year's thresholds come from and whether to confirm them
           "verdict": e.verdict, "new_enrollee": e.reviews.new_enrollee,
           "threshold_source": e.criteria.source, "thresholds_to_confirm": e.criteria.to_confirm}
    if args.json:
        print_json(out)
    else:
        print(f"MTM {e.criteria.year}: {e.verdict} the targeting criteria"
              if e.verdict != "cost not known" else
              f"MTM {e.criteria.year}: cost not known: enter annual costs")
        for r in e.reasons:
            print(f"  {r}")
        print(f"  next CMR due: {e.reviews.next_cmr or '—'}; next TMR due: {e.reviews.next_tmr or '—'}")
    return 0
