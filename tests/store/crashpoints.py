"""Crash-point harness: stop a store operation at its k-th step, then check the next start.

Run as ``python -m tests.store.crashpoints OPERATION WORKDIR [--all]``; prints one JSON line
with the counts. The process imports the app once, then for each k forks a child that runs
the operation and calls ``os._exit`` just before its k-th step; a second child then plays
the next start (the usual open) and checks the store: it opens, every committed row is
there, integrity, foreign keys and the audit chain are intact, and every listed backup opens
with its own key file.

A *step* is one SQL statement (SQLite's trace callback, on every connection of the stdlib
driver and of SQLCipher) or one file step (rename, link, unlink, copy, fsync, truncating
open). A kill inside one transaction is the same whichever statement it lands on, so
statements that neither change the schema nor end a transaction are sampled (one in ten, at
most about forty per operation) unless ``--all``; every DDL statement, COMMIT and file step is
a kill point.
"""

from __future__ import annotations

import builtins
import json
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("MMSDESK_KDF", "fast")
PASS = "correct horse battery staple"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"
KILLED = 77
LANES = 2
MAX_PLAIN = 40
SAMPLE = 10  # one plain statement in ten is a kill point (all DDL, commits, file steps)


class Steps:
    """Counts steps; kills the process before step ``stop`` and logs each step's kind."""

    def __init__(self, stop: int | None) -> None:
        self.n = 0
        self.stop = stop
        self.kinds: list[str] = []

    def hit(self, kind: str) -> None:
        self.n += 1
        self.kinds.append(kind)
        if self.stop is not None and self.n >= self.stop:
            os._exit(KILLED)


def _kind(sql: str) -> str:
    word = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    if word in {"CREATE", "DROP", "ALTER"}:
        return "ddl"
    if word in {"COMMIT", "END", "RELEASE"} or sql.strip().upper().startswith("PRAGMA REKEY"):
        return "commit"
    if word == "INSERT" and "SELECT" in sql.upper() and "_alembic_tmp" in sql:
        return "ddl"  # a batch migration's table copy
    if word in {"VACUUM", "ATTACH", "DETACH"} or "sqlcipher_export" in sql:
        return "file"
    return "sql"


def install(steps: Steps) -> None:
    """Hook every connection and file step of this process on ``steps``."""
    import sqlcipher3.dbapi2 as sqlcipher

    def traced(connect: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*a: object, **kw: object) -> object:
            conn = connect(*a, **kw)
            conn.set_trace_callback(lambda sql: steps.hit(_kind(sql)))  # type: ignore[attr-defined]
            return conn
        return wrapper

    sqlite3.connect = traced(sqlite3.connect)  # type: ignore[assignment]
    sqlcipher.connect = traced(sqlcipher.connect)  # type: ignore[assignment]

    def filestep(fn: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*a: object, **kw: object) -> object:
            steps.hit("file")
            return fn(*a, **kw)
        return wrapper

    for name in ("replace", "rename", "link", "unlink", "fsync"):
        setattr(os, name, filestep(getattr(os, name)))
    shutil.copyfile = filestep(shutil.copyfile)  # type: ignore[assignment]
    real_open = builtins.open

    def opener(file: object, mode: str = "r", *a: object, **kw: object) -> object:
        if any(c in mode for c in "wax+"):
            steps.hit("file")
        return real_open(file, mode, *a, **kw)  # type: ignore[call-overload]

    builtins.open = opener  # type: ignore[assignment]


# -- what each operation starts from, does, and must find afterwards -------------------------

