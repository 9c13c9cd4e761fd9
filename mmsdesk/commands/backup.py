"""`mmsdesk backup [--to DIR]` and `mmsdesk restore FILE [--into DIR | --replace-current]`."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from mmsdesk.commands.common import CliError, hold_store, open_store, read_passphrase


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    b = sub.add_parser("backup", help="write a checked, encrypted backup now")
    b.add_argument("--to", metavar="DIR", help="folder for the backup (e.g. a USB stick); "
                   "default: the backups folder beside the data file")
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help="restore a backup into a new data folder (after checks)")
    r.add_argument("file", metavar="FILE", help="the backup file (.sqlite3)")
    where = r.add_mutually_exclusive_group()
    where.add_argument("--into", metavar="DIR", help="new data folder to restore into "
                       "(default: a new folder beside the current one)")
    where.add_argument("--replace-current", action="store_true",
                       help="replace the current data (asks for confirmation; backs it up first)")
    r.add_argument("--yes", action="store_true", help="confirm --replace-current without asking")
    r.add_argument("--recovery-key", metavar="KEY", help="unlock the backup with the recovery key")
    r.set_defaults(func=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    from mmsdesk.store.backup import backup_now

    dest = Path(args.to).expanduser() if args.to else None
    with open_store(args, create=False) as store:
        try:
            path = backup_now(store, dest)
        except OSError as exc:
            raise CliError(f"Could not write the backup to {dest or 'the backups folder'}: "
                           f"{exc.strerror or exc}.", 2) from exc
    print(f"Backup written and checked: {path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from mmsdesk import paths
    from mmsdesk.store.backup import check_backup, restore_into, restore_over_current
    from mmsdesk.store.crypto import KeyProblem, keyfile_copy_path, keyfile_path

    source = Path(args.file).expanduser().resolve()
    current = paths.store_path()
    if args.replace_current:
        hold_store(current)  # first of all: never while a window or a command has the data
    passphrase = None if args.recovery_key else read_passphrase()
    try:
        check = check_backup(source, passphrase, recovery_key=args.recovery_key,
                             keyfiles=(keyfile_path(current), keyfile_copy_path(current)))
    except KeyProblem as exc:  # a damaged key file beside the backup: its one line
        raise CliError(f"Cannot open the backup {source.name}: {exc} Nothing was changed.",
                       3) from exc
    summary = (f"{source.name}: integrity ok, {check.patients} patients, schema {check.schema}, "
               f"{'encrypted' if check.encrypted else 'NOT encrypted'}")
    if args.replace_current:
        if not args.yes:
            if not sys.stdin.isatty():
                raise CliError("--replace-current needs --yes when not run in a terminal.", 2)
            answer = input(f"{summary}\nReplace the current data in {current.parent} with this "
                           "backup? The current data is backed up first. Type REPLACE: ")
            if answer.strip() != "REPLACE":
                raise CliError("Nothing was changed.", 1)
        safety = restore_over_current(check, current, lambda: open_store(args, create=False))
        if safety is not None:
            print(f"Current data backed up to {safety}")
        print(f"Restored {summary} over the current data.")
        return 0
    target_dir = (Path(args.into).expanduser().resolve() if args.into else
                  current.parent.with_name(
                      f"{current.parent.name}-restored-{datetime.now():%Y%m%d-%H%M%S}"))
    target = target_dir / current.name
    hold_store(target)
    restore_into(check, target).close()
    print(f"Restored {summary} into {target_dir}\n"
          f"Open it with: mmsdesk --data-dir \"{target_dir}\"")
    return 0
