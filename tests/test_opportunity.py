"""A role's opportunity (engine/review/opportunity.py) and the fair honor wall that ranks by it."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.format.loader import load_scenario, parse_scenario
from engine.review.cohort import cohort_metrics, honor_wall, player_table
from engine.review.metrics import session_metrics
from engine.review.opportunity import role_opportunity, task_best
from engine.tools.bots import play_bot_session

ROOT = Path(__file__).resolve().parent.parent

LOOPY = """
scenario: {id: loopy, title: 绕圈, summary: 测试}
roles:
  - {id: a, name: 甲, brief: 甲}
  - {id: b, name: 乙, brief: 乙}
tasks:
  - id: t1
    role: a
    title: 任务一
    points: 10
    nodes:
      - id: n1
        text: 开始
        choices:
          - {text: 稳妥, goto: n2, points: 5}
          - {text: 冒进, goto: n3, points: 1}
          - text: 陷阱
            points: 50
            complete: done
            trap: {id: tr, title: 错, explanation: 讲解}
      - id: n2
        text: 中间
        choices:
          - {text: 回头, goto: n1, points: 3}
          - {text: 完成, complete: done}
      - id: n3
        text: 另一条
        choices:
          - {text: 加分完成, complete: done, points: 2}
  - id: t2
    role: a
    title: 补救
    remedial: true
    nodes:
      - id: m1
        text: 补救
        choices:
          - {text: 做完, complete: done, points: 4}
  - id: t3
    role: b
    title: 任务三
    nodes:
      - id: k1
        text: 乙的事
        choices:
          - {text: 做完, complete: done}
endings:
  - {id: end, title: 结束, text: 结束, when: {task_done: t3}}
"""


def test_best_path_skips_traps_and_counts_a_loop_once() -> None:
    s = parse_scenario(LOOPY, "loopy.yaml")
    # n1 -5-> n2 -> complete (+10) = 15 beats n1 -1-> n3 -2-> complete (+10) = 13; the trap's 50 never counts
    assert task_best(s, "t1") == 15
    assert task_best(s, "t2") == 14
    # the remedial task is not every team's: only the regular tasks make the role's opportunity
    assert dict(role_opportunity(s)) == {"a": 15, "b": 10}


@pytest.mark.parametrize("name", ["tutorial", "yida_1921", "zunyi_1935"])
def test_a_team_that_plays_for_points_reaches_every_roles_opportunity(name: str) -> None:
    """The expert bots take the richest trap-free choice everywhere: a role scores exactly its
    opportunity unless the story cancelled one of its tasks before it was done (in 七月流火 the
    intrusion cuts the minutes short if 毛泽东 is still writing), so the opportunity is neither too
    low nor out of reach."""
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    reached = 0
    for seed in range(4):
        events = play_bot_session(scenario, "expert", seed=seed).events
        m = session_metrics(scenario, events, "x")
        assert m.status == "ended"
        cut = {scenario.tasks[e.data["task"]].role for e in events if e.kind == "task_cancelled"}
        for role, rm in m.roles.items():
            assert rm.opportunity > 0
            if role in cut:
                assert rm.own_points < rm.opportunity
            else:
                assert rm.own_points == rm.opportunity, (seed, role)
                reached += 1
    assert reached >= 3 * len(scenario.roles)


def test_honor_wall_is_fair_across_roles(tutorial) -> None:  # type: ignore[no-untyped-def]
    """李汉俊 has one task (10 points), 李达 two (30): a perfect 李汉俊 outranks a 李达 who
    scored more points but missed some, although raw 积分 would put 李达 first."""
    sessions = []
    for seed in range(40):
        m = session_metrics(tutorial, play_bot_session(tutorial, "random", seed=seed).events, f"s{seed}")
        sessions.append(m)
    perfect_lihanjun = next(
        m for m in sessions if m.roles["lihanjun"].own_points == m.roles["lihanjun"].opportunity
    )
    weaker_lida = next(
        m
        for m in sessions
        if m.roles["lida"].opportunity
        > m.roles["lida"].own_points
        > perfect_lihanjun.roles["lihanjun"].own_points
    )
    a = {"lihanjun": "王短", "lida": "甲", "wanghuiwu": "乙"}
    b = {"lihanjun": "丙", "lida": "李长", "wanghuiwu": "丁"}
    perfect_lihanjun.players.update(a)
    weaker_lida.players.update(b)
    for m, names in ((perfect_lihanjun, a), (weaker_lida, b)):
        for role, rm in m.roles.items():
            rm.player = names[role]
    players = player_table([perfect_lihanjun, weaker_lida])
    points = {p.player: p.points for p in players}
    wall = [p.player for p in honor_wall(players)]
    assert points["李长"] - weaker_lida.ending_bonus > points["王短"] - perfect_lihanjun.ending_bonus
    assert wall.index("王短") < wall.index("李长")
    short = next(p for p in players if p.player == "王短")
    assert short.rate == 1.0 and short.opportunity == 10
    assert (
        cohort_metrics([perfect_lihanjun, weaker_lida], {tutorial.hash: tutorial}).honor_wall[0].rate == 1.0
    )
