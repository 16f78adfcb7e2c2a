"""Input -> action (engine.present.inputs): the same choice numbers, commands and refusals for
the desktop, text mode and the web host."""

from __future__ import annotations

import pytest

from engine.format.scenario import Scenario
from engine.present.inputs import Command, Refused, choose, facilitator, parse_line
from engine.present.view import TeamView, team_view
from engine.rules.state import State
from engine.rules.step import Abandon, Choose, Hint, Pause, Skip, Start, Unpause, step

ASSIGN = {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"}


def started(tutorial: Scenario) -> State:
    return step(tutorial, State(), Start("队", ASSIGN), 0.0)[1]


def view(tutorial: Scenario, state: State, now: float = 0.0) -> TeamView:
    return team_view(tutorial, state, now)


def test_a_choice_number_is_the_one_shown(tutorial: Scenario) -> None:
    state = started(tutorial)
    state = step(tutorial, state, Choose("lida", 1, "start"), 1.0)[1]  # a trap: its choice is gone
    team = view(tutorial, state, 1.0)
    assert [c.number for c in team.roles[0].choices] == [1]
    assert choose(team, 0, 1) == Choose("lida", 0, "start")
    with pytest.raises(Refused, match=r"^李达 没有第 2 项；请在 1 到 1 之间选择$"):
        choose(team, 0, 2)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("", Command("nothing")),
        ("q", Command("quit")),
        ("帮助", Command("help")),
        ("s", Command("status")),
        ("2 1", Command("act", Choose("wanghuiwu", 0, "start"))),
        ("1,2", Command("act", Choose("lida", 1, "start"))),
        ("!pause", Command("act", Pause())),
        ("!go", Command("act", Unpause())),
        ("!hint 3", Command("act", Hint("lihanjun"))),
        ("!skip 2", Command("act", Skip("wanghuiwu"))),
        ("!end", Command("act", Abandon("主持人结束会话"))),
    ],
)
def test_text_mode_lines(tutorial: Scenario, line: str, expected: Command) -> None:
    assert parse_line(line, view(tutorial, started(tutorial))) == expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("9 9", "角色号应在 1 到 3 之间"),
        ("hello", "看不懂这个输入；请输入 “角色号 选项号”，或 h 查看帮助"),
        ("1", "现在有多个角色可以行动，请输入 “角色号 选项号”"),
        ("3 1", "李汉俊 还在等待 李达 完成《致信各地》；王会悟 完成《安排住处》"),
        ("!hint", "主持人命令：!hint 角色号 / !skip 角色号 / !pause / !go / !end"),
        ("!pause 2", "主持人命令：!hint 角色号 / !skip 角色号 / !pause / !go / !end"),
        ("!dance", "主持人命令：!hint 角色号 / !skip 角色号 / !pause / !go / !end"),
        ("!skip 7", "角色号应在 1 到 3 之间"),
    ],
)
def test_text_mode_refusals(tutorial: Scenario, line: str, message: str) -> None:
    with pytest.raises(Refused) as refused:
        parse_line(line, view(tutorial, started(tutorial)))
    assert str(refused.value) == message


def test_paused_and_locked_roles_are_refused_with_the_countdown_shown(tutorial: Scenario) -> None:
    state = started(tutorial)
    for at, action in [
        (1.0, Choose("lida", 0, "start")),
        (2.0, Choose("wanghuiwu", 0, "start")),
        (3.0, Choose("lihanjun", 0, "start")),
        (4.0, Choose("lihanjun", 0, "notice")),
        (5.0, Choose("lida", 1, "start")),  # locked until 25 s
    ]:
        state = step(tutorial, state, action, at)[1]
    team = view(tutorial, state, 10.8)  # 14.2 s left: shown as 15, like every screen shows it
    assert team.roles[0].locked_left == 15
    with pytest.raises(Refused, match=r"^李达 被锁定中，还需 15 秒$"):
        choose(team, 0, 1)
    paused = step(tutorial, state, Pause(), 10.8)[1]
    with pytest.raises(Refused, match=r"^会话已暂停，请主持人继续后再操作$"):
        choose(view(tutorial, paused, 11.0), 0, 1)


def test_facilitator_ops(tutorial: Scenario) -> None:
    assert facilitator("hint", "lida") == Hint("lida")
    assert facilitator("abandon") == Abandon("主持人结束会话")
    with pytest.raises(Refused, match="请选择一个角色"):
        facilitator("skip")


def test_one_rounding_of_a_lockout_everywhere(tutorial: Scenario) -> None:
    """14.0005 s left reads "15" on every screen and in the rules' refusal (it read 14 or 15)."""
    from engine.rules.step import RuleViolation
    from engine.web.payloads import team_public

    state = started(tutorial)
    events = []
    for at, action in [
        (1.0, Choose("lida", 0, "start")),
        (2.0, Choose("wanghuiwu", 0, "start")),
        (3.0, Choose("lihanjun", 0, "start")),
        (4.0, Choose("lihanjun", 0, "notice")),
        (5.0, Choose("lida", 1, "start")),
    ]:
        new, state = step(tutorial, state, action, at)
        events += new
    lida = view(tutorial, state, 10.9995).roles[0]
    assert lida.headline() == "李达（张三）：被锁定，还需 15 秒"
    assert team_public(tutorial, state, events, 10.9995)["roles"][0]["locked_left"] == 15
    with pytest.raises(RuleViolation, match="还需等待 15 秒"):
        step(tutorial, state, Choose("lida", 0, "start"), 10.9995)
