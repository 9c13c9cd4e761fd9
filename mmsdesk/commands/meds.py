"""`mmsdesk meds --patient ID [--json] [--all]`: the patient's current medication list.

Each medicine: the name as every document prints it, its components (ingredient, amount, unit),
directions, indication, prescriber, status, started/stopped and the last change in its history.
"""

from __future__ import annotations

import argparse

from mmsdesk.commands.common import CliError, open_store, print_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("meds", help="print a patient's current medication list")
    p.add_argument("--patient", type=int, required=True, metavar="ID", help="patient id")
    p.add_argument("--all", action="store_true",
                   help="also the stopped and on-hold medicines (default: active only)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_meds)


def _when(d: object) -> str | None:
    return d.isoformat() if d is not None else None  # type: ignore[attr-defined]


def cmd_meds(args: argparse.Namespace) -> int:
    from mmsdesk.services.medications import MedicationService
    from mmsdesk.services.patients import PatientService

    with open_store(args, create=False, write=False) as store:
        try:
            PatientService(store).get(args.patient)
        except LookupError:
            raise CliError(f"no patient with id {args.patient}") from None
        rows = MedicationService(store).list_for_patient(args.patient)
    if not args.all:
        rows = [r for r in rows if r.status == "active"]
    out = []
    for r in rows:
        last = r.last_change
        out.append({
            "id": r.id, "uuid": r.uuid, "name": r.name, "text_given": r.text_given,
            "recognised": not r.unrecognised, "match": r.match,
            "components": [c.as_json() for c in r.components] if not r.unrecognised else [],
            "strength": r.strength, "strength_to_confirm": r.strength_to_confirm,
            "dose_form": r.dose_form, "release": r.release, "brand": r.brand,
            "rxnorm": r.rxnorm_code, "directions": r.directions, "indication": r.indication,
            "prescriber": r.prescriber, "pharmacy": r.pharmacy, "kind": r.kind,
            "status": r.status, "started": _when(r.started), "stopped": _when(r.stopped),
            "stop_reason": r.stop_reason,
            "last_change": None if last is None else {
                "action": last.action, "date": last.event_date.isoformat(),
                "reason": last.reason, "changes": list(last.changes),
                "decided_by": last.decided_by},
        })
    if args.json:
        print_json({"patient_id": args.patient, "medications": out})
        return 0
    for m in out:
        flag = "  [confirm strength]" if m["strength_to_confirm"] else ""
        flag += "  [unrecognised]" if not m["recognised"] else ""
        print(f"{m['name']}{flag}")
        for label, key in (("how", "directions"), ("why", "indication"),
                           ("prescriber", "prescriber")):
            if m[key]:
                print(f"    {label}: {m[key]}")
        status = m["status"] + (f" since {m['stopped']}" if m["stopped"] else "")
        print(f"    {status}" + (f", started {m['started']}" if m["started"] else ""))
        last = m["last_change"]
        if last:
            what = "; ".join(last["changes"]) or last["reason"]
            print(f"    last change {last['date']} ({last['action']}): {what}")
    print(f"{len(out)} medicines")
    return 0
