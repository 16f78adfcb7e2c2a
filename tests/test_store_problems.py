"""Store files that cannot be used: read-only, full, corrupt, foreign, newer, and migrations.

Each bad file must give a clear Chinese message (StoreError; in the CLI exit code 2 and no
traceback) and stay byte-for-byte unchanged: Qingjing never "repairs" a file it does not
understand.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import engine.store.base as store_base
import engine.store.db as store_mod
from engine.format.scenario import Scenario
from engine.rules.state import fold
from engine.rules.step import Choose, Unpause, visible_choices
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store, StoreError
from engine.tools.bots import play_bot_session

ROOT = Path(__file__).resolve().parent.parent
ASSIGN = {"lida": "a", "wanghuiwu": "b", "lihanjun": "c"}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli_sessions(db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "play.py", "sessions", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def filled_store(path: Path, tutorial: Scenario, sessions: int = 12) -> None:
    store = Store(path)
    for seed in range(sessions):
        play_bot_session(tutorial, "random", seed=seed, store=store, team=f"队{seed}")
    store.close()
    assert not Path(f"{path}-wal").exists()  # a clean close checkpoints the WAL into the file


def one_move(session: Session) -> Choose | None:
    """The first legal choice of the first role that may act now (advancing past lock-outs)."""
    state = session.state
    holding = [r for r, rs in state.roles.items() if rs.task is not None]
    if state.status != "active" or not holding:
        return None
    clock = session.clock
    assert isinstance(clock, ManualClock)
    clock.t = max(clock.t, *(state.roles[r].locked_until for r in holding[:1]))
    role = holding[0]
    rs = state.roles[role]
    assert rs.task is not None and rs.node is not None
    return Choose(role, visible_choices(session.scenario, state, rs.task, rs.node)[0], rs.node)


# --- corrupt and foreign files ----------------------------------------------------------------


def _garbage(path: Path, tutorial: Scenario) -> None:
    path.write_bytes(random.Random(1).randbytes(64 * 1024))


def _text_file(path: Path, tutorial: Scenario) -> None:
    path.write_text("这不是数据库，是一份会议记录。\n" * 100, encoding="utf-8")


def _truncated(path: Path, tutorial: Scenario) -> None:
    filled_store(path, tutorial)
    raw = path.read_bytes()
    assert len(raw) > 4 * 4096
    path.write_bytes(raw[: len(raw) // 3])


def _garbage_pages(path: Path, tutorial: Scenario) -> None:
    filled_store(path, tutorial)
    raw = path.read_bytes()
    # keep the 100-byte header, so it still claims to be SQLite; scribble over everything else
    path.write_bytes(raw[:100] + random.Random(2).randbytes(len(raw) - 100))


def _scribbled_data(path: Path, tutorial: Scenario) -> None:
    filled_store(path, tutorial)
    raw = bytearray(path.read_bytes())
    rng = random.Random(3)
    for page in range(2, len(raw) // 4096):  # page 1 (schema) intact, every other page damaged
        at = page * 4096
        raw[at : at + 64] = rng.randbytes(64)
    path.write_bytes(bytes(raw))


def _foreign(path: Path, tutorial: Scenario) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('张三', '123')")
    conn.commit()
    conn.close()


def _foreign_with_meta(path: Path, tutorial: Scenario) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('app', 'someone-else')")
    conn.commit()
    conn.close()


def _newer(path: Path, tutorial: Scenario) -> None:
    filled_store(path, tutorial, sessions=1)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()


BAD_FILES = {
    "garbage": (_garbage, "不是 SQLite"),
    "text-file": (_text_file, "不是 SQLite"),
    "truncated": (_truncated, "已损坏"),
    "garbage-pages": (_garbage_pages, "已损坏"),
    "scribbled-data": (_scribbled_data, "已损坏"),
    "foreign": (_foreign, "别的程序"),
    "foreign-meta": (_foreign_with_meta, "不是 Qingjing"),
    "newer": (_newer, "请升级"),
}


def open_and_use(path: Path) -> None:
    """Everything a user might do with a store: open, list, read every session's events."""
    store = Store(path)
    try:
        for row in store.sessions():
            store.events(row.id)
            store.players(row.id)
            store.scenario_text(row.scenario_hash)
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_file_gives_a_clear_message_and_stays_unchanged(
    tmp_path: Path, tutorial: Scenario, case: str
) -> None:
    make, words = BAD_FILES[case]
    db = tmp_path / "bad.db"
    make(db, tutorial)
    before = digest(db)
    with pytest.raises(StoreError, match=words):
        open_and_use(db)
    assert digest(db) == before
    out = cli_sessions(db)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith("错误：") and words in out.stderr
    assert digest(db) == before


