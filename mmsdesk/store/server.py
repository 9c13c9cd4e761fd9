"""The store on a PostgreSQL server (team mode): the connection, its checks and its messages.

The same tables, migrations and services as the laptop's SQLite file; what differs:

* **Transport.** ``sslmode=verify-full`` unless the address names another mode: the server
  must prove it is the server named in the address, with a certificate signed by the CA in
  ``sslrootcert`` (a file) or, when none is named and ``~/.postgresql/root.crt`` does not
  exist, by one the operating system trusts.
* **Password.** Never in the address and never in ``settings.json``: libpq's own sources
  (``PGPASSWORD``, ``~/.pgpass``), then the OS keyring when the ``keyring`` package is
  installed (Settings ▸ Practice connection puts it there when asked to), then a hidden
  prompt when there is a terminal.
* **Encryption at rest** is the server's job (an encrypted disk or volume on the server);
  the app's SQLCipher key, WAL pragmas, file lock, file backups and the audit head's seal file
  belong to a data file and do not apply. The audit chain is kept on the server, appended
  under a transaction-scoped advisory lock (:mod:`mmsdesk.store.audit`); each computer
  remembers the newest link of it that it saw, so that a cut tail shows
  (:mod:`mmsdesk.store.audit_seen`).
* **Times** are stored as UTC: every connection's ``TimeZone`` is UTC, as SQLite's naive
  values are.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, Engine, make_url
from sqlmodel import create_engine

from mmsdesk.store.errors import StoreError

DEFAULT_SSLMODE = "verify-full"
KEYRING_SERVICE = "MMS Desk database"
CONNECT_TIMEOUT = 10
_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}


def is_server_url(text: str | None) -> bool:
    return bool(text) and str(text).split(":", 1)[0].lower() in _SCHEMES


def parse_url(text: str) -> URL:
    """The address as SQLAlchemy's URL for psycopg, with the default ``sslmode``.

    Refuses an address with a password in it (it would end up in a shell's history, a
    process list or a settings file)."""
    try:
        url = make_url(text.replace("postgres://", "postgresql://", 1)
                       if text.startswith("postgres://") else text)
    except Exception as exc:  # noqa: BLE001 - any unreadable address
        raise StoreError(f"Not a database address: {text!r} (expected "
                         "postgresql://USER@HOST/DATABASE).") from exc
    if url.get_backend_name() != "postgresql":
        raise StoreError(f"Not a PostgreSQL address: {safe_url(url)} (expected "
                         "postgresql://USER@HOST/DATABASE).")
    if url.password:
        raise StoreError("Put no password in the database address: MMS Desk takes it from "
                         "PGPASSWORD, ~/.pgpass or the keyring, or asks for it.")
    if not url.host or not url.database:
        raise StoreError(f"The database address {safe_url(url)} names no server or no "
                         "database (expected postgresql://USER@HOST/DATABASE).")
    query = dict(url.query)
    query.setdefault("sslmode", DEFAULT_SSLMODE)
    if (query["sslmode"] in ("verify-ca", "verify-full") and "sslrootcert" not in query
            and not os.environ.get("PGSSLROOTCERT")
            and not (Path.home() / ".postgresql" / "root.crt").exists()):
        query["sslrootcert"] = "system"  # the operating system's trusted CAs (libpq >= 16)
    return url.set(drivername="postgresql+psycopg", query=query)


def safe_url(url: URL | str) -> str:
    """The address to show or log: user, host, port and database; no password, no options."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except Exception:  # noqa: BLE001
            return "(unreadable address)"
    port = f":{url.port}" if url.port else ""
    user = f"{url.username}@" if url.username else ""
    return f"postgresql://{user}{url.host}{port}/{url.database}"


