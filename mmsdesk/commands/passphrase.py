"""`mmsdesk passphrase change [--recovery-key KEY] [--new-key]`: a new passphrase.

The database key is re-wrapped; the data file is not re-encrypted. With ``--new-key`` (the old
passphrase may be known to someone) the data is re-encrypted under a new random key, with a
new recovery key shown once; backups made before keep opening with their own key files. The current passphrase
comes from ``MMSDESK_PASSPHRASE`` or a hidden prompt (or give the recovery key); the new one
from ``MMSDESK_NEW_PASSPHRASE`` or a hidden prompt asked twice.
"""

from __future__ import annotations

import argparse
import os
import sys

from mmsdesk.commands.common import CliError, hold_store, read_passphrase

NEW_ENV = "MMSDESK_NEW_PASSPHRASE"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("passphrase", help="change the data file's passphrase")
    psub = p.add_subparsers(dest="passphrase_command", required=True)
    ch = psub.add_parser("change", help="set a new passphrase (the data is not re-encrypted)")
    ch.add_argument("--recovery-key", metavar="KEY",
                    help="use the recovery key instead of the current passphrase")
    ch.add_argument("--new-key", action="store_true",
                    help="the old passphrase may be known to someone: re-encrypt the data "
                    "under a new key (a new recovery key is shown once)")
    ch.set_defaults(func=cmd_change)


def _new_passphrase() -> str:
    env = os.environ.get(NEW_ENV)
    if env:
        return env
    if not sys.stdin.isatty():
        raise CliError(f"Give the new passphrase in {NEW_ENV} or run in a terminal.", 2)
    import getpass

    first = getpass.getpass("New passphrase: ")
    if getpass.getpass("Repeat the new passphrase: ") != first:
        raise CliError("The two passphrases differ; nothing was changed.", 2)
    return first


def cmd_change(args: argparse.Namespace) -> int:
    from mmsdesk import paths
    from mmsdesk.store.crypto import KeyProblem
    from mmsdesk.store.vault import StoreState, change_passphrase, store_state

    path = paths.store_path()
    hold_store(path)
    if store_state(path) is not StoreState.ENCRYPTED:
        raise CliError(f"The data file at {path} is not encrypted; open it once with a "
                       "passphrase to encrypt it.", 2)
    old = None if args.recovery_key else read_passphrase()
    if old is None and not args.recovery_key:
        raise CliError("The current passphrase is needed: set MMSDESK_PASSPHRASE or run in a "
                       "terminal.", 2)
    if args.new_key:
        from mmsdesk.store.vault import rotate_key

        try:
            recovery = rotate_key(path, _new_passphrase(), old_passphrase=old,
                                  recovery_key=args.recovery_key)
        except KeyProblem as exc:
            raise CliError(f"{exc} Nothing was changed.", 3) from exc
        print("Passphrase changed and the data re-encrypted under a new key: the old "
              "passphrase and the old recovery key no longer open it. Backups made before "
              "keep opening with the passphrase or recovery key of their day.\n"
              "Your NEW RECOVERY KEY (shown only this once; print it and keep it safe):\n"
              f"    {recovery}")
        return 0
    try:
        change_passphrase(path, _new_passphrase(), old_passphrase=old,
                          recovery_key=args.recovery_key)
    except KeyProblem as exc:
        raise CliError(f"{exc} Nothing was changed.", 3) from exc
    print("Passphrase changed. The recovery key still works; backups made before today "
          "open with the old passphrase or the recovery key.")
    return 0
