"""The app's preferences: typed declarations, defaults, versioned upgrades, atomic JSON file.

The file is ``settings.json`` in :func:`mmsdesk.paths.config_dir`. Each option is declared
once in :data:`OPTIONS` with its type, default and check; :func:`load` never raises: a
missing, unreadable or corrupt file (or a bad value) gives the defaults for what is wrong and
logs a warning that names the option, never its value. Older files are upgraded step by step
(:data:`UPGRADES`) and written back as :data:`VERSION`. ``MMSDESK_LOCK_MINUTES`` still
overrides the idle lock for scripted runs. No Qt here: the CLI and services read it too.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from mmsdesk import paths

log = logging.getLogger(__name__)

FILENAME = "settings.json"
VERSION = 2
LANGUAGES = {"en": "English", "es": "Español"}
PAPER_SIZES = ("Letter", "A4")
MAX_LOCK_MINUTES = 240.0

# Days until the follow-up after each service (ServiceType values): the visit wizard's default.
DEFAULT_FOLLOW_UP_DAYS: dict[str, int] = {
    "cmr": 90, "tmr": 30, "med_rec": 14, "pgx": 30, "chronic_care": 30,
    "disease_state": 30, "adherence": 30, "polypharmacy": 30, "dur": 14, "follow_up": 30,
}


def _lock_minutes(v: Any) -> float:
    if isinstance(v, bool):
        raise ValueError
    value = float(v)
    if not 0 <= value <= MAX_LOCK_MINUTES:
        raise ValueError
    return value


def _choice(options: tuple[str, ...] | dict[str, str]) -> Callable[[Any], str]:
    def check(v: Any) -> str:
        if v not in options:
            raise ValueError
        return str(v)
    return check


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueError
    return v


def _text(v: Any) -> str:
    if not isinstance(v, str) or len(v) > 1000 or "\x00" in v:
        raise ValueError
    return v


def _follow_up(v: Any) -> dict[str, int]:
    if not isinstance(v, dict):
        raise ValueError
    out = dict(DEFAULT_FOLLOW_UP_DAYS)
    for key, days in v.items():
        if (key in DEFAULT_FOLLOW_UP_DAYS and isinstance(days, int) and not isinstance(days, bool)
                and 1 <= days <= 730):
            out[key] = days
    return out


def _refill_mappings(v: Any) -> dict[str, dict[str, str]]:
    """Pharmacy name -> {field: header} (the refill file's columns); bad entries dropped."""
    if not isinstance(v, dict):
        raise ValueError
    out: dict[str, dict[str, str]] = {}
    for pharmacy, mapping in v.items():
        if (isinstance(pharmacy, str) and 0 < len(pharmacy) <= 200 and isinstance(mapping, dict)
                and all(isinstance(k, str) and isinstance(h, str) and 0 < len(h) <= 200
                        for k, h in mapping.items())):
            out[pharmacy] = dict(mapping)
    return out


def _database_address(v: Any) -> str:
    """Empty (the laptop's data file) or a PostgreSQL address with no password in it."""
    from urllib.parse import urlsplit

    text = _text(v)
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname or parts.password:
        raise ValueError
    return text


@dataclass(frozen=True)
class Option:
    """One declared option: its JSON key, default and check (raises ValueError when bad)."""

    key: str
    default: Any
    check: Callable[[Any], Any]
    label: str


OPTIONS: tuple[Option, ...] = (
    Option("lock_minutes", 5.0, _lock_minutes, "Lock after idle minutes (0: never)"),
    Option("document_language", "en", _choice(LANGUAGES), "Default document language"),
    Option("large_print", False, _bool, "Large print documents by default"),
    Option("printer_name", "", _text, "Printer (empty: the system's default)"),
    Option("paper_size", "Letter", _choice(PAPER_SIZES), "Paper size"),
    Option("backup_folder", "", _text, "Extra backup folder (e.g. a USB stick)"),
    Option("follow_up_days", DEFAULT_FOLLOW_UP_DAYS, _follow_up, "Follow-up after (days)"),
    Option("refill_mappings", {}, _refill_mappings,
           "Refill file columns, remembered per pharmacy"),
    Option("practice_database", "", _database_address,
           "The practice's database server (team mode; empty: this computer's data file)"),
)
_BY_KEY = {o.key: o for o in OPTIONS}


@dataclass(frozen=True)
class Settings:
    lock_minutes: float = 5.0
    document_language: str = "en"
    large_print: bool = False
    printer_name: str = ""
    paper_size: str = "Letter"
    backup_folder: str = ""
    follow_up_days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_FOLLOW_UP_DAYS))
    refill_mappings: dict[str, dict[str, str]] = field(default_factory=dict)
    practice_database: str = ""  # an address, never a password (Settings ▸ Practice connection)

    def follow_up_after(self, service: str) -> int:
        """Days until the follow-up after ``service`` (a ServiceType value)."""
        return self.follow_up_days.get(str(service), DEFAULT_FOLLOW_UP_DAYS.get(str(service), 30))

    def with_changes(self, **changes: Any) -> Settings:
        """A copy with ``changes`` checked like a loaded file (ValueError names the option)."""
        for key, value in changes.items():
            try:
                changes[key] = _BY_KEY[key].check(value)
            except (KeyError, TypeError, ValueError):
                raise ValueError(f"Setting {key!r} cannot take that value.") from None
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"version": VERSION}
        for f in fields(self):
            value = getattr(self, f.name)
            data[f.name] = dict(value) if isinstance(value, dict) else value
        return data


