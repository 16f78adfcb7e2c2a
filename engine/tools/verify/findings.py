"""What ``verify`` returns: the report, its findings and the moves of their traces."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.rules.step import Choose, Skip

MAX_FINDINGS = 8  # of each kind, shortest first; the counts say how many states were affected


@dataclass(frozen=True)
class Move:
    """One step of a trace: ``role`` takes choice ``choice`` at ``node`` of ``task``; with
    ``skip`` the facilitator skips the role's task instead (``choice`` is then -1)."""

    role: str
    task: str
    node: str
    choice: int
    skip: bool = False

    def action(self) -> Choose | Skip:
        """The rules action that replays this step."""
        return Skip(self.role) if self.skip else Choose(self.role, self.choice, self.node)


@dataclass
class Finding:
    """A problem and how to reproduce it.

    Attributes:
        kind: ``deadlock`` (someone still has work, nobody can act), ``no_choice`` (a role holds
            a task but none of its choices is offered, and nobody else can act), ``unwinnable``
            (no ending can be reached any more).
        trace: the moves from the start that lead there (shortest found).
        message: what is wrong at the end of the trace, in Chinese.
        continuation: for ``unwinnable``: one way on from there to where the session ends.
        states: how many explored states share this problem (deduplicated into this finding).
    """

    kind: str
    trace: list[Move]
    message: str
    continuation: list[Move] = field(default_factory=list)
    states: int = 1


@dataclass
class VerifyReport:
    """Everything ``play.py verify`` prints.

    Attributes:
        ok: no dead-lock and no unwinnable state (meaningful only when ``complete``).
        complete: False when exploration stopped at ``max_states``.
        states / transitions: explored states and moves; ``seconds`` the time taken.
        reduced_states: states where partial-order reduction explored only one role's moves.
        skips: facilitator skips were explored as moves (the reduction is then off).
        deadlocks / unwinnable: findings, shortest trace first.
        deadlock_states / unwinnable_states: how many explored states are affected.
        unreachable_endings / tasks / nodes / traps / choices / events: what no play can reach
            (choices: (task, node, index) never offered at a node that is reached; events: team
            events that never happen). Why, in words: :mod:`engine.tools.deadcode`.
        ending_steps: ending id -> (shortest, longest) moves to it; longest None = unbounded
            (a loop lies on the way).
        role_wait: role id -> the longest run of consecutive team moves during which the role
            holds no task yet still has work to come (None = unbounded).
    """

    ok: bool
    complete: bool
    states: int
    transitions: int
    seconds: float
    max_states: int
    reduced_states: int = 0
    skips: bool = False
    deadlocks: list[Finding] = field(default_factory=list)
    unwinnable: list[Finding] = field(default_factory=list)
    deadlock_states: int = 0
    unwinnable_states: int = 0
    unreachable_endings: list[str] = field(default_factory=list)
    unreachable_tasks: list[str] = field(default_factory=list)
    unreachable_nodes: list[tuple[str, str]] = field(default_factory=list)
    unreachable_traps: list[str] = field(default_factory=list)
    unreachable_choices: list[tuple[str, str, int]] = field(default_factory=list)
    unreachable_events: list[str] = field(default_factory=list)
    ending_steps: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    role_wait: dict[str, int | None] = field(default_factory=dict)

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds > 0 else float(self.states)
