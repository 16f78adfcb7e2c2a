"""A pause freezes the game (manual clock): the clock, a wait and a lock-out stand still while
paused and go on from where they stopped, in the rules, the views, text mode and the web host."""

from __future__ import annotations

import io
import json

import pytest

from engine.format.scenario import Scenario
from engine.present.view import TeamView, team_view
from engine.review.metrics import session_metrics
from engine.rules.state import fold
from engine.rules.step import Abandon, Choose, Pause, Resume, RuleViolation, Unpause
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store
from engine.terminal.console import TextPlay
from engine.web.payloads import phone_play, team_public

T0 = 1_627_000_000.0
ASSIGN = {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"}


def locked_and_waiting(tutorial: Scenario, store: Store) -> tuple[Session, ManualClock]:
    """At 15 s: 李达 locked out until 30 s (a trap at 10 s), 王会悟 waiting since 4 s."""
    clock = ManualClock(T0)
    session = Session.start(tutorial, store, "一队", ASSIGN, clock, session_id="pause01")
    for at, action in [
        (2, Choose("lida", 0)),
        (4, Choose("wanghuiwu", 0)),
        (6, Choose("lihanjun", 0)),
        (8, Choose("lihanjun", 0)),
        (10, Choose("lida", 1)),  # 迎接维经斯基: locked 20 s
    ]:
        clock.t = T0 + at
        session.act(action)
    clock.t = T0 + 15
    return session, clock


def figures(view: TeamView) -> tuple[float, float, float]:
    lida, wang, _ = view.roles
    assert lida.status == "locked" and wang.status == "waiting" and wang.wait is not None
    return view.elapsed, lida.locked_seconds, wang.wait.seconds


def test_ten_seconds_of_pause_change_neither_clock_nor_wait_nor_lockout(
    tutorial: Scenario, store: Store
) -> None:
    session, clock = locked_and_waiting(tutorial, store)
    view = lambda: team_view(tutorial, session.state, clock.now())  # noqa: E731
    assert figures(view()) == (15, 15, 11)
    session.act(Pause())
    clock.advance(10)
    paused = view()
    assert paused.paused and not paused.ticking and figures(paused) == (15, 15, 11)
    assert paused.roles[0].headline() == "李达（张三）：被锁定，还需 15 秒"
    session.act(Unpause())
    assert figures(view()) == (15, 15, 11)  # resumes exactly where it stopped
    clock.advance(1)
    assert figures(view()) == (16, 14, 12)
    # the rules agree: the lock-out ends 10 s later on the wall clock
    clock.t = T0 + 39.5
    with pytest.raises(RuleViolation, match="还需等待 1 秒"):
        session.act(Choose("lida", 0))
    clock.t = T0 + 40
    session.act(Choose("lida", 0))
    assert "greet_comintern" in session.state.done


def test_a_lockout_that_ran_out_before_the_pause_stays_run_out(tutorial: Scenario, store: Store) -> None:
    session, clock = locked_and_waiting(tutorial, store)
    clock.t = T0 + 31  # the lock-out ended at 30 s
    session.act(Pause())
    clock.advance(60)
    session.act(Unpause())
    assert session.state.roles["lida"].locked_until == T0 + 30
    session.act(Choose("lida", 0))


def test_a_paused_session_resumed_in_a_new_process_is_still_frozen(tutorial: Scenario, store: Store) -> None:
    session, _ = locked_and_waiting(tutorial, store)
    session.act(Pause())
    later = ManualClock(T0 + 3600)  # an hour later, another program
    again = Session.resume(store, session.id, later, check_file=False)
    again.mark_resumed()
    assert again.events[-1].data == {}  # paused already: the pause covers the time it was down
    assert again.state == fold(store.events(session.id))
    assert figures(team_view(tutorial, again.state, later.now())) == (15, 15, 11)
    again.act(Unpause())
    later.advance(2)
    assert figures(team_view(tutorial, again.state, later.now())) == (17, 13, 13)


def test_waits_and_duration_in_the_metrics_leave_the_pause_out(tutorial: Scenario, store: Store) -> None:
    session, clock = locked_and_waiting(tutorial, store)
    session.act(Pause())
    clock.advance(100)
    session.act(Abandon("下课了"))  # ended while paused: the pause is not play time either
    m = session_metrics(tutorial, session.events, session.id)
    assert (m.duration, m.paused) == (15, 100)
    assert fold(session.events).roles["wanghuiwu"].waited_total == 11
    assert [(i.kind, i.at, i.duration) for i in m.interventions] == [("pause", 15, 100), ("abandon", 15, 0)]


def test_text_mode_shows_the_pause_and_frozen_figures(tutorial: Scenario, store: Store) -> None:
    session, clock = locked_and_waiting(tutorial, store)
    session.act(Pause())
    clock.advance(10)
    out = io.StringIO()
    TextPlay(session, io.StringIO(""), out).render()
    text = out.getvalue()
    assert "══ 会话已暂停（时钟、等待和锁定都已停下" in text
    assert "── 用时 00:15（已暂停）" in text
    assert "李达（张三）：被锁定，还需 15 秒" in text
    assert "王会悟（李四）：等待「大会开幕」，才能开始《照应会务》，已等 00:11" in text


def test_phones_and_the_host_page_get_a_frozen_clock_that_does_not_tick(
    tutorial: Scenario, store: Store
) -> None:
    session, clock = locked_and_waiting(tutorial, store)
    before = team_public(tutorial, session.state, session.events, clock.now())
    assert before["ticking"] and not before["paused"]
    session.act(Pause())
    clock.advance(10)
    public = team_public(tutorial, session.state, session.events, clock.now())
    assert public["paused"] and not public["ticking"]
    assert (public["paused_title"], public["clock"], public["elapsed"]) == ("会话已暂停", "00:15", 15)
    lida, wang, _ = public["roles"]
    assert (lida["locked"], lida["locked_left"], wang["wait"]["seconds"]) == (15, 15, 11)
    phone = phone_play(tutorial, session.state, session.events, [], ["lida"], clock.now(), public)
    assert phone["roles"][0]["locked_left"] == 15 and phone["team"]["ticking"] is False
    json.dumps(phone, ensure_ascii=False)  # what the host sends is plain JSON


def test_the_time_the_program_was_down_is_not_play_time(tutorial: Scenario, store: Store) -> None:
    """The last step was at 10 s; the program stopped, and came back an hour later: the game goes
    on from the last step, as if paused there, in the rules, the views and the review."""
    session, _ = locked_and_waiting(tutorial, store)
    later = ManualClock(T0 + 3600)
    again = Session.resume(store, session.id, later, check_file=False)
    again.mark_resumed()
    assert again.events[-1].kind == "session_resumed" and again.events[-1].data == {"down_since": T0 + 10}
    assert again.state == fold(store.events(session.id))
    # at the last step: 10 s played, 李达 locked for 20 s more, 王会悟 waiting for 6 s
    assert figures(team_view(tutorial, again.state, later.now())) == (10, 20, 6)
    later.advance(19.5)
    with pytest.raises(RuleViolation, match="还需等待 1 秒"):
        again.act(Choose("lida", 0))  # the lock-out runs in play time, not through the night
    later.advance(0.5)
    again.act(Choose("lida", 0))
    m = session_metrics(tutorial, again.events, again.id)
    assert (m.duration, m.paused) == (30, 3590)
    assert [(i.kind, i.at, i.duration) for i in m.interventions] == [("resume", 10, 3590)]
    assert fold(again.events).roles["wanghuiwu"].waited_total == 26  # 6 s before, 20 s after


def test_nothing_is_assumed_while_the_rules_know_of_no_downtime(tutorial: Scenario, store: Store) -> None:
    session, clock = locked_and_waiting(tutorial, store)
    before = session.state.copy()
    clock.advance(100)
    session.act(Resume())  # a server store: another host may have served the team meanwhile
    assert session.events[-1].data == {}
    assert (session.state.paused_total, session.state.roles["lida"].locked_until) == (
        before.paused_total,
        before.roles["lida"].locked_until,
    )
