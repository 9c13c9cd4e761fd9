"""Wrong-passphrase delays that survive a restart and apply to the window and the command line.

The count of wrong passphrases (or recovery keys) in a row and the time of the last one are
kept beside the store, ``<store>.attempts``. After the first two, each further try must wait
1, 2, 4 ... up to 60 seconds from the last failure; a right passphrase clears the count.

This slows guessing *through MMS Desk*; it cannot slow someone who copies the key file and
runs Argon2id themselves (the Argon2id cost is what does that), nor someone who deletes this
file between tries (they then need the account, which already reads the key file).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from mmsdesk.store.crypto import KeyProblem

FREE_ATTEMPTS = 2  # failures before the delay starts
MAX_DELAY_S = 60


class TooSoon(KeyProblem):
    """Another try came before the delay after the last wrong passphrase was over."""

    def __init__(self, seconds: int) -> None:
        super().__init__(f"Too many wrong passphrases: wait {seconds} s before trying again.")
        self.seconds = seconds


def failure_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` wrong passphrases in a row: 0, 0, 1, 2, 4 ... 60."""
    if failures <= FREE_ATTEMPTS:
        return 0
    return int(min(2 ** (failures - FREE_ATTEMPTS - 1), MAX_DELAY_S))


def attempts_path(store_path: Path) -> Path:
    return Path(store_path).with_name(Path(store_path).name + ".attempts")


def _read(store_path: Path) -> tuple[int, float]:
    try:
        data = json.loads(attempts_path(store_path).read_text(encoding="utf-8"))
        return max(0, int(data["failures"])), float(data["last"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0, 0.0


def failures(store_path: Path) -> int:
    return _read(store_path)[0]


def remaining(store_path: Path, now: float | None = None) -> int:
    """Whole seconds before the next try is allowed (0: now)."""
    count, last = _read(store_path)
    wait = failure_delay(count) - ((time.time() if now is None else now) - last)
    # a timer that fires a little early (Qt's coarse timers: up to 5 %) is not refused
    return 0 if wait <= 0.1 else int(wait + 0.999)


def check(store_path: Path) -> None:
    """Raise :class:`TooSoon` while the delay after the last failure runs."""
    left = remaining(store_path)
    if left:
        raise TooSoon(left)


def failed(store_path: Path) -> int:
    """Count one more wrong passphrase; returns the delay before the next try."""
    count = failures(store_path) + 1
    path = attempts_path(store_path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"failures": count, "last": time.time()}, fh)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only folder: the delay then lasts for this process only
    return failure_delay(count)


def succeeded(store_path: Path) -> None:
    attempts_path(store_path).unlink(missing_ok=True)
