"""One contract, two backends: every test here runs on a SQLite file and on a PostgreSQL schema.

The ``backend`` fixture (tests/conftest.py) gives each test a new store's ``--db``: a file, then a
schema on the server CI started (``QINGJING_TEST_POSTGRES``) or on a throwaway cluster; without a
server the ``postgres`` cases are skipped and say why. ``pytest -k postgres`` runs only those.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from crash_harness import check_store, parse_acks

from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.report.json_out import report_dict
from engine.review.selection import load_review
from engine.rules.state import fold
from engine.rules.step import Choose
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store import migrations
from engine.store.base import SCHEMA_VERSION
from engine.store.batch import write_steps
from engine.store.db import Store, StoreConflict, StoreError
from engine.store.hosting import HostSeat, HostTables, HostTeam
from engine.store.members import NewMember
from engine.store.pg_schema import BASELINE, PG_MIGRATIONS
from engine.tools.bots import play_bot_session

ROOT = Path(__file__).resolve().parent.parent
ASSIGN = {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"}


def _first_move(session: Session) -> Choose:
    state = session.state
    role = next(r for r, rs in state.roles.items() if rs.task is not None and rs.node is not None)
    rs = state.roles[role]
    assert rs.node is not None
    return Choose(role, 0, rs.node)


def _raw(target: str, sql: str) -> list[tuple[object, ...]]:
    """Read the store behind our API's back (what is really there)."""
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target) as conn:
            return [tuple(r) for r in conn.execute(sql).fetchall()]
    with sqlite3.connect(target) as conn:
        return conn.execute(sql).fetchall()


def _exec(target: str, sql: str) -> None:
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute(sql)
        return
    with sqlite3.connect(target) as conn:
        conn.execute(sql)


def test_one_history_for_sqlite_and_postgres() -> None:
    assert sorted(migrations.MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))
    assert sorted(PG_MIGRATIONS) == list(range(BASELINE, SCHEMA_VERSION + 1))


def test_a_new_store_is_created_at_the_current_version(backend: str) -> None:
    store = Store(backend)
    assert store.version == SCHEMA_VERSION and store.sessions() == []
    store.close()
    assert dict(_raw(backend, "SELECT key, value FROM meta")) == {
        "app": "qingjing",
        "schema_version": str(SCHEMA_VERSION),
    }
    again = Store(backend)  # opening it again changes nothing
    assert again.version == SCHEMA_VERSION
    again.close()


def test_a_game_reads_back_identically(backend: str, tutorial: Scenario) -> None:
    store = Store(backend)
    sid = play_bot_session(tutorial, "random", seed=3, store=store, start_time=1_700_000_000).session_id
    assert sid is not None
    events = store.events(sid)
    row = store.session(sid[:6])
    assert row.id == sid and row.events == len(events) and row.status == fold(events).status
    assert row.score == fold(events).score and row.started_at == 1_700_000_000
    assert [e for step in store.steps(sid) for e in step.events] == events
    assert store.scenario_text(row.scenario_hash)[0] == tutorial.text
    assert store.players(sid) and store.events_after(sid, 0) == events
    cut = store.steps(sid)[0]
    assert store.events_after(sid, len(cut.events)) == events[len(cut.events) :]
    store.close()


def test_a_step_is_appended_once_and_a_second_writer_conflicts(backend: str, tutorial: Scenario) -> None:
    clock = ManualClock(1_700_000_000)
    first = Store(backend)
    session = Session.start(tutorial, first, "队", ASSIGN, clock)
    second = Store(backend)
    other = Session.resume(second, session.id, clock, check_file=False)
    move = _first_move(session)
    clock.advance(5)
    session.act(move)
    with pytest.raises(StoreConflict):
        other.act(move)  # same (session, seq): the second writer is refused, nothing interleaves
    assert other.state == fold(second.events(session.id)[: len(other.events)])
    assert second.events(session.id) == session.events
    assert len(_raw(backend, "SELECT key FROM steps")) == 2
    other.catch_up()  # reads what the first writer stored and can go on from there
    assert other.events == session.events and other.state == session.state
    first.close()
    second.close()


def test_a_group_commit_keeps_the_others_when_one_conflicts(backend: str, tutorial: Scenario) -> None:
    store = Store(backend)
    clock = ManualClock(1_700_000_000)
    sessions = [Session.start(tutorial, store, f"队{i}", ASSIGN, clock) for i in range(3)]
    clock.advance(3)
    proposals = [s.propose(_first_move(s)) for s in sessions]
    rows = [
        store.step_row(s.id, p.first_seq, p.events, p.state) for s, p in zip(sessions, proposals, strict=True)
    ]
    sessions[1].act(_first_move(sessions[1]))  # someone else stores the middle team's step first
    writer = store.open_writer()
    outcomes = write_steps(writer, rows)
    assert outcomes[0] is None and outcomes[2] is None and isinstance(outcomes[1], StoreConflict)
    for s, p in ((sessions[0], proposals[0]), (sessions[2], proposals[2])):
        s.accept(p)
        assert store.events(s.id) == s.events
    clock.advance(3)  # the next steps of all three: one transaction, all stored
    proposals = [s.propose(_first_move(s)) for s in sessions]
    rows = [
        store.step_row(s.id, p.first_seq, p.events, p.state) for s, p in zip(sessions, proposals, strict=True)
    ]
    assert write_steps(writer, rows) == [None, None, None]
    for s, p in zip(sessions, proposals, strict=True):
        s.accept(p)
        assert store.events(s.id) == s.events
    writer.close()
    store.close()


