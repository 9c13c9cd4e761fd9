"""Team mode: the newest audit entries deleted on the server (the chain that is left still
links) are shown by every computer that saw them, from the memory each keeps of the trail
(mmsdesk/store/audit_seen.py); a computer that never saw them cannot tell, as documented."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import event, make_url, text

from mmsdesk.models import Patient
from mmsdesk.store import audit_seen
from mmsdesk.store.audit_check import check_audit
from mmsdesk.store.audit_seal import Head
from mmsdesk.store.server import open_server
from tests import pgcluster

ENDS = "the audit trail ends before a link this computer has seen (id {} at {}): rows were removed"


def _computer(address: str, folder, monkeypatch):
    """A store opened as another computer would: its own data folder."""
    monkeypatch.setenv("MMSDESK_DATA_DIR", str(folder))
    return open_server(address, ask=False)


def _add(store, n: int = 1, who: str = "Test") -> None:
    for i in range(n):
        with store.session() as s:
            s.add(Patient(first_name=who, last_name=f"Patient {i}",
                          date_of_birth=date(1950, 1, 1 + i)))


def _cut(pg_cluster, address: str, keep_below: int) -> None:
    """Delete the newest audit rows as someone with database access would (psql)."""
    pg_cluster.sql(f"DELETE FROM audit_event WHERE id >= {keep_below}",
                   database=make_url(address).database)


def _newest(store) -> tuple[int, str]:
    with store.engine.connect() as conn:
        i, at = conn.execute(text("SELECT id, at FROM audit_event ORDER BY id DESC LIMIT 1")).one()
    return i, audit_seen.Link.of(i, "", at).at


def test_each_computer_shows_a_cut_of_entries_it_saw_a_new_one_cannot(
        pg_cluster, pg_database, tmp_path, monkeypatch):
    a = _computer(pg_database, tmp_path / "a", monkeypatch)
    b = _computer(pg_database, tmp_path / "b", monkeypatch)
    _add(a, 2, "Ann")
    _add(b, 2, "Ben")
    _add(a, 1, "Ann")
    for store in (a, b):
        check = check_audit(store)
        assert check.ok, check.summary()
        assert "never saw" in check.head.note
    newest, at = _newest(a)
    _cut(pg_cluster, pg_database, newest - 1)  # the last two entries
    with a.engine.connect() as conn:
        assert conn.execute(text("SELECT max(id) FROM audit_event")).scalar() == newest - 2
    for store in (a, b):
        check = check_audit(store)
        assert check.chain.ok  # what is left still links: only the memory shows the cut
        assert not check.ok
        assert check.head.problem == ENDS.format(newest, at)
        assert check.summary() == ENDS.format(newest, at)
    # later writes link on to what is left: the missing link stays reported
    _add(b, 1, "Ben")
    again = check_audit(b)
    assert again.chain.ok and not again.ok
    assert again.head.problem == (f"the audit trail lacks a link this computer has seen (id "
                                  f"{newest} at {at}): rows were removed")
    # the documented limit: a computer that never saw the removed entries cannot tell
    fresh = _computer(pg_database, tmp_path / "c", monkeypatch)
    check = check_audit(fresh)
    assert check.ok, check.summary()
    assert "a cut of entries it never saw would not show" in check.head.note
    for store in (a, b, fresh):
        store.close()
    # each memory is a small file of that computer's data folder: ids, hashes and times only
    files = sorted(tmp_path.glob("*/server-audit/*.audit-head"))
    assert [f.parts[-3] for f in files] == ["a", "b", "c"]
    for f in files:
        body = f.read_text()
        assert "Ann" not in body and "Ben" not in body and pgcluster.PASSWORD not in body
        assert '"server": "localhost:' in body


def test_a_cut_made_while_this_computer_was_closed_shows_at_its_next_check(
        pg_cluster, pg_database, tmp_path, monkeypatch):
    a = _computer(pg_database, tmp_path / "a", monkeypatch)
    _add(a, 3)
    newest, at = _newest(a)
    a.close()  # never checked: what it wrote is remembered when it closes
    _cut(pg_cluster, pg_database, newest)
    a = _computer(pg_database, tmp_path / "a", monkeypatch)
    check = check_audit(a)
    assert check.head.problem == ENDS.format(newest, at)
    a.close()


def test_a_cut_found_by_this_computers_next_write_is_saved_at_once(
        pg_cluster, pg_database, tmp_path, monkeypatch):
    """The next commit finds the head older than the one this computer wrote: its file
    keeps the missing link even if the process dies before any check or close."""
    a = _computer(pg_database, tmp_path / "a", monkeypatch)
    _add(a, 2)
    newest, at = _newest(a)
    _cut(pg_cluster, pg_database, newest)
    _add(a, 1)
    other = audit_seen.SeenTrail(a.url, tmp_path / "a" / audit_seen.FOLDER)  # the file alone
    assert newest in {x.seq for x in (other.head, *other.others)}
    check = check_audit(a)
    assert check.head.problem == (f"the audit trail lacks a link this computer has seen (id "
                                  f"{newest} at {at}): rows were removed")
    a.close()


def test_writes_at_once_from_threads_and_computers_raise_no_false_alarm(
        pg_database, tmp_path, monkeypatch, caplog):
    """Commits of one store finish in any order (after-commit hooks of threads), and other
    computers write in between: no link is taken for missing."""
    a = _computer(pg_database, tmp_path / "a", monkeypatch)
    b = _computer(pg_database, tmp_path / "b", monkeypatch)
    errors: list[BaseException] = []

    def write(store, who: str) -> None:
        try:
            _add(store, 10, who)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(st, f"W{n}"))
               for n, st in enumerate((a, a, b, b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    for store in (a, b):
        check = check_audit(store)
        assert check.ok, check.summary()
        store.close()
    assert not [r for r in caplog.records if r.name == "mmsdesk.store.audit_seen"]


def test_a_write_costs_no_extra_query_and_no_file_write(pg_database, tmp_path, monkeypatch):
    """The memory follows each commit in the process: the new ids come back with the insert;
    the file is written at a check, at close, or at most every SAVE_EVERY seconds."""
    a = _computer(pg_database, tmp_path / "a", monkeypatch)
    assert check_audit(a).ok  # the file made
    path = a._seen.sealer.path
    before = path.stat().st_mtime_ns, path.stat().st_ino
    statements: list[str] = []

    @event.listens_for(a.engine, "before_cursor_execute")
    def _seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    _add(a, 5)
    audit = [s for s in statements if "audit_event" in s]
    assert len(audit) == 10  # per commit: the head read under the lock, the insert
    assert sum("RETURNING" in s for s in audit) == 5
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == before
    newest, _ = _newest(a)
    assert a._seen.head.seq == newest and a._seen.others == []
    a.close()
    assert audit_seen.SeenTrail(a.url, path.parent).head.seq == newest


def test_an_unreadable_memory_is_started_again_and_says_so(pg_database, tmp_path, monkeypatch):
    a = _computer(pg_database, tmp_path / "a", monkeypatch)
    _add(a, 1)
    a.close()
    path = next((tmp_path / "a").glob("server-audit/*.audit-head"))
    path.write_text(path.read_text().replace('"seq": ', '"seq": 1'))
    a = _computer(pg_database, tmp_path / "a", monkeypatch)
    check = check_audit(a)
    assert check.ok
    assert "(started again: its file was unreadable or altered)" in check.head.note
    a.close()


@pytest.mark.parametrize("engine_kind", ["sqlite"])
def test_a_laptop_file_keeps_its_own_seal_and_no_server_memory(store, tmp_path):
    _add(store, 1)
    assert not audit_seen.watching(store.engine)
    assert check_audit(store).ok
    assert not list(tmp_path.rglob("server-audit"))


def test_commits_reported_out_of_order_are_not_taken_for_a_cut(tmp_path, caplog):
    """Two threads' commits may reach the memory in either order; a commit whose entries
    start below the head this computer saw (under the audit lock) is a cut, saved at once."""
    trail = audit_seen.SeenTrail(make_url("postgresql://ann@db.example/practice"), tmp_path)

    def link(n: int) -> audit_seen.Link:
        return audit_seen.Link(n, f"h{n}")

    trail.wrote(None, Head(8, "h8"), link(9))
    trail.wrote(None, Head(10, "h10"), link(11))  # the later commit's hook ran first
    trail.wrote(None, Head(9, "h9"), link(10))
    assert trail.head == link(11) and trail.others == [link(9)]
    assert not caplog.records and not trail.sealer.path.exists()
    trail.wrote(None, Head(7, "h7"), link(12))  # entries 8 to 11 were gone under the lock
    assert trail.head == link(12) and link(11) in trail.others
    assert "shorter than this computer last saw" in caplog.text
    saved = audit_seen.SeenTrail(make_url("postgresql://ben@DB.example:5432/practice"), tmp_path)
    assert saved.head == link(12) and link(11) in saved.others  # one memory per database


def test_entries_cut_and_forged_again_with_valid_hashes_are_told_apart(
        pg_cluster, pg_database, tmp_path, monkeypatch):
    """Someone who recomputes the hashes puts new entries under the removed ids: the chain
    verifies and is as long as before, but its newest entry is not the one this computer saw."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from mmsdesk.models import AuditEvent
    from mmsdesk.store.audit import row_hash

    a = _computer(pg_database, tmp_path / "a", monkeypatch)
    _add(a, 3)
    newest, at = _newest(a)
    assert check_audit(a).ok
    _cut(pg_cluster, pg_database, newest)
    with a.engine.begin() as conn:
        prev = conn.execute(text("SELECT row_hash FROM audit_event WHERE id = :i"),
                            {"i": newest - 1}).scalar_one()
        row = {"id": newest, "at": datetime.now(UTC), "actor": "x", "action": "print",
               "entity": "patient", "entity_id": "1", "patient_id": 1, "before_hash": "",
               "after_hash": "", "detail": "", "prev_hash": prev}
        conn.execute(insert(AuditEvent.__table__), [{**row, "row_hash": row_hash(row)}])
    check = check_audit(a)
    assert check.chain.ok and not check.ok
    assert check.head.problem == (f"the audit trail's entry {newest} is not the one this "
                                  f"computer saw (at {at}): rows were removed or replaced")
    a.close()


def test_the_memory_follows_the_store_through_a_lock(pg_database, tmp_path, monkeypatch):
    a = _computer(pg_database, tmp_path / "a", monkeypatch)
    _add(a, 1)
    a.lock()
    a.unlock()
    _add(a, 1)
    newest, _ = _newest(a)
    assert audit_seen.trail_for(a.engine) is a._seen and a._seen.head.seq == newest
    assert check_audit(a).ok
    a.close()