def test_a_directory_or_an_unwritable_place_is_explained(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="是一个文件夹"):
        Store(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="无法创建数据目录"):
        Store(blocker / "sub" / "q.db")


def test_an_empty_file_becomes_a_store(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    store = Store(db)
    assert store.sessions() == []
    store.close()


# --- read-only --------------------------------------------------------------------------------
# Tests run as root here, and root writes through chmod 0444. So the read-only path is driven by
# making os.access report the file unwritable (what it does for a normal user on a 0444 file or
# a read-only mount); the store then opens it with SQLite's mode=ro, which SQLite enforces even
# for root. A real chmod test runs too when not root.


def _pretend_readonly(monkeypatch: pytest.MonkeyPatch, db: Path) -> None:
    real = os.access

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(str(path)).resolve() == db.resolve():
            return False
        return real(path, mode, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_mod.os, "access", access)


def test_read_only_store_reads_but_refuses_writes(
    tmp_path: Path, tutorial: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "ro.db"
    filled_store(db, tutorial, sessions=2)
    before = digest(db)
    _pretend_readonly(monkeypatch, db)
    store = Store(db)
    assert store.readonly
    rows = store.sessions()
    assert len(rows) == 2 and all(store.events(r.id) for r in rows)
    with pytest.raises(StoreError, match="只读"):
        Session.start(tutorial, store, "队", ASSIGN, ManualClock())
    # even past our own check, SQLite refuses (mode=ro), and the message is still ours
    store.readonly = False
    with pytest.raises(StoreError, match="只读"):
        Session.start(tutorial, store, "队", ASSIGN, ManualClock())
    live = Session.resume(store, rows[0].id, check_file=False)
    assert live.state == fold(store.events(rows[0].id))
    store.close()
    assert digest(db) == before


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root ignores file modes")
def test_chmod_read_only_file(tmp_path: Path, tutorial: Scenario) -> None:  # pragma: no cover - not root
    db = tmp_path / "ro.db"
    filled_store(db, tutorial, sessions=1)
    db.chmod(0o444)
    store = Store(db)
    assert store.readonly and len(store.sessions()) == 1
    with pytest.raises(StoreError, match="只读"):
        Session.start(tutorial, store, "队", ASSIGN, ManualClock())
    store.close()


@pytest.mark.slow
def test_cli_on_a_read_only_store_lists_sessions(tmp_path: Path, tutorial: Scenario) -> None:
    db = tmp_path / "ro.db"
    filled_store(db, tutorial, sessions=1)
    before = digest(db)
    code = (
        "import os, sys\n"
        "real = os.access\n"
        f"os.access = lambda p, m, *a, **k: False if m & os.W_OK and str(p) == {str(db)!r} else real(p, m, *a, **k)\n"
        "from engine.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    args = [sys.executable, "-c", code]
    listed = subprocess.run(
        [*args, "sessions", "--db", str(db)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert listed.returncode == 0, listed.stderr
    assert "队0" in listed.stdout
    played = subprocess.run(
        [*args, "text", "--scenario", "scenarios/tutorial.yaml", "--players", "甲", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        input="",
    )
    assert played.returncode == 2 and "Traceback" not in played.stderr
    assert "只读" in played.stderr
    assert digest(db) == before


# --- full disk --------------------------------------------------------------------------------


def test_full_database_refuses_the_action_and_loses_nothing(tmp_path: Path, tutorial: Scenario) -> None:
    db = tmp_path / "full.db"
    store = Store(db)
    clock = ManualClock()
    session = Session.start(tutorial, store, "队", ASSIGN, clock)
    # SQLite's own quota: no page may be added, as when the disk has no free block left
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    failures = 0
    for _ in range(200):
        move = one_move(session)
        if move is None:
            # a finished session: begin another one, which also has to fit
            try:
                session = Session.start(tutorial, store, "队", ASSIGN, clock)
            except StoreError as exc:
                assert "磁盘已满" in str(exc)
                failures += 1
                break
            continue
        before_state, before_events = session.state.copy(), list(session.events)
        try:
            session.act(move)
        except StoreError as exc:
            assert "磁盘已满" in str(exc) and "不会丢失" in str(exc)
            assert session.state == before_state and session.events == before_events
            assert not store.conn.in_transaction
            failures += 1
            break
    assert failures == 1, "the quota was never reached"
    # nothing half-written: a fresh reader sees exactly the acknowledged events
    reader = Store(db)
    assert reader.events(session.id) == session.events
    assert fold(reader.events(session.id)) == session.state
    reader.close()
    # space is freed: the same session goes on from where it was
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    move = one_move(session)
    if move is None:  # the refused step was a new session's start: it can begin now
        session = Session.start(tutorial, store, "队", ASSIGN, clock)
    else:
        session.act(move)
    assert store.events(session.id) == session.events
    store.close()


# --- schema version and migrations ------------------------------------------------------------


def test_schema_version_is_stored(store: Store) -> None:
    meta = dict(store.conn.execute("SELECT key, value FROM meta").fetchall())
    assert meta == {"app": "qingjing", "schema_version": str(store_mod.SCHEMA_VERSION)}


def test_migration_to_a_new_version_keeps_the_data(
    tmp_path: Path, tutorial: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "v1.db"
    filled_store(db, tutorial, sessions=3)
    old = Store(db)
    rows = old.sessions()
    logs = {r.id: old.events(r.id) for r in rows}
    old.close()

    calls: list[int] = []

    nxt = store_mod.SCHEMA_VERSION + 1

    def to_next(database: object) -> None:
        calls.append(nxt)
        import sqlite_utils

        assert isinstance(database, sqlite_utils.Database)
        database.execute("ALTER TABLE sessions ADD COLUMN note TEXT")
        database.execute("UPDATE sessions SET note = 'migrated'")

    monkeypatch.setattr(store_base, "SCHEMA_VERSION", nxt)
    monkeypatch.setitem(store_mod.MIGRATIONS, nxt, to_next)
    new = Store(db)
    assert new.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(nxt),)
    assert {r.id for r in new.sessions()} == {r.id for r in rows}
    assert all(new.events(sid) == log for sid, log in logs.items())
    assert {n for (n,) in new.conn.execute("SELECT note FROM sessions")} == {"migrated"}
    # the migrated store still takes new sessions
    play_bot_session(tutorial, "expert", seed=9, store=new)
    new.close()
    Store(db).close()
    assert calls == [nxt], "a migration runs once"


def test_a_v1_store_migrates_to_steps_and_keeps_every_event(tmp_path: Path) -> None:
    """tests/fixtures/store_v1.db was written by the v1 code (one row per event, a summary row
    updated per action): three finished sessions, one paused after a hint and a skip, one
    abandoned. After the migration every event, summary and seq is as it was, resume works,
    and the next action is stored as a step."""
    db = tmp_path / "v1.db"
    db.write_bytes((ROOT / "tests" / "fixtures" / "store_v1.db").read_bytes())
    raw = sqlite3.connect(db)
    old_events: dict[str, list[tuple[object, ...]]] = {}
    for sid, at, kind, role, data in raw.execute(
        "SELECT session_id, at, kind, role, data FROM events ORDER BY session_id, seq"
    ):
        old_events.setdefault(sid, []).append((kind, at, json.loads(data), role))
    old_rows = {
        r[0]: r[1:]
        for r in raw.execute("SELECT id, status, score, ending, updated_at, ended_at, events FROM sessions")
    }
    raw.close()
    assert len(old_rows) == 5 and {r[0] for r in old_rows.values()} == {"ended", "paused", "abandoned"}

    store = Store(db)
    assert store.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(store_mod.SCHEMA_VERSION),
    )
    assert "events" not in store.db.table_names()
    rows = {r.id: r for r in store.sessions()}
    assert rows.keys() == old_rows.keys()
    for sid, row in rows.items():
        assert [tuple(e) for e in store.events(sid)] == old_events[sid]
        assert (row.status, row.score, row.ending, row.updated_at, row.ended_at, row.events) == old_rows[sid]
    # fewer rows than events: an action's events became one step
    steps = store.conn.execute("SELECT count(*) FROM steps").fetchone()[0]
    assert steps < sum(len(v) for v in old_events.values())
    paused = next(r for r in rows.values() if r.status == "paused")
    session = Session.resume(store, paused.id, ManualClock(paused.updated_at + 1), check_file=False)
    assert session.state == fold(store.events(paused.id))
    session.act(Unpause())
    assert store.session(paused.id).status == "active"
    assert store.events(paused.id) == session.events
    store.close()


@pytest.mark.slow
def test_an_unreadable_v1_event_stops_the_migration_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    db.write_bytes((ROOT / "tests" / "fixtures" / "store_v1.db").read_bytes())
    raw = sqlite3.connect(db)
    raw.execute("UPDATE events SET data = '{broken' WHERE seq = 3")
    raw.commit()
    raw.execute("PRAGMA journal_mode = WAL")  # as every store we wrote is: opening changes no byte
    raw.close()
    before = digest(db)
    with pytest.raises(StoreError, match="无法升级"):
        Store(db)
    assert digest(db) == before
    played = cli_sessions(db)
    assert played.returncode == 2 and "Traceback" not in played.stderr and "无法升级" in played.stderr


def test_a_failing_migration_leaves_the_store_as_it_was(
    tmp_path: Path, tutorial: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "v1.db"
    filled_store(db, tutorial, sessions=2)
    before = digest(db)

    def broken(database: object) -> None:
        import sqlite_utils

        assert isinstance(database, sqlite_utils.Database)
        database.execute("CREATE TABLE half_done (x TEXT)")
        database.execute("THIS IS NOT SQL")

    current = store_mod.SCHEMA_VERSION
    monkeypatch.setattr(store_base, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(store_mod.MIGRATIONS, current + 1, broken)
    with pytest.raises(StoreError):
        Store(db)
    monkeypatch.undo()
    store = Store(db)
    tables = set(store.db.table_names())
    assert "half_done" not in tables
    assert store.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(current),
    )
    assert len(store.sessions()) == 2
    store.close()
    assert digest(db) == before


# --- a log edited by hand ------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (
            "UPDATE steps SET events = '[[\"choice_made\"' WHERE key = (SELECT max(key) FROM steps)",
            "无法读取",
        ),
        ("UPDATE steps SET events = '[]' WHERE key = (SELECT max(key) FROM steps)", "无法读取"),
        ("UPDATE steps SET upto = upto + 1 WHERE key = (SELECT max(key) FROM steps)", "无法读取"),
        ("DELETE FROM steps WHERE key = (SELECT min(key) FROM steps WHERE key & 0xFFFFFFFF > 1)", "不连续"),
    ],
)
def test_a_tampered_log_is_reported_not_replayed(
    tmp_path: Path, tutorial: Scenario, tamper: str, message: str
) -> None:
    db = tmp_path / "tampered.db"
    filled_store(db, tutorial, sessions=1)
    conn = sqlite3.connect(db)
    conn.execute(tamper)
    conn.commit()
    conn.close()
    store = Store(db)
    (row,) = store.sessions()
    with pytest.raises(StoreError, match=message):
        store.events(row.id)
    store.close()
    report = subprocess.run(
        [
            sys.executable,
            "play.py",
            "report",
            "--db",
            str(db),
            "--format",
            "json",
            "-o",
            str(tmp_path / "r.json"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert report.returncode == 2 and "Traceback" not in report.stderr and message in report.stderr