def test_a_foreign_database_is_reported_and_left_alone(backend: str) -> None:
    _exec(backend, "CREATE TABLE orders (id INTEGER PRIMARY KEY, item TEXT)")
    _exec(backend, "INSERT INTO orders (id, item) VALUES (1, '茶')")
    with pytest.raises(StoreError, match="别的程序的"):
        Store(backend)
    assert _raw(backend, "SELECT id, item FROM orders") == [(1, "茶")]
    tables = _raw(
        backend,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        if backend.startswith("postgresql://")
        else "SELECT name FROM sqlite_master WHERE type = 'table'",
    )
    assert tables == [("orders",)]


def test_a_newer_store_is_refused_untouched(backend: str) -> None:
    Store(backend).close()
    _exec(backend, f"UPDATE meta SET value = '{SCHEMA_VERSION + 1}' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="更新版本"):
        Store(backend)
    assert dict(_raw(backend, "SELECT key, value FROM meta"))["schema_version"] == str(SCHEMA_VERSION + 1)


def test_read_only_refuses_writes_but_reads(backend: str, tutorial: Scenario) -> None:
    writer = Store(backend)
    sid = play_bot_session(tutorial, "expert", seed=1, store=writer).session_id
    writer.close()
    reader = Store(backend, readonly=True)
    assert [r.id for r in reader.sessions()] == [sid]
    with pytest.raises(StoreError, match="只读"):
        Session.start(tutorial, reader, "队", ASSIGN, ManualClock())
    reader.close()
    assert len(_raw(backend, "SELECT id FROM sessions")) == 1


def test_the_host_tables_on_both(backend: str) -> None:
    store = Store(backend)
    tables = HostTables(store)
    assert tables.secret(lambda: "FIRST") == "FIRST" and tables.secret(lambda: "OTHER") == "FIRST"
    for i, name in enumerate(("红队", "蓝队", "绿队")):
        tables.add_team(HostTeam(f"t{i}", name, f"C{i}", "x.yaml", "", 100.0))  # equal times: made order
    assert [t.name for t in tables.teams()] == ["红队", "蓝队", "绿队"]
    tables.add_seat(HostSeat("h1", "t0", "张三", "", 5.0))
    tables.add_seat(HostSeat("h0", "t0", "李四", "lida", 5.0))
    assert [s.name for s in tables.seats("t0")] == ["张三", "李四"]
    assert tables.claim_session("t0", "", "s1") and not tables.claim_session("t0", "", "s2")
    assert tables.team("t0") == (HostTeam("t0", "红队", "C0", "x.yaml", "s1", 100.0), False)
    tables.close_team("t1")
    assert tables.team_by_code("C1") is None and tables.team_by_code("C2") is not None
    tables.free_seat("h1")
    assert tables.seat("h1") is None and tables.seat("h0") == HostSeat("h0", "t0", "李四", "lida", 5.0)
    store.close()


def test_reports_give_the_same_figures_on_postgres_as_on_sqlite(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same games stored in a file and on the server: the JSON report is identical."""
    yida = load_scenario(ROOT / "scenarios" / "yida_1921.yaml")
    tutorial = load_scenario(ROOT / "scenarios" / "tutorial.yaml")
    reports = []
    for target in (str(tmp_path / "same.db"), postgres_url):
        ids = iter(f"{n:016x}" for n in range(100))  # the same session ids in both stores
        monkeypatch.setattr("engine.session.live.new_session_id", ids.__next__)
        store = Store(target)
        for i in range(8):
            play_bot_session(
                yida if i % 3 == 0 else tutorial,
                ("random", "careful", "expert")[i % 3],
                seed=i,
                store=store,
                team=f"队{i % 3}",
                start_time=1_700_000_000 + i * 3_600,
            )
        review = load_review(store, now=1_800_000_000)
        reports.append(json.dumps(report_dict(review), ensure_ascii=False, sort_keys=True))
        store.close()
    assert reports[0] == reports[1]
    assert json.loads(reports[0])["cohort"]["totals"]["sessions"] == 8


@pytest.mark.slow
def test_acknowledged_steps_survive_a_killed_writer(backend: str, tutorial: Scenario) -> None:
    """A player process SIGKILLed mid-game: every step it acknowledged is stored, nothing twice."""
    if not hasattr(os, "fork"):
        pytest.skip("needs POSIX processes")
    for seed in range(3):
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "crash_harness.py"), backend, str(seed)],
            stdout=subprocess.PIPE,
            cwd=ROOT,
        )
        assert proc.stdout is not None
        seen = b""
        while seen.count(b"\n") < 40 + 25 * seed:
            chunk = proc.stdout.read1(65536)
            assert chunk, "the player ended by itself"
            seen += chunk
        proc.kill()
        rest, _ = proc.communicate()
        acks = parse_acks(seen + rest)
        result = check_store(backend, tutorial, acks)
        assert result.acknowledged >= 40


def test_the_roster_on_both(backend: str, tutorial: Scenario) -> None:
    store = Store(backend)
    assert store.import_members(
        [NewMember("张伟", "一支部", "001"), NewMember("张伟", "二支部")], now=5.0
    ) == (2, 0)
    assert store.import_members([NewMember("张伟", "三支部", "001")], now=6.0) == (0, 1)  # found by 编号
    players = {"lida": "张伟（三支部）", "wanghuiwu": "张伟（二支部）", "lihanjun": "客人"}
    session = Session.start(tutorial, store, "队", players, ManualClock(1_700_000_000))
    ids = {m.branch: m.id for m in store.members()}
    assert store.member_links() == {
        session.id: {"张伟（三支部）": ids["三支部"], "张伟（二支部）": ids["二支部"]}
    }
    store.close()
