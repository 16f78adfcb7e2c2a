"""The fold (engine/rules/state.py): what each event does to a state, and nothing else."""

from __future__ import annotations

from typing import Any

import pytest

from engine.format.scenario import Scenario
from engine.rules.state import Event, State, Wait, apply_event, fold
from engine.tools.bots import POLICIES, play_bot_session

T0 = 1000.0


def started(**extra: Any) -> State:
    data = {"scenario_id": "s", "scenario_hash": "h", "team": "一队", "score": 10, "flags": {"f": 0}}
    return fold([Event("session_started", T0, {**data, "roles": ["a", "b"], **extra})])


def test_session_started_sets_everything_a_team_begins_with() -> None:
    st = started()
    assert (st.status, st.team, st.started_at, st.now, st.seq) == ("active", "一队", T0, T0, 1)
    assert st.flags == {"f": 0} and list(st.roles) == ["a", "b"]
    assert st.score == 10 and st.score_parts == {"start": 10}


def test_a_wait_keeps_its_start_while_its_blockers_change_and_is_counted_when_it_ends() -> None:
    st = started()
    apply_event(
        st, Event("role_waiting", T0, {"role": "b", "task": "t2", "blockers": ["a"], "missing": ["t1"]})
    )
    apply_event(st, Event("role_waiting", T0 + 5, {"role": "b", "task": "t2", "blockers": [], "missing": []}))
    assert st.roles["b"].waiting == Wait("t2", T0, (), ())
    apply_event(st, Event("task_opened", T0 + 30, {"role": "b", "task": "t2", "node": "n"}))
    b = st.roles["b"]
    assert (b.waiting, b.waited_total, b.task, b.node) == (None, 30.0, "t2", "n")


@pytest.mark.parametrize(
    ("kind", "data"), [("ending_reached", {"ending": "e", "bonus": 0}), ("session_abandoned", {})]
)
def test_an_ending_or_abandoning_stops_every_wait(kind: str, data: dict[str, Any]) -> None:
    st = started()
    for role in ("a", "b"):
        apply_event(st, Event("role_waiting", T0, {"role": role, "task": "t", "blockers": [], "missing": []}))
    apply_event(st, Event(kind, T0 + 12, data))
    assert all(rs.waiting is None and rs.waited_total == 12 for rs in st.roles.values())
    assert st.over


def test_points_land_in_their_parts() -> None:
    st = started()
    apply_event(st, Event("choice_made", T0, {"role": "a", "points": 3}))
    apply_event(st, Event("task_completed", T0, {"role": "a", "task": "t", "outcome": "done", "points": 10}))
    trap = {"role": "b", "task": "t", "node": "n", "trap": "x", "penalty": 4, "lockout_until": T0 + 20}
    apply_event(st, Event("trap_sprung", T0, trap))
    apply_event(st, Event("ending_reached", T0, {"ending": "e", "bonus": 7}))
    assert st.score_parts == {"start": 10, "choices": 3, "tasks": 10, "traps": -4, "ending": 7}
    assert st.score == sum(st.score_parts.values()) == 26
    assert (st.status, st.ending, st.done, st.sprung) == ("ended", "e", {"t": "done"}, ["x"])
    assert st.roles["b"].traps == 1 and st.roles["b"].locked_until == T0 + 20
    assert st.roles["a"].tasks_done == 1


def test_a_lockout_never_shortens_an_earlier_one() -> None:
    st = started()
    for until in (T0 + 60, T0 + 20):
        trap = {
            "role": "a",
            "task": "t",
            "node": "n",
            "trap": f"x{until}",
            "penalty": 0,
            "lockout_until": until,
        }
        apply_event(st, Event("trap_sprung", T0, trap))
    assert st.roles["a"].locked_until == T0 + 60


def test_cancelling_a_task_frees_whoever_held_it() -> None:
    st = started()
    apply_event(st, Event("task_opened", T0, {"role": "a", "task": "t", "node": "n"}))
    apply_event(st, Event("task_activated", T0, {"task": "r", "by": "x"}))
    apply_event(st, Event("task_cancelled", T0, {"task": "t", "by": "e"}))
    assert (st.roles["a"].task, st.roles["a"].node) == (None, None)
    assert st.cancelled == {"t"} and st.activated == {"r"}


def test_pause_resume_stuck() -> None:
    st = started()
    for kind, status in [
        ("session_paused", "paused"),
        ("session_unpaused", "active"),
        ("session_stuck", "stuck"),
    ]:
        apply_event(st, Event(kind, T0))
        assert st.status == status


@pytest.mark.parametrize("kind", ["hint_given", "task_skipped", "session_resumed", "no_such_kind"])
def test_audit_events_only_advance_seq_and_time(kind: str) -> None:
    st = started()
    before = st.copy()
    apply_event(st, Event(kind, T0 + 9, {"role": "a", "text": "提示", "task": "t"}))  # type: ignore[arg-type]
    assert (st.seq, st.now) == (before.seq + 1, T0 + 9)
    st.seq, st.now = before.seq, before.now
    assert st == before


def test_time_never_runs_backwards() -> None:
    st = started()
    apply_event(st, Event("hint_given", T0 - 50, {"role": "a", "text": ""}))
    assert st.now == T0


def test_copy_shares_nothing_mutable() -> None:
    st = started()
    apply_event(st, Event("task_opened", T0, {"role": "a", "task": "t", "node": "n"}))
    copy = st.copy()
    assert copy == st
    apply_event(st, Event("flag_set", T0, {"flag": "f", "value": 3}))
    apply_event(st, Event("task_completed", T0, {"role": "a", "task": "t", "outcome": "done", "points": 1}))
    apply_event(st, Event("team_event", T0, {"event": "e"}))
    assert copy.flags == {"f": 0} and copy.done == {} and copy.fired == []
    assert copy.roles["a"].task == "t" and copy.score == 10


def test_fold_of_a_whole_game_equals_folding_it_in_two_halves(tutorial: Scenario) -> None:
    for seed, policy in enumerate(POLICIES):
        events = play_bot_session(tutorial, policy, seed=seed).events
        half = len(events) // 2
        assert fold(events[half:], fold(events[:half])) == fold(events)
