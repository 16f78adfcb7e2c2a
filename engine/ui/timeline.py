"""The session's timeline per role, computed from its events (no drawing, no pygame).

Each role's lane holds segments: working on a task, waiting for others, locked out by a trap;
marks note traps sprung and team events. The results screen draws it (:mod:`engine.ui.chart`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.format.scenario import Scenario
from engine.rules.state import Event


@dataclass(frozen=True)
class Segment:
    kind: str  # "task" | "wait" | "lock"
    start: float
    end: float
    label: str = ""


@dataclass(frozen=True)
class Mark:
    kind: str  # "trap" | "event" | "ending"
    at: float
    label: str
    role: str | None = None


@dataclass
class Timeline:
    start: float
    end: float
    lanes: dict[str, list[Segment]] = field(default_factory=dict)
    marks: list[Mark] = field(default_factory=list)

    @property
    def duration(self) -> float:
        return max(1.0, self.end - self.start)


def build_timeline(scenario: Scenario, events: list[Event], now: float | None = None) -> Timeline:
    if not events:
        return Timeline(0.0, 1.0)
    start = events[0].at
    end = max(events[-1].at, now or 0.0)
    tl = Timeline(start, end, {r: [] for r in scenario.roles})
    task_open: dict[str, tuple[float, str, str]] = {}
    wait_open: dict[str, float] = {}

    def close_wait(role: str, at: float) -> None:
        since = wait_open.pop(role, None)
        if since is not None and at > since:
            tl.lanes[role].append(Segment("wait", since, at))

    def close_task(role: str, at: float) -> None:
        opened = task_open.pop(role, None)
        if opened is not None:
            tl.lanes[role].append(Segment("task", opened[0], at, opened[1]))

    for e in events:
        role = e.role
        d = e.data
        if e.kind == "task_opened" and role:
            close_wait(role, e.at)
            task_open[role] = (e.at, scenario.tasks[d["task"]].title, d["task"])
        elif e.kind == "task_completed" and role:
            close_task(role, e.at)
        elif e.kind == "task_cancelled":
            for r, (_, _, task) in list(task_open.items()):
                if task == d["task"]:
                    close_task(r, e.at)
        elif e.kind == "role_waiting" and role:
            wait_open.setdefault(role, e.at)
        elif e.kind == "role_finished" and role:
            close_wait(role, e.at)
        elif e.kind == "trap_sprung" and role:
            tl.marks.append(Mark("trap", e.at, scenario.traps[d["trap"]].trap.title, role))
            if d.get("lockout_until"):
                tl.lanes[role].append(Segment("lock", e.at, min(d["lockout_until"], end)))
        elif e.kind == "team_event":
            tl.marks.append(Mark("event", e.at, scenario.events[d["event"]].title))
        elif e.kind == "ending_reached":
            tl.marks.append(Mark("ending", e.at, scenario.endings[d["ending"]].title))
    for role in list(task_open):
        close_task(role, end)
    for role in list(wait_open):
        close_wait(role, end)
    return tl
