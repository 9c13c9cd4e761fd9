"""`mmsdesk kb import-ndc FILE`, `mmsdesk kb import-rxnorm RXNCONSO.RRF`, `mmsdesk kb status`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mmsdesk.commands.common import CliError, print_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("kb", help="knowledge base: drug dictionary status and imports")
    ksub = p.add_subparsers(dest="kb_command", required=True)
    ndc = ksub.add_parser("import-ndc", help="import the FDA NDC directory (product.txt or its zip)")
    ndc.add_argument("file", type=Path)
    ndc.set_defaults(func=cmd_import_ndc)
    rx = ksub.add_parser("import-rxnorm", help="import RxNorm names and codes (RXNCONSO.RRF)")
    rx.add_argument("file", type=Path)
    rx.set_defaults(func=cmd_import_rxnorm)
    st = ksub.add_parser("status", help="dictionary version, review date and imported files")
    st.add_argument("--json", action="store_true", help="print JSON")
    st.set_defaults(func=cmd_status)


class _StderrProgress:
    """Percent done on stderr: rewritten in place on a terminal, one line per 10% otherwise."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()
        self.last = -1

    def __call__(self, done: int, total: int) -> None:
        pct = 100 if total <= 0 else min(100, done * 100 // total)
        step = pct if self.tty else pct - pct % 10
        if step == self.last:
            return
        self.last = step
        if self.tty:
            end = "\n" if pct >= 100 else ""
            sys.stderr.write(f"\r{self.label}: {pct:3d}%{end}")
        else:
            sys.stderr.write(f"{self.label}: {step}%\n")
        sys.stderr.flush()


def _run_import(kind: str, args: argparse.Namespace) -> int:
    from mmsdesk.clinical.dictionary import get_dictionary
    from mmsdesk.clinical.dictionary.importers import ImportFailed, import_ndc, import_rxnorm

    d = get_dictionary()
    assert d.extension_path is not None
    run = import_ndc if kind == "ndc" else import_rxnorm
    try:
        report = run(args.file, d.extension_path, d,
                     progress=_StderrProgress(f"importing {args.file.name}"))
    except ImportFailed as exc:
        raise CliError(f"{exc}; nothing was imported and the dictionary is unchanged", 2) from exc
    except OSError as exc:
        raise CliError(f"{args.file.name}: cannot read ({exc.strerror or type(exc).__name__}); "
                       "the dictionary is unchanged", 2) from exc
    skipped = f", {report.skipped} skipped (no active ingredient named)" if report.skipped else ""
    print(f"Imported {report.products} products from {report.file}{skipped} in "
          f"{report.seconds:.1f} s; {report.total_products} imported products in all.")
    return 0


def cmd_import_ndc(args: argparse.Namespace) -> int:
    return _run_import("ndc", args)


def cmd_import_rxnorm(args: argparse.Namespace) -> int:
    return _run_import("rxnorm", args)


def cmd_status(args: argparse.Namespace) -> int:
    from mmsdesk.clinical.dictionary import get_dictionary

    d = get_dictionary()
    ext = d.extension()
    meta = ext.meta() if ext is not None else {}
    info = {
        "version": d.version, "reviewed_on": d.reviewed_on, "ingredients": len(d.ingredients),
        "names": len(d.names), "sources": list(d.sources),
        "imported": {src: {"file": meta.get(f"{src}_file", ""),
                           "products": int(meta.get(f"{src}_products", "0")),
                           "imported_at": meta.get(f"{src}_imported_at", "")}
                     for src in ("ndc", "rxnorm") if f"{src}_file" in meta},
    }
    if args.json:
        print_json(info)
        return 0
    print(f"Drug dictionary {d.version}, reviewed {d.reviewed_on}: {len(d.ingredients)} ingredients, "
          f"{len(d.names)} names")
    for src, imp in info["imported"].items():  # type: ignore[union-attr]
        print(f"  {src}: {imp['products']} products from {imp['file']} ({imp['imported_at']})")
    if not info["imported"]:
        print("  no NDC or RxNorm file imported (mmsdesk kb import-ndc / import-rxnorm)")
    return 0
