"""Logging to the platformdirs log folder. Log messages never carry patient data.

Rule for every module: log counts, ids, durations and exception *types*, never names, dates
of birth, medicines or free text. Uncaught exceptions are logged as type and location only.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import traceback
from types import TracebackType
from typing import Any

from mmsdesk import paths

_configured = False


def setup_logging(level: int = logging.INFO) -> None:
    global _configured
    if _configured:
        return
    folder = paths.log_dir()
    try:
        paths.private_dir(folder)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / "mmsdesk.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("mmsdesk")
    root.setLevel(level)
    root.addHandler(handler)
    root.propagate = False
    _configured = True


def exception_summary(exc: BaseException | None, tb: TracebackType | None) -> str:
    """An exception's type and the last frames it passed through; never its message."""
    frames = traceback.extract_tb(tb)[-5:] if tb else []
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
                        for f in reversed(frames))
    return f"{type(exc).__name__} at {where}" if where else type(exc).__name__


class SafeFormatter(logging.Formatter):
    """Writes ``log.exception(...)`` tracebacks as type and location only: an exception's
    message can hold record values (a name, a medicine, a date typed by the pharmacist)."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's own name
        _type, exc, tb = ei
        return f"  {exception_summary(exc, tb)}"

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return ""


def log_exception_safely(exc: BaseException, tb: TracebackType | None) -> None:
    """Log an exception's type and where it happened, without its message (may hold PHI)."""
    logging.getLogger("mmsdesk").error("unhandled %s", exception_summary(exc, tb))


_crash_file: Any = None


def install_error_hooks() -> None:
    """Every error reaches the log: uncaught exceptions (main thread, other threads, Qt event
    handlers, which PySide hands to ``sys.excepthook``) as type and location, never message;
    hard crashes through :mod:`faulthandler` into ``crash.log`` beside the log (tracebacks of
    file, line and function only)."""
    global _crash_file

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log_exception_safely(exc, tb)
        print(f"mmsdesk: internal error ({kind.__name__}); details in {paths.log_dir()}",
              file=sys.stderr)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            logging.getLogger("mmsdesk").error(
                "unhandled in thread %s: %s", getattr(args.thread, "name", "?"),
                exception_summary(args.exc_value, args.exc_traceback))

    sys.excepthook = hook
    threading.excepthook = thread_hook
    if _crash_file is None:
        import faulthandler

        try:
            folder = paths.log_dir()
            paths.private_dir(folder)
            _crash_file = open(folder / "crash.log", "a", encoding="utf-8")  # noqa: SIM115
            faulthandler.enable(_crash_file)
        except OSError:
            faulthandler.enable()
