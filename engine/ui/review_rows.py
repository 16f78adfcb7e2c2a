"""What each table of the review screen shows, row by row, as text (the screen's data model).

The same figures as the report's tables, worded for the game's screen.
"""

from __future__ import annotations

from datetime import datetime

from engine.present.labels import NO_ENDING, STATUS_NAMES, format_duration
from engine.review.cohort import PlayerRow, TeamStanding
from engine.review.records import SessionMetrics


def when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%m-%d %H:%M")


def ending_of(m: SessionMetrics) -> str:
    return m.ending_title or NO_ENDING.get(m.status, "未结束")


def session_row(m: SessionMetrics) -> tuple[str, ...]:
    status = STATUS_NAMES.get(m.status, m.status)
    return (
        when(m.started_at),
        m.team,
        m.scenario_title,
        status,
        ending_of(m),
        str(m.score),
        format_duration(m.duration),
    )


def board_row(rank: int, r: TeamStanding) -> tuple[str, ...]:
    best = format_duration(r.best_time) if r.best_time is not None else "—"
    return (
        str(rank),
        r.team,
        str(r.sessions),
        str(r.ended),
        str(r.best_score),
        f"{r.avg_score:.1f}",
        best,
        format_duration(r.avg_time),
        f"{r.traps_per_session:.1f}",
    )


def honor_row(rank: int, p: PlayerRow) -> tuple[str, ...]:
    return (
        str(rank),
        p.player,
        f"{p.rate:.0%}",
        f"{p.own_points}/{p.opportunity}",
        str(p.points),
        str(p.sessions),
        "、".join(p.teams),
        str(p.traps),
        "、".join(p.badges) or "—",
    )
