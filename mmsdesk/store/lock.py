"""One store, one process: an operating-system lock on a file beside the store.

The window holds ``<store>.lock`` from its start to its exit; every command that writes
(and ``restore``, ``passphrase change``, ``backup``) takes it before touching the store. The
lock is the operating system's (``flock`` on Linux and macOS, ``msvcrt.locking`` on
Windows): it goes with the process, so after a crash or a kill the next start gets it at
once -- a lock file left behind is only a name, and the process id written in it (for the
message) is checked against the running processes before it is named. Within one process the
lock is re-entrant (a command that restores opens the current store too).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import IO

from mmsdesk.store.errors import StoreError

ALREADY_OPEN = "MMS Desk is already open on this data"
WAIT_SECONDS = 5.0  # a writing command waits this long for the window to let go

_held: dict[Path, tuple[IO[bytes], int]] = {}


class StoreBusy(StoreError):
    """Another process holds the store."""


def lock_path(store_path: Path) -> Path:
    return Path(store_path).with_name(Path(store_path).name + ".lock")


def _try_lock(fh: IO[bytes]) -> bool:
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt

        fh.seek(1 << 20)  # a byte far past the process id, so others can read it
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder(store_path: Path) -> int | None:
    """The process id written by the lock's holder, when that process is still running."""
    try:
        text = lock_path(store_path).read_text(encoding="ascii", errors="replace")
        pid = int(text.split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if process_alive(pid) else None


def acquire(store_path: Path, *, wait: float = 0.0) -> None:
    """Hold the store's lock for this process (until :func:`release` or exit).

    Waits up to ``wait`` seconds for another process to let go, then raises
    :class:`StoreBusy` with the message the user sees.
    """
    path = lock_path(store_path).resolve()
    if path in _held:
        fh, count = _held[path]
        _held[path] = (fh, count + 1)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "a+b")  # noqa: SIM115 - held open for as long as the lock is held
    deadline = time.monotonic() + wait
    while not _try_lock(fh):
        if time.monotonic() >= deadline:
            fh.close()
            pid = holder(store_path)
            who = f" (process {pid})" if pid else ""
            raise StoreBusy(f"{ALREADY_OPEN}{who}: close it and try again. Nothing was "
                            "changed.")
        time.sleep(0.1)
    fh.seek(0)
    fh.truncate()
    fh.write(f"{os.getpid()}\n".encode("ascii"))
    fh.flush()
    _held[path] = (fh, 1)


def release(store_path: Path) -> None:
    path = lock_path(store_path).resolve()
    if path not in _held:
        return
    fh, count = _held.pop(path)
    if count > 1:
        _held[path] = (fh, count - 1)
        return
    fh.close()  # closing the file lets the operating system's lock go


def wait_seconds() -> float:
    """How long a writing command waits (``MMSDESK_LOCK_WAIT`` overrides, for tests)."""
    try:
        return float(os.environ.get("MMSDESK_LOCK_WAIT", WAIT_SECONDS))
    except ValueError:
        return WAIT_SECONDS
