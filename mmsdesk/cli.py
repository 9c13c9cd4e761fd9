"""The `mmsdesk` command. No subcommand opens the window; subcommands run headless.

Headless subcommands never import Qt. Errors are one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from mmsdesk import __version__

# Each module registers its subcommands (see mmsdesk/commands/__init__.py).
COMMAND_MODULES: tuple[str, ...] = (
    "mmsdesk.commands.patients",
    "mmsdesk.commands.meds",
    "mmsdesk.commands.reconcile",
    "mmsdesk.commands.demo",
    "mmsdesk.commands.bench",
    "mmsdesk.commands.outcomes",
    "mmsdesk.commands.fhir",
    "mmsdesk.commands.audit",
    "mmsdesk.commands.backup",
    "mmsdesk.commands.passphrase",
    "mmsdesk.commands.drug",
    "mmsdesk.commands.kb",
    "mmsdesk.commands.screen",
    "mmsdesk.commands.report",
    "mmsdesk.commands.people",
    "mmsdesk.commands.take_along",
)


# Commands about the data file itself, which a store on a server (--database) does not have.
FILE_ONLY_COMMANDS = frozenset({"backup", "restore", "passphrase"})


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    """The whole command line; ``with_commands=False`` leaves out the subcommands, whose
    modules cost tens of milliseconds to import, for a start that only opens the window."""
    parser = argparse.ArgumentParser(
        prog="mmsdesk",
        description="MMS Desk: medication management services. Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"MMS Desk {__version__}")
    parser.add_argument("--data-dir", metavar="DIR",
                        help="data folder to use (default: the user data folder; or MMSDESK_DATA_DIR)")
    parser.add_argument("--database", metavar="URL",
                        help="team mode: the practice's PostgreSQL database, "
                             "postgresql://USER@HOST/DATABASE (sslmode=verify-full unless the "
                             "address names another; the password from PGPASSWORD, ~/.pgpass, "
                             "the keyring or asked)")
    parser.add_argument("--user", metavar="LOGIN",
                        help="team mode: sign in as this person of the practice (their "
                             "passphrase asked, or from MMSDESK_USER_PASSPHRASE)")
    parser.add_argument("--no-encryption", action="store_true",
                        help="allow creating an unencrypted data file (tests, demos)")
    parser.add_argument("--demo", action="store_true",
                        help="use the demo practice (fictional patients, in its own folder)")
    # Checks a build: the window offscreen on a temporary store, a CMR PDF (ui/self_test.py).
    parser.add_argument("--self-test", action="store_true", help=argparse.SUPPRESS)
    if not with_commands:
        parser.set_defaults(command=None)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _names_a_command(argv: list[str]) -> bool:
    """Whether ``argv`` holds anything but the window's own options (a command, help, or a
    word the full parser must judge)."""
    takes_value = {"--data-dir", "--database", "--user"}
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in takes_value:
            skip = True
        elif arg in ("-h", "--help") or not arg.startswith("-"):
            return True
    return False


def main(argv: list[str] | None = None) -> int:
    from mmsdesk import paths
    from mmsdesk.commands.common import CliError
    from mmsdesk.logs import install_error_hooks, log_exception_safely, setup_logging

    paths.make_process_private()  # every file this process writes is the user's alone
    words = sys.argv[1:] if argv is None else argv
    parser = build_parser(with_commands=_names_a_command(words))
    args = parser.parse_args(words)
    if args.self_test:
        from mmsdesk.ui.self_test import run_self_test

        return run_self_test()
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    if args.demo:
        paths.use_demo()
    setup_logging()
    install_error_hooks()
    paths.tighten_app_folders()
    paths.clean_leftovers()
    try:
        if args.command is None:
            return _run_window(args)
        if args.database and args.command in FILE_ONLY_COMMANDS:
            raise CliError(f"`{args.command}` works on this computer's data file; a practice "
                           "database on a server is backed up and encrypted by the server.", 2)
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"mmsdesk: {_one_line(str(exc))}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("mmsdesk: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, never a traceback
        from mmsdesk.services.validation import ValidationError
        from mmsdesk.store import StoreError

        if isinstance(exc, StoreError | ValidationError):
            print(f"mmsdesk: {_one_line(str(exc))}", file=sys.stderr)
            return 2
        log_exception_safely(exc, exc.__traceback__)
        print(f"mmsdesk: internal error ({type(exc).__name__}); details in {paths.log_dir()}",
              file=sys.stderr)
        return 1


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _run_window(args: argparse.Namespace) -> int:
    from mmsdesk import paths
    from mmsdesk.commands.common import CliError

    address = getattr(args, "database", None) or _saved_connection(args)
    if address:
        from mmsdesk.ui.app import run_server

        return run_server(address, user=args.user)
    if paths.is_demo() and not paths.store_path().exists():
        raise CliError("There is no demo practice yet: create it with File ▸ Open demo "
                       "practice, or with: mmsdesk --demo demo")
    from mmsdesk.ui.app import run

    return run(paths.store_path(), user=args.user)


def _saved_connection(args: argparse.Namespace) -> str | None:
    """The practice database saved in Settings ▸ Practice connection, unless this start
    names a data folder (--data-dir, --demo)."""
    if args.data_dir or args.demo:
        return None
    from mmsdesk import settings

    return settings.load().practice_database or None


if __name__ == "__main__":
    sys.exit(main())
