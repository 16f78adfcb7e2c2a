"""The session timeline as a picture to draw: one lane per role, time across, marks for moments.

    timeline(metrics) -> Timeline

It is :mod:`engine.review.metrics`' timeline (the role segments replayed from the log, in game
time) with labels attached, nothing recomputed: the results screen, the in-game review and the
HTML report (which draws the same segments) show one picture of a session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from engine.present import labels
from engine.review.records import SessionMetrics

MarkKind = Literal["trap", "event", "ending"]


@dataclass(frozen=True)
class Bar:
    kind: str  # working | locked | waiting (metrics' segment kinds)
    start: float  # game seconds since the start
    end: float
    task: str | None = None


@dataclass(frozen=True)
class Mark:
    kind: MarkKind
    at: float
    label: str
    role: str | None = None  # the lane it belongs to (None: all lanes)


@dataclass(frozen=True)
class Lane:
    role: str
    name: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Timeline:
    duration: float
    lanes: tuple[Lane, ...]
    marks: tuple[Mark, ...] = ()
    legend: tuple[tuple[str, str], ...] = field(default=tuple(labels.SEGMENT_NAMES.items()))

    @property
    def span(self) -> float:
        """The width of the time axis (at least a second, so an empty session still draws)."""
        return max(1.0, self.duration)

    def lane(self, role: str) -> Lane:
        return next(lane for lane in self.lanes if lane.role == role)

    def ticks(self, count: int = 5) -> list[tuple[float, str]]:
        """``count + 1`` evenly spaced axis ticks: (seconds, clock label)."""
        return [
            (self.span * k / count, labels.format_duration(self.span * k / count)) for k in range(count + 1)
        ]


def timeline(m: SessionMetrics) -> Timeline:
    lanes = tuple(
        Lane(role, rm.name, tuple(Bar(s.kind, s.start, s.end, s.task) for s in rm.segments))
        for role, rm in m.roles.items()
    )
    marks = [Mark("trap", t.at, t.title, t.role) for t in m.traps]
    marks += [Mark("event", at, title) for _, title, at in m.team_events]
    if m.ending:
        marks.append(Mark("ending", m.duration, m.ending_title))
    return Timeline(m.duration, lanes, tuple(sorted(marks, key=lambda k: k.at)))
