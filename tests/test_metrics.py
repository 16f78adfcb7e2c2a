"""Metrics from a scripted session with known waits, lock-outs, traps and interventions."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.format.scenario import Scenario
from engine.review.cohort import cohort_metrics
from engine.review.metrics import critical_path, session_metrics
from engine.review.records import Segment, SessionMetrics, WaitRecord
from engine.rules.state import State, fold
from engine.rules.step import Action, Choose, Hint, Pause, Skip, Unpause
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store

T0 = 1_627_000_000.0
ASSIGN = {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"}

# (seconds after start, action): the tutorial played with four traps, a hint, a pause and a skip.
# The 30 s pause is not play time: every figure after it is 30 s earlier in game time.
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
    assert m.duration == 185 and m.paused == 30
    assert m.score_parts == {"start": 0, "choices": 10, "tasks": 50, "traps": -15, "ending": 10}
    assert m.score == 55
    assert m.players == ASSIGN


def test_traps_with_who_and_when(tutorial: Scenario, scripted: Session) -> None:
    m = session_metrics(tutorial, scripted.events, "script01")
    assert [(t.trap, t.role, t.player, t.at, t.penalty, t.lockout_seconds) for t in m.traps] == [
        ("only_two_cities", "lida", "张三", 10, 0, 0),
        ("lodge_at_venue", "wanghuiwu", "李四", 50, 0, 0),
        ("july_first", "lihanjun", "王五", 90, 10, 0),
        ("wrong_delegate", "lida", "张三", 130, 5, 20),
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
        WaitRecord("lihanjun", "prepare_room", 50, 70, ("wanghuiwu",), ("move_delegates",), "wanghuiwu"),
        WaitRecord("lida", "greet_comintern", 30, 120, ("lihanjun",), ("prepare_room",), "lihanjun"),
        WaitRecord("wanghuiwu", "keep_watch", 70, 170, (), (), "lida"),
    ]
    # shared waits are split between blockers; a wait naming nobody goes to whoever released it
    assert m.held_up == {"lida": 115, "lihanjun": 90, "wanghuiwu": 55}
    # the waits agree with the rules' own per-role total
    state = fold(scripted.events)
    for role, rs in state.roles.items():
        assert sum(w.duration for w in m.waits if w.role == role) == pytest.approx(rs.waited_total)


def test_role_timelines(tutorial: Scenario, scripted: Session) -> None:
    m = session_metrics(tutorial, scripted.events, "script01")
    # game time: the pause (60-90 s on the wall clock) is not on the timeline
    assert m.roles["lida"].segments == [
        Segment("working", 0, 30, "send_letters"),
        Segment("waiting", 30, 120, "greet_comintern"),
        Segment("working", 120, 130, "greet_comintern"),
        Segment("locked", 130, 150, "greet_comintern"),
        Segment("working", 150, 170, "greet_comintern"),
    ]
    assert m.roles["wanghuiwu"].segments == [
        Segment("working", 0, 50, "arrange_lodging"),
        Segment("working", 50, 70, "move_delegates"),
        Segment("waiting", 70, 170, "keep_watch"),
        Segment("working", 170, 185, "keep_watch"),
    ]
    assert m.roles["lihanjun"].segments == [
        Segment("waiting", 0, 70, "prepare_room"),
        Segment("working", 70, 120, "prepare_room"),
    ]
    lida = m.roles["lida"]
    assert (lida.total("working"), lida.total("locked"), lida.total("waiting")) == (60, 20, 90)
    assert lida.paused == 30
    assert lida.points == {"choices": 10, "tasks": 20, "traps": -5}
    # own points of all roles + start + ending bonus = team score
    assert sum(r.own_points for r in m.roles.values()) + m.score_parts["start"] + m.ending_bonus == m.score
    assert m.player_points() == {"张三": 35, "李四": 30, "王五": 10}


def test_critical_path(tutorial: Scenario, scripted: Session) -> None:
    m = session_metrics(tutorial, scripted.events, "script01")
    assert [(c.task, c.role, c.start, c.end) for c in m.critical_path] == [
        ("arrange_lodging", "wanghuiwu", 0, 50),
        ("move_delegates", "wanghuiwu", 50, 70),
        ("prepare_room", "lihanjun", 70, 120),
        ("greet_comintern", "lida", 120, 170),
        ("keep_watch", "wanghuiwu", 170, 185),
    ]
    assert sum(c.duration for c in m.critical_path) == m.duration


def test_interventions(tutorial: Scenario, scripted: Session) -> None:
    m = session_metrics(tutorial, scripted.events, "script01")
    assert [(i.kind, i.at, i.role, i.duration) for i in m.interventions] == [
        ("hint", 40, "wanghuiwu", 0),
        ("pause", 60, None, 30),
        ("skip", 185, "wanghuiwu", 0),
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
    assert [(r.team, r.best_score, r.best_time, r.traps) for r in c.leaderboard] == [("一队", 55, 185, 4)]
    assert [(p.player, p.points) for p in c.players] == [("张三", 35), ("李四", 30), ("王五", 10)]
    # the wall ranks by 得分率: own points over the roles' opportunity (李四's remedial task adds 10)
    assert [(p.player, p.own_points, p.opportunity) for p in c.honor_wall] == [
        ("张三", 25, 30),
        ("李四", 20, 35),
        ("王五", 0, 10),
    ]
    assert c.honor_wall[0].badges == ("得分率第一",)
    rates = {r.trap: (r.exposed, r.sprung) for r in c.trap_rates}
    assert rates["chen_presides"] == (1, 0) and rates["july_first"] == (1, 1)
    times = {t.key: (t.count, t.mean) for t in c.task_times}
    assert times["tutorial/prepare_room"] == (1, 50)
    assert "tutorial/keep_watch" not in times  # skipped tasks do not count as task time
    assert c.endings == [("tutorial", "opened", "有惊无险", 1)]


def test_log_without_start_is_refused(tutorial: Scenario) -> None:
    with pytest.raises(ValueError, match="缺少开始事件"):
        session_metrics(tutorial, [], "x")


def test_a_pause_changes_no_figure(tutorial: Scenario, tmp_path: Path) -> None:
    """The same play with a 10-minute pause while 李达 is locked out and 王会悟 waits, then a
    10-second one, gives the same figures: game time does not run while paused."""
    plain = [(at - 30 if at > 60 else at, a) for at, a in SCRIPT if not isinstance(a, Pause | Unpause)]

    def wall(at: float) -> float:  # game time -> wall time with pauses at 135 (600 s) and 140 (10 s)
        return at if at <= 135 else at + 600 if at <= 140 else at + 610

    paused = sorted(
        [(wall(at), a) for at, a in plain]
        + [(135, Pause()), (735, Unpause()), (740, Pause()), (750, Unpause())],
        key=lambda x: x[0],
    )

    def metrics_of(script: list[tuple[float, Action]], name: str) -> tuple[SessionMetrics, State]:
        store = Store(tmp_path / f"{name}.db")
        clock = ManualClock(T0)
        session = Session.start(tutorial, store, "一队", ASSIGN, clock, session_id=name)
        for at, action in script:
            clock.t = T0 + at
            session.act(action)
        store.close()
        return session_metrics(tutorial, session.events, name), fold(session.events)

    a, sa = metrics_of(plain, "plain")
    b, sb = metrics_of(paused, "paused")
    assert (a.paused, b.paused) == (0, 610)
    assert a.duration == b.duration == 185
    assert (b.held_up, b.waits, b.traps, b.critical_path) == (a.held_up, a.waits, a.traps, a.critical_path)
    assert {r: m.segments for r, m in b.roles.items()} == {r: m.segments for r, m in a.roles.items()}
    assert [(i.kind, i.at, i.duration) for i in b.interventions if i.kind == "pause"] == [
        ("pause", 135, 600),
        ("pause", 140, 10),
    ]
    assert {r: s.waited_total for r, s in sb.roles.items()} == {
        r: s.waited_total for r, s in sa.roles.items()
    }
