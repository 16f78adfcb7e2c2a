"""Bot teams (engine/tools/bots.py): each policy plays as described, deterministically, by the rules."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from engine.format.catalog import bundled_scenarios
from engine.format.loader import load_scenario
from engine.format.scenario import Scenario
from engine.rules.shuffle import shown_choices
from engine.rules.state import State, apply_event
from engine.rules.step import Choose, Start, step, visible_choices
from engine.store.db import Store
from engine.tools.bots import pick_choice, play_bot_session

ASSIGN = {"lida": "甲", "wanghuiwu": "乙", "lihanjun": "丙"}


def at_trap_node(s: Scenario) -> State:
    """The tutorial's first state: 李达 at 致信各地, whose second choice is a trap."""
    return step(s, State(), Start("队", ASSIGN), 0.0)[1]


def test_expert_never_springs_a_trap_and_takes_the_most_points(tutorial: Scenario) -> None:
    st = at_trap_node(tutorial)
    node = tutorial.node("send_letters", "start")
    picks = {pick_choice(tutorial, st, "lida", "expert", random.Random(i)) for i in range(50)}
    best = max(c.points for c in node.choices if c.trap is None)
    assert picks == {next(i for i, c in enumerate(node.choices) if c.trap is None and c.points == best)}


def test_careful_avoids_a_trap_most_of_the_time_and_random_does_not(tutorial: Scenario) -> None:
    st = at_trap_node(tutorial)
    node = tutorial.node("send_letters", "start")
    trap = next(i for i, c in enumerate(node.choices) if c.trap is not None)
    rng = random.Random(1)
    careful = Counter(pick_choice(tutorial, st, "lida", "careful", rng) == trap for _ in range(4000))
    rand = Counter(pick_choice(tutorial, st, "lida", "random", rng) == trap for _ in range(4000))
    # careful: 30% pick at random among 2 choices -> 15% traps; random: 50%
    assert 0.12 < careful[True] / 4000 < 0.18
    assert 0.46 < rand[True] / 4000 < 0.54


def test_policies_pick_only_offered_choices(tutorial: Scenario) -> None:
    st = at_trap_node(tutorial)
    _, st = step(tutorial, st, Choose("lida", 1, "start"), 1.0)  # spring the trap: no longer offered
    offered = visible_choices(tutorial, st, "send_letters", "start")
    for policy in ("random", "careful", "expert"):
        assert {pick_choice(tutorial, st, "lida", policy, random.Random(i)) for i in range(40)} <= set(
            offered
        )


@pytest.mark.parametrize("path", bundled_scenarios(), ids=lambda p: p.stem)
def test_a_seed_is_a_game(path: Path) -> None:
    s = load_scenario(path)
    one, again, other = (play_bot_session(s, "random", seed=n) for n in (5, 5, 6))
    assert one.events == again.events and one.actions == again.actions
    assert one.events != other.events
    assert one.state.over and one.actions == sum(1 for e in one.events if e.kind == "choice_made")


def test_bots_wait_out_lockouts_and_think_within_bounds(tutorial: Scenario) -> None:
    for seed in range(40):
        game = play_bot_session(tutorial, "random", seed=seed, think=(5.0, 40.0))
        locked: dict[str, float] = {}
        last = game.events[0].at
        for e in game.events:
            if e.kind == "trap_sprung":
                locked[e.data["role"]] = e.data["lockout_until"]
            elif e.kind == "choice_made":
                assert e.at >= locked.get(e.data["role"], 0.0), "a bot acted while locked out"
                assert e.at - last >= 5.0
                last = e.at


def test_with_a_store_every_action_is_stored_under_the_given_names(tutorial: Scenario, store: Store) -> None:
    names = ["赵", "钱", "孙"]
    game = play_bot_session(tutorial, "careful", seed=2, store=store, team="机器人", players=names)
    assert game.session_id is not None
    memory = play_bot_session(tutorial, "careful", seed=2, team="机器人", players=names)
    assert store.events(game.session_id) == game.events == memory.events, "stored or not, the same game"
    assert sorted(store.players(game.session_id).values()) == sorted(names)
    assert store.session(game.session_id).team == "机器人"


# --- the shown order and the knowledge check ---------------------------------------------------


def test_first_takes_the_first_option_as_shown(tutorial: Scenario) -> None:
    game = play_bot_session(tutorial, "first", seed=3)
    seed = game.events[0].data["shuffle"]  # a shuffled session, its seed in the log
    state = State()
    for event in game.events:
        if event.kind == "choice_made":
            d = event.data
            assert d["choice"] == shown_choices(tutorial, state, d["task"], d["node"])[0]
        apply_event(state, event)
    assert state.shuffle == seed
    assert play_bot_session(tutorial, "first", seed=3).events == game.events  # a seed is a game


@pytest.mark.parametrize("policy", ["random", "careful", "expert"])
def test_the_order_shown_cannot_change_a_policy_that_picks_what_a_choice_is(
    tutorial: Scenario, policy: str
) -> None:
    st = at_trap_node(tutorial)
    for seed in range(30):
        shuffled = step(tutorial, State(), Start("队", ASSIGN, seed), 0.0)[1]
        picks = {pick_choice(tutorial, s, "lida", policy, random.Random(seed)) for s in (st, shuffled)}  # type: ignore[arg-type]
        assert len(picks) == 1, (policy, seed)
    game = play_bot_session(tutorial, policy, seed=4)  # type: ignore[arg-type]
    assert "shuffle" not in game.events[0].data  # no seed: the log of earlier versions, byte for byte


def test_bots_answer_the_check_by_what_they_know_and_learn_from_traps(tutorial: Scenario) -> None:
    expert = play_bot_session(tutorial, "expert", seed=1, quiz=True)
    answers = [e.data for e in expert.events if e.kind == "quiz_answered"]
    players = set(expert.state.players.values())
    assert len(answers) == 2 * len(players) * len(tutorial.quiz) and all(a["correct"] for a in answers)
    assert expert.state.status == "ended" and expert.state.quiz is None
    played = [e for e in expert.events if e.kind == "choice_made"]
    without = play_bot_session(tutorial, "expert", seed=1)
    assert [e.data for e in played] == [e.data for e in without.events if e.kind == "choice_made"]
    for seed in range(10):  # random guesses, except where a sprung trap taught the answer
        game = play_bot_session(tutorial, "random", seed=seed, quiz=True)
        sprung = set(game.state.sprung)
        for e in game.events:
            d = e.data
            if e.kind == "quiz_answered" and d["phase"] == "post" and tutorial.quiz[d["item"]].trap in sprung:
                assert d["correct"], (seed, d)