def find_password(url: URL, *, ask: bool = True) -> str | None:
    """The password for ``url``'s user, or None to let libpq find one (PGPASSWORD, .pgpass)
    or to connect without one (a server that trusts this client's certificate)."""
    if os.environ.get("PGPASSWORD") or os.environ.get("PGPASSFILE"):
        return None
    if (Path.home() / ".pgpass").exists():
        return None
    try:
        import keyring  # type: ignore[import-not-found]

        stored = keyring.get_password(KEYRING_SERVICE, safe_url(url))
        if stored:
            return str(stored)
    except Exception:  # noqa: BLE001 - no keyring package or no keyring service
        pass
    import sys

    if ask and sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"Password for {safe_url(url)}: ")
    return None


# -- the password in this computer's keyring (Settings ▸ Practice connection): the one place
# that writes what find_password reads, under the address without its options as the key
def keyring_problem() -> str | None:
    """Why this computer's keyring cannot keep the server's password; None when it can."""
    try:
        import keyring
    except Exception:  # noqa: BLE001 - not installed, or broken
        return ("The keyring package is not installed, so the password cannot be kept in this "
                "computer's keyring.")
    try:
        priority = float(getattr(keyring.get_keyring(), "priority", 1))
    except Exception as exc:  # noqa: BLE001 - a backend that fails to load
        return f"This computer's keyring cannot be used ({type(exc).__name__})."
    if priority <= 0:  # keyring's "fail" and "null" backends: no keyring service here
        return ("This computer has no keyring service, so the password cannot be kept in "
                "it.")
    return None


def _keyring_name(address: str) -> str:
    return safe_url(parse_url(address))


def has_remembered_password(address: str) -> bool:
    """Whether the keyring holds a password for ``address`` (False when it cannot say)."""
    if keyring_problem() is not None:
        return False
    try:
        import keyring

        return bool(keyring.get_password(KEYRING_SERVICE, _keyring_name(address)))
    except Exception:  # noqa: BLE001 - a locked or failing keyring: as if none
        return False


def remember_password(address: str, password: str) -> None:
    """Keep ``password`` for ``address`` in this computer's keyring (never in settings.json);
    a one-sentence StoreError when the keyring cannot."""
    problem = keyring_problem()
    if problem is not None:
        raise StoreError(problem)
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, _keyring_name(address), password)
    except Exception as exc:  # noqa: BLE001 - locked, refused, no service
        raise StoreError(f"This computer's keyring did not keep the password "
                         f"({_keyring_reason(exc)}).") from exc


def forget_password(address: str) -> bool:
    """Remove the keyring's password for ``address``; True when there was one. Nothing to do
    without a keyring; a one-sentence StoreError when it refuses."""
    if not has_remembered_password(address):
        return False
    import keyring

    try:
        keyring.delete_password(KEYRING_SERVICE, _keyring_name(address))
    except Exception as exc:  # noqa: BLE001 - locked, refused
        raise StoreError(f"This computer's keyring did not remove the password "
                         f"({_keyring_reason(exc)}).") from exc
    return True


def _keyring_reason(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def make_server_engine(url: URL, password: str | None = None, **kwargs: Any) -> Engine:
    connect_args: dict[str, Any] = {"connect_timeout": CONNECT_TIMEOUT,
                                    "application_name": "mmsdesk",
                                    "options": "-c timezone=UTC"}
    if password is not None:
        connect_args["password"] = password
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True, **kwargs)


