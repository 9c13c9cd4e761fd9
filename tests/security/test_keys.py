"""Keys: the recovery key opens the data with the key file lost; crafted Argon2 costs are
refused at once; wrong-passphrase delays survive a restart, in the window and the CLI; the
database key reaches SQLCipher as a buffer that is overwritten when the store locks."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from mmsdesk.store import attempts
from mmsdesk.store.crypto import KeyProblem, keyfile_copy_path, keyfile_path
from mmsdesk.store.engine import _KEY_BLOBS
from mmsdesk.store.vault import open_encrypted
from tests.conftest import run_cli

PASS = "correct horse battery staple"


@pytest.fixture
def created(tmp_path) -> tuple[Path, str]:
    path = tmp_path / "data" / "mmsdesk.sqlite3"
    unlocked = open_encrypted(path, PASS)
    unlocked.store.close()
    assert unlocked.recovery_key
    return path, unlocked.recovery_key


def test_recovery_key_opens_the_data_with_the_key_file_deleted(created):
    path, recovery = created
    assert keyfile_copy_path(path).exists()  # the second copy is made with the store
    keyfile_path(path).unlink()
    with open_encrypted(path, recovery_key=recovery, create=False).store as store:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM patient").scalar() == 0
    assert keyfile_path(path).exists()  # put back from the copy
    keyfile_path(path).unlink()
    with open_encrypted(path, PASS, create=False).store:  # and the passphrase too
        pass


def test_a_damaged_key_file_falls_back_to_its_copy(created):
    path, _ = created
    keyfile_path(path).write_text("{ not json", encoding="utf-8")
    with open_encrypted(path, PASS, create=False).store:
        pass
    assert json.loads(keyfile_path(path).read_text(encoding="utf-8"))["format"] == "mmsdesk-keys"


@pytest.mark.parametrize("field,value", [("time_cost", 2**31 - 1), ("memory_kib", 2**40),
                                         ("parallelism", 100000), ("time_cost", 0)])
def test_crafted_kdf_parameters_are_refused_in_under_a_second(created, field, value):
    path, _ = created
    for kpath in (keyfile_path(path), keyfile_copy_path(path)):
        data = json.loads(kpath.read_text(encoding="utf-8"))
        data["kdf"][field] = value
        kpath.write_text(json.dumps(data), encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(KeyProblem, match=f"Argon2 {field.replace('_', ' ')} of {value}"):
        open_encrypted(path, PASS, create=False)
    assert time.perf_counter() - started < 1.0


def test_crafted_kdf_parameters_on_the_command_line_are_one_line(tmp_path):
    data = tmp_path / "d"
    assert run_cli("--data-dir", str(data), "demo").returncode == 0
    for kpath in (data / "mmsdesk.sqlite3.keys", data / "mmsdesk.sqlite3.keys-copy"):
        d = json.loads(kpath.read_text(encoding="utf-8"))
        d["kdf"]["time_cost"] = 4_000_000_000
        kpath.write_text(json.dumps(d), encoding="utf-8")
    started = time.perf_counter()
    out = run_cli("--data-dir", str(data), "patients", "list", timeout=30)
    assert out.returncode == 3 and "Argon2 time cost of 4000000000" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert time.perf_counter() - started < 10  # the whole process; the refusal itself < 1 s


def test_wrong_passphrase_delays_survive_a_restart_on_the_command_line(tmp_path):
    data = tmp_path / "d"
    assert run_cli("--data-dir", str(data), "demo").returncode == 0
    store = data / "mmsdesk.sqlite3"
    wrong = {"MMSDESK_PASSPHRASE": "not the passphrase"}
    while attempts.failures(store) < 5:  # each try a new process, each waiting its turn
        time.sleep(attempts.remaining(store))
        out = run_cli("--data-dir", str(data), "patients", "list", env=wrong)
        assert out.returncode == 3 and "Wrong passphrase" in out.stderr
    # a try before the delay is over is refused without being checked or counted
    early = run_cli("--data-dir", str(data), "patients", "list", env=wrong)
    assert early.returncode == 3 and "Too many wrong passphrases" in early.stderr
    assert attempts.failures(store) == 5
    # the right passphrase, in a new process, waits its turn too
    refused = run_cli("--data-dir", str(data), "patients", "list")
    assert refused.returncode == 3 and "Too many wrong passphrases: wait" in refused.stderr
    time.sleep(attempts.remaining(data / "mmsdesk.sqlite3") + 0.2)
    ok = run_cli("--data-dir", str(data), "patients", "list")
    assert ok.returncode == 0, ok.stderr
    assert not attempts.attempts_path(data / "mmsdesk.sqlite3").exists()


def test_wrong_passphrase_delay_survives_a_restart_of_the_window(qtbot, tmp_path):
    from tests.ui.test_lock import _submit, _window

    path = tmp_path / "data" / "mmsdesk.sqlite3"
    open_encrypted(path, PASS).store.close()
    for _ in range(3):  # wrong tries made before this window started (here, or by the CLI)
        with pytest.raises(KeyProblem, match="Wrong passphrase"):
            open_encrypted(path, "wrong passphrase", create=False)
    window, ctl = _window(qtbot, path)
    page = ctl.page
    _submit(qtbot, page, PASS)
    assert page.waiting and "Too many wrong passphrases" in page.error.text()
    assert window.ctx is None


def test_the_key_buffer_is_overwritten_when_the_store_locks(created):
    path, _ = created
    store = open_encrypted(path, PASS, create=False).store
    engine = store.engine
    blob = _KEY_BLOBS[engine]
    assert blob.startswith(b"x'") and len(blob) == 67 and any(blob[2:-1])
    store.lock()
    assert blob == bytearray(67)
    store.close()


def test_a_backup_without_its_key_file_opens_with_the_recovery_key(tmp_path):
    """The backup's key file lost, and the store's own too: its second copy still opens it."""
    data, usb = tmp_path / "d", tmp_path / "usb"
    made = run_cli("--data-dir", str(data), "demo")
    assert made.returncode == 0
    recovery = made.stderr.split("RECOVERY KEY")[1].split("\n")[1].strip()
    out = run_cli("--data-dir", str(data), "backup", "--to", str(usb))
    backup = Path(out.stdout.strip().split(": ", 1)[1])
    keyfile_path(backup).unlink()
    keyfile_path(data / "mmsdesk.sqlite3").unlink()
    res = run_cli("--data-dir", str(data), "restore", str(backup), "--into",
                  str(tmp_path / "restored"), "--recovery-key", recovery)
    assert res.returncode == 0, res.stderr
    assert "integrity ok, 12 patients" in res.stdout
    listed = run_cli("--data-dir", str(tmp_path / "restored"), "patients", "list")
    assert listed.returncode == 0 and "12 patients" in listed.stdout
