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
from engine.tools.balance import role_decisions
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


def traps_teach_briefly(s: Scenario) -> None:
    for site in s.traps.values():
        trap = site.trap
        assert trap.source, trap.id
        sentences = [p for p in re.split(r"[。！？]", trap.explanation) if p.strip()]
        assert 1 <= len(sentences) <= 3, (trap.id, sentences)


def test_every_trap_teaches_briefly_with_a_source(yida: Scenario) -> None:
    traps_teach_briefly(yida)


def test_disputed_points_are_never_stated(yida: Scenario) -> None:
    """The South Lake date and who was absent on 30 July are disputed: the story names neither."""
    playable = "\n".join(
        [n.text for n in yida.nodes.values()]
        + [c.text + (c.feedback or "") for n in yida.nodes.values() for c in n.choices]
        + [site.trap.explanation for site in yida.traps.values()]
        + [e.text for e in yida.events.values()]
        + [e.text for e in yida.endings.values()]
        + [r.brief for r in yida.roles.values()]
        + [
            t
            for item in yida.data.quiz
            for t in (item.question, item.explanation, *(o.text for o in item.options))
        ]
    )
    assert not re.search(r"7月31日|8月\d+日|8月初|因病", playable)


def quiz_tied_to_traps(s: Scenario, at_least: int) -> None:
    """The knowledge check: enough items, each on its own trap, citing that trap's published work."""
    items = s.data.quiz
    assert len(items) >= at_least
    assert len({item.trap for item in items}) == len(items), "one item per misconception"
    for item in items:
        trap = s.traps[item.trap].trap
        assert sum(o.correct for o in item.options) == 1 and len(item.options) == 4, item.id
        assert item.source.split("；")[0] in (trap.source or ""), item.id  # the trap's own source
        sentences = [p for p in re.split(r"[。！？]", item.explanation) if p.strip()]
        assert 1 <= len(sentences) <= 2, item.id


def test_the_knowledge_check_asks_about_the_traps(yida: Scenario) -> None:
    quiz_tied_to_traps(yida, 10)


def test_people_are_only_where_history_puts_them(yida: Scenario) -> None:
    """李汉俊 stayed in Shanghai: none of his tasks happens on the boat."""
    on_boat = _downstream_of_event(yida, "boarding")
    assert on_boat
    assert all(yida.tasks[t].role != "lihanjun" for t in on_boat)


# --- scripted team playthroughs through the text mode -------------------------------------------
# Role numbers follow the scenario's role order: 1 李汉俊, 2 张国焘, 3 李达, 4 毛泽东.
# Choice numbers are those shown on screen (a sprung trap's choice disappears). The right answer
# is not always the first option, so these scripts also pin the positions the file uses today.

PERFECT = [
    "1 2", "3 2", "2 1", "4 2",  # open the session; 毛泽东 starts the minutes -> the stranger
    "1 1", "2 2", "3 1", "4 1",  # question him, heed 马林, disperse, take the papers -> the search
    "1 1", "1 2", "1 1",  # face the police, send word
    "3 2", "3 1", "3 1", "2 1", "4 1",  # South Lake, notify, 张国焘 and 毛泽东 travel -> the boat
    "3 2", "3 1", "4 1", "2 2", "4 2", "2 1", "2 2",  # lookout + mahjong, minutes, programme, cover, elect
]  # fmt: skip

STEADY = [
    "1 1",  # 维经斯基: lock-out (the loop waits it out)
    "3 2", "1 1", "2 1",
    "4 1",  # 7月1日: penalty
    "4 1", "1 1", "2 2", "3 1", "4 1", "1 1", "1 2", "1 1",
    "3 1",  # 杭州西湖: lock-out
    "3 1", "3 1", "3 1", "2 1", "4 1", "3 2", "3 1", "4 1", "2 2", "4 2", "2 1",
    "2 1",  # “总书记”陈独秀: step back to the organ question
    "2 1", "2 1",
]  # fmt: skip

AT_COST = [
    "1 2", "3 2", "2 1", "4 2", "1 1", "2 2", "3 1",
    "4 2",  # 文件留在会场: flag + remedial task for 李汉俊, the search waits for it
    "1 1",  # 李汉俊 hides the papers
    "1 1", "1 2",
    "1 2",  # 回到原址: flag + remedial task for 李达, his notice waits for it
    "3 1",  # 李达 recalls the wrong notice
    "3 2", "3 1", "3 1", "2 1", "4 1",
    "3 2", "3 2",  # no mahjong on the table
    "4 1", "2 2", "4 2", "2 1", "2 2",
]  # fmt: skip

