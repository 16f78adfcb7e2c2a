"""The flagship scenario 七月流火·1921: valid, as rich as issue 3 asks, playable to every ending.

Playthroughs go through the real text mode (the same loop a terminal team uses), bots play many
whole sessions, and the content counts are computed from the loaded scenario, not written down.
"""

from __future__ import annotations

import io
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from engine.format.catalog import default_scenario
from engine.format.checks import iter_conditions
from engine.format.conditions import holds
from engine.format.loader import check_file, load_scenario
from engine.format.model import Condition, EventCondition, TaskDoneCondition
from engine.format.scenario import Scenario
from engine.rules.state import State
from engine.rules.step import Choose, Skip, Start, step, visible_choices
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store
from engine.terminal.console import play
from engine.tools.bots import POLICIES, play_bot_session

ROOT = Path(__file__).resolve().parent.parent
YIDA = ROOT / "scenarios" / "yida_1921.yaml"
ASSIGN = {"lihanjun": "甲", "zhangguotao": "乙", "lida": "丙", "maozedong": "丁"}


@pytest.fixture(scope="module")
def yida() -> Scenario:
    return load_scenario(YIDA)


# --- the file and its content ------------------------------------------------------------------


def test_validates_without_errors_or_warnings() -> None:
    assert check_file(YIDA) == []


def test_default_scenario_is_the_flagship() -> None:
    assert default_scenario() == YIDA


def _task_refs(cond: Condition | None) -> set[str]:
    if cond is None:
        return set()
    return {c.task_done for c, _ in iter_conditions(cond, ()) if isinstance(c, TaskDoneCondition)}


def _event_refs(cond: Condition | None) -> set[str]:
    if cond is None:
        return set()
    return {c.event for c, _ in iter_conditions(cond, ()) if isinstance(c, EventCondition)}


def _downstream_of_event(s: Scenario, event_id: str) -> set[str]:
    """Tasks the event changes: those it cancels or opens, and every task waiting on it (transitively)."""
    event = s.events[event_id]
    hit = set(event.cancel_tasks) | set(event.open_tasks)
    hit |= {t.id for t in s.tasks.values() if event_id in _event_refs(t.requires)}
    changed = True
    while changed:
        changed = False
        for task in s.tasks.values():
            if task.id not in hit and _task_refs(task.requires) & hit:
                hit.add(task.id)
                changed = True
    return hit


def test_content_is_as_rich_as_the_issue_asks(yida: Scenario) -> None:
    s = yida
    assert len(s.roles) == 4
    main_tasks = [t for t in s.tasks.values() if not t.remedial]
    for role in s.roles:
        assert sum(t.role == role for t in main_tasks) >= 3, role
    assert len(s.tasks) >= 12
    cross = {
        (task.id, dep)
        for task in s.tasks.values()
        for dep in _task_refs(task.requires)
        if s.tasks[dep].role != task.role
    }
    assert len(cross) >= 6
    traps = [site.trap for site in s.traps.values()]
    assert len(traps) >= 10
    assert any(t.penalty for t in traps)
    assert any(t.lockout_seconds for t in traps)
    assert any(t.step_back for t in traps)
    team_wide = [t for t in traps if t.open_tasks and (t.set or t.add)]
    assert team_wide, "a trap must set a flag and open a remedial task"
    # ... and some other role's task depends on what that trap opened.
    opened = {task for t in team_wide for task in t.open_tasks}
    assert any(
        _task_refs(t.requires) & opened and t.role not in {s.tasks[o].role for o in opened}
        for t in s.tasks.values()
    )
    assert len(s.endings) >= 3
    assert len(s.events) >= 1
    # The intrusion changes every role's situation.
    touched = _downstream_of_event(s, "intrusion")
    assert {s.tasks[t].role for t in touched} == set(s.roles)
    assert s.events["intrusion"].cancel_tasks


def test_every_trap_teaches_briefly_with_a_source(yida: Scenario) -> None:
    for site in yida.traps.values():
        trap = site.trap
        assert trap.source, trap.id
        sentences = [p for p in re.split(r"[。！？]", trap.explanation) if p.strip()]
        assert 1 <= len(sentences) <= 3, (trap.id, sentences)


