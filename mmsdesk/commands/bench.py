"""`mmsdesk bench [--json] [--only NAME]`: the project's own performance figures."""

from __future__ import annotations

import argparse

from mmsdesk.commands.common import CliError, print_json


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("bench", help="measure performance figures")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--only", metavar="NAME", action="append",
                   help="run only benchmarks whose name contains NAME (repeatable)")
    p.add_argument("--list", action="store_true", help="list the benchmark groups")
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    import shutil

    from mmsdesk.bench import BenchContext, all_benchmarks, machine

    benches = all_benchmarks()
    if args.list:
        for name in benches:
            print(name)
        return 0
    selected = {n: b for n, b in benches.items()
                if not args.only or any(o in n for o in args.only)}
    if not selected:
        raise CliError(f"no benchmark matches {', '.join(args.only)}; see `mmsdesk bench --list`", 2)
    ctx = BenchContext()
    figures = {}
    try:
        for bench in selected.values():
            for fig in bench(ctx):
                figures[fig.name] = fig
                if not args.json:
                    target = "" if fig.target is None else (
                        f"  (target {'≤' if fig.better == 'lower' else '≥'} {fig.target} {fig.unit}: "
                        f"{'ok' if fig.meets_target else 'MISSED'})")
                    print(f"{fig.name:<45} {fig.value:>10.2f} {fig.unit}{target}", flush=True)
    finally:
        shutil.rmtree(ctx.workdir, ignore_errors=True)
    if args.json:
        print_json({"machine": machine(), "figures": {n: f.as_json() for n, f in figures.items()}})
    return 0
