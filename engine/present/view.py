"""What each frontend shows: pure projections of (scenario, state, now) into plain data.

The terminal, the pygame screens and the phone pages all render these, so "what a role sees"
is decided once, here, and every frontend says the same thing in the same words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from engine.format.conditions import unmet_events
from engine.format.scenario import Scenario
from engine.rules.state import Event, State
from engine.rules.step import in_play, tasks_total, visible_choices

RoleStatus = Literal["active", "locked", "waiting", "finished", "over"]


@dataclass(frozen=True)
class ChoiceView:
    index: int  # the index the action must carry
    number: int  # 1-based number shown to players
    text: str


@dataclass(frozen=True)
class WaitView:
    task_title: str
    blockers: list[tuple[str, str, str]]  # (role id, role name, task title)
    seconds: float
    events: list[str] = field(default_factory=list)  # titles of team events still to happen

    def sentence(self) -> str:
        if not self.blockers:
            if self.events:
                return f"等待「{'」「'.join(self.events)}」，才能开始《{self.task_title}》"
            return f"等待时机，才能开始《{self.task_title}》"
        by_role: dict[str, list[str]] = {}
        for _, name, title in self.blockers:
            by_role.setdefault(name, []).append(f"《{title}》")
        who = "；".join(f"{name} 完成{''.join(titles)}" for name, titles in by_role.items())
        return f"等待 {who}"


@dataclass(frozen=True)
class RoleView:
    role: str
    name: str
    title: str
    player: str
    status: RoleStatus
    task: str | None = None
    task_title: str = ""
    goal: str = ""
    node: str | None = None
    text: str = ""
    choices: list[ChoiceView] = field(default_factory=list)
    wait: WaitView | None = None
    locked_seconds: float = 0.0
    tasks_done: int = 0
    tasks_total: int = 0
    traps: int = 0

    def headline(self) -> str:
        who = f"{self.name}（{self.player}）" if self.player else self.name
        if self.status == "waiting" and self.wait:
            return f"{who}：{self.wait.sentence()}，已等 {int(self.wait.seconds)} 秒"
        if self.status == "locked":
            return f"{who}：被锁定，还需 {int(self.locked_seconds + 0.999)} 秒"
        if self.status == "finished":
            return f"{who}：任务全部完成"
        if self.status == "over":
            return f"{who}：会话已结束"
        return f"{who}：《{self.task_title}》"


@dataclass(frozen=True)
class TeamView:
    title: str
    team: str
    status: str
    score: int
    elapsed: float
    done: int
    total: int
    roles: list[RoleView]
    ending: str | None
    recent: list[str]
    counters: list[tuple[str, str]] = field(default_factory=list)  # (label, value) of displayed flags


def role_view(scenario: Scenario, state: State, role_id: str, now: float) -> RoleView:
    role = scenario.roles[role_id]
    rs = state.roles[role_id]
    mine = scenario.role_tasks[role_id]
    base = dict(
        role=role_id,
        name=role.name,
        title=role.title or "",
        player=state.players.get(role_id, ""),
        tasks_done=sum(1 for t in mine if t in state.done),
        tasks_total=sum(1 for t in mine if in_play(scenario, state, t)),
        traps=rs.traps,
    )
    if state.over:
        return RoleView(status="over", **base)  # type: ignore[arg-type]
    if rs.task is not None and rs.node is not None:
        task = scenario.tasks[rs.task]
        node = scenario.node(rs.task, rs.node)
        choices = [
            ChoiceView(i, n + 1, node.choices[i].text)
            for n, i in enumerate(visible_choices(scenario, state, rs.task, rs.node))
        ]
        locked = max(0.0, rs.locked_until - now)
        return RoleView(
            status="locked" if locked > 0 else "active",
            task=rs.task,
            task_title=task.title,
            goal=task.goal or "",
            node=rs.node,
            text=node.text,
            choices=choices,
            locked_seconds=locked,
            **base,  # type: ignore[arg-type]
        )
    if rs.waiting is not None:
        w = rs.waiting
        blockers = [
            (scenario.tasks[m].role, scenario.role_name(scenario.tasks[m].role), scenario.tasks[m].title)
            for m in w.missing
        ]
        requires = scenario.tasks[w.task].requires
        pending = unmet_events(requires, state) if requires is not None else []
        wait = WaitView(
            scenario.tasks[w.task].title,
            blockers,
            max(0.0, now - w.since),
            [scenario.events[e].title for e in pending],
        )
        return RoleView(status="waiting", wait=wait, **base)  # type: ignore[arg-type]
    return RoleView(status="finished", **base)  # type: ignore[arg-type]


def recent_feed(scenario: Scenario, events: list[Event]) -> list[str]:
    """The last few lines worth showing in the team's event feed."""
    return [line for e in events[-40:] if (line := describe(scenario, e))][-6:]