# -- upgrades: UPGRADES[n] turns a version-n dict into a version n+1 dict.
def _upgrade_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 (no ``version`` key): the hand-written file of the data-protection issue,
    where ``lock_minutes`` could be a string ("10"), ``language`` named the document
    language and ``follow_up`` was one number of days for every service."""
    out = dict(data)
    if isinstance(out.get("lock_minutes"), str):
        try:
            out["lock_minutes"] = float(out["lock_minutes"])
        except ValueError:
            del out["lock_minutes"]
    if "language" in out:
        out.setdefault("document_language", out.pop("language"))
    every = out.pop("follow_up", None)
    if isinstance(every, int) and not isinstance(every, bool):
        out.setdefault("follow_up_days", {k: every for k in DEFAULT_FOLLOW_UP_DAYS})
    out["version"] = 2
    return out


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _upgrade_1_to_2}


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a settings dict of any earlier version to :data:`VERSION`."""
    version = data.get("version", 1)
    if not isinstance(version, int) or version > VERSION or version < 1:
        raise ValueError("unknown settings version")
    while version < VERSION:
        data = UPGRADES[version](data)
        version = data["version"]
    return data


def from_json(data: dict[str, Any]) -> Settings:
    """Settings from an upgraded dict; a bad value falls back to its default (logged)."""
    values: dict[str, Any] = {}
    for option in OPTIONS:
        if option.key not in data:
            continue
        try:
            values[option.key] = option.check(data[option.key])
        except (TypeError, ValueError):
            log.warning("settings: %s has a value that cannot be used; default kept", option.key)
    unknown = sorted(set(data) - set(_BY_KEY) - {"version"})
    if unknown:
        log.warning("settings: unknown options ignored: %s", ", ".join(unknown))
    return Settings(**values)


def settings_path() -> Path:
    return paths.config_dir() / FILENAME


def load(path: Path | None = None) -> Settings:
    """The saved settings, upgraded; defaults when there is no usable file. Never raises."""
    path = path or settings_path()
    try:
        raw = path.read_text("utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError):
        log.warning("settings: %s cannot be read; defaults used", path.name)
        return Settings()
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        old_version = data.get("version", 1)
        data = upgrade(data)
    except ValueError:
        log.warning("settings: %s is not a valid settings file; defaults used", path.name)
        return Settings()
    settings = from_json(data)
    if old_version != VERSION:
        log.info("settings upgraded from version %s to %s", old_version, VERSION)
        try:
            save(settings, path)
        except OSError:
            log.warning("settings: the upgraded file could not be written")
    return settings


def save(settings: Settings, path: Path | None = None) -> Path:
    """Write atomically: a temporary file in the same folder, fsync, then rename over."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(settings.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def lock_minutes() -> float:
    """Idle minutes before the lock: ``MMSDESK_LOCK_MINUTES`` when it is a number, else the file."""
    env = os.environ.get("MMSDESK_LOCK_MINUTES")
    if env:
        try:
            return _lock_minutes(env)
        except ValueError:
            log.warning("settings: MMSDESK_LOCK_MINUTES is not a number of minutes; ignored")
    return load().lock_minutes
