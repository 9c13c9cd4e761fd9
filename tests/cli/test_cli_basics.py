"""The headless CLI: version, demo, patients list, one-line errors, no Qt import."""

from __future__ import annotations

import json
import subprocess
import sys

from mmsdesk import __version__
from tests.conftest import REPO, run_cli


def test_version():
    out = run_cli("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"MMS Desk {__version__}"


def test_demo_then_list_json(tmp_path):
    data = tmp_path / "demo-data"
    first = run_cli("--data-dir", str(data), "demo")
    assert first.returncode == 0, first.stderr
    listing = run_cli("--data-dir", str(data), "patients", "list", "--json")
    assert listing.returncode == 0, listing.stderr
    rows = json.loads(listing.stdout)
    names = {(r["first_name"], r["last_name"]) for r in rows}
    assert len(rows) == 12
    assert {("José", "Müller"), ("An", "Nguyễn"), ("Ольга", "Иванова")} <= names
    assert all(6 <= r["active_medications"] <= 15 for r in rows)
    # A second demo load into the same store is refused with one line and nothing added.
    again = run_cli("--data-dir", str(data), "demo")
    assert again.returncode == 2
    assert again.stderr.count("\n") == 1 and "Traceback" not in again.stderr
    assert len(json.loads(run_cli("--data-dir", str(data), "patients", "list", "--json").stdout)) == 12


def test_env_var_selects_data_dir(tmp_path):
    data = tmp_path / "via-env"
    assert run_cli("demo", env={"MMSDESK_DATA_DIR": str(data)}).returncode == 0
    assert (data / "mmsdesk.sqlite3").exists()


def test_missing_store_is_one_line_error(tmp_path):
    out = run_cli("--data-dir", str(tmp_path / "empty"), "patients", "list")
    assert out.returncode != 0
    assert "Traceback" not in out.stderr and out.stderr.startswith("mmsdesk: ")
    assert len(out.stderr.strip().splitlines()) == 1


def test_damaged_store_is_one_line_error(tmp_path):
    data = tmp_path / "bad"
    data.mkdir()
    (data / "mmsdesk.sqlite3").write_bytes(b"garbage" * 500)
    out = run_cli("--data-dir", str(data), "patients", "list")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_headless_commands_never_import_qt(tmp_path):
    code = (
        "import sys; from mmsdesk.cli import main; "
        f"rc = main(['--data-dir', {str(tmp_path)!r}, 'demo']); "
        f"rc += main(['--data-dir', {str(tmp_path)!r}, 'patients', 'list', '--json']); "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'; "
        "sys.exit(rc)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert out.returncode == 0, out.stderr


def test_window_start_loads_no_subcommand_modules():
    """Opening the window parses only the global options: the subcommands' modules (tens of
    milliseconds of imports) are loaded only when a command, help or a stray word is given."""
    from mmsdesk.cli import _names_a_command

    assert not _names_a_command([])
    assert not _names_a_command(["--data-dir", "patients", "--no-encryption", "--demo"])
    assert _names_a_command(["--data-dir", "d", "patients", "list"])
    assert _names_a_command(["--help"]) and _names_a_command(["stray"])
    probe = ("import sys, mmsdesk.cli as c; "
             "c.build_parser(with_commands=c._names_a_command(['--data-dir', 'x'])); "
             "print(sorted(m for m in sys.modules if m.startswith('mmsdesk.commands.')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=REPO).stdout
    assert out.strip() == "[]"
