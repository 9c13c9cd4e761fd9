"""The store on PostgreSQL (team mode): migrations unchanged from an empty database and from
every released schema, the audit chain under two writers at once, the connection's checks and
messages, and the commands with --database. A throwaway cluster (tests/pgcluster.py)."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, func, insert, select
from sqlmodel import SQLModel

from mmsdesk.models import AuditEvent, MedicationComponent, MedicationEntry, Patient
from mmsdesk.store import StoreError
from mmsdesk.store import migrate as migrate_mod
from mmsdesk.store.audit import verify_chain
from mmsdesk.store.engine import SCHEMA_HEAD
from mmsdesk.store.server import make_server_engine, open_server, parse_url
from tests import pgcluster
from tests.conftest import run_cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"


@pytest.fixture
def empty_db(pg_cluster, monkeypatch):
    """A new empty database (no schema) and its address."""
    monkeypatch.setenv("PGPASSWORD", pgcluster.PASSWORD)
    name = pg_cluster.new_database(template="template0")
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


def _diff(engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)


def test_migrations_build_an_empty_database_to_head_go_down_to_base_and_up_again(empty_db):
    engine = make_server_engine(parse_url(empty_db))
    try:
        assert migrate_mod.current_revision(engine) is None
        migrate_mod.upgrade(engine, "head")
        assert migrate_mod.current_revision(engine) == SCHEMA_HEAD
        assert _diff(engine) == []
        migrate_mod.downgrade(engine, "base")
        with engine.connect() as conn:
            tables = {r[0] for r in conn.exec_driver_sql(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        assert tables == {"alembic_version"}
        migrate_mod.upgrade(engine, "head")
        assert _diff(engine) == []
    finally:
        engine.dispose()


def _copy_rows(fixture: Path, engine) -> dict[str, int]:
    """Every row of a released SQLite store into a PostgreSQL database at the same revision
    (parents before children), the id sequences moved past the copied ids."""
    src = create_engine(f"sqlite:///{fixture}")
    counts = {}
    try:
        src_meta = MetaData()
        src_meta.reflect(src)
        dest_meta = MetaData()
        dest_meta.reflect(engine)
        with src.connect() as s, engine.begin() as d:
            for table in dest_meta.sorted_tables:
                if table.name == "alembic_version" or table.name not in src_meta.tables:
                    continue
                rows = [dict(r) for r in s.execute(
                    select(src_meta.tables[table.name])).mappings()]
                counts[table.name] = len(rows)
                if rows:
                    d.execute(insert(table), rows)
                if "id" in table.c:
                    d.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT coalesce(max(id), 0) + 1 FROM {table.name}), false)")
    finally:
        src.dispose()
    return counts


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.sqlite3")), ids=lambda p: p.name)
def test_every_released_schema_upgrades_to_head_on_postgresql(empty_db, fixture):
    revision = sqlite3.connect(fixture).execute(
        "SELECT version_num FROM alembic_version").fetchone()[0]
    engine = make_server_engine(parse_url(empty_db))
    try:
        migrate_mod.upgrade(engine, revision)  # the released schema, built on the server
        counts = _copy_rows(fixture, engine)  # with that release's real rows
        assert counts["patient"] > 0
    finally:
        engine.dispose()
    with open_server(empty_db, ask=False) as store:  # opening upgrades it to head
        assert migrate_mod.current_revision(store.engine) == SCHEMA_HEAD
        assert _diff(store.engine) == []
        with store.engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(Patient)) == counts["patient"]
            meds = conn.scalar(select(func.count()).select_from(MedicationEntry))
            assert meds == counts["medication_entry"]
            if "medication_component" not in counts:  # 0004 read the components from text
                comps = conn.scalar(select(func.count(func.distinct(
                    MedicationComponent.medication_id))))
                assert comps == meds
            if "audit_event" in counts:  # the copied trail still verifies on the server
                assert verify_chain(conn).ok
        with store.session() as s:  # and the store takes new records after the copied ids
            s.add(Patient(first_name="Nguyễn", last_name="Văn An", date_of_birth=date(1941, 3, 2)))


def test_two_writers_at_once_keep_one_unbroken_audit_chain(store_pg_address):
    stores = [open_server(store_pg_address, ask=False) for _ in range(2)]
    errors: list[BaseException] = []

    def write(store, n: int) -> None:
        try:
            for i in range(15):
                with store.session() as s:
                    s.add(Patient(first_name=f"Writer{n}", last_name=f"Patient {i}",
                                  date_of_birth=date(1950, 1, 1 + i)))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(st, n)) for n, st in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    with stores[0].engine.connect() as conn:
        report = verify_chain(conn)
        entries = conn.scalar(select(func.count()).select_from(AuditEvent))
        patients = conn.scalar(select(func.count()).select_from(Patient))
    assert report.ok, report.problem
    assert patients == 30 and entries >= 30
    for st in stores:
        st.close()


@pytest.fixture
def store_pg_address(pg_database) -> str:
    return pg_database


def test_a_database_from_a_newer_version_is_refused_unchanged(pg_database):
    with open_server(pg_database, ask=False) as store, store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(StoreError, match="newer version of MMS Desk"):
        open_server(pg_database, ask=False)
    with open_server(pg_database, ask=False, migrate=False) as store:
        assert migrate_mod.current_revision(store.engine) == "9999_from_the_future"


def test_the_server_store_has_no_data_file_and_shows_its_address(pg_database):
    with open_server(pg_database, ask=False) as store:
        assert store.where.startswith("postgresql://mmsdesk_test@localhost:")
        assert "sslrootcert" not in store.where
        with pytest.raises(StoreError, match="database server: it has no data file"):
            _ = store.path
        with store.session() as s:  # times come back in UTC whatever the server's zone
            p = Patient(first_name="Ольга", last_name="Иванова", date_of_birth=date(1938, 2, 23))
            s.add(p)
        with store.session() as s:
            again = s.get(Patient, p.id)
            assert again.created_at.utcoffset().total_seconds() == 0
            assert abs((again.created_at - p.created_at).total_seconds()) < 1


# -- the connection: verify-full by default, one sentence for each way it can fail
def test_sslmode_is_verify_full_unless_the_address_names_another():
    url = parse_url("postgresql://anna@db.practice.example/mmsdesk")
    assert url.query["sslmode"] == "verify-full"
    assert url.drivername == "postgresql+psycopg"
    assert parse_url("postgresql://anna@db/x?sslmode=require").query["sslmode"] == "require"
    own_ca = parse_url("postgresql://anna@db/x?sslrootcert=/etc/practice-ca.crt")
    assert own_ca.query["sslrootcert"] == "/etc/practice-ca.crt"


@pytest.mark.parametrize("address, message", [
    ("postgresql://anna:secret@db/x", "Put no password in the database address"),
    ("mysql://anna@db/x", "Not a PostgreSQL address"),
    ("postgresql://anna@/x", "names no server or no database"),
])
def test_addresses_that_are_refused_before_connecting(address, message):
    with pytest.raises(StoreError, match=message):
        parse_url(address)


def test_a_server_nobody_listens_on_is_one_sentence(pg_cluster, monkeypatch):
    from tests.pgcluster import _free_port

    monkeypatch.setenv("PGPASSWORD", pgcluster.PASSWORD)
    with pytest.raises(StoreError) as err:
        open_server(f"postgresql://u@127.0.0.1:{_free_port()}/x?sslmode=disable", ask=False)
    assert "cannot be reached" in str(err.value) and "\n" not in str(err.value)


def test_a_certificate_not_signed_by_a_trusted_ca_is_refused(pg_cluster, monkeypatch, tmp_path):
    monkeypatch.setenv("PGPASSWORD", pgcluster.PASSWORD)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.postgresql/root.crt: the system's CAs
    plain = f"postgresql://{pgcluster.SUPERUSER}@localhost:{pg_cluster.port}/postgres"
    with pytest.raises(StoreError) as err:
        open_server(plain, ask=False)
    assert "could not be verified" in str(err.value)
    assert "not signed by a CA this computer trusts" in str(err.value)
    other_ca = tmp_path / "other"
    other_ca.mkdir()
    other = pgcluster._write_certificates(other_ca)[0]
    with pytest.raises(StoreError, match="not signed by a CA this computer trusts"):
        open_server(f"{plain}?sslrootcert={other}", ask=False)
    with pytest.raises(StoreError, match=r"sslrootcert\) does not exist"):
        open_server(f"{plain}?sslrootcert={tmp_path / 'missing.crt'}", ask=False)


def test_a_wrong_password_is_named_as_such(pg_cluster, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "not the password")
    with pytest.raises(StoreError, match="refused the password for user mmsdesk_test"):
        open_server(pg_cluster.url("postgres"), ask=False)


# -- the commands
def test_commands_with_database_use_the_server_and_keep_no_password(pg_cluster, pg_database,
                                                                   tmp_path):
    env = {"PGPASSWORD": pgcluster.PASSWORD, "MMSDESK_PASSPHRASE": ""}
    data = str(tmp_path / "data")
    demo = run_cli("--data-dir", data, "--database", pg_database, "demo", env=env)
    assert demo.returncode == 0, demo.stderr
    assert "into postgresql://mmsdesk_test@localhost" in demo.stdout
    listed = run_cli("--data-dir", data, "--database", pg_database, "patients", "list",
                     "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 12
    verify = run_cli("--data-dir", data, "--database", pg_database, "audit", "verify",
                     env=env)
    assert verify.returncode == 0, verify.stderr
    assert "Audit trail intact" in verify.stdout
    assert not (tmp_path / "data" / "mmsdesk.sqlite3").exists()  # nothing written locally
    for f in tmp_path.rglob("*"):
        if f.is_file():
            assert pgcluster.PASSWORD.encode() not in f.read_bytes(), f
    for words in (("backup",), ("restore", str(tmp_path)), ("passphrase", "change")):
        refused = run_cli("--data-dir", data, "--database", pg_database, *words, env=env)
        assert refused.returncode == 2, refused.stderr
        assert "backed up and encrypted by the server" in refused.stderr
    gone = run_cli("--database", pg_database.replace(f":{pg_cluster.port}/", ":1/"),
                   "patients", "list", env=env)
    assert gone.returncode == 2
    assert gone.stderr.startswith("mmsdesk: The database server localhost:1 cannot be reached")
    assert len(gone.stderr.strip().splitlines()) == 1


def test_the_password_can_come_from_the_keyring(pg_database, monkeypatch, tmp_path):
    """No PGPASSWORD and no ~/.pgpass: the keyring's entry for this address is used (a
    stand-in keyring module; the connection and its password check are the server's)."""
    import sys
    import types

    monkeypatch.delenv("PGPASSWORD")
    monkeypatch.delenv("PGPASSFILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    asked: list[tuple[str, str]] = []

    def get_password(service: str, account: str) -> str:
        asked.append((service, account))
        return pgcluster.PASSWORD

    monkeypatch.setitem(sys.modules, "keyring", types.SimpleNamespace(get_password=get_password))
    with open_server(pg_database, ask=False) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT current_user").scalar() == pgcluster.SUPERUSER
    assert asked == [("MMS Desk database", store.where)]


@pytest.mark.parametrize("ci, outcome", [("true", "failed"), ("", "skipped")])
def test_without_postgresql_the_server_tests_fail_in_ci_and_skip_elsewhere(tmp_path, ci,
                                                                           outcome):
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(MMSDESK_PG_BINDIR=str(tmp_path), PYTHONPATH=str(REPO))
    if ci:
        env["CI"] = ci
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfs",
         f"{REPO}/tests/store/test_postgres.py::test_a_wrong_password_is_named_as_such"],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120)
    last = res.stdout.strip().splitlines()[-1]
    if outcome == "failed":
        assert res.returncode != 0 and ("1 error" in last or "1 failed" in last), res.stdout
        assert "PostgreSQL is required in CI" in res.stdout
    else:
        assert res.returncode == 0 and "1 skipped" in last, res.stdout
        assert "PostgreSQL not available" in res.stdout


