"""The order options are shown in (engine/rules/shuffle.py): seeded, stable, pinned where the
author says so, and mapped back to the authored index everywhere a player presses a number."""

from __future__ import annotations

from collections import Counter

from engine.format.loader import parse_scenario
from engine.format.scenario import Scenario
from engine.present.inputs import choose
from engine.present.view import role_view, team_view
from engine.rules.shuffle import choice_order, option_order, permutation, quiz_order, shown_choices
from engine.rules.state import State
from engine.rules.step import Choose, Start, step
from engine.session.clock import ManualClock
from engine.session.live import Session
from engine.store.db import Store

ASSIGN = {"lida": "甲", "wanghuiwu": "乙", "lihanjun": "丙"}


def at_start(s: Scenario, seed: int | None) -> State:
    return step(s, State(), Start("队", ASSIGN, seed), 0.0)[1]


def test_a_permutation_is_a_pure_function_of_the_seed() -> None:
    assert permutation(7, "k", 5) == permutation(7, "k", 5)
    assert sorted(permutation(7, "k", 5)) == list(range(5))
    # Stored sessions are shown in this order on any machine and Python: the values are fixed.
    assert permutation(1, "choice\x1fsend_letters\x1fstart", 4) == (1, 2, 0, 3)
    assert len({permutation(seed, "k", 4) for seed in range(200)}) == 24  # every order happens


def test_the_right_answer_is_first_about_as_often_as_anywhere(tutorial: Scenario) -> None:
    firsts: Counter[int] = Counter()
    for seed in range(400):
        firsts[choice_order(tutorial, at_start(tutorial, seed), "send_letters", "start")[0]] += 1
    assert 160 < firsts[0] < 240  # two choices: about half the sessions each


def test_no_seed_or_a_pinned_node_shows_the_order_as_written(tutorial: Scenario) -> None:
    assert choice_order(tutorial, at_start(tutorial, None), "send_letters", "start") == (0, 1)
    pinned = parse_scenario(
        tutorial.text.replace(
            "        hint: 各地早期组织各派两名代表。\n",
            "        hint: 各地早期组织各派两名代表。\n        shuffle: false\n",
        ),
        "t.yaml",
    )
    assert not pinned.node("send_letters", "start").shuffle
    assert {choice_order(pinned, at_start(pinned, seed), "send_letters", "start") for seed in range(40)} == {
        (0, 1)
    }


def swapped_seed(s: Scenario) -> int:
    """A seed that shows 李达's first node in the other order."""
    return next(
        seed for seed in range(100) if choice_order(s, at_start(s, seed), "send_letters", "start") == (1, 0)
    )


def test_every_front_end_maps_the_number_shown_back_to_the_authored_index(
    tutorial: Scenario, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    seed = swapped_seed(tutorial)
    st = at_start(tutorial, seed)
    view = role_view(tutorial, st, "lida", 0.0)
    written = tutorial.node("send_letters", "start").choices
    assert [(c.number, c.index, c.text) for c in view.choices] == [
        (1, 1, written[1].text),
        (2, 0, written[0].text),
    ]
    action = choose(team_view(tutorial, st, 0.0), 0, 2)  # pressing 2 takes the first choice as written
    assert action == Choose("lida", 0, "start")
    store = Store(tmp_path / "s.db")
    session = Session.start(tutorial, store, "队", ASSIGN, ManualClock(), shuffle=seed)
    (made,) = [e for e in session.act(action) if e.kind == "choice_made"]
    assert (
        made.data["choice"] == 0 and made.data["text"] == written[0].text
    )  # the log keeps the authored index
    resumed = Session.resume(store, session.id)
    assert resumed.state.shuffle == seed  # the order comes back with the session
    store.close()


def test_a_sprung_trap_drops_out_and_the_rest_keep_their_order(tutorial: Scenario) -> None:
    seed = swapped_seed(tutorial)
    st = at_start(tutorial, seed)
    st = step(tutorial, st, Choose("lida", 1, "start"), 1.0)[1]  # the trap: step back, not offered again
    assert shown_choices(tutorial, st, "send_letters", "start") == [0]
    assert [c.number for c in role_view(tutorial, st, "lida", 2.0).choices] == [1]


def test_each_player_gets_the_check_in_an_order_of_their_own(tutorial: Scenario) -> None:
    st = step(tutorial, State(), Start("队", ASSIGN, 5, "ask"), 0.0)[1]
    orders = {
        (phase, p): tuple(quiz_order(st, phase, p)) for phase in ("pre", "post") for p in ("甲", "乙", "丙")
    }
    assert all(sorted(o) == sorted(tutorial.quiz) for o in orders.values())
    assert len(set(orders.values())) > 1
    options = {
        option_order(st, phase, p, "q_chair", 4) for phase in ("pre", "post") for p in ("甲", "乙", "丙")
    }
    assert len(options) > 1 and all(sorted(o) == [0, 1, 2, 3] for o in options)
    st.shuffle = None
    assert quiz_order(st, "pre", "甲") == list(tutorial.quiz) and option_order(
        st, "pre", "甲", "q_chair", 4
    ) == (0, 1, 2, 3)