def _rows(path: Path, key: bytes | None) -> dict[str, set[str]]:
    """Every audited record's uuid (or id) per table: what 'every committed row' means."""
    from mmsdesk.store.engine import make_engine

    engine = make_engine(path, key)
    try:
        with engine.connect() as conn:
            names = [r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE '_alembic%' AND name != 'alembic_version'")]
            out = {}
            for n in names:
                cols = {r[1] for r in conn.exec_driver_sql(f'PRAGMA table_info("{n}")')}
                col = "uuid" if "uuid" in cols else "rowid"
                out[n] = {str(r[0]) for r in conn.exec_driver_sql(f'SELECT {col} FROM "{n}"')}
            return out
    finally:
        engine.dispose()


def _key_of(path: Path) -> bytes:
    from mmsdesk.store.vault import unlock_key

    return bytes(unlock_key(path, PASS))


def _signature(conn: object) -> tuple[str, ...]:
    """The schema: every table, index and trigger by name (a half-applied upgrade shows)."""
    return tuple(sorted(f"{r[0]} {r[1]}" for r in conn.exec_driver_sql(  # type: ignore[attr-defined]
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")))


def _state(path: Path, *, full: bool) -> tuple[dict[str, set[str]], tuple[str, ...]]:
    """The next start, checked: the rows found and the schema.

    ``full`` opens as the app does (creating or upgrading as needed, so the schema must be
    the newest); otherwise the store is opened without migrating (a cut operation's
    recovery still runs) and its schema must be the old one or the new one. Either way:
    integrity, foreign keys and the audit chain are intact, and every listed backup opens
    with its own key file.
    """
    from mmsdesk.store.audit import verify_chain
    from mmsdesk.store.backup import check_backup, list_backups
    from mmsdesk.store.engine import SCHEMA_HEAD, stored_revision
    from mmsdesk.store.vault import StoreState, open_encrypted, store_state

    for b in list_backups(path.parent / "backups", path.stem):
        check_backup(b.path, PASS)  # raises when a listed backup does not open
    if not full:
        from mmsdesk.store.recovery import recover

        recover(path)
        if store_state(path) is StoreState.MISSING:
            return {}, ()
    store = open_encrypted(path, PASS, create=True, migrate=full).store
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            sig = _signature(conn)
            if "table audit_event" in sig:  # the first released schema had no audit trail
                report = verify_chain(conn)
                assert report.ok, f"audit chain: {report}"
        if full:
            assert stored_revision(store.engine) == SCHEMA_HEAD
    finally:
        store.close()
    return _rows(path, _key_of(path)), sig


class Operation:
    name = ""

    def prepare(self, template: Path) -> None:
        """Build the starting folder once (copied for each k)."""

    def run(self, work: Path) -> None:
        raise NotImplementedError

    def check(self, work: Path, before: dict[str, set[str]], schemas: set[tuple[str, ...]],
              full: bool) -> None:
        rows, sig = _state(work / "mmsdesk.sqlite3", full=full)
        assert full or sig in schemas, "a schema that is neither the old one nor the new one"
        for table, ids in before.items():
            lost = ids - rows.get(table, set())
            assert not lost, f"{len(lost)} rows lost from {table}"

    def committed(self, template: Path) -> dict[str, set[str]]:
        path = template / "mmsdesk.sqlite3"
        return _rows(path, _key_of(path)) if path.exists() else {}


class Create(Operation):
    name = "create"

    def run(self, work: Path) -> None:
        from mmsdesk.store.vault import open_encrypted

        open_encrypted(work / "mmsdesk.sqlite3", PASS).store.close()


def _encrypted_copy(src: Path, dest: Path) -> None:
    from mmsdesk.store.crypto import KeyFile, keyfile_path
    from mmsdesk.store.vault import encrypt_plain_file

    shutil.copyfile(src, dest)
    kf, key, _recovery = KeyFile.create(PASS)
    kf.save(keyfile_path(dest))
    encrypt_plain_file(dest, key)


class Upgrade(Operation):
    """Open a released schema's store (encrypted): backup before, migrations to head."""

    def __init__(self, fixture: Path) -> None:
        self.fixture = fixture
        self.name = f"upgrade {fixture.stem.removeprefix('schema_')}"

    def prepare(self, template: Path) -> None:
        _encrypted_copy(self.fixture, template / "mmsdesk.sqlite3")

    def run(self, work: Path) -> None:
        from mmsdesk.store.vault import open_encrypted

        open_encrypted(work / "mmsdesk.sqlite3", PASS, create=False).store.close()


def _demo_folder(template: Path, patients: int = 3) -> None:
    from datetime import date

    from mmsdesk.models import Allergy, Patient
    from mmsdesk.store.vault import open_encrypted

    with open_encrypted(template / "mmsdesk.sqlite3", PASS).store as store:
        for i in range(patients):
            with store.session() as s:
                p = Patient(first_name=f"Crash{i}", last_name="Point",
                            date_of_birth=date(1950, 1, 1 + i))
                s.add(p)
                s.flush()
                s.add(Allergy(patient_id=p.id, substance="Penicillin"))


class Backup(Operation):
    name = "backup"

    def prepare(self, template: Path) -> None:
        _demo_folder(template)

    def run(self, work: Path) -> None:
        from mmsdesk.store.backup import backup_now
        from mmsdesk.store.vault import open_encrypted

        with open_encrypted(work / "mmsdesk.sqlite3", PASS, create=False).store as store:
            backup_now(store)


class Restore(Operation):
    """Restore over the current data a backup that holds other rows, under another key."""

    name = "restore over current"

    def prepare(self, template: Path) -> None:
        from datetime import date

        from mmsdesk.models import Patient
        from mmsdesk.store.backup import backup_now
        from mmsdesk.store.vault import open_encrypted, rotate_key

        _demo_folder(template, 2)
        path = template / "mmsdesk.sqlite3"
        with open_encrypted(path, PASS, create=False).store as store:
            src = backup_now(store, template / "usb")
        rotate_key(path, PASS, old_passphrase=PASS)  # the backup's key is not the current one
        with open_encrypted(path, PASS, create=False).store as store, store.session() as s:
            s.add(Patient(first_name="After", last_name="Backup", date_of_birth=date(1960, 1, 1)))
        (template / "source.txt").write_text(src.name, encoding="utf-8")

    def run(self, work: Path) -> None:
        from mmsdesk.store.backup import check_backup, restore_over_current
        from mmsdesk.store.crypto import keyfile_path
        from mmsdesk.store.vault import open_encrypted

        src = work / "usb" / (work / "source.txt").read_text(encoding="utf-8")
        current = work / "mmsdesk.sqlite3"
        check = check_backup(src, PASS, keyfiles=(keyfile_path(current),))
        restore_over_current(check, current,
                             lambda: open_encrypted(current, PASS, create=False).store)

    def check(self, work: Path, before: dict[str, set[str]], schemas: set[tuple[str, ...]],
              full: bool) -> None:
        rows, _sig = _state(work / "mmsdesk.sqlite3", full=full)
        src = work / "usb" / (work / "source.txt").read_text(encoding="utf-8")
        backup_rows = _rows(src, _key_of(src))
        # All of the current data, or all of the backup's: never a mix, never less.
        assert rows in (before, backup_rows), "neither the current data nor the backup's"


class Rotate(Operation):
    """Re-encrypt under a new key (``passphrase change --new-key``)."""

    name = "key rotation"

    def prepare(self, template: Path) -> None:
        _demo_folder(template)

    def run(self, work: Path) -> None:
        from mmsdesk.store.vault import rotate_key

        rotate_key(work / "mmsdesk.sqlite3", PASS, old_passphrase=PASS)


def operations() -> list[Operation]:
    ops: list[Operation] = [Create()]
    ops += [Upgrade(f) for f in sorted(FIXTURES.glob("schema_*.sqlite3"))]
    ops += [Backup(), Restore()]
    try:
        from mmsdesk.store.vault import rotate_key  # noqa: F401
        ops.append(Rotate())
    except ImportError:
        pass
    return ops


def _fork(fn: Callable[[], None]) -> tuple[int, str]:
    """Run ``fn`` in a forked child; its exit code and, on failure, its one-line reason."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(r)
        code = 0
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001
            os.write(w, f"{type(exc).__name__}: {exc}"[:500].encode())
            code = 1
        os.close(w)
        os._exit(code)
    os.close(w)
    with os.fdopen(r, "rb") as fh:
        msg = fh.read().decode(errors="replace")
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), msg


def run_operation(op: Operation, root: Path, every: bool) -> dict[str, object]:
    template = root / f"template-{op.name.replace(' ', '-')}"
    template.mkdir(parents=True)
    op.prepare(template)
    before = op.committed(template)

    def fresh(tag: str) -> Path:
        work = root / f"{template.name}-{tag}"
        shutil.copytree(template, work)
        return work

    # A full run counts the steps and their kinds.
    work = fresh("full")
    kinds: list[str] = []

    def full() -> None:
        steps = Steps(None)
        install(steps)
        op.run(work)
        with open(work / "kinds.json", "w", encoding="utf-8") as fh:
            json.dump(steps.kinds, fh)

    code, msg = _fork(full)
    if code != 0:
        raise SystemExit(f"{op.name}: the uninterrupted run failed: {msg}")
    kinds = json.loads((work / "kinds.json").read_text(encoding="utf-8"))[:-1]  # the dump's open
    schemas = {_schema_of(template), _schema_of(work)}
    shutil.rmtree(work)
    # Plain statements: one in ten, at most about MAX_PLAIN of them (a data migration can run
    # thousands, all inside the one transaction).
    stride = max(SAMPLE, kinds.count("sql") // MAX_PLAIN)
    points = [k for k in range(1, len(kinds) + 1)
              if every or kinds[k - 1] != "sql" or k % stride == 0]
    # The next start as the app makes it (creating or upgrading) after every file step and
    # commit and at every twentieth point; elsewhere opened as it was left, old schema or new.
    full_at = {k for i, k in enumerate(points)
               if every or kinds[k - 1] in ("file", "commit") or i % 20 == 0}
    # Two lanes (the CI machine has two cores), each forking one child per kill point.
    lanes = [points[i::LANES] for i in range(LANES)]
    pids = []
    for n, lane in enumerate(lanes):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - a lane
            result = _run_lane(op, lane, kinds, fresh, before, schemas, full_at)
            with open(root / f"lane-{n}.json", "w", encoding="utf-8") as fh:
                json.dump(result, fh)
            os._exit(0)
        pids.append(pid)
    failures: list[str] = []
    full_starts = 0
    for n, pid in enumerate(pids):
        os.waitpid(pid, 0)
        lane_file = root / f"lane-{n}.json"
        result = json.loads(lane_file.read_text(encoding="utf-8"))
        lane_file.unlink()
        failures += result["failures"]
        full_starts += result["full"]
    return {"operation": op.name, "steps": len(kinds), "ddl": kinds.count("ddl"),
            "file_steps": kinds.count("file"), "killed_at": len(points),
            "full_next_starts": full_starts, "failures": failures}


def _run_lane(op: Operation, points: list[int], kinds: list[str], fresh: Callable[[str], Path],
              before: dict[str, set[str]], schemas: set[tuple[str, ...]],
              full_at: set[int]) -> dict[str, object]:
    failures: list[str] = []
    full_starts = 0
    for k in points:
        work = fresh(str(k))

        def killed(k: int = k, work: Path = work) -> None:
            install(Steps(k))
            op.run(work)

        code, msg = _fork(killed)
        full = k in full_at
        full_starts += full
        if code not in (KILLED, 0):
            failures.append(f"k={k}: the operation failed before its kill: {msg}")
        else:
            code, msg = _fork(lambda work=work, full=full: op.check(work, before, schemas, full))
            if code != 0:
                failures.append(f"k={k} ({kinds[k - 1]}): {msg}")
        shutil.rmtree(work)
    return {"failures": failures, "full": full_starts}


def _schema_of(folder: Path) -> tuple[str, ...]:
    path = folder / "mmsdesk.sqlite3"
    if not path.exists():
        return ()
    from mmsdesk.store.engine import make_engine

    engine = make_engine(path, _key_of(path))
    try:
        with engine.connect() as conn:
            return _signature(conn)
    finally:
        engine.dispose()


def warm() -> None:
    """Import here, once, what every forked child would otherwise import again."""
    import alembic.command  # noqa: F401
    import alembic.ddl.sqlite  # noqa: F401
    import alembic.operations  # noqa: F401
    import alembic.runtime.migration  # noqa: F401
    import sqlcipher3.dbapi2  # noqa: F401

    import mmsdesk.models  # noqa: F401
    import mmsdesk.store.audit  # noqa: F401
    import mmsdesk.store.backup  # noqa: F401
    import mmsdesk.store.migrate  # noqa: F401
    import mmsdesk.store.recovery  # noqa: F401
    import mmsdesk.store.vault  # noqa: F401
    from mmsdesk.store.migrate import script_directory

    for script in script_directory().walk_revisions():  # the migration modules themselves
        script.module  # noqa: B018


def main(argv: list[str]) -> int:
    wanted, root = argv[0], Path(argv[1])
    warm()
    every = "--all" in argv
    for op in operations():
        if wanted not in ("all", op.name.split()[0]):
            continue
        t0 = time.monotonic()
        result = run_operation(op, root, every)
        result["seconds"] = round(time.monotonic() - t0, 1)
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
