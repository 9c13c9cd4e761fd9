"""The one place that knows where MMS Desk keeps its files.

Data, config and logs live in the platformdirs folders for "MMS Desk". Tests and power users
redirect the data folder with ``--data-dir`` or ``MMSDESK_DATA_DIR``; the config and log
folders follow ``MMSDESK_CONFIG_DIR`` and ``MMSDESK_LOG_DIR`` when set, else sit inside an
overridden data folder so that a test never touches a real profile.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

APP_NAME = "MMS Desk"
APP_AUTHOR = "MMS Desk"
STORE_FILENAME = "mmsdesk.sqlite3"

DEMO_FOLDER = "demo-practice"

_data_dir_override: Path | None = None
_demo = False


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    """Point this process at another data folder (``--data-dir``)."""
    global _data_dir_override
    _data_dir_override = Path(path).expanduser().resolve() if path else None


def _overridden_data_dir() -> Path | None:
    if _data_dir_override is not None:
        return _data_dir_override
    env = os.environ.get("MMSDESK_DATA_DIR")
    return Path(env).expanduser().resolve() if env else None


def use_demo(on: bool = True) -> None:
    """Open the demo practice (``--demo``): its own data folder; config and logs are shared."""
    global _demo
    _demo = on


def is_demo() -> bool:
    return _demo


def practice_data_dir() -> Path:
    """The real practice's data folder, whether or not this process runs the demo."""
    over = _overridden_data_dir()
    if over is not None:
        return over
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def demo_data_dir() -> Path:
    """The demo practice (fictional patients) lives apart: a folder inside the data folder."""
    return practice_data_dir() / DEMO_FOLDER


def demo_store_path() -> Path:
    return demo_data_dir() / STORE_FILENAME


def data_dir() -> Path:
    return demo_data_dir() if _demo else practice_data_dir()


def config_dir() -> Path:
    env = os.environ.get("MMSDESK_CONFIG_DIR")
    if env:
        return Path(env).expanduser().resolve()
    over = _overridden_data_dir()
    if over is not None:
        return over / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    env = os.environ.get("MMSDESK_LOG_DIR")
    if env:
        return Path(env).expanduser().resolve()
    over = _overridden_data_dir()
    if over is not None:
        return over / "logs"
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def store_path() -> Path:
    return data_dir() / STORE_FILENAME


def backup_dir() -> Path:
    return data_dir() / "backups"


def resources_dir() -> Path:
    """Bundled resources: next to the package in a checkout, inside the bundle when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def knowledge_dir() -> Path:
    return resources_dir() / "knowledge"


def cache_dir() -> Path:
    """Rebuildable files (the compiled drug dictionary); inside an overridden data folder."""
    env = os.environ.get("MMSDESK_CACHE_DIR")
    if env:
        return Path(env).expanduser().resolve()
    over = _overridden_data_dir()
    if over is not None:
        return over / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))


def knowledge_user_dir() -> Path:
    """Knowledge the pharmacist imported herself (NDC, RxNorm): user data, never a cache."""
    return practice_data_dir() / "knowledge"


def migrations_dir() -> Path:
    return Path(__file__).resolve().parent / "store" / "migrations"


# -- private files: every file and folder MMS Desk writes is its user's alone
# On Linux and macOS: files 0600, folders 0700. The process umask (set once at start by
# :func:`make_process_private`) covers everything written, including SQLite's -wal/-shm files,
# temporary files and folders made by libraries; :func:`private_dir` and :func:`private_file`
# tighten what an older version left open and what a user-chosen folder already holds.
# On Windows the umask has no effect on ACLs: a file there inherits its folder's ACL; under the
# user's profile (%LOCALAPPDATA%) that is already the user, SYSTEM and Administrators. A folder
# chosen elsewhere (an extra backup folder, a PDF saved to a shared drive) would need an
# explicit owner-only DACL (SetNamedSecurityInfo with PROTECTED_DACL, e.g. through pywin32 or
# `icacls /inheritance:r /grant:r %USERNAME%:F`): not done yet, Windows is not a shipped target.
PRIVATE_UMASK = 0o077
PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700
_POSIX = os.name == "posix"


def make_process_private() -> None:
    """Files and folders this process creates are private from now on (umask 077)."""
    if _POSIX:
        os.umask(PRIVATE_UMASK)


def private_dir(path: str | os.PathLike[str]) -> Path:
    """Create ``path`` (and missing parents) private; an existing folder is made private."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if _POSIX:
        try:
            if folder.stat().st_mode & 0o077:
                os.chmod(folder, PRIVATE_DIR_MODE)
        except OSError:
            pass  # not ours (a shared parent): its files are still made private
    return folder


