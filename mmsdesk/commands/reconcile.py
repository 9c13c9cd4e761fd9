"""`mmsdesk reconcile --patient ID --list KIND=FILE [--list KIND=FILE ...] [--json]`.

Compares the patient's chart with lists of a kind (discharge, prescriber, pharmacy, bottles,
patient, other), with the same rules as the visit wizard, and writes nothing. FILE is a FHIR
R4 bundle, a C-CDA document (its discharge list, else its current medications, dated by the
document) or a text file with one medicine a line, told from its content; KIND=FILE@MM/DD/YYYY
gives the list's date.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from mmsdesk.commands.common import CliError, open_store, print_json

KINDS = {"discharge": "discharge_list", "prescriber": "prescriber_record",
         "pharmacy": "pharmacy_record", "bottles": "bottle", "patient": "patient",
         "other": "import"}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("reconcile", help="compare a patient's chart with other medication lists")
    p.add_argument("--patient", type=int, required=True, metavar="ID", help="patient id")
    p.add_argument("--list", action="append", required=True, metavar="KIND=FILE",
                   dest="lists", help=f"a list to compare; KIND is one of {', '.join(KINDS)}; "
                                      "FILE a FHIR bundle, a C-CDA or one medicine a line; add "
                                      "@MM/DD/YYYY for the list's date")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_reconcile)


def _read_list(spec: str) -> Any:
    from mmsdesk.services.validation import parse_date
    from mmsdesk.services.visits.reconciliation import LIST_KIND_LABELS, source_from_file

    kind, sep, rest = spec.partition("=")
    if not sep or kind not in KINDS or not rest:
        raise CliError(f"--list {spec!r}: write KIND=FILE with KIND one of {', '.join(KINDS)}",
                       code=2)
    file, _, when = rest.partition("@")
    listed_on = None
    if when:
        listed_on, error = parse_date(when, "List date")
        if error:
            raise CliError(f"--list {spec!r}: {error}", code=2)
    source = KINDS[kind]
    path = Path(file)
    label = f"{LIST_KIND_LABELS[source]} ({path.name})"
    try:  # a FHIR bundle, a C-CDA or one medicine a line, told from the content
        return source_from_file(path, source, label, listed_on)
    except OSError as exc:
        raise CliError(f"{path}: cannot be read ({exc.strerror or exc})", code=2) from None
    except ValueError as exc:
        raise CliError(str(exc), code=2) from None


def _describe(item: Any) -> str:
    return " ".join(x for x in (item.name, item.directions) if x)


def cmd_reconcile(args: argparse.Namespace) -> int:
    from mmsdesk.services.patients import PatientService
    from mmsdesk.services.visits.reconciliation import (
        chart_source,
        decision_choices,
        find_discrepancies,
        kind_label,
        match_key,
    )

    lists = [_read_list(spec) for spec in args.lists]
    with open_store(args, create=False) as store:
        try:
            PatientService(store).get(args.patient)
        except LookupError:
            raise CliError(f"no patient with id {args.patient}") from None
        chart = chart_source(store, args.patient)
    found = find_discrepancies(chart, lists)
    out = []
    for d in found:
        c_item = next((i for i in chart.items if d.medication_id is not None
                       and i.medication_id == d.medication_id), None)
        anchor = d.source_item or c_item
        key = match_key(anchor) if anchor is not None else ";".join(sorted(d.ingredients))
        on_lists = {}
        for src in lists:
            items = [i for i in src.items if match_key(i) == key]
            if items:
                on_lists[src.label] = "; ".join(_describe(i) for i in items)
        out.append({"kind": d.kind, "label": kind_label(d), "ingredients": list(d.ingredients),
                    "chart": _describe(c_item) if c_item else None, "lists": on_lists,
                    "detail": d.detail, "key": d.key,
                    "choices": [label for _v, label in decision_choices(d)]})
    if args.json:
        print_json({"patient_id": args.patient,
                    "lists": [{"label": s.label, "kind": s.source, "medicines": len(s.items),
                               "date": s.listed_on.isoformat() if s.listed_on else None}
                              for s in lists],
                    "discrepancies": out})
        return 0
    for x in out:
        print(f"{x['label']}: {', '.join(x['ingredients'])}")
        print(f"    {x['detail']}")
        print(f"    choices: {' | '.join(x['choices'])}")
    print(f"{len(out)} discrepancies")
    return 0
