"""Logging to the platformdirs log folder. Log messages never carry patient data.

Rule for every module: log counts, ids, durations and exception *types*, never names, dates
of birth, medicines or free text. Uncaught exceptions are logged as type and location only.
"""

from __future__ import annotations

import logging
import logging.handlers
import traceback
from types import TracebackType

from mmsdesk import paths

_configured = False


def setup_logging(level: int = logging.INFO) -> None:
    global _configured
    if _configured:
        return
    folder = paths.log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "mmsdesk.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("mmsdesk")
    root.setLevel(level)
    root.addHandler(handler)
    root.propagate = False
    _configured = True


def log_exception_safely(exc: BaseException, tb: TracebackType | None) -> None:
    """Log an exception's type and where it happened, without its message (may hold PHI)."""
    frames = traceback.extract_tb(tb)[-5:] if tb else []
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames))
    logging.getLogger("mmsdesk").error("unhandled %s at %s", type(exc).__name__, where)
