"""Malformed key files and damaged backups: one clear line each, never an internal error, and
nothing changed (the store, its key file and the backup keep their bytes)."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from mmsdesk.store import StoreError
from mmsdesk.store.backup import backup_now, check_backup
from mmsdesk.store.crypto import KeyProblem, keyfile_copy_path, keyfile_path
from mmsdesk.store.vault import open_encrypted
from tests.conftest import run_cli

PASS = "correct horse battery staple"


def _b64(n: int) -> str:
    return base64.b64encode(b"\1" * n).decode()


def _edit(change: Callable[[dict], None]) -> Callable[[str], str]:
    def apply(text: str) -> str:
        d = json.loads(text)
        change(d)
        return json.dumps(d)
    return apply


def _set(section: str, key: str, value: object) -> Callable[[str], str]:
    return _edit(lambda d: d[section].__setitem__(key, value))


def _drop(section: str, key: str | None = None) -> Callable[[str], str]:
    return _edit(lambda d: d.pop(section) if key is None else d[section].pop(key))


KEYFILES: dict[str, Callable[[str], str]] = {
    "empty": lambda t: "",
    "not json": lambda t: "hello, this is not a key file",
    "json list": lambda t: "[1, 2, 3]",
    "cut in half": lambda t: t[: len(t) // 2],
    "wrong format name": _edit(lambda d: d.__setitem__("format", "something-else")),
    "unknown version": _edit(lambda d: d.__setitem__("version", 99)),
    "no kdf": _drop("kdf"),
    "unknown kdf": _set("kdf", "name", "pbkdf2"),
    "time cost not a number": _set("kdf", "time_cost", "three"),
    "absurd time cost": _set("kdf", "time_cost", 10**9),
    "absurd memory": _set("kdf", "memory_kib", 2**40),
    "zero parallelism": _set("kdf", "parallelism", 0),
    "negative memory": _set("kdf", "memory_kib", -5),
    "salt not base64": _set("passphrase", "salt", "@@not base64@@"),
    "empty salt": _set("passphrase", "salt", ""),
    "nonce of the wrong length": _set("passphrase", "nonce", _b64(5)),
    "nonce null": _set("passphrase", "nonce", None),
    "wrapped key cut": _set("passphrase", "wrapped", _b64(10)),
    "no passphrase section": _drop("passphrase"),
    "no recovery section": _drop("recovery"),
    "binary garbage": lambda t: "\udcff\udcfe garbage",
}


def _digest(*paths: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths if p.is_file()}


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "mmsdesk.sqlite3"
    open_encrypted(path, PASS).store.close()
    keyfile_copy_path(path).unlink(missing_ok=True)  # no second copy to fall back on
    return path


def _write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", errors="surrogateescape"))


def test_twenty_kinds_of_malformed_key_file_each_give_one_clear_line(store_path: Path):
    good = keyfile_path(store_path).read_text(encoding="utf-8")
    assert len(KEYFILES) >= 20
    for kind, damage in KEYFILES.items():
        _write(keyfile_path(store_path), damage(good))
        before = _digest(store_path, keyfile_path(store_path))
        with pytest.raises((KeyProblem, StoreError)) as info:
            open_encrypted(store_path, PASS, create=False).store.close()
        message = str(info.value)
        assert "\n" not in message and 10 < len(message) < 300, (kind, message)
        assert "Traceback" not in message and "internal error" not in message, kind
        assert _digest(store_path, keyfile_path(store_path)) == before, kind
    keyfile_path(store_path).write_text(good, encoding="utf-8")
    open_encrypted(store_path, PASS, create=False).store.close()


def test_a_malformed_key_file_on_the_command_line_is_one_line(store_path: Path):
    keyfile_path(store_path).write_text('{"format": "mmsdesk-keys"', encoding="utf-8")
    out = run_cli("--data-dir", str(store_path.parent), "patients", "list")
    assert out.returncode in (2, 3) and "internal error" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and "key file" in out.stderr


def _corrupt_at(offset: int, n: int = 64) -> Callable[[Path], None]:
    def apply(p: Path) -> None:
        data = bytearray(p.read_bytes())
        at = offset if offset >= 0 else len(data) + offset
        data[at:at + n] = bytes(b ^ 0x5A for b in data[at:at + n])
        p.write_bytes(bytes(data))
    return apply


def _truncate(size: Callable[[int], int]) -> Callable[[Path], None]:
    def apply(p: Path) -> None:
        data = p.read_bytes()
        p.write_bytes(data[: size(len(data))])
    return apply


def _plain_db(p: Path, sql: str) -> None:
    p.unlink()
    keyfile_path(p).unlink()
    con = sqlite3.connect(p)
    con.executescript(sql)
    con.close()


def _foreign_keys(p: Path) -> None:
    other = p.parent / "other" / "mmsdesk.sqlite3"
    open_encrypted(other, PASS).store.close()
    shutil.copyfile(keyfile_path(other), keyfile_path(p))


BACKUPS: dict[str, Callable[[Path], None]] = {
    "empty file": lambda p: p.write_bytes(b""),
    "cut in half": _truncate(lambda n: n // 2),
    "cut to 100 bytes": _truncate(lambda n: 100),
    "cut by one byte": _truncate(lambda n: n - 1),
    "key file a folder": lambda p: (keyfile_path(p).unlink(), keyfile_path(p).mkdir()),
    "first page damaged": _corrupt_at(0),
    "second page damaged": _corrupt_at(4096 + 100),
    "last page damaged": _corrupt_at(-200),
    "a text file": lambda p: p.write_text("not a backup at all", encoding="utf-8"),
    "compressed": lambda p: p.write_bytes(__import__("gzip").compress(p.read_bytes())),
    "key file missing": lambda p: keyfile_path(p).unlink(),
    "key file empty": lambda p: keyfile_path(p).write_text("", encoding="utf-8"),
    "key file not json": lambda p: keyfile_path(p).write_text("{{{", encoding="utf-8"),
    "key file of another store": _foreign_keys,
    "key file with absurd costs": lambda p: keyfile_path(p).write_text(
        _set("kdf", "memory_kib", 2**40)(keyfile_path(p).read_text(encoding="utf-8")),
        encoding="utf-8"),
    "a folder": lambda p: (p.unlink(), p.mkdir()),
    "missing": lambda p: p.unlink(),
    "plain SQLite, not MMS Desk": lambda p: _plain_db(p, "CREATE TABLE t(x); INSERT INTO t VALUES(1);"),
    "plain SQLite without patients": lambda p: _plain_db(
        p, "CREATE TABLE alembic_version(version_num TEXT); CREATE TABLE visit(id INTEGER);"),
    "plain SQLite without schema version": lambda p: _plain_db(
        p, "CREATE TABLE patient(id INTEGER PRIMARY KEY);"),
    "zeroed": lambda p: p.write_bytes(b"\0" * p.stat().st_size),
}


def test_twenty_kinds_of_damaged_backup_each_give_one_clear_line(store_path: Path, tmp_path):
    assert len(BACKUPS) >= 20
    with open_encrypted(store_path, PASS, create=False).store as store:
        good = backup_now(store, tmp_path / "usb")
    current = _digest(store_path, keyfile_path(store_path))
    for n, (kind, damage) in enumerate(BACKUPS.items()):
        folder = tmp_path / f"case{n}"
        folder.mkdir()
        copy = folder / good.name
        shutil.copyfile(good, copy)
        shutil.copyfile(keyfile_path(good), keyfile_path(copy))
        damage(copy)
        before = _digest(copy, keyfile_path(copy)) if copy.is_file() else {}
        with pytest.raises((KeyProblem, StoreError)) as info:
            check_backup(copy, PASS)
        message = str(info.value)
        assert "\n" not in message and 10 < len(message) < 300, (kind, message)
        assert "internal error" not in message, kind
        assert (_digest(copy, keyfile_path(copy)) if copy.is_file() else {}) == before, kind
    assert _digest(store_path, keyfile_path(store_path)) == current


def test_damaged_backups_on_the_command_line_are_one_line_and_change_nothing(store_path, tmp_path):
    with open_encrypted(store_path, PASS, create=False).store as store:
        good = backup_now(store, tmp_path / "usb")
    current = _digest(store_path, keyfile_path(store_path))
    for n, kind in enumerate(("key file not json", "second page damaged", "a folder")):
        folder = tmp_path / f"cli{n}"
        folder.mkdir()
        copy = folder / good.name
        shutil.copyfile(good, copy)
        shutil.copyfile(keyfile_path(good), keyfile_path(copy))
        BACKUPS[kind](copy)
        for where in (("--into", str(tmp_path / f"new{n}")), ("--replace-current", "--yes")):
            out = run_cli("--data-dir", str(store_path.parent), "restore", str(copy), *where)
            assert out.returncode in (2, 3), (kind, out.stderr)
            assert len(out.stderr.strip().splitlines()) == 1, (kind, out.stderr)
            assert "internal error" not in out.stderr, (kind, out.stderr)
        assert not (tmp_path / f"new{n}").exists() or not any((tmp_path / f"new{n}").glob("*.sqlite3"))
    assert _digest(store_path, keyfile_path(store_path)) == current
