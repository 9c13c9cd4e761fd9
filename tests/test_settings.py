"""Settings: defaults, typed checks, versioned upgrades, atomic save, corrupt files."""

from __future__ import annotations

import json
import logging

import pytest

from mmsdesk import paths, settings
from mmsdesk.settings import DEFAULT_FOLLOW_UP_DAYS, VERSION, Settings


def _write(data: object) -> None:
    paths.config_dir().mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else json.dumps(data)
    settings.settings_path().write_text(text, "utf-8")


def test_defaults_without_a_file():
    s = settings.load()
    assert s == Settings()
    assert (s.lock_minutes, s.document_language, s.paper_size, s.large_print) == (5.0, "en", "Letter", False)
    assert s.follow_up_after("cmr") == 90 and s.follow_up_after("med_rec") == 14
    assert not settings.settings_path().exists()  # loading writes nothing


def test_save_and_load_round_trip_in_the_config_folder(tmp_path):
    s = Settings().with_changes(lock_minutes=10, document_language="es", large_print=True,
                                printer_name="Brother PJ-763", paper_size="A4",
                                backup_folder=str(tmp_path / "usb"),
                                follow_up_days={**DEFAULT_FOLLOW_UP_DAYS, "cmr": 120})
    path = settings.save(s)
    assert path == tmp_path / "config" / "settings.json"
    assert json.loads(path.read_text())["version"] == VERSION
    assert settings.load() == s
    assert not list(path.parent.glob(".settings-*"))  # no temporary file left behind


def test_with_changes_refuses_bad_values():
    with pytest.raises(ValueError, match="paper_size"):
        Settings().with_changes(paper_size="Legal")
    with pytest.raises(ValueError, match="lock_minutes"):
        Settings().with_changes(lock_minutes=-1)
    with pytest.raises(ValueError, match="no_such"):
        Settings().with_changes(no_such=1)


def test_upgrade_from_version_1_file_writes_version_2(caplog):
    _write({"lock_minutes": "10", "language": "es", "follow_up": 21})
    with caplog.at_level(logging.INFO, logger="mmsdesk.settings"):
        s = settings.load()
    assert s.lock_minutes == 10.0 and s.document_language == "es"
    assert s.follow_up_days == {k: 21 for k in DEFAULT_FOLLOW_UP_DAYS}
    on_disk = json.loads(settings.settings_path().read_text())
    assert on_disk["version"] == 2 and on_disk["document_language"] == "es"
    assert "language" not in on_disk and "follow_up" not in on_disk
    assert "upgraded from version 1 to 2" in caplog.text


def test_every_upgrade_step_exists_and_ends_at_version():
    assert sorted(settings.UPGRADES) == list(range(1, VERSION))
    assert settings.upgrade({"lock_minutes": 3})["version"] == VERSION


@pytest.mark.parametrize("content", [
    "{not json", "[1, 2]", "", '{"version": 99}', '{"version": "two"}', "\udcff",
])
def test_corrupt_file_gives_defaults_and_a_warning_without_values(content, caplog):
    paths.config_dir().mkdir(parents=True, exist_ok=True)
    settings.settings_path().write_bytes(content.encode("utf-8", "surrogateescape"))
    with caplog.at_level(logging.WARNING, logger="mmsdesk.settings"):
        assert settings.load() == Settings()
    assert "defaults used" in caplog.text


def test_bad_values_fall_back_one_by_one_and_are_not_logged(caplog):
    _write({"version": 2, "lock_minutes": 9999, "paper_size": "A4", "printer_name": 7,
            "backup_folder": "/home/dana/SECRET-PATIENT-Jose", "large_print": "yes",
            "follow_up_days": {"cmr": 0, "tmr": 45, "bogus": 3}})
    with caplog.at_level(logging.WARNING, logger="mmsdesk.settings"):
        s = settings.load()
    assert (s.lock_minutes, s.paper_size, s.printer_name, s.large_print) == (5.0, "A4", "", False)
    assert s.follow_up_days["cmr"] == 90 and s.follow_up_days["tmr"] == 45
    assert "bogus" not in s.follow_up_days
    assert "lock_minutes" in caplog.text and "9999" not in caplog.text
    assert "SECRET" not in caplog.text


def test_lock_minutes_environment_overrides_the_file(monkeypatch):
    _write({"version": 2, "lock_minutes": 2})
    monkeypatch.delenv("MMSDESK_LOCK_MINUTES", raising=False)
    assert settings.lock_minutes() == 2.0
    monkeypatch.setenv("MMSDESK_LOCK_MINUTES", "0.5")
    assert settings.lock_minutes() == 0.5
    monkeypatch.setenv("MMSDESK_LOCK_MINUTES", "soon")
    assert settings.lock_minutes() == 2.0
