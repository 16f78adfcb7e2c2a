"""Crash safety: players SIGKILLed at random moments lose no acknowledged action.

A forked child (it inherits the imported engine, so a kill costs milliseconds instead of a
Python start-up) plays random sessions into one store and reports each acknowledged step on a
pipe; the parent kills it after a random delay, then checks the store (see crash_harness):
every acknowledged event is there, seq numbers are contiguous, nothing is applied twice, the
summary row agrees, and the log equals a clean replay of its actions. The next child resumes the
unfinished sessions, so kills also land inside resume, store creation and migration.
bench/bench_core.py runs the same loop longer.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from crash_harness import check_store, kill_after, parse_acks

from engine.format.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
KILLS = 200
STORE_EVERY = 10  # a fresh store file every so many kills keeps each check small
MAX_DELAY = 0.15  # seconds a child lives at most (its first acknowledgement takes ~40 ms)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)")


def kill_one(db: Path, seed: int, scenario: Scenario, delay: float) -> bytes:
    output, status = kill_after(str(db), seed, scenario, delay)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
        f"child ended by itself (status {status}) before the kill"
    )
    return output


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path, tutorial: Scenario) -> None:
    rng = random.Random(20260701)
    totals = {"acks": 0, "events": 0, "silent": 0}
    for kill in range(KILLS):
        db = tmp_path / f"crash{kill // STORE_EVERY}.db"
        output = kill_one(db, kill, tutorial, rng.uniform(0, MAX_DELAY))
        acks = parse_acks(output)
        if not db.exists():
            assert not acks
            totals["silent"] += 1
            continue
        result = check_store(str(db), tutorial, acks)
        totals["acks"] += result.acknowledged
        totals["events"] = max(totals["events"], result.events)
        if not acks:
            totals["silent"] += 1
    # the kills must have hit real work, not only start-up
    assert totals["acks"] > KILLS * 5, totals
    assert totals["silent"] < KILLS // 3, totals


@pytest.mark.slow
def test_killed_subprocess_reporting_on_stdout(tmp_path: Path, tutorial: Scenario) -> None:
    """The same check with real processes (python tests/crash_harness.py) and stdout acks."""
    db = tmp_path / "sub.db"
    for seed in range(3):
        proc = subprocess.Popen(
            [sys.executable, "tests/crash_harness.py", str(db), str(seed)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert proc.stdout is not None and proc.stderr is not None
        seen = b""
        while seen.count(b"\n") < 20 + 10 * seed:  # wait for real progress, then kill mid-stream
            chunk = os.read(proc.stdout.fileno(), 4096)
            assert chunk, proc.stderr.read().decode()
            seen += chunk
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        rest = proc.stdout.read()
        proc.stdout.close()
        proc.stderr.close()
        acks = parse_acks(seen + rest)
        assert acks
        check_store(str(db), tutorial, acks)