COMPROMISED = [
    "1 2", "3 2", "2 1", "4 2", "1 1",
    "2 1",  # 继续开会: alarm 1, lock-out
    "2 1", "3 1",
    "4 2",  # 文件留在会场: alarm 2
    "1 1", "1 1",
    "1 1",  # 与巡捕辩论: alarm 3 -> the meeting is compromised
]  # fmt: skip


def play_text(
    scenario: Scenario, store: Store, assign: dict[str, str], lines: list[str]
) -> tuple[Session, str]:
    """A whole team at one terminal, its inputs scripted: the session and everything printed."""
    session = Session.start(scenario, store, "测试队", assign, ManualClock())
    out = io.StringIO()
    assert play(session, io.StringIO("".join(line + "\n" for line in lines)), out) == 0
    return session, out.getvalue()


def run_text(scenario: Scenario, store: Store, lines: list[str]) -> tuple[Session, str]:
    return play_text(scenario, store, ASSIGN, lines)


def play_to(
    scenario: Scenario, store: Store, assign: dict[str, str], lines: list[str], ending: str
) -> tuple[State, str]:
    """Play the script; it must reach ``ending`` with every input accepted."""
    session, out = play_text(scenario, store, assign, lines)
    assert session.state.ending == ending, out[-2000:]
    assert "✗" not in out  # every input was accepted
    return session.state, out


def test_perfect_playthrough_reaches_red_boat(yida: Scenario, store: Store) -> None:
    st, out = play_to(yida, store, ASSIGN, PERFECT, "red_boat")
    assert st.sprung == []
    for title in ("不速之客", "巡捕搜查", "南湖上的游船"):
        assert f"📢 团队事件 · 全体注意：{title}" in out
    assert "等待 李汉俊 完成《开门迎客》" in out  # the screen says whom a role waits for
    assert "══ 结局：红船启航 ══" in out


def test_steady_playthrough_springs_lockout_penalty_and_step_back(yida: Scenario, store: Store) -> None:
    st, out = play_to(yida, store, ASSIGN, STEADY, "steady")
    assert st.sprung == ["voitinsky", "july_first", "hangzhou", "general_secretary"]
    assert "李汉俊 锁定 20 秒" in out
    assert "退回上一步重新选择" in out
    assert "历史讲解：一大选出的中央局设书记" in out


def test_at_cost_playthrough_uses_team_wide_remedial_tasks(yida: Scenario, store: Store) -> None:
    st, out = play_to(yida, store, ASSIGN, AT_COST, "at_cost")
    assert set(st.sprung) == {"leave_papers", "back_to_venue"}
    assert {"lhj_hide_papers", "ld_recall"} <= set(st.done)
    assert st.flags["alarm"] == 2 and "net_tightens" in st.fired
    assert "新增补救任务：《补救：藏起留下的文件》" in out
    assert "等待 李达 完成《通知转移》《补救：追回错误的通知》，已等" in out  # one role named once


def test_compromised_playthrough_ends_early(yida: Scenario, store: Store) -> None:
    st, out = play_to(yida, store, ASSIGN, COMPROMISED, "compromised")
    assert "zgt_elect" not in st.done
    assert set(st.sprung) == {"keep_meeting", "leave_papers", "argue_theory"}
    assert "══ 结局：会议暴露 ══" in out


def test_the_intrusion_cuts_off_the_minutes(yida: Scenario, store: Store) -> None:
    session, out = run_text(yida, store, PERFECT[:4])
    assert "mao_minutes" in session.state.cancelled
    assert "《会议记录》被迫中断" in out


@pytest.mark.slow
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


def bot_teams_reach_everything(s: Scenario) -> Counter[str]:
    """100 bot teams per policy: none stuck; every ending, trap and task reached. Ending counts."""
    endings: Counter[str] = Counter()
    traps: set[str] = set()
    tasks: set[str] = set()
    for policy in POLICIES:
        for seed in range(100):
            result = play_bot_session(s, policy, seed)
            st = result.state
            assert st.status == "ended", (policy, seed, st.status)
            assert st.ending is not None and holds(s.endings[st.ending].when, st)
            endings[st.ending] += 1
            traps.update(st.sprung)
            tasks.update(e.data["task"] for e in result.events if e.kind == "task_opened")
    assert set(endings) == set(s.endings)
    assert traps == set(s.traps)
    assert tasks == set(s.tasks)  # every task was opened by some team
    return endings


