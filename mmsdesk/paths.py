"""The one place that knows where MMS Desk keeps its files.

Data, config and logs live in the platformdirs folders for "MMS Desk". Tests and power users
redirect the data folder with ``--data-dir`` or ``MMSDESK_DATA_DIR``; the config and log
folders follow ``MMSDESK_CONFIG_DIR`` and ``MMSDESK_LOG_DIR`` when set, else sit inside an
overridden data folder so that a test never touches a real profile.
"""

from __future__ import annotations

import os
import sys
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
