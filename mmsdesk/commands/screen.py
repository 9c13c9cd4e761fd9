"""`mmsdesk screen FILE [--format json|text]`: screen a FHIR R4 bundle or a C-CDA document (told
from its content; a C-CDA's discharge list when it has one, else its current medications),
print the alerts."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from mmsdesk.commands.common import CliError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("screen", help="screen a FHIR R4 bundle (interactions, Beers, kidney, "
                                      "allergy, PGx...) and print the alerts")
    p.add_argument("file", type=Path, help="FHIR R4 Bundle (JSON) or C-CDA document (XML)")
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.add_argument("--today", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                   help="date used for the patient's age (default: today)")
    p.set_defaults(func=cmd_screen)


def screening_report(path: Path, today: date) -> dict[str, object]:
    from mmsdesk.clinical.screening import screen
    from mmsdesk.clinical.screening.currency import current_medications
    from mmsdesk.clinical.screening.kidney import kidney as kidney_measures
    from mmsdesk.interop.fhir_bundle import BundleError
    from mmsdesk.interop.fhir_screening import context_from_bundle, resolve_medications
    from mmsdesk.interop.formats import read_record

    try:
        record = read_record(path)  # a FHIR bundle or a C-CDA (its discharge or current list)
    except BundleError as exc:
        raise CliError(str(exc), 2) from None
    bundle = record.bundle
    entries = resolve_medications(bundle)
    ctx = context_from_bundle(bundle, today, entries)
    result = screen(ctx)
    p = bundle.patient
    kidney, method = ctx.kidney_function()
    k = kidney_measures(ctx)
    current, _ = current_medications(ctx)
    not_current = [m.text for m in ctx.active() if m not in current]
    patient = {
        "name": " ".join([*(p.given if p else ()), p.family if p else ""]).strip(),
        "birth_date": p.birth_date.isoformat() if p and p.birth_date else None,
        "age": ctx.age, "sex": ctx.sex or None, "weight_kg": ctx.weight_kg,
        "kidney_function": ({"value": round(kidney, 1), "method": method}
                            if kidney is not None else None),
        # each measure as the kidney rules read it (None when missing or stale, with the reason)
        "kidney": {"crcl": k.crcl.value, "egfr": k.egfr.value,
                   "evidence": [k.crcl.line, k.egfr.line]},
        "deceased": ctx.deceased,
        "deceased_date": ctx.deceased_on.isoformat() if ctx.deceased_on else None,
        "conditions": list(ctx.conditions), "allergies": list(ctx.allergies),
        "pgx": [{"gene": g, "phenotype": ph} for g, ph in ctx.pgx],
    }
    return {
        "patient": patient,
        "medications": [{"text": e.text, "status": e.status, "ingredients": list(e.ingredients),
                         "match": e.match} for e in entries],
        "alerts": [{k: v for k, v in a.as_dict().items()} for a in result.alerts],
        "risk_profile": result.risk_profile,
        "knowledge_base": result.knowledge_base,
        "warnings": list(result.warnings),
        # active orders left out as not current (their reason is in "warnings")
        "not_current": not_current,
        "format": record.format,
        # a C-CDA: its type, date, author and every medication list (the screened one marked)
        "document": _document(record.document),
    }


def _document(doc: object) -> dict[str, object] | None:
    from mmsdesk.interop.ccda import CcdaDocument

    if not isinstance(doc, CcdaDocument):
        return None
    screened = {id(lst) for lst in doc.screened_lists()}
    return {"type": doc.document_type, "date": doc.date.isoformat() if doc.date else None,
            "author": doc.author, "organisation": doc.organisation,
            "lists": [{"kind": lst.kind, "label": lst.label, "title": lst.title,
                       "medicines": [m.text for m in lst.medications],
                       "screened": id(lst) in screened} for lst in doc.medication_lists]}


def cmd_screen(args: argparse.Namespace) -> int:
    report = screening_report(args.file, args.today or date.today())
    if args.format == "json":
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_text(report))
    return 0


def render_text(report: dict) -> str:  # type: ignore[type-arg]
    p = report["patient"]
    active = [m for m in report["medications"] if m["status"] == "active"]
    old = set(report.get("not_current", ()))
    doc = report.get("document")
    lines = [f"Screening: {p['name'] or 'patient'}"
             + (f", {p['age']} years" if p["age"] is not None else ""),
             *([f"From: {doc['type']}" + (f", {doc['date']}" if doc["date"] else "")
                + "; list screened: " + ", ".join(x["label"] for x in doc["lists"]
                                                   if x["screened"])] if doc else []),
             "Active medications screened: "
             f"{sum(1 for m in active if m['ingredients'] and m['text'] not in old)}"]
    # A medicine the dictionary does not recognise is never dropped silently.
    lines += [f"  not screened: not recognised: {m['text']}" for m in active
              if not m["ingredients"]]
    if report.get("warnings"):
        lines += ["", f"WARNINGS ({len(report['warnings'])})"]
        lines += [f"  ! {w}" for w in report["warnings"]]
    lines.append("")
    for severity in ("high", "moderate", "low"):
        group = [a for a in report["alerts"] if a["severity"] == severity]
        if not group:
            continue
        lines.append(f"{severity.upper()} ({len(group)})")
        for a in group:
            lines.append(f"  [{a['kind']}] {a['title']} ({', '.join(a['drugs'])})")
            lines.append(f"      {a['detail']}")
            lines += [f"      - {e}" for e in a.get("evidence", ())]
            lines.append(f"      What to do: {a['recommendation']}")
            lines.append(f"      References: {'; '.join(a['references'])}")
        lines.append("")
    if not report["alerts"]:
        lines += ["No alerts.", ""]
    lines.append("Risk profile: " + ", ".join(f"{k} {v}" for k, v in report["risk_profile"].items()))
    kb = report["knowledge_base"]
    lines.append(f"Knowledge base {kb['version']}, reviewed {kb['reviewed']}")
    return "\n".join(lines) + "\n"
