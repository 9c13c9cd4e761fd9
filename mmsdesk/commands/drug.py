"""`mmsdesk drug resolve "TEXT" [--json]` and `mmsdesk drug search "TEXT"`."""

from __future__ import annotations

import argparse
import json
import sys

from mmsdesk.commands.common import print_json

RESOLVE_KEYS = ("text", "ingredients", "strength", "form", "brand", "match", "confidence",
                "components", "notes")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("drug", help="resolve medication text to ingredients; search the dictionary")
    dsub = p.add_subparsers(dest="drug_command", required=True)
    res = dsub.add_parser("resolve", help="what a medication text is (ingredients, strength, form)")
    res.add_argument("text", help='medication text, e.g. "Bactrim DS", an RxNorm code, an NDC '
                                  "or what a scanner reads from a package (UPC, GS1 DataMatrix)")
    res.add_argument("--rxnorm", metavar="CODE", help="RxNorm code to use when the text is unclear")
    res.add_argument("--json", action="store_true", help="print one JSON object")
    res.set_defaults(func=cmd_resolve)
    se = dsub.add_parser("search", help="names, brands and products matching TEXT, best first")
    se.add_argument("text")
    se.add_argument("--limit", type=int, default=20, help="most hits to show (default 20)")
    se.add_argument("--json", action="store_true", help="print a JSON list")
    se.set_defaults(func=cmd_search)


def cmd_resolve(args: argparse.Namespace) -> int:
    from mmsdesk.clinical.dictionary import get_dictionary, resolve
    from mmsdesk.clinical.dictionary.barcodes import CodeError, read_code, resolve_package
    from mmsdesk.clinical.dictionary.naming import strength_text

    try:
        code = read_code(args.text)
    except CodeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    package = resolve_package(get_dictionary(), code) if code is not None else None
    if package is not None and package.medication is not None:
        res = package.medication
    else:
        res = resolve(args.text, rxnorm=args.rxnorm)
    code_keys = package.as_json() if package is not None else {}
    if args.json:
        full = res.as_json()
        sys.stdout.write(json.dumps({**{k: full[k] for k in RESOLVE_KEYS}, **code_keys},
                                    ensure_ascii=False) + "\n")
        return 0
    for label, value in code_keys.items():
        print(f"{label + ':':<12} {value}")
    if package is not None and package.medication is None and not res.recognised:
        print(f"unrecognised: {package.unknown_text()}")
        return 0
    if not res.recognised:
        print(f"unrecognised: no ingredient found in {res.text!r}")
        return 0
    print(f"ingredients: {', '.join(res.ingredients)}")
    if len(res.components) > 1:
        for c in res.components:
            print(f"{'':<12} {c.ingredient}: {strength_text((c,)) or '(no strength read)'}")
    for label, value in (("strength", res.strength), ("form", res.form), ("route", res.route),
                         ("brand", res.brand), ("rxnorm", res.rxnorm)):
        if value:
            print(f"{label + ':':<12} {value}")
    print(f"{'match:':<12} {res.match} (confidence {res.confidence:.2f})")
    for note in res.notes:
        print(f"{'note:':<12} {note}" + ("" if "confirm" in note else "; please confirm"))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from mmsdesk.clinical.dictionary import search

    hits = search(args.text, limit=max(1, args.limit))
    if args.json:
        print_json([h.as_json() for h in hits])
        return 0
    for h in hits:
        extra = "" if h.kind == "ingredient" else f"  ({', '.join(h.ingredients)})"
        print(f"{h.kind:<12} {h.label}{extra}")
    if not hits:
        print("no match")
    return 0
