"""Simulate many bot teams and summarise how a scenario plays (``play.py simulate``).

    simulate(scenario, teams, seed=0, policy="random", store=None, quiz=False, yardstick=False)
    expert_ending(scenario, seed=0) -> str | None

Every team is a whole session played by :func:`engine.tools.bots.play_bot_session` through the real
rules (and, with a store, the real store). Team ``i`` uses seed ``seed * 1_000_003 + i``, so a
run is reproducible for a seed whatever else changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from statistics import mean, median

from engine.format.scenario import Scenario
from engine.store.db import Store
from engine.tools.bots import Policy, play_bot_session


@dataclass(frozen=True)
class Stats:
    """min / median / mean / max of a list of numbers."""

    low: float
    median: float
    mean: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Stats:
        if not values:
            return cls(0.0, 0.0, 0.0, 0.0)
        return cls(min(values), median(values), mean(values), max(values))


@dataclass
class Simulation:
    """The summary of ``teams`` bot sessions.

    Attributes:
        endings: ending id (or ``stuck`` / ``unfinished``) -> number of teams.
        scores / durations: per-team final score and session length (simulated seconds).
        trap_hits: trap id -> fraction of teams that sprang it.
        idle: role id -> mean seconds that role waited for others per session.
        session_ids: stored session ids (with a store).
        expert: the ending expert bots reach most often (None: not worked out, or none);
            ``expert_share`` is the fraction of these teams that reached it.
    """

    teams: int
    policy: str
    seed: int
    endings: Counter[str] = field(default_factory=Counter)
    scores: list[int] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)
    actions: list[int] = field(default_factory=list)
    trap_hits: dict[str, float] = field(default_factory=dict)
    idle: dict[str, float] = field(default_factory=dict)
    session_ids: list[str] = field(default_factory=list)
    expert: str | None = None

    @property
    def expert_share(self) -> float:
        return self.endings.get(self.expert, 0) / self.teams if self.expert and self.teams else 0.0

    @property
    def score_stats(self) -> Stats:
        return Stats.of([float(s) for s in self.scores])

    @property
    def duration_stats(self) -> Stats:
        return Stats.of(self.durations)


def team_seed(seed: int, team: int) -> int:
    return seed * 1_000_003 + team


EXPERT_TEAMS = 30  # expert bots barely vary: a few dozen games name their usual ending


def expert_ending(scenario: Scenario, seed: int = 0) -> str | None:
    """The ending expert bots (who never spring a trap) reach most often: what a team that knows
    its history earns. The yardstick for the other policies, ``first`` above all: a team that
    always presses 1 must not earn it."""
    reached: Counter[str] = Counter()
    for i in range(EXPERT_TEAMS):
        ending = play_bot_session(scenario, "expert", seed=team_seed(seed, i)).state.ending
        if ending is not None:
            reached[ending] += 1
    return reached.most_common(1)[0][0] if reached else None


def simulate(
    scenario: Scenario,
    teams: int,
    seed: int = 0,
    policy: Policy = "random",
    store: Store | None = None,
    quiz: bool = False,
    yardstick: bool = False,
) -> Simulation:
    """``teams`` bot sessions (``quiz``: answering the knowledge check too); with ``yardstick``
    and a policy other than expert, also how many reached the expert's ending."""
    sim = Simulation(teams, policy, seed)
    if yardstick and policy != "expert":
        sim.expert = expert_ending(scenario, seed)
    trap_counts: Counter[str] = Counter()
    idle_total: dict[str, float] = dict.fromkeys(scenario.roles, 0.0)
    for i in range(teams):
        result = play_bot_session(
            scenario, policy, seed=team_seed(seed, i), store=store, team=f"机器人队{i + 1}", quiz=quiz
        )
        state = result.state
        if state.ending is not None:
            sim.endings[state.ending] += 1
        else:
            sim.endings["stuck" if state.status == "stuck" else "unfinished"] += 1
        sim.scores.append(state.score)
        sim.durations.append(state.elapsed(state.now))  # game time: a knowledge check is not play
        sim.actions.append(result.actions)
        trap_counts.update(set(state.sprung))
        for role_id, rs in state.roles.items():
            idle_total[role_id] = idle_total.get(role_id, 0.0) + rs.waited_total
        if result.session_id:
            sim.session_ids.append(result.session_id)
    n = max(teams, 1)
    sim.trap_hits = {trap: trap_counts[trap] / n for trap in scenario.traps}
    sim.idle = {role: idle_total[role] / n for role in scenario.roles}
    return sim
