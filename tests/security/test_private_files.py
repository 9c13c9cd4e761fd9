"""Every file and folder MMS Desk creates is private to its user (0600 files in 0700 folders),
whatever the umask it was started with; staged exports and killed imports leave nothing."""

from __future__ import annotations

import logging
import os
import stat
import sys
import time
from pathlib import Path

import pytest

from mmsdesk import paths
from tests.conftest import run_cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _day_of_use(tmp_path: Path) -> tuple[list[Path], list[Path]]:
    """Set-up, demo, export, import, reports, backups and restores through the command line,
    started with the usual umask 022; returns the folders the app made and the user's own."""
    data, usb, out = tmp_path / "data", tmp_path / "usb", tmp_path / "exports"
    out.mkdir()  # the pharmacist's own folder (0755): the app does not change it
    old = os.umask(0o022)
    try:
        def ok(*args: str) -> str:
            res = run_cli("--data-dir", str(data), *args)
            assert res.returncode == 0, (args, res.stderr)
            return res.stdout

        ok("demo")
        ok("export-fhir", "1", str(out / "patient1.json"))
        ok("import-fhir", str(out / "patient1.json"))
        ok("report", "pml", "--patient", "1", "--out", str(out / "pml.pdf"))
        ok("report", "map", "--patient", "1", "--out", str(out / "map.pdf"))
        ok("outcomes", "--pdf", str(out / "outcomes.pdf"))
        backup = Path(ok("backup").strip().split(": ", 1)[1])
        ok("backup", "--to", str(usb))
        ok("restore", str(backup), "--into", str(tmp_path / "restored"))
        ok("restore", str(backup), "--replace-current", "--yes")
        ok("audit", "verify")
        run_cli("--data-dir", str(data), "--demo", "demo")
    finally:
        os.umask(old)
    return [data, usb, tmp_path / "restored", tmp_path / "config", tmp_path / "logs"], [out]


def test_a_day_of_use_creates_only_private_files(tmp_path):
    app_folders, user_folders = _day_of_use(tmp_path)
    seen: list[str] = []
    loose: list[str] = []
    for root in app_folders:
        if root.name == "config":  # the window's settings; no command writes them
            continue
        assert root.is_dir(), root
        for dirpath, _dirnames, filenames in os.walk(root):
            here = Path(dirpath)
            if _mode(here) != 0o700:
                loose.append(f"{here} {oct(_mode(here))}")
            for f in filenames:
                seen.append(f)
                if _mode(here / f) != 0o600:
                    loose.append(f"{here / f} {oct(_mode(here / f))}")
    for root in user_folders:
        for f in root.iterdir():
            seen.append(f.name)
            if _mode(f) != 0o600:
                loose.append(f"{f} {oct(_mode(f))}")
    assert loose == [], "\n".join(loose)
    # the day really wrote what the issue lists: store, key file, backups, logs, settings, PDFs
    names = " ".join(seen)
    for expected in ("mmsdesk.sqlite3", ".keys", "mmsdesk.log", "pml.pdf", "outcomes.pdf",
                     "patient1.json", "before-restore"):
        assert expected in names, expected
    # nothing staged was left behind
    assert not [n for n in seen if n.endswith(".part") or n.endswith(".tmp")]


def test_an_older_install_is_tightened_at_start(tmp_path):
    data = tmp_path / "data"
    assert run_cli("--data-dir", str(data), "demo").returncode == 0
    store = data / paths.STORE_FILENAME
    os.chmod(store, 0o644)
    os.chmod(data, 0o755)
    assert run_cli("--data-dir", str(data), "backup").returncode == 0
    os.chmod(data / "backups", 0o755)
    backups = list((data / "backups").iterdir())
    for b in backups:
        os.chmod(b, 0o644)
    theirs = data / "notes-of-the-user.sh"  # a --data-dir may be any folder: not ours
    theirs.write_text("#!/bin/sh\n", encoding="utf-8")
    os.chmod(theirs, 0o755)
    assert run_cli("--data-dir", str(data), "audit", "verify").returncode == 0
    assert _mode(store) == 0o600 and _mode(data) == 0o700
    assert _mode(data / "backups") == 0o700 and all(_mode(b) == 0o600 for b in backups)
    assert _mode(theirs) == 0o755


def test_killed_import_and_export_leftovers_are_removed_at_next_start(tmp_path):
    data = tmp_path / "data"
    assert run_cli("--data-dir", str(data), "demo").returncode == 0
    knowledge = data / "knowledge"
    knowledge.mkdir(exist_ok=True)
    old_tmp, fresh_tmp = knowledge / ".ext-abc123.tmp", knowledge / ".ext-def456.tmp"
    old_tmp.write_bytes(b"x" * 100)
    fresh_tmp.write_bytes(b"x")
    hour_ago = time.time() - 3600
    os.utime(old_tmp, (hour_ago, hour_ago))
    # an export killed after its staged copy was written: listed in the journal
    out = tmp_path / "out"
    out.mkdir()
    staged = out / ".pml.pdf.k1ll3d.part"
    staged.write_bytes(b"%PDF- patient data")
    (data / "pending-writes").write_text(f"{staged}\n", encoding="utf-8")
    assert run_cli("--data-dir", str(data), "audit", "verify").returncode == 0
    assert not old_tmp.exists() and not staged.exists()
    assert fresh_tmp.exists()  # an import still running in another window keeps its file
    assert not (data / "pending-writes").exists()


def test_a_report_killed_before_its_audit_row_leaves_no_pdf(tmp_path, demo_store):
    """The PDF appears under its name only after its export row is committed."""
    from mmsdesk.services import documents

    target = tmp_path / "out" / "pml.pdf"
    target.parent.mkdir()

    def boom(*_a, **_k):
        raise RuntimeError("killed")

    real = documents._audit
    documents._audit = boom
    try:
        with pytest.raises(RuntimeError):
            documents.save_document(demo_store, "pml", 1, b"%PDF-1.4 fake", target)
    finally:
        documents._audit = real
    assert list(target.parent.iterdir()) == []
    documents.save_document(demo_store, "pml", 1, b"%PDF-1.4 fake", target)
    assert target.read_bytes() == b"%PDF-1.4 fake" and _mode(target) == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["pml.pdf"]


def test_logged_exceptions_carry_type_and_place_never_the_message(tmp_path):
    from mmsdesk.logs import SafeFormatter

    record_value = "Margaret Okonkwo-Smith"
    logger = logging.getLogger("mmsdesk.test_private")
    handler = logging.FileHandler(tmp_path / "t.log", encoding="utf-8")
    handler.setFormatter(SafeFormatter("%(levelname)s %(message)s"))
    logger.addHandler(handler)
    try:
        try:
            raise ValueError(f"no such patient: {record_value}")
        except ValueError:
            logger.exception("reading the medication list failed")
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = (tmp_path / "t.log").read_text(encoding="utf-8")
    assert "reading the medication list failed" in text
    assert "ValueError at test_private_files.py:" in text
    assert record_value not in text and "no such patient" not in text
    assert sys.exc_info() == (None, None, None)
