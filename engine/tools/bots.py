"""Bot teams: policies that play whole sessions through the same rules (and optionally the store).

Policies:
- ``random``: any offered choice, uniformly.
- ``careful``: avoids a trap choice 70% of the time (a team that knows some history).
- ``expert``: never takes a trap; prefers the choice worth the most points.
- ``first``: always the first option as shown (the player who learned to "press 1").

Options are shown in a per-session order (:mod:`engine.rules.shuffle`). ``random``,
``careful`` and ``expert`` pick by what a choice is, never by where it is shown, so the order
cannot change their games: they play sessions without a shuffle seed, and their logs stay
byte-identical to those of earlier versions for the same seed. ``first`` plays a shuffled
session (its seed derived from the bot's seed) and takes whatever is shown first.

With ``quiz=True`` the team also answers the scenario's knowledge check, before play and after
the ending, from a random source of its own (the game's draws are unchanged): ``expert``
knows every answer, ``careful`` 70% of them, ``random`` guesses, ``first`` takes the first
option shown; after play, an item whose trap the team sprang is answered right (the trap's
explanation taught it). Without it a bot session has no check at all.

Bots interleave roles at random and "think" a random number of seconds per choice on a
manual clock, so a simulated session has realistic waits and lock-outs without real time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

from engine.format.scenario import Scenario
from engine.rules.actions import Action, QuizMode
from engine.rules.knowledge import open_phase
from engine.rules.shuffle import option_order, quiz_order, shown_choices
from engine.rules.state import Event, State, quiz_players
from engine.rules.step import Answer, Choose, Start, step, visible_choices
from engine.session.clock import ManualClock
from engine.session.live import Session, assign_roles
from engine.store.db import Store

Policy = Literal["random", "careful", "expert", "first"]
POLICIES: tuple[Policy, ...] = ("random", "careful", "expert", "first")
MAX_ACTIONS = 10_000
KNOWS = {"expert": 1.0, "careful": 0.7}  # the share of quiz answers a policy knows
QUIZ_THINK = (3.0, 12.0)  # seconds per quiz answer


def pick_choice(scenario: Scenario, state: State, role: str, policy: Policy, rng: random.Random) -> int:
    rs = state.roles[role]
    assert rs.task is not None and rs.node is not None
    if policy == "first":
        return shown_choices(scenario, state, rs.task, rs.node)[0]
    offered = visible_choices(scenario, state, rs.task, rs.node)
    if policy == "random":
        return rng.choice(offered)
    node = scenario.node(rs.task, rs.node)
    safe = [i for i in offered if node.choices[i].trap is None]
    if policy == "expert" and safe:
        best = max(node.choices[i].points for i in safe)
        return next(i for i in safe if node.choices[i].points == best)
    if policy == "careful" and safe and rng.random() < 0.7:
        return rng.choice(safe)
    return rng.choice(offered)


def pick_answer(
    scenario: Scenario, state: State, player: str, item_id: str, policy: Policy, rng: random.Random
) -> int:
    """The option (index as written) a bot player gives to a quiz item in the open check."""
    item = scenario.quiz[item_id]
    phase = state.quiz or "pre"
    if policy == "first":
        return option_order(state, phase, player, item_id, len(item.options))[0]
    right = next(i for i, o in enumerate(item.options) if o.correct)
    learned = phase == "post" and item.trap in state.sprung
    if learned or rng.random() < KNOWS.get(policy, 0.0):
        return right
    return rng.randrange(len(item.options))


def _answers(scenario: Scenario, state: State, policy: Policy, rng: random.Random) -> list[Answer]:
    """The whole open check, every player in turn (in the order each is asked)."""
    phase = open_phase(state)
    if phase is None:
        return []
    return [
        Answer(player, item, pick_answer(scenario, state, player, item, policy, rng), phase)
        for player in quiz_players(state)
        for item in quiz_order(state, phase, player)
    ]


@dataclass
class BotResult:
    state: State
    events: list[Event] = field(default_factory=list)
    actions: int = 0
    session_id: str | None = None


def play_bot_session(
    scenario: Scenario,
    policy: Policy = "random",
    seed: int = 0,
    store: Store | None = None,
    team: str = "机器人队",
    think: tuple[float, float] = (5.0, 40.0),
    start_time: float = 1_627_000_000.0,
    players: list[str] | None = None,
    quiz: bool = False,
) -> BotResult:
    """Play one whole session. Deterministic for a seed. With a store, every action is stored.

    ``players`` names the team members (default 玩家1..N, one per role); ``quiz`` has them
    answer the scenario's knowledge check too (see the module's docstring)."""
    rng = random.Random(seed)
    clock = ManualClock(start_time)
    names = players or [f"玩家{i + 1}" for i in range(len(scenario.roles))]
    assignment = assign_roles(scenario, names, seed=seed)
    shuffle = random.Random(f"shuffle:{seed}").randrange(2**31) if policy == "first" else None
    mode: QuizMode = "ask" if quiz else "off"
    session: Session | None = None
    if store is not None:
        session = Session.start(scenario, store, team, assignment, clock, shuffle=shuffle, quiz=mode)
        state, events = session.state, session.events
    else:
        events, state = step(scenario, State(), Start(team, assignment, shuffle, mode), clock.now())
    # apart from rng: answering changes no game draw (made only when asked: seeding costs)
    quiz_rng = random.Random(f"quiz:{seed}") if quiz else rng

    def act(action: Action) -> State:
        if session is not None:
            session.act(action)
            return session.state
        new_events, new_state = step(scenario, state, action, clock.t, in_place=True)
        events.extend(new_events)
        return new_state

    for answer in _answers(scenario, state, policy, quiz_rng):
        clock.t += quiz_rng.uniform(*QUIZ_THINK)
        state = act(answer)
    actions = 0
    low, high = think
    while state.status == "active" and actions < MAX_ACTIONS:
        now = clock.t
        ready = [r for r, rs in state.roles.items() if rs.task is not None and rs.locked_until <= now]
        if not ready:
            holding = [rs.locked_until for rs in state.roles.values() if rs.task is not None]
            if not holding:
                break  # stuck: the rules already recorded it
            clock.sleep(min(holding) - now)
            continue
        role = rng.choice(ready)
        clock.t += rng.uniform(low, high)
        choice = pick_choice(scenario, state, role, policy, rng)
        state = act(Choose(role, choice, state.roles[role].node))
        actions += 1
    for answer in _answers(scenario, state, policy, quiz_rng):
        clock.t += quiz_rng.uniform(*QUIZ_THINK)
        state = act(answer)
    return BotResult(state, session.events if session else events, actions, session.id if session else None)