def test_bench_measures_the_filter_and_the_chart_over_the_server_beside_the_file(
        pg_database, monkeypatch):
    from mmsdesk.bench import BenchContext
    from mmsdesk.bench.server import DATABASE_ENV, bench_server

    assert bench_server(BenchContext()) == []  # no server named: nothing measured
    monkeypatch.setenv(DATABASE_ENV, pg_database)
    figures = {f.name: f for f in bench_server(BenchContext())}
    assert set(figures) == {"server_patient_filter_keystroke_p95_ms",
                            "server_patient_filter_ratio_to_sqlite",
                            "server_chart_open_median_ms", "server_chart_open_ratio_to_sqlite",
                            "server_bring_back_one_cmr_ms"}
    assert all(f.value > 0 for f in figures.values())
    with open_server(pg_database, ask=False) as store, store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Patient)) == 10_001


def test_ten_clients_each_completing_20_visits_at_once_on_a_5000_patient_practice(
        pg_database):
    """Ten apps on one server (a connection each), each completing 20 CMRs at the same time:
    no error, every visit and its audit entries present, one unbroken trail."""
    import time
    from datetime import UTC, datetime, timedelta

    from mmsdesk.bench.patient_list import fill_patients
    from mmsdesk.models import Visit
    from mmsdesk.services.visits.service import VisitService

    with open_server(pg_database, ask=False) as store:
        fill_patients(store, 5000)
        with store.engine.connect() as conn:
            first = conn.scalar(select(func.min(Patient.id)))
    clients = [open_server(pg_database, ask=False) for _ in range(10)]
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    errors: list[BaseException] = []
    done: list[int] = []

    def work(n: int, store) -> None:
        svc = VisitService(store)
        try:
            for i in range(20):
                pid = first + n * 20 + i
                draft = svc.start(pid, "cmr", "home", today=date(2026, 11, 24), now=now)
                draft.collect.reason = "Annual review"
                svc.complete(draft, now=now + timedelta(minutes=30))
                done.append(draft.visit_id)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(n, c)) for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    elapsed = time.perf_counter() - started
    for c in clients:
        c.close()
    assert not errors, errors[:3]
    assert len(done) == len(set(done)) == 200
    with open_server(pg_database, ask=False) as store, store.engine.connect() as conn:
        visits = conn.execute(select(Visit.id, Visit.status, Visit.patient_id)).all()
        assert {v.id for v in visits} == set(done)
        assert {v.status for v in visits} == {"complete"}
        assert len({v.patient_id for v in visits}) == 200
        assert conn.scalar(select(func.count()).select_from(Patient)) == 5000
        report = verify_chain(conn)
        assert report.ok, report.problem
    print(f"200 visits by 10 clients at once: {elapsed:.1f} s")
