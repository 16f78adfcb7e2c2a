"""Metrics from a scripted session with known waits, lock-outs, traps and interventions."""

from __future__ import annotations

import pytest

from engine.format.scenario import Scenario
from engine.review.cohort import cohort_metrics
from engine.review.metrics import critical_path, session_metrics
from engine.review.records import Segment, WaitRecord
from engine.rules.state import fold
from engine.rules.step import Choose, Hint, Pause, Skip, Unpause
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store

T0 = 1_627_000_000.0
ASSIGN = {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"}

# (seconds after start, action): the tutorial played with four traps, a hint, a pause and a skip.
SCRIPT = [
    (10, Choose("lida", 1)),  # trap only_two_cities: step back, no penalty
    (30, Choose("lida", 0)),  # send_letters done
    (40, Hint("wanghuiwu")),
    (50, Choose("wanghuiwu", 1)),  # trap lodge_at_venue: completes "crowded", opens move_delegates
    (60, Pause()),
    (90, Unpause()),
    (100, Choose("wanghuiwu", 0)),  # move_delegates done -> prepare_room opens
    (120, Choose("lihanjun", 1)),  # trap july_first: -10
    (130, Choose("lihanjun", 0)),  # goto notice
    (150, Choose("lihanjun", 0)),  # prepare_room done -> greet_comintern opens
    (160, Choose("lida", 1)),  # trap wrong_delegate: -5, locked 20 s
    (200, Choose("lida", 0)),  # greet done -> opening -> keep_watch opens
    (215, Skip("wanghuiwu")),  # facilitator skips keep_watch -> ending "opened"
]


def play_script(tutorial: Scenario, store: Store) -> Session:
    clock = ManualClock(T0)
    session = Session.start(tutorial, store, "一队", ASSIGN, clock, session_id="script01")
    for at, action in SCRIPT:
        clock.t = T0 + at
        session.act(action)
    return session


@pytest.fixture
def scripted(tutorial: Scenario, store: Store) -> Session:
    return play_script(tutorial, store)


def test_outcome_score_and_duration(tutorial: Scenario, scripted: Session) -> None:
    m = session_metrics(tutorial, scripted.store.events("script01"), "script01")
    assert (m.status, m.ending, m.ending_title) == ("ended", "opened", "有惊无险")
    assert m.duration == 215
    assert m.score_parts == {"start": 0, "choices": 10, "tasks": 50, "traps": -15, "ending": 10}
    assert m.score == 55
    assert m.players == ASSIGN


def test_traps_with_who_and_when(tutorial: Scenario, scripted: Session) -> None:
    m = session_metrics(tutorial, scripted.events, "script01")
    assert [(t.trap, t.role, t.player, t.at, t.penalty, t.lockout_seconds) for t in m.traps] == [
        ("only_two_cities", "lida", "张三", 10, 0, 0),
        ("lodge_at_venue", "wanghuiwu", "李四", 50, 0, 0),
        ("july_first", "lihanjun", "王五", 120, 10, 0),
        ("wrong_delegate", "lida", "张三", 160, 5, 20),
    ]
    assert m.traps[2].explanation.startswith("7月1日是1941年")
    assert sorted(m.traps_exposed) == sorted(tutorial.traps)


def test_waits_blockers_and_who_held_the_team_up(tutorial: Scenario, scripted: Session) -> None:
    m = session_metrics(tutorial, scripted.events, "script01")
    assert m.waits == [
        WaitRecord(
            "lihanjun",
            "prepare_room",
            0,
            30,
            ("lida", "wanghuiwu"),
            ("send_letters", "arrange_lodging"),
            "lida",
        ),
        WaitRecord("lihanjun", "prepare_room", 30, 50, ("wanghuiwu",), ("arrange_lodging",), "wanghuiwu"),
        WaitRecord("lihanjun", "prepare_room", 50, 100, ("wanghuiwu",), ("move_delegates",), "wanghuiwu"),
        WaitRecord("lida", "greet_comintern", 30, 150, ("lihanjun",), ("prepare_room",), "lihanjun"),
        WaitRecord("wanghuiwu", "keep_watch", 100, 200, (), (), "lida"),
    ]
    # shared waits are split between blockers; a wait naming nobody goes to whoever released it
    assert m.held_up == {"lihanjun": 120, "lida": 115, "wanghuiwu": 85}
    # the waits agree with the rules' own per-role total
    state = fold(scripted.events)
    for role, rs in state.roles.items():
        assert sum(w.duration for w in m.waits if w.role == role) == pytest.approx(rs.waited_total)


def test_role_timelines(tutorial: Scenario, scripted: Session) -> None:
    m = session_metrics(tutorial, scripted.events, "script01")
    assert m.roles["lida"].segments == [
        Segment("working", 0, 30, "send_letters"),
        Segment("waiting", 30, 60, "greet_comintern"),
        Segment("paused", 60, 90, None),
        Segment("waiting", 90, 150, "greet_comintern"),
        Segment("working", 150, 160, "greet_comintern"),
        Segment("locked", 160, 180, "greet_comintern"),
        Segment("working", 180, 200, "greet_comintern"),
    ]
    assert m.roles["wanghuiwu"].segments == [
        Segment("working", 0, 50, "arrange_lodging"),
        Segment("working", 50, 60, "move_delegates"),
        Segment("paused", 60, 90, "move_delegates"),
        Segment("working", 90, 100, "move_delegates"),
        Segment("waiting", 100, 200, "keep_watch"),
        Segment("working", 200, 215, "keep_watch"),
    ]
    assert m.roles["lihanjun"].segments == [
        Segment("waiting", 0, 60, "prepare_room"),
        Segment("paused", 60, 90, None),
        Segment("waiting", 90, 100, "prepare_room"),
        Segment("working", 100, 150, "prepare_room"),
    ]
    lida = m.roles["lida"]
    assert (lida.total("working"), lida.total("locked"), lida.total("waiting")) == (60, 20, 90)
    assert lida.points == {"choices": 10, "tasks": 20, "traps": -5}
    # own points of all roles + start + ending bonus = team score
    assert sum(r.own_points for r in m.roles.values()) + m.score_parts["start"] + m.ending_bonus == m.score
    assert m.player_points() == {"张三": 35, "李四": 30, "王五": 10}


def test_critical_path(tutorial: Scenario, scripted: Session) -> None:
    m = session_metrics(tutorial, scripted.events, "script01")
    assert [(c.task, c.role, c.start, c.end) for c in m.critical_path] == [
        ("arrange_lodging", "wanghuiwu", 0, 50),
        ("move_delegates", "wanghuiwu", 50, 100),
        ("prepare_room", "lihanjun", 100, 150),
        ("greet_comintern", "lida", 150, 200),
        ("keep_watch", "wanghuiwu", 200, 215),
    ]
    assert sum(c.duration for c in m.critical_path) == m.duration


def test_interventions(tutorial: Scenario, scripted: Session) -> None:
    m = session_metrics(tutorial, scripted.events, "script01")
    assert [(i.kind, i.at, i.role, i.duration) for i in m.interventions] == [
        ("hint", 40, "wanghuiwu", 0),
        ("pause", 60, None, 30),
        ("skip", 215, "wanghuiwu", 0),
    ]
    assert m.interventions[0].detail == "暑假里的学校最不惹眼。"
    assert m.interventions[2].detail == "keep_watch"
    keep = next(t for t in m.tasks if t.task == "keep_watch")
    assert (keep.outcome, keep.points, keep.cause) == ("skipped", 0, "greet_comintern")


def test_unfinished_session_runs_to_its_last_event(tutorial: Scenario, store: Store) -> None:
    clock = ManualClock(T0)
    session = Session.start(tutorial, store, "二队", ASSIGN, clock, session_id="live")
    clock.t = T0 + 25
    session.act(Choose("lida", 0))
    m = session_metrics(tutorial, session.events, "live")
    assert (m.status, m.duration, m.ending) == ("active", 25, None)
    assert [(w.role, w.start, w.end, w.released_by) for w in m.waits] == [
        ("lihanjun", 0, 25, "lida"),
        ("lida", 25, 25, None),
        ("lihanjun", 25, 25, None),
    ]
    assert [c.task for c in m.critical_path] == ["send_letters"]


def test_critical_path_empty_without_completions() -> None:
    assert critical_path([]) == []


def test_cohort_of_one(tutorial: Scenario, scripted: Session) -> None:
    m = session_metrics(tutorial, scripted.events, "script01")
    c = cohort_metrics([m], {tutorial.hash: tutorial})
    assert (c.sessions, c.ended, c.total_score, c.total_traps) == (1, 1, 55, 4)
    assert [(r.team, r.best_score, r.best_time, r.traps) for r in c.leaderboard] == [("一队", 55, 215, 4)]
    assert [(p.player, p.points) for p in c.players] == [("张三", 35), ("李四", 30), ("王五", 10)]
    assert c.honor_wall[0].badges == ("积分榜首",)
    rates = {r.trap: (r.exposed, r.sprung) for r in c.trap_rates}
    assert rates["chen_presides"] == (1, 0) and rates["july_first"] == (1, 1)
    times = {t.key: (t.count, t.mean) for t in c.task_times}
    assert times["tutorial/prepare_room"] == (1, 50)
    assert "tutorial/keep_watch" not in times  # skipped tasks do not count as task time
    assert c.endings == [("tutorial", "opened", "有惊无险", 1)]


def test_log_without_start_is_refused(tutorial: Scenario) -> None:
    with pytest.raises(ValueError, match="缺少开始事件"):
        session_metrics(tutorial, [], "x")