def connection_problem(url: URL, exc: BaseException) -> StoreError:
    """One sentence for a server that cannot be reached or proven, or that refuses us."""
    raw = str(getattr(exc, "orig", None) or exc)
    reason = " ".join(raw.split())
    low = reason.lower()
    where = f"{url.host}:{url.port or 5432}"
    if any(w in low for w in ("certificate", "ssl", "tls", "sslrootcert")):
        if "root certificate file" in low and "does not exist" in low:
            why = "the CA certificate named to check it (sslrootcert) does not exist"
        elif "does not support ssl" in low:
            why = "the server does not offer an encrypted connection"
        elif "does not match host name" in low or "server certificate for" in low:
            why = "its certificate was made for another name"
        elif any(w in low for w in ("verify failed", "self-signed", "self signed",
                                    "unable to get", "signature failure")):
            why = "its certificate is not signed by a CA this computer trusts"
        else:
            why = _first_clause(reason)
        return StoreError(f"The database server {where} could not be verified: {why}. "
                          "Nothing was sent to it; check its certificate, or name the "
                          "practice's CA with sslrootcert=FILE in the address.")
    if "password authentication failed" in low or "no password supplied" in low:
        return StoreError(f"The database server {where} refused the password for user "
                          f"{url.username or '(none)'}.")
    if "does not exist" in low and "database" in low:
        return StoreError(f"The database server {where} has no database {url.database!r}.")
    if any(w in low for w in ("connection refused", "timeout", "timed out",
                              "could not translate host name", "no route to host",
                              "network is unreachable", "name or service not known")):
        return StoreError(f"The database server {where} cannot be reached "
                          f"({_first_clause(reason)}); check the network and the address.")
    return StoreError(f"Could not open the database {safe_url(url)}: {_first_clause(reason)}.")


def _first_clause(reason: str) -> str:
    # libpq: 'connection failed: connection to server at "1.2.3.4", port 5432 failed: WHY'
    tail = reason.rsplit(" failed: ", 1)[-1]
    return tail.split(" Either provide", 1)[0].strip().rstrip(".")


def open_server(address: str, *, migrate: bool = True, password: str | None = None,
                ask: bool = True) -> Any:
    """Connect to the database at ``address`` and bring it to the current schema.

    Returns a :class:`ServerStore`. An empty database is given the whole schema; a database
    written by a newer version of MMS Desk is refused, unchanged. Unreachable servers,
    unverifiable certificates and refused passwords raise a one-sentence StoreError.
    """
    url = parse_url(address)
    if password is None:
        password = find_password(url, ask=ask)
    engine = make_server_engine(url, password)
    try:
        _check_and_upgrade(engine, migrate)
    except StoreError:
        engine.dispose()
        raise
    except Exception as exc:  # noqa: BLE001 - the driver's errors become one sentence
        engine.dispose()
        raise connection_problem(url, exc) from exc
    return ServerStore(url, engine, password)


def _check_and_upgrade(engine: Engine, migrate: bool) -> None:
    from mmsdesk.store.engine import SCHEMA_HEAD, stored_revision

    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
    if migrate and stored_revision(engine) != SCHEMA_HEAD:
        from mmsdesk.store import migrate as migrate_mod

        migrate_mod.upgrade_to_head(engine, None, backup=False)


from mmsdesk.store.engine import Store  # noqa: E402 - engine.py registers the session events


class ServerStore(Store):
    """A store on a PostgreSQL server. Has no data file: ``path`` raises a StoreError naming
    the feature that needs one (file backups are the server's, with pg_dump)."""

    def __init__(self, url: URL, engine: Engine, password: str | None = None) -> None:
        self.url = url
        self._password = password
        self._engine = engine
        self.encrypted = False  # at rest: the server's disk encryption, not the app's
        self.who = None
        from mmsdesk import paths
        from mmsdesk.store import audit_seen

        # what this computer saw of the server's audit trail: shows a cut tail (no head file)
        self._seen = audit_seen.attach(engine, url, paths.data_dir() / audit_seen.FOLDER)

    @property  # type: ignore[override]
    def path(self) -> Path:
        raise StoreError("This practice's data is on a database server: it has no data file "
                         "here (the server's administrator backs it up, e.g. with pg_dump).")

    @property
    def where(self) -> str:
        return safe_url(self.url)

    def lock(self) -> None:
        if self._engine is not None:
            from mmsdesk.store import audit_seen

            audit_seen.detach(self._engine)
            self._engine.dispose()
            self._engine = None

    def unlock(self, key: bytes | bytearray | None = None) -> None:
        if self._engine is None:
            from mmsdesk.store import audit_seen

            self._engine = make_server_engine(self.url, self._password)
            audit_seen.attach(self._engine, self.url, self._seen.sealer.path.parent, self._seen)
            self.sign_in(self.who)
