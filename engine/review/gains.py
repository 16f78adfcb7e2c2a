"""A cohort's knowledge check: every session's answers summed per item and per player.

    cohort_learning(sessions, trap_rates) -> CohortLearning
    player_totals(sessions)               -> {player: PlayerLearning}

Built only from the sessions' :class:`engine.review.learning.SessionLearning`, so a cohort cannot
disagree with its sessions. Items are ordered by what most needs teaching next time: the lowest
after-play rate first, then the trap most often sprung in play. Pure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.review.learning import ItemLearning, PlayerLearning, Rates, normalized_change

if TYPE_CHECKING:
    from engine.review.cohort import TrapRate
    from engine.review.records import SessionMetrics


@dataclass
class CohortLearning(Rates):
    """The knowledge check over many sessions."""

    sessions_answered: int  # sessions in which some phase was answered
    sessions_skipped: int
    sessions_not_asked: int  # the scenario has a quiz, but the log has no check
    sessions_no_quiz: int
    pre_answered: int
    pre_right: int
    post_answered: int
    post_right: int
    items: list[ItemLearning]  # most needing attention first
    players: list[PlayerLearning]  # by gain, then name

    @property
    def gain(self) -> float | None:
        return normalized_change(self.pre_rate, self.post_rate)

    @property
    def focus(self) -> list[ItemLearning]:
        return [i for i in self.items if i.focus]


def _sum_players(rows: Iterable[PlayerLearning]) -> PlayerLearning:
    rows = list(rows)
    return PlayerLearning(
        rows[0].player,
        sum(r.items for r in rows),
        sum(r.pre_answered for r in rows),
        sum(r.pre_right for r in rows),
        sum(r.post_answered for r in rows),
        sum(r.post_right for r in rows),
        sum(r.sessions for r in rows),
    )


def player_totals(sessions: Iterable[SessionMetrics]) -> dict[str, PlayerLearning]:
    """Each player's check summed over the sessions in which they answered."""
    rows: dict[str, list[PlayerLearning]] = defaultdict(list)
    for m in sessions:
        if m.learning is not None:
            for p in m.learning.players:
                if p.pre_answered or p.post_answered:
                    rows[p.player].append(p)
    return {player: _sum_players(r) for player, r in rows.items()}


def cohort_learning(sessions: list[SessionMetrics], trap_rates: Iterable[TrapRate]) -> CohortLearning:
    """Sum the sessions' checks; an item's trap rate is the cohort's (every selected session)."""
    statuses: dict[str, int] = defaultdict(int)
    sums: dict[tuple[str, str], list[int]] = {}
    first: dict[tuple[str, str], ItemLearning] = {}
    for m in sessions:
        learning = m.learning
        if learning is None:
            continue
        statuses[learning.status] += 1
        for it in learning.items:
            key = (it.scenario_id, it.item)
            first.setdefault(key, it)
            s = sums.setdefault(key, [0, 0, 0, 0])
            s[0] += it.pre_answered
            s[1] += it.pre_right
            s[2] += it.post_answered
            s[3] += it.post_right
    rates = {(r.scenario_id, r.trap): r for r in trap_rates}
    items = []
    for key, (pa, pr, qa, qr) in sums.items():
        it = first[key]
        rate = rates.get((it.scenario_id, it.trap or ""))
        items.append(
            ItemLearning(
                it.scenario_id,
                it.item,
                it.question,
                it.trap,
                it.trap_title,
                pa,
                pr,
                qa,
                qr,
                rate.exposed if rate else 0,
                rate.sprung if rate else 0,
            )
        )

    def need(i: ItemLearning) -> tuple[float, float, str, str]:
        post = i.post_rate
        return (post if post is not None else 2.0, -(i.trap_rate or 0.0), i.scenario_id, i.item)

    items.sort(key=need)
    players = sorted(
        player_totals(sessions).values(), key=lambda p: (-(p.gain if p.gain is not None else -999), p.player)
    )
    return CohortLearning(
        statuses["answered"],
        statuses["skipped"],
        statuses["not_asked"],
        statuses["no_quiz"],
        sum(i.pre_answered for i in items),
        sum(i.pre_right for i in items),
        sum(i.post_answered for i in items),
        sum(i.post_right for i in items),
        items,
        players,
    )
