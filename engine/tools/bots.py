"""Bot teams: policies that play whole sessions through the same rules (and optionally the store).

Policies:
- ``random``: any offered choice, uniformly.
- ``careful``: avoids a trap choice 70% of the time (a team that knows some history).
- ``expert``: never takes a trap; prefers the choice worth the most points.

Bots interleave roles at random and "think" a random number of seconds per choice on a
manual clock, so a simulated session has realistic waits and lock-outs without real time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Literal

from engine.format.scenario import Scenario
from engine.rules.state import Event, State
from engine.rules.step import Choose, Start, step, visible_choices
from engine.session.clock import ManualClock
from engine.session.live import Session, assign_roles
from engine.store.db import Store

Policy = Literal["random", "careful", "expert"]
POLICIES: tuple[Policy, ...] = ("random", "careful", "expert")
MAX_ACTIONS = 10_000


def pick_choice(scenario: Scenario, state: State, role: str, policy: Policy, rng: random.Random) -> int:
    rs = state.roles[role]
    assert rs.task is not None and rs.node is not None
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
) -> BotResult:
    """Play one whole session. Deterministic for a seed. With a store, every action is stored.

    ``players`` names the team members (default 玩家1..N, one per role)."""
    rng = random.Random(seed)
    clock = ManualClock(start_time)
    names = players or [f"玩家{i + 1}" for i in range(len(scenario.roles))]
    assignment = assign_roles(scenario, names, seed=seed)
    session: Session | None = None
    if store is not None:
        session = Session.start(scenario, store, team, assignment, clock)
        state, events = session.state, session.events
    else:
        events, state = step(scenario, State(), Start(team, assignment), clock.now())
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
        action = Choose(role, choice, state.roles[role].node)
        if session is not None:
            session.act(action)
            state = session.state
        else:
            new_events, state = step(scenario, state, action, clock.t, in_place=True)
            events.extend(new_events)
        actions += 1
    return BotResult(state, session.events if session else events, actions, session.id if session else None)
