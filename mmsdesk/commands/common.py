"""Helpers shared by subcommands: errors, opening the store, printing JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

PASSPHRASE_ENV = "MMSDESK_PASSPHRASE"


class CliError(Exception):
    """A one-line message for stderr, with the exit code to use."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def read_passphrase(*, new: bool = False) -> str | None:
    """The passphrase from ``MMSDESK_PASSPHRASE`` or a hidden prompt (None when neither)."""
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return env
    if not sys.stdin.isatty():
        return None
    import getpass

    first = getpass.getpass("New passphrase for the data file: " if new else "Passphrase: ")
    if new and getpass.getpass("Repeat the passphrase: ") != first:
        raise CliError("The two passphrases differ; nothing was created.", 2)
    return first


def open_store(args: argparse.Namespace, *, create: bool = True, write: bool = True) -> Any:
    """Open the store of the selected data folder (the only way commands reach the store),
    and sign in the person of ``--user`` when the practice has people (:func:`sign_in`)."""
    store = _open_store(args, create=create, write=write)
    try:
        sign_in(args, store)
    except BaseException:
        store.close()
        raise
    return store


def read_user_passphrase(login: str) -> str | None:
    """The person's passphrase from ``MMSDESK_USER_PASSPHRASE`` or a hidden prompt."""
    from mmsdesk.services.people import USER_PASSPHRASE_ENV

    env = os.environ.get(USER_PASSPHRASE_ENV)
    if env:
        return env
    if not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass(f"Passphrase of {login}: ")


def sign_in(args: argparse.Namespace, store: Any) -> None:
    """A store without people: nobody signs in (the sole proprietor's laptop, as always). A
    store with people: the person of ``--user`` signs in with their own passphrase, and the
    audit trail names them."""
    from mmsdesk.services import people
    from mmsdesk.services.take_along_manifest import sign_in_taker

    login = getattr(args, "user", None)
    taker = sign_in_taker(store)  # this computer holds charts taken along: theirs
    if taker is not None:
        if login and login.strip().lower() != taker.login:
            raise CliError(f"This computer holds the charts {taker.name} took along: they "
                           "work on them here (leave out --user) until they are brought "
                           "back.", 2)
        return
    if not people.has_people(store):
        if login:
            raise CliError("This practice has no people yet, so nobody signs in: leave out "
                           "--user (add the first pharmacist with `mmsdesk people add`).", 2)
        return
    if not login:
        raise CliError("This practice's data is shared by its people: sign in with "
                       "--user LOGIN.", 2)
    passphrase = read_user_passphrase(login)
    if passphrase is None:
        raise CliError(f"The passphrase of {login} is needed: set {people.USER_PASSPHRASE_ENV} or "
                       "run in a terminal.", 2)
    try:
        people.sign_in(store, login, passphrase)
    except people.SignInFailed as exc:
        raise CliError(str(exc), 3) from exc


def _open_store(args: argparse.Namespace, *, create: bool = True, write: bool = True) -> Any:
    """Open the store of the selected data folder.

    The store is encrypted: unlocked with ``MMSDESK_PASSPHRASE`` or a hidden prompt; a new
    store is created encrypted, and an unencrypted one is converted on first unlock, unless
    ``--no-encryption`` was given (then a new store is created unencrypted). A command that
    writes (``write``) first takes the store's lock, waiting a few seconds for a window that
    holds it (:mod:`mmsdesk.store.lock`); one that only reads takes it when it is free and
    otherwise reads beside the window that holds it.
    """
    if getattr(args, "database", None):
        return open_database(args.database)
    from mmsdesk import paths
    from mmsdesk.store import Store
    from mmsdesk.store.crypto import KeyProblem
    from mmsdesk.store.vault import StoreState, open_encrypted, store_state

    path = paths.store_path()
    if write:
        hold_store(path)
    else:
        read_beside(path)
    state = store_state(path)
    plain_ok = bool(getattr(args, "no_encryption", False))
    if state is StoreState.MISSING and not create:
        raise CliError(f"No MMS Desk data file at {path}; create one with `mmsdesk demo` "
                       "or the window.", 2)
    if plain_ok and state is not StoreState.ENCRYPTED:
        return Store.open(path, create=create)
    passphrase = read_passphrase(new=state is not StoreState.ENCRYPTED)
    if passphrase is None:
        what = ("unlock the data file" if state is StoreState.ENCRYPTED
                else "create an encrypted data file (or give --no-encryption)")
        raise CliError(f"A passphrase is needed to {what}: set {PASSPHRASE_ENV} or run in a "
                       "terminal.", 2)
    try:
        unlocked = open_encrypted(path, passphrase, create=create)
    except KeyProblem as exc:
        raise CliError(str(exc), 3) from exc
    if unlocked.recovery_key:
        print("The data file is encrypted. Your RECOVERY KEY (shown only this once; print it "
              f"and keep it safe, it opens the data if the passphrase is forgotten):\n"
              f"    {unlocked.recovery_key}", file=sys.stderr)
    return unlocked.store


def open_database(address: str) -> Any:
    """The store on the practice's PostgreSQL server (``--database``): no data file, so no
    file lock and no passphrase (the server's own access control and disk encryption
    apply); the password never comes from the command line."""
    from mmsdesk.store.server import open_server

    return open_server(address)


def hold_store(path: Any) -> None:
    """Take the lock of the store at ``path`` for the rest of this command (waits a little)."""
    from mmsdesk.store.lock import acquire, wait_seconds

    acquire(path, wait=wait_seconds())


def read_beside(path: Any) -> None:
    """A command that only reads (the list, the patients, the audit check) takes the lock when
    it is free, so no writer starts under it, and reads beside a window that holds it: the
    window has already unlocked and upgraded the data, and SQLite's write-ahead log gives a
    reader a consistent view while the window writes."""
    from mmsdesk.store.lock import StoreBusy, acquire

    try:
        acquire(path)
    except StoreBusy:
        pass


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