def test_disputed_points_are_never_stated(yida: Scenario) -> None:
    """The South Lake date and who was absent on 30 July are disputed: the story names neither."""
    playable = "\n".join(
        [n.text for n in yida.nodes.values()]
        + [c.text + (c.feedback or "") for n in yida.nodes.values() for c in n.choices]
        + [site.trap.explanation for site in yida.traps.values()]
        + [e.text for e in yida.events.values()]
        + [e.text for e in yida.endings.values()]
        + [r.brief for r in yida.roles.values()]
    )
    assert not re.search(r"7月31日|8月\d+日|8月初|因病", playable)


def test_people_are_only_where_history_puts_them(yida: Scenario) -> None:
    """李汉俊 stayed in Shanghai: none of his tasks happens on the boat."""
    on_boat = _downstream_of_event(yida, "boarding")
    assert on_boat
    assert all(yida.tasks[t].role != "lihanjun" for t in on_boat)


# --- scripted team playthroughs through the text mode -------------------------------------------
# Role numbers follow the scenario's role order: 1 李汉俊, 2 张国焘, 3 李达, 4 毛泽东.
# Choice numbers are those shown on screen (a sprung trap's choice disappears).

PERFECT = [
    "1 1", "3 1", "2 1", "4 1",  # open the session; 毛泽东 starts the minutes -> the stranger
    "1 1", "2 1", "3 1", "4 1",  # question him, stop, disperse, take the papers -> the search
    "1 1", "1 1", "1 1",  # face the police, send word
    "3 1", "3 1", "2 1", "4 1", "1 1",  # South Lake, notify, travel, 李汉俊 stays -> the boat
    "3 1", "3 1", "2 1", "4 1", "2 1", "2 1",  # lookout + mahjong, programme, cover, elect
]  # fmt: skip

STEADY = [
    "1 2",  # 维经斯基: lock-out (the loop waits it out)
    "3 1", "1 1", "2 1",
    "4 2",  # 7月1日: penalty
    "4 1", "1 1", "2 1", "3 1", "4 1", "1 1", "1 1", "1 1",
    "3 2",  # 杭州西湖: lock-out
    "3 1", "3 1", "2 1", "4 1", "1 1", "3 1", "3 1", "2 1", "4 1", "2 1",
    "2 2",  # 李大钊任书记: step back to the organ question
    "2 1", "2 1",
]  # fmt: skip

AT_COST = [
    "1 1", "3 1", "2 1", "4 1", "1 1", "2 1", "3 1",
    "4 2",  # 文件留在会场: flag + remedial task for 李汉俊, the search waits for it
    "1 1",  # 李汉俊 hides the papers
    "1 1", "1 1",
    "1 2",  # 回到原址: flag + remedial task for 李达, 张国焘's notice waits for it
    "3 1",  # 李达 recalls the wrong notice
    "3 1", "3 1", "2 1", "4 1", "1 1",
    "3 1", "3 2",  # no mahjong on the table
    "2 1", "4 1", "2 1", "2 1",
]  # fmt: skip

COMPROMISED = [
    "1 1", "3 1", "2 1", "4 1", "1 1",
    "2 2",  # 继续开会: alarm 1, lock-out
    "2 1", "3 1", "4 1", "1 1",
    "1 2",  # 向巡捕说出真相: alarm 3 -> the meeting is compromised
]  # fmt: skip


def run_text(scenario: Scenario, store: Store, lines: list[str]) -> tuple[Session, str]:
    session = Session.start(scenario, store, "测试队", ASSIGN, ManualClock())
    out = io.StringIO()
    assert play(session, io.StringIO("".join(line + "\n" for line in lines)), out) == 0
    return session, out.getvalue()


def test_perfect_playthrough_reaches_red_boat(yida: Scenario, store: Store) -> None:
    session, out = run_text(yida, store, PERFECT)
    st = session.state
    assert st.ending == "red_boat", out[-2000:]
    assert st.sprung == []
    assert "✗" not in out  # every input was accepted
    for title in ("不速之客", "巡捕搜查", "南湖上的游船"):
        assert f"📢 团队事件 · 全体注意：{title}" in out
    assert "等待 李汉俊 完成《开门迎客》" in out  # the screen says whom a role waits for
    assert "══ 结局：红船启航 ══" in out


