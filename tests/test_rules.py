"""The pure rules on the tutorial: opening, waiting, traps of every effect kind, events, endings."""

from __future__ import annotations

import pytest

from engine.format.scenario import Scenario
from engine.present.view import role_view, team_view
from engine.rules.state import State, fold
from engine.rules.step import (
    Abandon,
    Choose,
    Hint,
    Pause,
    RuleViolation,
    Skip,
    Start,
    Unpause,
    decide,
    step,
    visible_choices,
)

T0 = 1000.0
ASSIGN = {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"}


def start(s: Scenario) -> State:
    return step(s, State(), Start("一队", ASSIGN), T0)[1]


def pick(s: Scenario, state: State, role: str, text: str, now: float) -> tuple[list, State]:
    rs = state.roles[role]
    node = s.node(rs.task, rs.node)
    index = next(i for i, c in enumerate(node.choices) if c.text.startswith(text))
    return step(s, state, Choose(role, index, rs.node), now)


def test_start_opens_first_tasks_and_names_whom_a_role_waits_for(tutorial: Scenario) -> None:
    st = start(tutorial)
    assert st.roles["lida"].task == "send_letters"
    assert st.roles["wanghuiwu"].task == "arrange_lodging"
    wait = st.roles["lihanjun"].waiting
    assert wait is not None and wait.task == "prepare_room" and wait.since == T0
    assert wait.blockers == ("lida", "wanghuiwu")
    view = role_view(tutorial, st, "lihanjun", T0 + 42)
    assert view.status == "waiting"
    assert view.wait is not None and int(view.wait.seconds) == 42
    assert "李达 完成《致信各地》" in view.wait.sentence()


def test_waiting_narrows_then_ends_with_total_recorded(tutorial: Scenario) -> None:
    st = start(tutorial)
    _, st = pick(tutorial, st, "lida", "每地派两名代表", T0 + 10)
    assert st.roles["lihanjun"].waiting.blockers == ("wanghuiwu",)
    assert st.roles["lihanjun"].waiting.since == T0  # still the same wait
    _, st = pick(tutorial, st, "wanghuiwu", "借用放暑假", T0 + 30)
    assert st.roles["lihanjun"].task == "prepare_room"
    assert st.roles["lihanjun"].waiting is None
    assert st.roles["lihanjun"].waited_total == 30


def test_penalty_trap_costs_points_and_is_offered_only_once(tutorial: Scenario) -> None:
    st = start(tutorial)
    _, st = pick(tutorial, st, "lida", "每地派两名代表", T0 + 1)
    _, st = pick(tutorial, st, "wanghuiwu", "借用放暑假", T0 + 2)
    before = st.score
    events, st = pick(tutorial, st, "lihanjun", "7月1日", T0 + 3)
    kinds = [e.kind for e in events]
    assert "trap_sprung" in kinds
    assert st.score == before - 10
    assert st.roles["lihanjun"].node == "start"  # trap without goto stays
    offered = [
        tutorial.node("prepare_room", "start").choices[i].text
        for i in visible_choices(tutorial, st, "prepare_room", "start")
    ]
    assert offered == ["7月23日晚开幕"]


def test_step_back_trap_returns_to_the_named_node(tutorial: Scenario) -> None:
    st = start(tutorial)
    events, st = pick(tutorial, st, "lida", "只请北京", T0 + 1)
    assert [e.kind for e in events][:3] == ["choice_made", "trap_sprung", "node_entered"]
    assert events[2].data["reason"] == "step_back"
    assert st.roles["lida"].task == "send_letters" and st.roles["lida"].node == "start"


def test_lockout_blocks_until_time_passes(tutorial: Scenario) -> None:
    st = start(tutorial)
    _, st = pick(tutorial, st, "lida", "每地派两名代表", T0 + 1)
    _, st = pick(tutorial, st, "wanghuiwu", "借用放暑假", T0 + 2)
    _, st = pick(tutorial, st, "lihanjun", "7月23日", T0 + 3)
    _, st = pick(tutorial, st, "lihanjun", "由张国焘主持", T0 + 4)
    _, st = pick(tutorial, st, "lida", "迎接维经斯基", T0 + 5)
    assert st.roles["lida"].locked_until == T0 + 25
    assert role_view(tutorial, st, "lida", T0 + 6).status == "locked"
    with pytest.raises(RuleViolation, match="锁定"):
        pick(tutorial, st, "lida", "迎接马林", T0 + 10)
    _, st = pick(tutorial, st, "lida", "迎接马林", T0 + 25)
    assert "greet_comintern" in st.done


def test_team_wide_trap_sets_flag_and_opens_remedial_task_others_depend_on(tutorial: Scenario) -> None:
    st = start(tutorial)
    _, st = pick(tutorial, st, "lida", "每地派两名代表", T0 + 1)
    _events, st = pick(tutorial, st, "wanghuiwu", "让大家都住进李公馆", T0 + 2)
    assert st.flags["lodging_exposed"] is True
    assert "move_delegates" in st.activated
    assert st.done["arrange_lodging"] == "crowded"
    assert st.roles["wanghuiwu"].task == "move_delegates"
    assert st.roles["lihanjun"].waiting.missing == ("move_delegates",)
    view = team_view(tutorial, st, T0 + 2)
    assert (view.total, view.extra_total) == (5, 1)  # counted apart: the planned total stays put
    _, st = pick(tutorial, st, "wanghuiwu", "分批", T0 + 3)
    assert st.roles["lihanjun"].task == "prepare_room"


def play_clean(s: Scenario) -> State:
    st = start(s)
    for role, text in [
        ("lida", "每地派两名代表"),
        ("wanghuiwu", "借用放暑假"),
        ("lihanjun", "7月23日"),
        ("lihanjun", "由张国焘主持"),
        ("lida", "迎接马林"),
        ("wanghuiwu", "把外地代表的食宿"),
    ]:
        _, st = pick(s, st, role, text, st.now + 5)
    return st


def test_team_event_fires_once_and_perfect_ending_needs_no_traps(tutorial: Scenario) -> None:
    st = play_clean(tutorial)
    assert st.fired == ["opening"]
    assert st.status == "ended" and st.ending == "perfect"
    assert st.score == st.score_parts["tasks"] + st.score_parts["choices"] + st.score_parts["ending"]
    assert st.score_parts["ending"] == 30
    with pytest.raises(RuleViolation, match="结束"):
        step(tutorial, st, Choose("lida", 0), st.now + 1)


def test_rejections_change_nothing(tutorial: Scenario) -> None:
    st = start(tutorial)
    with pytest.raises(RuleViolation, match="等待"):
        step(tutorial, st, Choose("lihanjun", 0), T0)
    with pytest.raises(RuleViolation, match="过时"):
        step(tutorial, st, Choose("lida", 0, node="elsewhere"), T0)
    with pytest.raises(RuleViolation, match="没有这个选项"):
        step(tutorial, st, Choose("lida", 7), T0)
    with pytest.raises(RuleViolation, match="没有角色"):
        step(tutorial, st, Choose("nobody", 0), T0)
    with pytest.raises(RuleViolation):
        step(tutorial, State(), Start("x", {"lida": "a"}), T0)  # roles without players


def test_facilitator_actions_are_audited(tutorial: Scenario) -> None:
    st = start(tutorial)
    events = decide(tutorial, st, Hint("lida"), T0 + 1)
    assert events[0].kind == "hint_given" and "两名" in events[0].data["text"]
    events, st = step(tutorial, st, Skip("lida"), T0 + 2)
    assert [e.kind for e in events][:2] == ["task_skipped", "task_completed"]
    assert st.done["send_letters"] == "skipped"
    _, st = step(tutorial, st, Pause(), T0 + 3)
    with pytest.raises(RuleViolation, match="暂停"):
        step(tutorial, st, Choose("wanghuiwu", 0), T0 + 4)
    _, st = step(tutorial, st, Unpause(), T0 + 5)
    _, st = step(tutorial, st, Abandon("下课了"), T0 + 6)
    assert st.status == "abandoned" and st.over


def test_decide_is_pure_and_replay_equals_live(tutorial: Scenario) -> None:
    st = start(tutorial)
    snapshot = st.copy()
    a = decide(tutorial, st, Choose("lida", 0, "start"), T0 + 3)
    b = decide(tutorial, st, Choose("lida", 0, "start"), T0 + 3)
    assert a == b
    assert st == snapshot
    events, live = step(tutorial, State(), Start("一队", ASSIGN), T0)
    for action in [Choose("lida", 0, "start"), Choose("wanghuiwu", 1, "start")]:
        more, live = step(tutorial, live, action, live.now + 7)
        events += more
    assert fold(events) == live


def test_displayed_flags_reach_the_team_view(tutorial: Scenario) -> None:
    st = start(tutorial)
    assert team_view(tutorial, st, T0).counters == [("筹备进度", "0")]
    _, st = pick(tutorial, st, "lida", "每地派两名代表", T0 + 1)
    assert team_view(tutorial, st, T0 + 1).counters == [("筹备进度", "1")]


def test_in_place_step_advances_the_callers_state_and_refusals_leave_it_untouched(tutorial: Scenario) -> None:
    st = start(tutorial)
    expected = step(tutorial, st, Choose("lida", 0, "start"), T0 + 1)[1]
    before = st.copy()
    with pytest.raises(RuleViolation):
        step(tutorial, st, Choose("lihanjun", 0), T0 + 1, in_place=True)  # waiting: refused
    assert st == before
    events, after = step(tutorial, st, Choose("lida", 0, "start"), T0 + 1, in_place=True)
    assert after is st and st == expected
    assert fold(events, before) == st