def skips_never_strand(s: Scenario, assign: dict[str, str], seed: int) -> None:
    """`!skip` finishes a task without its choices (so without the flags they set): no dead-lock."""
    rng = random.Random(seed)
    for _ in range(200):
        now = 1_000.0
        _, st = step(s, State(), Start("队", assign), now)
        skip_rate = rng.choice([0.1, 0.3, 1.0])
        while st.status == "active":
            holding = [r for r, rs in st.roles.items() if rs.task is not None]
            role = rng.choice(holding)
            rs = st.roles[role]
            now = max(now + rng.uniform(0, 30), rs.locked_until)
            if rng.random() < skip_rate:
                action: Skip | Choose = Skip(role)
            else:
                action = Choose(role, rng.choice(visible_choices(s, st, rs.task, rs.node)), rs.node)
            _, st = step(s, st, action, now)
        assert st.status == "ended", st


def test_bot_teams_reach_everything_and_never_deadlock(yida: Scenario) -> None:
    endings = bot_teams_reach_everything(yida)
    assert endings["red_boat"] and endings["compromised"]


def test_facilitator_skips_never_strand_the_team(yida: Scenario) -> None:
    skips_never_strand(yida, ASSIGN, 1921)


# --- history as a teacher can sign it off -------------------------------------------------------

MARK = "（推演）"


def player_texts(s: Scenario) -> list[str]:
    """Every string a player or the debrief shows (author-only descriptions left out)."""
    d = s.data
    out = [d.scenario.title, d.scenario.summary]
    out += [x for r in d.roles for x in (r.name, r.title or "", r.brief)]
    out += [f.display for f in d.flags if f.display]
    for task in d.tasks:
        out += [task.title, task.goal or ""]
        for node in task.nodes:
            out += [node.text, node.hint or ""]
            for c in node.choices:
                out += [c.text, c.feedback or ""]
                if c.trap is not None:
                    out += [c.trap.title, c.trap.explanation, c.trap.source or ""]
    out += [x for e in d.events for x in (e.title, e.text)]
    out += [x for e in d.endings for x in (e.title, e.text)]
    for item in d.quiz:
        out += [item.question, *(o.text for o in item.options), item.explanation, item.source]
    return [t for t in out if t]


def invented_scenes(s: Scenario) -> list[str]:
    """Narration the game makes up: remedial scenes, relayed messages, the danger meter's events."""
    texts = [n.text for t in s.tasks.values() if t.remedial for n in t.nodes]
    texts += [s.node("lhj_report", "start").text, s.node("mao_cover", "start").text]
    texts += [s.events["net_tightens"].text, s.endings["compromised"].text]
    return texts


def marked_consistently(s: Scenario, invented: list[str]) -> None:
    """Invented narration starts with the mark; the mark has one spelling; labels use full-width brackets."""
    for text in invented:
        assert text.strip().startswith(MARK), text
    assert MARK in s.data.scenario.summary  # the intro tells players what the mark means
    for text in player_texts(s):  # one spelling everywhere, so players learn a single sign
        assert "推演" not in text.replace(MARK, ""), text
        assert "(" not in text and ")" not in text, text


def test_invented_scenes_carry_one_visible_marker(yida: Scenario) -> None:
    marked_consistently(yida, invented_scenes(yida))


def test_the_danger_meter_ends_where_the_meeting_is_exposed(yida: Scenario) -> None:
    (alarm,) = [f for f in yida.data.flags if f.display]
    assert (alarm.id, alarm.display, alarm.limit) == ("alarm", "危险", 3)
    assert yida.data.endings[-1].when.model_dump(exclude_none=True) == {"flag": "alarm", "gte": 3}


def test_every_role_has_four_real_decisions(yida: Scenario) -> None:
    counts = role_decisions(yida)
    assert min(counts.values()) >= 4, counts


