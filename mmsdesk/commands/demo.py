"""`mmsdesk demo`: load the 12 fictional demo patients."""

from __future__ import annotations

import argparse

from mmsdesk.commands.common import CliError, open_store


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("demo", help="load 12 fictional demo patients")
    p.add_argument("--into-existing", action="store_true",
                   help="add the demo patients even though the store already has patients")
    p.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    from mmsdesk.services.demo import DemoRefused, load_demo

    with open_store(args) as store:
        try:
            ids = load_demo(store, allow_existing=args.into_existing)
        except DemoRefused as exc:
            raise CliError(str(exc), 2) from exc
        print(f"Loaded {len(ids)} demo patients into {store.where}")
    return 0
