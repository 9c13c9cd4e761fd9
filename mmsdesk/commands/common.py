"""Helpers shared by subcommands: errors, opening the store, printing JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


class CliError(Exception):
    """A one-line message for stderr, with the exit code to use."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def open_store(args: argparse.Namespace, *, create: bool = True) -> Any:
    """Open the store of the selected data folder (the only way commands reach the store)."""
    from mmsdesk import paths
    from mmsdesk.store import Store

    return Store.open(paths.store_path(), create=create)


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
