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
def engine_kind() -> str:
    """The engine the ``store`` fixture opens: SQLite, unless a folder's conftest
    parametrises it over both engines (``both_engines`` in this file)."""
    return "sqlite"


def both_engines(metafunc: pytest.Metafunc) -> None:
    """For a folder's ``pytest_generate_tests``: run every test that uses ``store`` on SQLite
    and on PostgreSQL, but those marked ``sqlite_only`` (a data file's own behaviour)."""
    if "engine_kind" not in metafunc.fixturenames:
        return
    kinds = ["sqlite"] if metafunc.definition.get_closest_marker("sqlite_only") else [
        "sqlite", "postgresql"]
    metafunc.parametrize("engine_kind", kinds)


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL cluster for the whole run (tests/pgcluster.py), with a template
    database at the schema head. Missing PostgreSQL fails the tests in CI; elsewhere they
    skip with the reason."""
    from tests import pgcluster

    try:
        cluster = pgcluster.start_cluster()
    except RuntimeError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and could not start: {exc}")
        pytest.skip(f"PostgreSQL not available: {exc}")
    try:
        from mmsdesk.store.server import open_server

        cluster.sql(f'CREATE DATABASE "{pgcluster.TEMPLATE}"')
        open_server(cluster.url(pgcluster.TEMPLATE), password=pgcluster.PASSWORD,
                    ask=False).close()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_database(pg_cluster, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh database at the schema head for one test; its address (the password in
    PGPASSWORD, as a user's environment would give it)."""
    from tests import pgcluster

    monkeypatch.setenv("PGPASSWORD", pgcluster.PASSWORD)
    name = pg_cluster.new_database()
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


@pytest.fixture
def store(tmp_path: Path, engine_kind: str, request: pytest.FixtureRequest):
    if engine_kind == "postgresql":
        from mmsdesk.store.server import open_server

        s = open_server(request.getfixturevalue("pg_database"), ask=False)
    else:
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
