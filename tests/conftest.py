"""Test fixtures: every data path goes to tmp_path; Qt runs offscreen."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
TODAY = date(2026, 11, 24)


def shared_data(*parts: str) -> Path:
    """A file under ../shared/data. The folder is always there in CI: a missing one fails the
    test loudly there; elsewhere the test is skipped with the reason."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"shared reference data not found at {SHARED_DATA} (required in CI)")
        pytest.skip(f"shared reference data not found at {SHARED_DATA}")
    return SHARED_DATA.joinpath(*parts)


@pytest.fixture(autouse=True)
def _isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches a real profile: data, config and logs live under tmp_path."""
    from mmsdesk import paths

    data = tmp_path / "data"
    monkeypatch.setenv("MMSDESK_DATA_DIR", str(data))
    monkeypatch.setenv("MMSDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("MMSDESK_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("MMSDESK_PASSPHRASE", "correct horse battery staple")
    monkeypatch.setenv("MMSDESK_KDF", "fast")  # cheap Argon2id for test stores (recorded per file)
    paths.set_data_dir(None)
    return data


@pytest.fixture
def store(tmp_path: Path):
    from mmsdesk.store import Store

    s = Store.open(tmp_path / "data" / "mmsdesk.sqlite3")
    yield s
    s.close()


@pytest.fixture
def demo_store(store):
    from mmsdesk.services.demo import load_demo

    load_demo(store, TODAY)
    return store


def run_cli(*args: str, env: dict[str, str] | None = None, input: str | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `python -m mmsdesk ARGS` in a subprocess with this checkout on the path."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(REPO) + os.pathsep + full_env.get("PYTHONPATH", "")
    if env:
        full_env.update(env)
    return subprocess.run([sys.executable, "-m", "mmsdesk", *args], capture_output=True,
                          text=True, env=full_env, input=input, timeout=timeout)


def med_entry(patient_id: int, text: str, ingredients: tuple[str, ...] | str = (), **fields):
    """A chart medicine for a test: its ingredients as components (no amounts), or, with no
    ingredients, one unrecognised component named as written."""
    from mmsdesk.models import MedicationComponent, MedicationEntry

    if isinstance(ingredients, str):
        ingredients = tuple(i for i in ingredients.split(";") if i)
    fields.setdefault("match", "exact" if ingredients else "unrecognised")
    names = ingredients or (text,)
    return MedicationEntry(patient_id=patient_id, text_given=text, **fields,
                           components=[MedicationComponent(ingredient=n, position=i)
                                       for i, n in enumerate(names)])


@pytest.fixture
def ndc_directory():  # type: ignore[no-untyped-def]
    """The real FDA NDC test file imported into a dictionary of this test's own (the
    process-wide one is forgotten before and after, so no other test sees these products)."""
    from mmsdesk.clinical.dictionary import get_dictionary, reset_dictionary
    from mmsdesk.clinical.dictionary.importers import import_ndc

    reset_dictionary()
    d = get_dictionary()
    import_ndc(shared_data("fda-ndc", "openfda-ndc-test-product_trimmed.txt"),
               d.extension_path, d)
    yield d
    reset_dictionary()