def right_answer_positions(s: Scenario) -> Counter[int]:
    """Where (0-based, among unconditional choices) the best non-trap answer sits at trap nodes."""
    positions: Counter[int] = Counter()
    for node in s.nodes.values():
        shown = [c for c in node.choices if c.when is None]
        if len(shown) >= 2 and any(c.trap for c in shown):
            best = max(c.points for c in shown if c.trap is None)
            positions[next(i for i, c in enumerate(shown) if c.trap is None and c.points == best)] += 1
    return positions


def test_right_answers_are_not_always_first(yida: Scenario) -> None:
    positions = right_answer_positions(yida)
    assert len(positions) >= 2 and positions[0] <= 0.6 * sum(positions.values()), positions


def traps_cite_published_works(s: Scenario) -> None:
    for site in s.traps.values():
        source = site.trap.source or ""
        assert "史实参考" not in source and "史实表" not in source and "Qingjing" not in source, site.trap.id
        assert "《" in source or "http" in source, site.trap.id


def test_every_trap_cites_a_published_work(yida: Scenario) -> None:
    traps_cite_published_works(yida)
    assert "《中共一大史实参考》" not in yida.text  # the project's fact sheet is not a book


def test_people_are_shown_as_history_has_them(yida: Scenario) -> None:
    briefs = {r.id: r.brief for r in yida.roles.values()}
    assert all("【人物小传】" in b for b in briefs.values())
    assert "1938年" in briefs["zhangguotao"] and "投靠国民党" in briefs["zhangguotao"]
    assert "陈公博" in briefs["lihanjun"] and "汉奸" in briefs["lihanjun"]
    assert "周佛海" in briefs["maozedong"] and "汉奸" in briefs["maozedong"]
    # 张国焘 chairs the sessions; the call to stop was 马林's, the notice of the move 李达's.
    zgt = "\n".join(n.text for t in yida.tasks.values() if t.role == "zhangguotao" for n in t.nodes)
    assert "你是主持人——" not in zgt and "你负责通知" not in zgt
    assert yida.tasks["ld_notify"].role == "lida" and "comintern_to_lake" in {
        c.trap.id for n in yida.tasks["ld_notify"].nodes for c in n.choices if c.trap
    }


def test_known_errors_stay_fixed(yida: Scenario) -> None:
    text = "\n".join(player_texts(yida))
    assert "上海本地人" not in text  # 李达 was from 湖南
    assert "李汉俊、陈公博也留在上海" not in text  # 陈公博 went to 杭州
    assert "其余代表" not in text  # 何叔衡's presence on the boat is disputed
    assert "程子卿" in text and "据后来考证" in text
    assert "两辆车" not in text and "十来个巡捕" not in text
    assert "先去嘉兴租" not in text and "已经租好" not in text  # who reached 嘉兴 first is disputed
    boarding = yida.events["boarding"].text
    assert "回忆，李汉俊也没有来" in boarding  # his absence is recollection, not settled fact
    host = yida.node("lhj_host", "start")
    assert any("尼克尔斯基" in (c.feedback or "") for c in host.choices if c.trap is None)
    cc = yida.traps["central_committee"]
    assert yida.node(cc.task, cc.node).choices[cc.choice].text == "中央委员会"
    assert "五大" in cc.trap.explanation and "中央执行委员会" in cc.trap.explanation


def test_the_title_note_explains_the_borrowed_phrase(yida: Scenario) -> None:
    summary = yida.data.scenario.summary
    assert "沿用本活动原来的名称" in summary and "《诗经·豳风·七月》" in summary and "转凉" in summary


def guide_states_the_real_figures(s: Scenario, guide_name: str) -> None:
    """The scenario's guide gives today's counts, and every trap has a row in its table."""
    guide = (ROOT / "docs" / guide_name).read_text(encoding="utf-8")
    main = sum(not t.remedial for t in s.tasks.values())
    line = (
        f"{len(s.roles)} 个角色、{len(s.tasks)} 个任务（{main} 个主线 + {len(s.tasks) - main} 个补救）、"
        f"{len(s.traps)} 个陷阱、{len(s.events)} 个团队事件、{len(s.endings)} 个结局"
    )
    assert line in guide
    for trap_id in s.traps:
        assert f"| {trap_id} |" in guide, trap_id


def test_the_scenario_guide_states_the_real_figures(yida: Scenario) -> None:
    guide_states_the_real_figures(yida, "scenario_1921.md")
