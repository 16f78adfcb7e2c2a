"""A player process to kill, and the checks to run on what it leaves behind.

The player (``play_until_killed``) opens a store, resumes an unfinished session or starts a new
one, and plays random legal moves forever, writing ``ACK <session> <seq>`` to a file descriptor
(unbuffered) each time ``Session.start``/``Session.act`` has returned: that line is the
"acknowledged" promise. ``check_store`` then proves that every acknowledged event is stored,
sequence numbers are contiguous, nothing is applied twice, the summary row agrees, and the
stored log equals a clean replay of the same actions through ``rules.step``.

Used by tests/test_crash.py (forked children, many kills) and bench/bench_core.py; run alone:

    python tests/crash_harness.py DB SEED   # plays until killed, ACK lines on stdout
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.format.loader import load_scenario  # noqa: E402
from engine.format.scenario import Scenario  # noqa: E402
from engine.rules.state import Event, State, fold  # noqa: E402
from engine.rules.step import Action, Choose, Resume, Start, step, visible_choices  # noqa: E402
from engine.session.clock import ManualClock  # noqa: E402
from engine.session.live import Session, assign_roles  # noqa: E402
from engine.store.db import Store  # noqa: E402

TUTORIAL = ROOT / "scenarios" / "tutorial.yaml"


def play_until_killed(db: str, seed: int, out_fd: int, scenario: Scenario, max_actions: int = 10**9) -> None:
    """Play random sessions into ``db``; write ``ACK sid seq`` after each acknowledged step."""
    rng = random.Random(seed)
    store = Store(db)
    done = 0
    while done < max_actions:
        unfinished = [r for r in store.sessions() if r.status == "active"]
        if unfinished and rng.random() < 0.7:
            row = rng.choice(unfinished)
            session = Session.resume(store, row.id, ManualClock(row.updated_at), check_file=False)
            session.mark_resumed()
        else:
            players = [f"p{i}" for i in range(len(scenario.roles))]
            session = Session.start(
                scenario, store, f"队{seed}", assign_roles(scenario, players, seed=seed), ManualClock()
            )
        os.write(out_fd, f"ACK {session.id} {session.state.seq}\n".encode())
        clock = session.clock
        assert isinstance(clock, ManualClock)
        while session.state.status == "active" and done < max_actions:
            state = session.state
            holding = [r for r, rs in state.roles.items() if rs.task is not None]
            if not holding:
                break
            ready = [r for r in holding if state.roles[r].locked_until <= clock.now()]
            if not ready:
                clock.sleep(min(state.roles[r].locked_until for r in holding) - clock.now())
                continue
            role = rng.choice(ready)
            rs = state.roles[role]
            assert rs.task is not None and rs.node is not None
            choice = rng.choice(visible_choices(scenario, state, rs.task, rs.node))
            clock.advance(rng.uniform(1.0, 30.0))
            session.act(Choose(role, choice, rs.node))
            done += 1
            os.write(out_fd, f"ACK {session.id} {session.state.seq}\n".encode())
    store.close()


def kill_after(db: str, seed: int, scenario: Scenario, delay: float) -> tuple[bytes, int]:
    """Fork a player, SIGKILL it after ``delay`` seconds; its output and wait status (POSIX)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child is killed, never returns
        try:
            os.close(read_end)
            play_until_killed(db, seed, write_end, scenario)
        finally:
            os._exit(3)
    os.close(write_end)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    return b"".join(chunks), status


def parse_acks(output: bytes) -> dict[str, int]:
    """Highest acknowledged seq per session; a torn last line (killed mid-write) is ignored."""
    acks: dict[str, int] = {}
    for line in output.decode("utf-8", "replace").split("\n")[:-1]:
        parts = line.split()
        if len(parts) == 3 and parts[0] == "ACK":
            acks[parts[1]] = max(acks.get(parts[1], 0), int(parts[2]))
    return acks


def replay(scenario: Scenario, events: list[Event]) -> tuple[list[Event], State]:
    """Rebuild the actions a log records and play them again through the rules."""
    first = events[0]
    assert first.kind == "session_started", first
    assignment = {e.data["role"]: e.data["player"] for e in events if e.kind == "role_assigned"}
    out, state = step(scenario, State(), Start(first.data["team"], assignment), first.at)
    for event in events:
        action: Action
        if event.kind == "choice_made":
            action = Choose(event.role or "", event.data["choice"], event.data["node"])
        elif event.kind == "session_resumed":
            action = Resume(event.data.get("down_since"))
        else:
            continue
        new, state = step(scenario, state, action, event.at)
        out += new
    return out, state


@dataclass
class CheckResult:
    sessions: int = 0
    events: int = 0
    acknowledged: int = 0


def check_store(db: str, scenario: Scenario, acks: dict[str, int]) -> CheckResult:
    """Assert the crash-safety invariants on ``db``; ``acks`` from the killed player's output."""
    store = Store(db)
    result = CheckResult()
    try:
        rows = {r.id: r for r in store.sessions()}
        missing = set(acks) - set(rows)
        assert not missing, f"acknowledged sessions missing from the store: {missing}"
        for sid, row in rows.items():
            events = store.events(sid)  # raises if seq numbers are not 1..n
            assert events, f"session {sid} has a row but no events"
            acked = acks.get(sid, 0)
            assert len(events) >= acked, f"{sid}: {acked} acknowledged, {len(events)} stored"
            replayed, state = replay(scenario, events)
            assert replayed == events, f"{sid}: the stored log is not what the rules make of its actions"
            assert fold(events) == state
            assert (row.status, row.score, row.ending, row.events) == (
                state.status,
                state.score,
                state.ending,
                len(events),
            ), f"{sid}: summary row disagrees with the log"
            if sid in acks:  # resuming parses the stored scenario: only for the sessions just played
                resumed = Session.resume(store, sid, check_file=False)
                assert resumed.state == state and resumed.events == events
            result.sessions += 1
            result.events += len(events)
            result.acknowledged += acked
    finally:
        store.close()
    return result


if __name__ == "__main__":
    play_until_killed(sys.argv[1], int(sys.argv[2]), sys.stdout.fileno(), load_scenario(TUTORIAL))
