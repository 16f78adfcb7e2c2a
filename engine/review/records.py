"""What one session's review holds: its timelines, waits, traps, tasks, facilitator actions and
critical path, as computed by :func:`engine.review.metrics.session_metrics`.

Times in the records are game-time seconds since the session started (paused spans left out) (``at``/``start``/``end``); the
session's own ``started_at``/``ended_at`` are seconds since the epoch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from engine.review.learning import SessionLearning


@dataclass(frozen=True)
class Segment:
    """One stretch of a role's timeline: kind is working / locked / waiting."""

    kind: str
    start: float
    end: float
    task: str | None = None

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class WaitRecord:
    """A stretch during which ``role`` waited for ``task`` to open, blocked by ``blockers``.

    A wait whose blockers change (one prerequisite done, another still missing) is split into
    one record per blocker set. ``released_by`` is the role whose action ended this record
    (``None`` when the session ended or was abandoned while waiting, or the log stops there).
    """

    role: str
    task: str
    start: float
    end: float
    blockers: tuple[str, ...]
    missing: tuple[str, ...]
    released_by: str | None

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class TrapRecord:
    trap: str
    title: str
    role: str
    player: str
    task: str
    node: str
    at: float
    penalty: int
    lockout_seconds: float
    explanation: str
    source: str | None


@dataclass(frozen=True)
class TaskRecord:
    """A task that opened for a role; ``cause`` is the task whose completion opened it (same turn)."""

    task: str
    title: str
    role: str
    player: str
    opened: float
    completed: float | None
    outcome: str | None
    points: int
    cause: str | None

    @property
    def duration(self) -> float | None:
        return None if self.completed is None else self.completed - self.opened


@dataclass(frozen=True)
class Intervention:
    """A facilitator action: hint, skip, pause (with its length), abandon, resume."""

    kind: str
    at: float
    role: str | None = None
    detail: str = ""
    duration: float = 0.0


@dataclass(frozen=True)
class CriticalStep:
    task: str
    title: str
    role: str
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass
class RoleMetrics:
    role: str
    name: str
    player: str
    segments: list[Segment] = field(default_factory=list)
    tasks_done: int = 0
    traps: int = 0
    points: dict[str, int] = field(default_factory=dict)  # choices / tasks / traps, this role's own
    paused: float = 0.0  # seconds its session stood paused (not on the timeline: game time)
    opportunity: int = 0  # the most points the role's own tasks can give (engine.review.opportunity)

    def total(self, kind: str) -> float:
        return sum(s.duration for s in self.segments if s.kind == kind)

    @property
    def own_points(self) -> int:
        return sum(self.points.values())


@dataclass
class SessionMetrics:
    session_id: str
    scenario_id: str
    scenario_title: str
    scenario_hash: str
    team: str
    status: str
    ending: str | None
    ending_title: str
    ending_bonus: int
    score: int
    score_parts: dict[str, int]
    started_at: float
    ended_at: float
    events: int
    players: dict[str, str]  # role -> player
    roles: dict[str, RoleMetrics]
    tasks: list[TaskRecord]
    waits: list[WaitRecord]
    traps: list[TrapRecord]
    traps_exposed: list[str]  # traps whose node some role reached (sprung or not)
    interventions: list[Intervention]
    critical_path: list[CriticalStep]
    held_up: dict[str, float]  # role (or "" when nobody is named) -> seconds others waited on it
    paused: float = 0.0  # seconds the session stood paused (wall time, left out of every figure)
    team_events: list[tuple[str, str, float]] = field(default_factory=list)  # (id, title, at)
    learning: SessionLearning | None = None  # the before/after knowledge check

    @property
    def duration(self) -> float:
        """Seconds of play: from the start to the last event, paused spans excluded."""
        return self.ended_at - self.started_at - self.paused

    @property
    def date(self) -> str:
        return datetime.fromtimestamp(self.started_at).strftime("%Y-%m-%d")

    def player_share(self) -> dict[str, tuple[int, int]]:
        """Each player's own points and their roles' opportunity (the honor wall's 得分率)."""
        out: dict[str, tuple[int, int]] = {}
        for role, rm in self.roles.items():
            player = self.players.get(role, "")
            own, most = out.get(player, (0, 0))
            out[player] = (own + rm.own_points, most + rm.opportunity)
        return out

    def player_points(self) -> dict[str, int]:
        """积分 earned in this session: each player's own roles' points plus the ending bonus once."""
        out: dict[str, int] = {}
        for role, rm in self.roles.items():
            player = self.players.get(role, "")
            out[player] = out.get(player, 0) + rm.own_points
        for player in out:
            out[player] += self.ending_bonus
        return out
