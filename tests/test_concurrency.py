"""Several teams at once: 8 processes play bot sessions into one (new) store simultaneously.

No event may be lost or duplicated, each session's seq numbers run 1..n, every session equals
the same bot game played without a store (bots are deterministic per seed), and no player ever
sees "database is locked": the busy timeout absorbs the waits, including the race to create
and migrate the new file. A reader lists sessions throughout (WAL readers never block).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from engine.format.scenario import Scenario
from engine.rules.step import Choose, visible_choices
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import SCHEMA_VERSION, Store, StoreConflict, StoreError
from engine.tools.bots import play_bot_session

ROOT = Path(__file__).resolve().parent.parent
TEAMS = 8
SESSIONS = 4
POLICIES = ("random", "careful", "expert")

PLAYER = """
import sys
from engine.tools.bots import play_bot_session
from engine.format.loader import load_scenario
from engine.store.db import Store
db, team, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
scenario = load_scenario("scenarios/tutorial.yaml")
policies = ("random", "careful", "expert")
store = Store(db)
for i in range(count):
    seed = team * 1000 + i
    play_bot_session(scenario, policies[seed % 3], seed=seed, store=store, team=f"t{team}-{seed}")
store.close()
print("done", team)
"""


@pytest.mark.slow
def test_eight_teams_into_one_store(tmp_path: Path, tutorial: Scenario) -> None:
    db = tmp_path / "shared.db"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", PLAYER, str(db), str(team), str(SESSIONS)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for team in range(TEAMS)
    ]
    listings = 0
    while any(p.poll() is None for p in procs):
        if db.exists():
            try:
                reader = Store(db)
            except StoreError as exc:  # only while the very first writer is still creating it
                assert "locked" not in str(exc) and "占用" not in str(exc), exc
            else:
                reader.sessions()
                reader.close()
                listings += 1
        time.sleep(0.02)
    for team, proc in enumerate(procs):
        out, err = proc.communicate()
        assert proc.returncode == 0, err
        assert err == "" and out.strip() == f"done {team}"
    assert listings > 0

    store = Store(db)
    rows = store.sessions()
    assert len(rows) == TEAMS * SESSIONS
    assert len({r.id for r in rows}) == len(rows)
    for row in rows:
        seed = int(row.team.split("-")[1])
        events = store.events(row.id)  # raises unless seq is exactly 1..n
        # one step per action, numbered by its first event: strictly increasing, no gap
        (number,) = store.conn.execute("SELECT number FROM sessions WHERE id = ?", (row.id,)).fetchone()
        steps = store.conn.execute(
            "SELECT key - (? << 32), upto FROM steps WHERE key >> 32 = ? ORDER BY key", (number, number)
        ).fetchall()
        assert [seq for seq, _ in steps] == [1] + [upto + 1 for _, upto in steps[:-1]]
        assert all(upto >= seq for seq, upto in steps) and steps[-1][1] == len(events)
        expected = play_bot_session(tutorial, POLICIES[seed % 3], seed=seed, team=row.team)
        assert events == expected.events, f"session {row.id} ({row.team}) differs from its bot game"
        assert (row.status, row.score, row.events) == (
            expected.state.status,
            expected.state.score,
            len(events),
        )
    total = store.conn.execute("SELECT sum(upto - (key & 0xFFFFFFFF) + 1) FROM steps").fetchone()[0]
    assert total == sum(r.events for r in rows)
    store.close()


def test_two_windows_on_one_session_cannot_interleave(tmp_path: Path, tutorial: Scenario) -> None:
    db = tmp_path / "two.db"
    first_store, second_store = Store(db), Store(db)
    first = Session.start(
        tutorial, first_store, "队", {"lida": "a", "wanghuiwu": "b", "lihanjun": "c"}, ManualClock()
    )
    second = Session.resume(second_store, first.id, ManualClock())
    rs = first.state.roles["lida"]
    assert rs.task is not None and rs.node is not None
    options = visible_choices(tutorial, first.state, rs.task, rs.node)
    first.act(Choose("lida", options[0], rs.node))
    with pytest.raises(StoreConflict, match="重新载入"):
        second.act(Choose("lida", options[-1], rs.node))
    assert second_store.events(first.id) == first.events
    # reloading shows the first window's move, and play goes on from there
    again = Session.resume(second_store, first.id, ManualClock(first.state.now))
    assert again.state == first.state
    first_store.close()
    second_store.close()


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork (POSIX)")
def test_many_processes_create_the_same_new_store_at_once(tmp_path: Path) -> None:
    """All open a file that does not exist yet at the same instant: one creates and migrates it,
    the others wait for it and find it ready (the version is read again under the write lock)."""
    import os

    for trial in range(12):
        db = tmp_path / f"new{trial}.db"
        gate_read, gate_write = os.pipe()
        report_read, report_write = os.pipe()
        pids = []
        for _ in range(8):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - child
                code = 1
                try:
                    os.close(gate_write)
                    os.read(gate_read, 1)  # everyone starts when the gate closes
                    Store(db).close()
                    code = 0
                except BaseException as exc:
                    os.write(report_write, f"{type(exc).__name__}: {exc}\n".encode())
                finally:
                    os._exit(code)
            pids.append(pid)
        os.close(gate_read)
        os.close(report_write)
        time.sleep(0.03)
        os.close(gate_write)
        codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
        errors = b""
        while chunk := os.read(report_read, 4096):
            errors += chunk
        os.close(report_read)
        assert codes == [0] * 8, errors.decode()
        store = Store(db)
        assert store.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
            str(SCHEMA_VERSION),
        )
        store.close()