def private_file(path: str | os.PathLike[str]) -> Path:
    """Make an existing file readable and writable by its owner only."""
    file = Path(path)
    if _POSIX:
        try:
            if file.stat().st_mode & 0o077:
                os.chmod(file, PRIVATE_FILE_MODE)
        except OSError:
            pass
    return file


def write_private(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to a new private file at ``path`` (mode 0600 from its creation)."""
    file = Path(path)
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0),
                 PRIVATE_FILE_MODE)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return private_file(file)


_DATA_SUBFOLDERS = ("backups", "knowledge", "cache", "config", "logs")


def tighten_app_folders() -> None:
    """Make what an older version left open private (it wrote 0644 files in 0755 folders).

    Only what is the app's own is touched: the platformdirs folders named for MMS Desk, the
    store's files in a data folder (a ``--data-dir`` may be any folder, even the home
    folder: its other files are left alone) and the data folder's own subfolders."""
    if not _POSIX:
        return
    _tighten_data(practice_data_dir())
    for root, env in ((config_dir(), "MMSDESK_CONFIG_DIR"), (log_dir(), "MMSDESK_LOG_DIR"),
                      (cache_dir(), "MMSDESK_CACHE_DIR")):
        if not os.environ.get(env) and _overridden_data_dir() is None and root.is_dir():
            _tighten_tree(root)


def _tighten_data(folder: Path) -> None:
    if not folder.is_dir():
        return
    mine = [p for p in folder.iterdir()
            if p.name.startswith(STORE_FILENAME) or p.name == "pending-writes"]
    if not mine and folder.name != APP_NAME:
        return
    private_dir(folder)
    for p in mine:
        private_file(p)
    for sub in _DATA_SUBFOLDERS:
        if (folder / sub).is_dir():
            _tighten_tree(folder / sub)
    if (folder / DEMO_FOLDER).is_dir():
        _tighten_data(folder / DEMO_FOLDER)


def _tighten_tree(root: Path) -> None:
    private_dir(root)
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            private_dir(Path(dirpath) / d)
        for f in filenames:
            private_file(Path(dirpath) / f)


LEFTOVER_AGE_S = 600  # a running import rewrites its file continuously; a killed one stops


def clean_leftovers(now: float | None = None) -> int:
    """Remove what killed processes left: temporary files of a dictionary import or compile
    (``.ext-*.tmp``, ``.dict-*.tmp``, untouched for 10 minutes) and the staged copies of
    exports listed in the pending-writes journal (they hold patient data). Returns how many."""
    now = time.time() if now is None else now
    removed = 0
    for folder in {knowledge_user_dir(), cache_dir()}:
        if not folder.is_dir():
            continue
        for pattern in (".ext-*.tmp", ".dict-*.tmp"):
            for leftover in folder.glob(pattern):
                try:
                    if now - leftover.stat().st_mtime >= LEFTOVER_AGE_S:
                        leftover.unlink()
                        removed += 1
                except OSError:
                    pass
    journal = _pending_journal()
    if journal.exists():
        for line in journal.read_text(encoding="utf-8").splitlines():
            staged = Path(line)
            if staged.name.startswith(".") and staged.name.endswith(".part") and staged.exists():
                staged.unlink(missing_ok=True)
                removed += 1
        journal.unlink(missing_ok=True)
    return removed


def _pending_journal() -> Path:
    return practice_data_dir() / "pending-writes"


def _journal(staged: Path, *, add: bool) -> None:
    journal = _pending_journal()
    lines = (journal.read_text(encoding="utf-8").splitlines() if journal.exists() else [])
    lines = [ln for ln in lines if ln != str(staged)] + ([str(staged)] if add else [])
    if not lines:
        journal.unlink(missing_ok=True)
        return
    private_dir(journal.parent)
    tmp = journal.with_name(journal.name + ".tmp")
    write_private(tmp, ("\n".join(lines) + "\n").encode("utf-8"))
    os.replace(tmp, journal)


@contextmanager
def staged_write(target: str | os.PathLike[str], data: bytes) -> Iterator[Path]:
    """Write ``data`` to a private hidden file beside ``target`` and rename it to ``target``
    when the ``with`` block ends without error (the block records the export's audit row):
    a kill leaves no file at ``target`` without its audit row, and the staged copy, listed in
    a journal in the data folder, is removed at the next start (:func:`clean_leftovers`)."""
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    staged = Path(name)
    _journal(staged, add=True)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        yield staged
        os.replace(staged, target)
        fsync_dir(target.parent)
    finally:
        staged.unlink(missing_ok=True)
        _journal(staged, add=False)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
