"""The room's view of a team, for the projector (the host page and the desktop's phone-host screen).

    team_board(scenario, state, events, now) -> TeamBoard
    ranked(boards) -> [(rank, board)]

Only what the whole room may see: names, scores, progress, meters, each role's status in a few
characters, the traps with their history (the room learns from them too) and, once the team is
done, its ending with the score breakdown. Never a role's private text or choices.

Teams are ranked live by score, then progress, then time (a tie shares the rank, 1, 2, 2, 4).
Once a team is done its board carries the results (the ending, the score breakdown and how much
to celebrate: :class:`engine.present.results.Results`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from engine.format.scenario import Scenario
from engine.present import labels
from engine.present.identity import looks
from engine.present.notes import Note, notes
from engine.present.results import Results, results
from engine.present.view import Meter, RoleStatus, TeamView, team_view
from engine.rules.state import Event, State


@dataclass(frozen=True)
class RoleChip:
    """One role as the room sees it: who plays it and what they are doing, in a few characters."""

    role: str
    name: str
    player: str
    status: RoleStatus
    short: str
    color: str
    emblem: str


@dataclass(frozen=True)
class TeamBoard:
    title: str
    team: str
    status: str
    status_label: str
    paused: bool
    ticking: bool
    score: int
    elapsed: float
    done: int
    total: int
    extra_done: int
    extra_total: int
    meters: tuple[Meter, ...]
    roles: tuple[RoleChip, ...]
    traps: tuple[Note, ...]  # every trap sprung so far, with its history, oldest first
    ending: Results | None  # once the session is over: the ending, its breakdown, the celebration

    @property
    def over(self) -> bool:
        return self.ending is not None

    @property
    def clock(self) -> str:
        return labels.format_duration(self.elapsed)

    @property
    def rank_key(self) -> tuple[int, int, float]:
        """Sort ascending: higher score first, then more progress, then less time."""
        return (-self.score, -self.done, round(self.elapsed, 1))


def team_board(
    scenario: Scenario,
    state: State,
    events: list[Event],
    now: float,
    view: TeamView | None = None,
    outcome: Results | None = None,
) -> TeamBoard:
    """``view`` and ``outcome`` (the results of a finished session): when the caller has them."""
    team = view or team_view(scenario, state, now, events)
    if state.over and outcome is None:
        outcome = results(scenario, events)
    look = looks(scenario)
    return TeamBoard(
        title=team.title,
        team=team.team,
        status=team.status,
        status_label=team.status_label,
        paused=team.paused,
        ticking=team.ticking,
        score=team.score,
        elapsed=team.elapsed,
        done=team.done,
        total=team.total,
        extra_done=team.extra_done,
        extra_total=team.extra_total,
        meters=tuple(team.meters),
        roles=tuple(
            RoleChip(v.role, v.name, v.player, v.status, v.short(), look[v.role].color, look[v.role].emblem)
            for v in team.roles
        ),
        traps=tuple(n for n in notes(scenario, events) if n.kind == "trap"),
        ending=outcome,
    )


def ranked(boards: Iterable[TeamBoard]) -> list[tuple[int, TeamBoard]]:
    """Boards best first, each with its rank; equal keys share a rank (1, 2, 2, 4)."""
    order = sorted(boards, key=lambda b: b.rank_key)
    out: list[tuple[int, TeamBoard]] = []
    for i, board in enumerate(order):
        rank = out[-1][0] if out and out[-1][1].rank_key == board.rank_key else i + 1
        out.append((rank, board))
    return out
