"""A live session (engine/session/live.py): stored first, acknowledged after; resumed by folding."""

from __future__ import annotations

from collections import Counter

import pytest

from engine.format.scenario import Scenario
from engine.rules.state import fold
from engine.rules.step import Abandon, Choose, Pause, RuleViolation, Unpause
from engine.session.clock import ManualClock
from engine.session.live import Session, assign_roles
from engine.store.db import Store, StoreConflict, StoreError

ASSIGN = {"lida": "张三", "wanghuiwu": "李四", "lihanjun": "王五"}


def begin(tutorial: Scenario, store: Store) -> Session:
    return Session.start(tutorial, store, "一队", ASSIGN, ManualClock(1000.0), "s1")


def test_start_stores_the_scenario_the_players_and_the_first_step(tutorial: Scenario, store: Store) -> None:
    session = begin(tutorial, store)
    assert store.events("s1") == session.events and session.state == fold(session.events)
    assert store.players("s1") == ASSIGN
    assert store.scenario_text(tutorial.hash)[0] == tutorial.text
    row = store.session("s1")
    assert (row.team, row.status, row.events) == ("一队", "active", len(session.events))


def test_an_acknowledged_action_is_on_disk(tutorial: Scenario, store: Store) -> None:
    session = begin(tutorial, store)
    events = session.act(Choose("lida", 0, "start"))
    assert events and store.events("s1") == session.events
    assert store.session("s1").score == session.state.score


def test_a_failed_commit_leaves_memory_where_the_disk_is(
    tutorial: Scenario, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = begin(tutorial, store)
    before = session.state.copy(), list(session.events)

    def full(*args: object) -> None:
        raise StoreError("磁盘已满")

    monkeypatch.setattr(store, "append", full)
    with pytest.raises(StoreError):
        session.act(Choose("lida", 0, "start"))
    assert (session.state, session.events) == before, "the state ran ahead of the disk"
    monkeypatch.undo()
    session.act(Choose("lida", 0, "start"))  # the same action goes through once the disk has room
    assert store.events("s1") == session.events


def test_a_refused_action_stores_nothing(tutorial: Scenario, store: Store) -> None:
    session = begin(tutorial, store)
    before = session.state.copy()
    with pytest.raises(RuleViolation):
        session.act(Choose("lihanjun", 0))  # waiting for the others
    with pytest.raises(RuleViolation):
        session.act(Unpause())  # not paused
    assert session.state == before and store.events("s1") == session.events


def test_two_windows_on_one_session_conflict_instead_of_interleaving(
    tutorial: Scenario, store: Store
) -> None:
    begin(tutorial, store)
    one = Session.resume(store, "s1", ManualClock(1010.0), check_file=False)
    two = Session.resume(store, "s1", ManualClock(1010.0), check_file=False)
    one.act(Choose("lida", 0, "start"))
    with pytest.raises(StoreConflict):
        two.act(Choose("wanghuiwu", 0, "start"))
    assert two.state == fold(two.events)
    assert store.events("s1") == one.events


def test_resume_folds_the_stored_log_and_marks_it(tutorial: Scenario, store: Store) -> None:
    session = begin(tutorial, store)
    session.act(Choose("lida", 0, "start"))
    session.act(Pause())
    again = Session.resume(store, "s1", ManualClock(2000.0), check_file=False)
    assert again.state == session.state and again.events == session.events
    again.mark_resumed()
    assert again.events[-1].kind == "session_resumed" and store.events("s1") == again.events


def test_a_finished_session_is_not_marked_resumed(tutorial: Scenario, store: Store) -> None:
    session = begin(tutorial, store)
    session.act(Pause())

    session.act(Abandon("散会"))
    again = Session.resume(store, "s1", check_file=False)
    again.mark_resumed()
    assert again.events == session.events


def test_assign_roles_shares_roles_out_evenly_and_keeps_explicit_picks(tutorial: Scenario) -> None:
    two = assign_roles(tutorial, ["甲", "乙"], seed=3)
    assert list(two) == list(tutorial.roles)
    assert sorted(Counter(two.values()).values()) == [1, 2]
    assert assign_roles(tutorial, ["甲", "乙"], seed=3) == two, "the same seed, the same roles"
    picked = assign_roles(tutorial, ["甲", "乙", "丙"], {"lida": "丙"}, seed=1)
    assert picked["lida"] == "丙" and set(picked.values()) == {"甲", "乙", "丙"}


@pytest.mark.parametrize(
    ("players", "chosen", "message"),
    [
        ([], None, "至少需要一名玩家"),
        (["甲"], {"nobody": "甲"}, "没有角色"),
        (["甲"], {"lida": "乙"}, "不在玩家名单"),
    ],
)
def test_assign_roles_refuses_what_cannot_be(
    tutorial: Scenario, players: list[str], chosen: dict[str, str] | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        assign_roles(tutorial, players, chosen)
