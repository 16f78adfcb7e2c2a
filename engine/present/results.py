"""The results summary shown when a session ends: the ending, the score and where it came from,
each role's tasks, traps and waiting, every trap with its history, and the timeline.

    results(scenario, events) -> Results

Every figure comes from :func:`engine.review.metrics.session_metrics` (the log replayed through
the rules), the same figures the in-game review and the reports show; the traps are the same
notes the players were shown during play.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from engine.format.scenario import Scenario
from engine.present import labels
from engine.present.notes import Note, notes
from engine.present.timeline import Timeline, timeline
from engine.review.metrics import session_metrics
from engine.rules.state import Event, fold
from engine.rules.step import in_play

STATUS_TEXT = {
    "stuck": "团队陷入僵局：没有角色能继续行动（场景设计有问题，请用 verify 检查）",
    "abandoned": "主持人提前结束了会话。",
}


@dataclass(frozen=True)
class RoleResult:
    role: str
    name: str
    player: str
    done: int
    total: int  # tasks of this role that counted (not cancelled, not dormant remedial ones)
    traps: int
    waited: float  # game seconds spent waiting for teammates
    points: int  # the role's own points (choices, tasks, trap penalties)

    @property
    def who(self) -> str:
        return labels.who(self.name, self.player)

    def cells(self) -> tuple[str, str, str]:
        return (
            f"任务 {self.done}/{self.total}",
            f"陷阱 {self.traps}",
            f"等待 {labels.format_duration(self.waited)}",
        )


Celebration = Literal["big", "small", "none"]


@dataclass(frozen=True)
class Results:
    """The end of a session. ``celebrate`` says how much a screen should celebrate it: ``big`` for
    an ending that carries a bonus (the best ones), ``small`` for any other ending reached,
    ``none`` when the session was abandoned or stuck."""

    status: str
    ending: str | None
    heading: str  # 结局：… / 会话结束
    text: str  # the ending's text, or what happened instead
    score: int
    parts: dict[str, int]
    duration: float  # game seconds
    roles: tuple[RoleResult, ...]
    traps: tuple[Note, ...]  # the trap notes of the session, in order
    timeline: Timeline
    celebrate: Celebration = "none"

    @property
    def score_line(self) -> str:
        return f"总分 {self.score}（{labels.score_parts(self.parts)}）"

    @property
    def part_lines(self) -> tuple[tuple[str, str], ...]:
        """The score breakdown, one (what, signed points) per non-zero part: ``("任务", "+180")``."""
        return tuple((labels.PART_NAMES.get(k, k), labels.signed(v)) for k, v in self.parts.items() if v)

    @property
    def duration_line(self) -> str:
        return f"用时 {labels.format_duration(self.duration)}"


def results(scenario: Scenario, events: list[Event], session_id: str = "") -> Results:
    m = session_metrics(scenario, events, session_id)
    state = fold(events)
    celebrate: Celebration = "none"
    if m.ending:
        heading, text = f"结局：{m.ending_title}", scenario.endings[m.ending].text.strip()
        celebrate = "big" if scenario.endings[m.ending].bonus > 0 else "small"
    else:
        heading, text = "会话结束", STATUS_TEXT.get(m.status, "会话已结束。")
    roles = tuple(
        RoleResult(
            role,
            rm.name,
            rm.player,
            rm.tasks_done,
            sum(1 for t in scenario.role_tasks[role] if in_play(scenario, state, t)),
            rm.traps,
            rm.total("waiting"),
            rm.own_points,
        )
        for role, rm in m.roles.items()
    )
    return Results(
        status=m.status,
        ending=m.ending,
        heading=heading,
        text=text,
        score=m.score,
        parts=dict(m.score_parts),
        duration=m.duration,
        roles=roles,
        traps=tuple(n for n in notes(scenario, events) if n.kind == "trap"),
        timeline=timeline(m),
        celebrate=celebrate,
    )