def team_view(
    scenario: Scenario,
    state: State,
    now: float,
    events: list[Event] | None = None,
    recent: list[str] | None = None,
) -> TeamView:
    """The team bar and every role; pass ``recent`` (from :func:`recent_feed`) to reuse a feed
    already built, e.g. once per new event instead of once per frame."""
    if recent is None:
        recent = recent_feed(scenario, events or [])
    end = state.now if state.over else now
    return TeamView(
        title=scenario.title,
        team=state.team,
        status=state.status,
        score=state.score,
        elapsed=max(0.0, end - state.started_at),
        done=sum(1 for t in state.done if t in scenario.tasks),
        total=tasks_total(scenario, state),
        roles=[role_view(scenario, state, r, now) for r in scenario.roles],
        ending=state.ending,
        recent=recent,
        counters=[
            (f.display, _flag_text(state.flags.get(f.id, f.initial)))
            for f in scenario.data.flags
            if f.display
        ],
    )


def _flag_text(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def describe(scenario: Scenario, event: Event) -> str:
    """One Chinese line for the team's event feed ('' for events not worth showing)."""
    d = event.data
    who = scenario.role_name(event.role) if event.role else ""
    kind = event.kind
    if kind == "task_opened":
        return f"{who} 开始《{scenario.tasks[d['task']].title}》"
    if kind == "task_completed":
        title = scenario.tasks[d["task"]].title
        return f"{who} 跳过了《{title}》" if d["outcome"] == "skipped" else f"{who} 完成《{title}》"
    if kind == "trap_sprung":
        trap = scenario.traps[d["trap"]].trap
        return f"{who} 落入陷阱「{trap.title}」" + (f"，扣 {d['penalty']} 分" if d["penalty"] else "")
    if kind == "team_event":
        return f"团队事件：{scenario.events[d['event']].title}"
    if kind == "task_activated":
        return f"新的补救任务：《{scenario.tasks[d['task']].title}》"
    if kind == "task_cancelled":
        return f"《{scenario.tasks[d['task']].title}》被迫中断"
    if kind == "ending_reached":
        return f"结局：{scenario.endings[d['ending']].title}"
    if kind == "hint_given":
        return f"主持人给 {who} 提示"
    if kind == "session_paused":
        return "主持人暂停了会话"
    if kind == "session_unpaused":
        return "会话继续"
    if kind == "session_stuck":
        return "团队陷入僵局：没有人能继续行动"
    return ""


def format_duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def trap_consequences(scenario: Scenario, event: Event) -> list[str]:
    """What a sprung trap (a ``trap_sprung`` event) cost, in the order players feel it."""
    trap = scenario.traps[event.data["trap"]].trap
    out = []
    if event.data.get("penalty"):
        out.append(f"全队扣 {event.data['penalty']} 分")
    if trap.lockout_seconds:
        out.append(f"{scenario.role_name(event.role or '')} 锁定 {trap.lockout_seconds} 秒")
    if trap.step_back:
        out.append("退回上一步重新选择")
    if trap.open_tasks:
        out.append("新增补救任务：" + "、".join(f"《{scenario.tasks[t].title}》" for t in trap.open_tasks))
    return out
