"""A text-mode session killed with SIGKILL mid-game resumes with every acknowledged action."""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from text_script import lines, quiz_lines

from engine.format.loader import load_scenario
from engine.rules.state import fold
from engine.session.live import Session
from engine.store.db import Store

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = load_scenario(ROOT / "scenarios" / "tutorial.yaml")
ASSIGNMENT = {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"}
SEED = 5
# 李达 right, 王会悟 into the team-wide trap, then the rest right (choices as written)
MOVES = lines(TUTORIAL, SEED, ASSIGNMENT, [(1, 0), (2, 1), *[(None, 0)] * 5])
PERFECT = lines(TUTORIAL, SEED, ASSIGNMENT, [(1, 0), (2, 0), *[(None, 0)] * 4])


def text_mode(*args: str) -> subprocess.Popen[bytes]:
    """``play.py text`` with piped stdin and stdout, as a script drives it."""
    return subprocess.Popen(
        [sys.executable, "play.py", "text", *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def sigkill(proc: subprocess.Popen[bytes]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


def read_until(proc: subprocess.Popen[bytes], marker: str, timeout: float = 30.0) -> str:
    assert proc.stdout is not None
    seen = b""
    deadline = time.monotonic() + timeout
    while marker.encode() not in seen:
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {marker!r}; got:\n{seen.decode(errors='replace')}")
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:  # a marker that never comes fails the test instead of hanging it
            continue
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            raise AssertionError(f"process ended before {marker!r}:\n{seen.decode(errors='replace')}")
        seen += chunk
    return seen.decode()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_mid_session_loses_no_acknowledged_action(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    args = ["--scenario", "scenarios/tutorial.yaml", "--players", "张三,李四,王五", "--seed", str(SEED)]
    proc = text_mode(
        *args,
        "--roles",
        "lida=张三,wanghuiwu=李四,lihanjun=王五",
        "--db",
        str(db),
        "--simulated-clock",
        "--no-quiz",
    )
    assert proc.stdin is not None
    read_until(proc, "h 帮助：")
    proc.stdin.write(f"{MOVES[0]}\n".encode())
    proc.stdin.flush()
    read_until(proc, "✓ 李达 完成《致信各地》")
    proc.stdin.write(f"{MOVES[1]}\n".encode())  # the team-wide trap: flag + remedial task
    proc.stdin.flush()
    read_until(proc, "⚠ 陷阱 · 王会悟：全住进会场")
    sigkill(proc)

    store = Store(db)
    (row,) = store.sessions()
    events = store.events(row.id)
    made = [e.data["text"] for e in events if e.kind == "choice_made"]
    assert made == ["每地派两名代表", "让大家都住进李公馆，开会最方便"]
    state = fold(events)
    assert state.flags["lodging_exposed"] is True and "move_delegates" in state.activated
    resumed = Session.resume(store, row.id)
    assert resumed.state == state
    store.close()

    done = subprocess.run(
        [sys.executable, "play.py", "resume", row.id, "--db", str(db), "--simulated-clock"],
        cwd=ROOT,
        input="".join(line + "\n" for line in MOVES[2:]),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "══ 结局：有惊无险 ══" in done.stdout
    final = Store(db)
    kinds = [e.kind for e in final.events(row.id)]
    assert kinds.count("session_resumed") == 1
    assert [e.data["text"] for e in final.events(row.id) if e.kind == "choice_made"][:2] == made
    final.close()


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_in_the_middle_of_the_check_resumes_at_the_next_question(tmp_path: Path) -> None:
    db = tmp_path / "quiz.db"
    right = dict.fromkeys(ASSIGNMENT.values(), True)
    pre = quiz_lines(TUTORIAL, SEED, ASSIGNMENT, "pre", right)
    post = quiz_lines(TUTORIAL, SEED, ASSIGNMENT, "post", right)
    args = ["--scenario", "scenarios/tutorial.yaml", "--players", "张三,李四,王五", "--seed", str(SEED)]
    proc = text_mode(
        *args, "--roles", "lida=张三,wanghuiwu=李四,lihanjun=王五", "--db", str(db), "--simulated-clock"
    )
    assert proc.stdin is not None
    read_until(proc, "第 1/5 题")
    proc.stdin.write(f"{pre[0]}\n{pre[1]}\n".encode())
    proc.stdin.flush()
    read_until(proc, "第 3/5 题")
    sigkill(proc)

    store = Store(db)
    (row,) = store.sessions()
    assert row.status == "quiz"
    answered = [e.data["item"] for e in store.events(row.id) if e.kind == "quiz_answered"]
    assert len(answered) == 2
    store.close()
    done = subprocess.run(
        [sys.executable, "play.py", "resume", row.id, "--db", str(db), "--simulated-clock"],
        cwd=ROOT,
        input="".join(line + "\n" for line in [*pre[2:], *PERFECT, *post]),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    first = re.search(r"── 请 (\S+) 作答.*?\n(第 \d/5 题)", done.stdout)
    assert first is not None and first.groups() == ("张三", "第 3/5 题")  # on where it stopped
    assert "张三：赛前 5/5 → 赛后 5/5" in done.stdout
    final = Store(db)
    events = final.events(row.id)
    items = [e.data["item"] for e in events if e.kind == "quiz_answered" and e.data["player"] == "张三"]
    assert items[:2] == answered and len(items) == 10
    assert final.session(row.id).status == "ended"
    final.close()


def test_resume_refuses_a_changed_scenario_file(tmp_path: Path) -> None:
    from engine.format.loader import load_scenario
    from engine.session.clock import ManualClock
    from engine.session.live import ScenarioChanged

    path = tmp_path / "tut.yaml"
    path.write_text((ROOT / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    store = Store(tmp_path / "s.db")
    session = Session.start(
        load_scenario(path), store, "队", {"lida": "a", "wanghuiwu": "b", "lihanjun": "c"}, ManualClock()
    )
    path.write_text(path.read_text(encoding="utf-8").replace("筹备圆满", "筹备完美"), encoding="utf-8")
    with pytest.raises(ScenarioChanged, match="被修改过"):
        Session.resume(store, session.id)
    # the stored text still replays for review
    assert Session.resume(store, session.id, check_file=False).scenario.hash == session.scenario.hash
    store.close()