def test_steady_playthrough_springs_lockout_penalty_and_step_back(yida: Scenario, store: Store) -> None:
    session, out = run_text(yida, store, STEADY)
    st = session.state
    assert st.ending == "steady", out[-2000:]
    assert st.sprung == ["voitinsky", "july_first", "hangzhou", "li_dazhao_secretary"]
    assert "✗" not in out
    assert "李汉俊 锁定 20 秒" in out
    assert "退回上一步重新选择" in out
    assert "历史讲解：李大钊当时在北京" in out


def test_at_cost_playthrough_uses_team_wide_remedial_tasks(yida: Scenario, store: Store) -> None:
    session, out = run_text(yida, store, AT_COST)
    st = session.state
    assert st.ending == "at_cost", out[-2000:]
    assert set(st.sprung) == {"leave_papers", "back_to_venue"}
    assert {"lhj_hide_papers", "ld_recall"} <= set(st.done)
    assert st.flags["alarm"] == 2 and "net_tightens" in st.fired
    assert "新增补救任务：《补救：藏起留下的文件》" in out
    assert "等待 李达 完成《商定续会地点》《补救：追回错误的通知》，已等" in out  # one role named once
    assert "✗" not in out


def test_compromised_playthrough_ends_early(yida: Scenario, store: Store) -> None:
    session, out = run_text(yida, store, COMPROMISED)
    st = session.state
    assert st.ending == "compromised", out[-2000:]
    assert "zgt_elect" not in st.done
    assert "══ 结局：会议暴露 ══" in out
    assert "✗" not in out


def test_the_intrusion_cuts_off_the_minutes(yida: Scenario, store: Store) -> None:
    session, out = run_text(yida, store, PERFECT[:4])
    assert "mao_minutes" in session.state.cancelled
    assert "《会议记录》被迫中断" in out


def test_default_text_command_opens_the_flagship(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    result = subprocess.run(
        [sys.executable, "play.py", "text", "--players", "甲,乙,丙,丁", "--db", db, "--simulated-clock"],
        cwd=ROOT,
        input="q\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "══ 七月流火·1921 ══" in result.stdout


# --- many bot teams ----------------------------------------------------------------------------


def test_bot_teams_reach_everything_and_never_deadlock(yida: Scenario) -> None:
    endings: Counter[str] = Counter()
    traps: set[str] = set()
    tasks: set[str] = set()
    for policy in POLICIES:
        for seed in range(100):
            result = play_bot_session(yida, policy, seed)
            st = result.state
            assert st.status == "ended", (policy, seed, st.status)
            assert st.ending is not None and holds(yida.endings[st.ending].when, st)
            endings[st.ending] += 1
            traps.update(st.sprung)
            tasks.update(e.data["task"] for e in result.events if e.kind == "task_opened")
    assert set(endings) == set(yida.endings)
    assert traps == set(yida.traps)
    assert tasks == set(yida.tasks)  # every task was opened by some team
    assert endings["red_boat"] and endings["compromised"]


def test_facilitator_skips_never_strand_the_team(yida: Scenario) -> None:
    """`!skip` finishes a task without its choices (so without the flags they set): no dead-lock."""
    rng = random.Random(1921)
    for _ in range(200):
        now = 1_000.0
        _, st = step(yida, State(), Start("队", ASSIGN), now)
        skip_rate = rng.choice([0.1, 0.3, 1.0])
        while st.status == "active":
            holding = [r for r, rs in st.roles.items() if rs.task is not None]
            role = rng.choice(holding)
            rs = st.roles[role]
            now = max(now + rng.uniform(0, 30), rs.locked_until)
            if rng.random() < skip_rate:
                action: Skip | Choose = Skip(role)
            else:
                action = Choose(role, rng.choice(visible_choices(yida, st, rs.task, rs.node)), rs.node)
            _, st = step(yida, st, action, now)
        assert st.status == "ended", st
