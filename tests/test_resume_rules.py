"""Each session records the rules version and program version that started it; resuming under
other rules replays the stored log first and refuses, in Chinese, when the replay differs."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import engine
from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.rules import state as rules_state
from engine.rules import step as rules_step
from engine.rules.step import Hint
from engine.rules.version import RULES_VERSION
from engine.session import live
from engine.session.clock import ManualClock
from engine.session.live import RulesChanged, Session
from engine.session.replay import replay_difference
from engine.store.db import Store
from engine.tools.bots import play_bot_session

ROOT = Path(__file__).resolve().parent.parent
ASSIGN = {"lida": "a", "wanghuiwu": "b", "lihanjun": "c"}


def paused_session(store: Store, tutorial: Scenario) -> str:
    """A session with a hint and a few moves, interrupted (the kind one resumes)."""
    clock = ManualClock(1_700_000_000.0)
    session = Session.start(tutorial, store, "红队", ASSIGN, clock)
    session.act(Hint("lida"))
    for _ in range(3):
        clock.advance(7)
        role = next(r for r, rs in session.state.roles.items() if rs.task is not None)
        rs = session.state.roles[role]
        session.act(
            rules_step.Choose(
                role, rules_step.visible_choices(tutorial, session.state, rs.task, rs.node)[0], rs.node
            )
        )  # type: ignore[arg-type]
    return session.id


def set_recorded_version(db: Path, session_id: str, version: int | None) -> None:
    raw = sqlite3.connect(db)
    raw.execute("UPDATE sessions SET rules_version = ? WHERE id = ?", (version, session_id))
    raw.commit()
    raw.close()


def test_a_session_records_its_rules_and_program_version(store: Store, tutorial: Scenario) -> None:
    sid = paused_session(store, tutorial)
    row = store.session(sid)
    assert (row.rules_version, row.app_version) == (RULES_VERSION, engine.__version__)
    assert len(sid) == 16 and int(sid, 16) >= 0  # 64 random bits


def test_other_rules_that_replay_the_same_log_may_continue(tmp_path: Path, tutorial: Scenario) -> None:
    db = tmp_path / "q.db"
    store = Store(db)
    sid = paused_session(store, tutorial)
    store.close()
    for recorded in (None, RULES_VERSION - 1, RULES_VERSION + 1):  # unknown (an old file), older, newer
        set_recorded_version(db, sid, recorded)
        store = Store(db)
        session = Session.resume(store, sid, ManualClock(1_700_000_100.0), check_file=False)
        session.mark_resumed()
        assert store.events(sid) == session.events
        store.close()


def _other_hint_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def hint(turn: object, action: Hint) -> None:
        turn.emit("hint_given", action.role, text="新版规则的提示")  # type: ignore[attr-defined]

    monkeypatch.setattr(rules_step._Turn, "hint", hint)


def test_other_rules_that_would_have_written_another_log_are_refused(
    tmp_path: Path, tutorial: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "q.db"
    store = Store(db)
    sid = paused_session(store, tutorial)
    before = store.events(sid)
    store.close()
    monkeypatch.setattr(live, "RULES_VERSION", RULES_VERSION + 1)
    _other_hint_text(monkeypatch)
    store = Store(db)
    with pytest.raises(RulesChanged) as info:
        Session.resume(store, sid, ManualClock(), check_file=False)
    message = str(info.value)
    assert f"会话 {sid} 由规则版本 {RULES_VERSION}（Qingjing {engine.__version__}）保存" in message
    assert "第 2 个操作（hint_given）产生的事件不同：第 1 个事件（hint_given）的内容不同" in message
    assert "不能继续" in message and "报告和回顾中查看" in message
    assert store.events(sid) == before  # nothing written
    store.close()


def test_a_fold_that_changed_is_caught_by_the_stored_summary(
    tmp_path: Path, tutorial: Scenario, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "q.db"
    store = Store(db)
    sid = paused_session(store, tutorial)
    store.close()
    set_recorded_version(db, sid, None)

    def started(state: rules_state.State, event: rules_state.Event) -> None:
        real(state, event)
        state.score += 5  # a new rule: every team starts with five points more

    real = rules_state._APPLY["session_started"]
    monkeypatch.setitem(rules_state._APPLY, "session_started", started)
    store = Store(db)
    with pytest.raises(
        RulesChanged,
        match=r"未记录规则版本的旧版程序.*保存.*第 1 个操作之后的状态不同：保存的是 active/0 分，重放得到 active/5 分",
    ):
        Session.resume(store, sid, ManualClock(), check_file=False)
    store.close()


@pytest.mark.slow
def test_resume_command_explains_a_refusal_without_a_traceback(tmp_path: Path, tutorial: Scenario) -> None:
    db = tmp_path / "q.db"
    store = Store(db)
    sid = paused_session(store, tutorial)
    store.close()
    code = (
        "import sys\n"
        "from engine.rules import step\n"
        "from engine.session import live\n"
        f"live.RULES_VERSION = {RULES_VERSION + 1}\n"
        "step._Turn.hint = lambda turn, action: turn.emit('hint_given', action.role, text='新提示')\n"
        "from engine.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, "resume", sid[:6], "--db", str(db), "--simulated-clock"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        input="q\n",
    )
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.startswith(f"错误：会话 {sid} 由规则版本 {RULES_VERSION}"), out.stderr


@pytest.mark.parametrize("name", ["tutorial", "yida_1921"])
def test_todays_rules_replay_todays_logs_exactly(tmp_path: Path, name: str) -> None:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    store = Store(tmp_path / "q.db", synchronous="OFF")
    for seed in range(15):
        result = play_bot_session(scenario, ("random", "careful", "expert")[seed % 3], seed=seed, store=store)
        assert result.session_id
    for row in store.sessions():
        assert replay_difference(scenario, store.steps(row.id)) == ""
    store.close()
