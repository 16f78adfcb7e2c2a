"""What each role and the team see right now: pure projections of (scenario, state, now) into data.

The terminal, the pygame screens and the web host all render these, so "what a role sees" is
decided once, here, in the same words everywhere. Times are game time (:meth:`State.game_now`):
while the session is paused, clocks, waits and lock-outs stand still, and ``TeamView.ticking``
tells a front-end that counts seconds between updates whether to count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from engine.format.conditions import unmet_events
from engine.format.scenario import Scenario
from engine.present import labels
from engine.present.feed import recent_feed
from engine.rules.shuffle import shown_choices
from engine.rules.state import Event, State
from engine.rules.step import in_play

RoleStatus = Literal["active", "locked", "waiting", "finished", "over", "quiz"]
MeterLevel = Literal["calm", "warn", "danger", "over"]


@dataclass(frozen=True)
class ChoiceView:
    """A choice as shown: in the session's order (:mod:`engine.rules.shuffle`), numbered from 1.
    The number is what a player presses; the index (as written in the YAML) is what the action
    carries, so every front-end maps shown position <-> authored index through this one view."""

    index: int  # the index the action must carry
    number: int  # 1-based number shown to players
    text: str


@dataclass(frozen=True)
class WaitView:
    task_title: str
    blockers: list[tuple[str, str, str]]  # (role id, role name, task title)
    seconds: float  # game seconds waited so far
    events: list[str] = field(default_factory=list)  # titles of team events still to happen

    def lines(self) -> list[str]:
        """What the role waits for, one line per teammate (``张国焘 完成《宣布开会》``) or event;
        screens list these one under another instead of running them into one sentence."""
        if not self.blockers:
            return [f"「{e}」发生" for e in self.events] or ["时机"]
        by_role: dict[str, list[str]] = {}
        for _, name, title in self.blockers:
            by_role.setdefault(name, []).append(f"《{title}》")
        return [f"{name} 完成{''.join(titles)}" for name, titles in by_role.items()]

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
    locked_seconds: float = 0.0  # game seconds of lock-out left
    tasks_done: int = 0
    tasks_total: int = 0
    traps: int = 0

    @property
    def who(self) -> str:
        return labels.who(self.name, self.player)

    @property
    def status_label(self) -> str:
        return labels.ROLE_STATUS_NAMES[self.status]

    @property
    def locked_left(self) -> int:
        """The lock-out countdown as shown: whole seconds, rounded up."""
        return labels.seconds_left(self.locked_seconds)

    def situation(self) -> str:
        """The role's situation in one line, without its name (status lines, the host's table)."""
        if self.status == "waiting" and self.wait:
            return f"{self.wait.sentence()}，已等 {labels.format_duration(self.wait.seconds)}"
        if self.status == "locked":
            return f"被锁定，还需 {self.locked_left} 秒"
        if self.status == "finished":
            return "任务全部完成"
        if self.status == "over":
            return "会话已结束"
        if self.status == "quiz":
            return "知识小测中，游戏还没开始"
        return f"《{self.task_title}》"

    def headline(self) -> str:
        return f"{self.who}：{self.situation()}"

    def short(self) -> str:
        """The role's state in a few characters (the team lists on phones and the host page)."""
        if self.status == "active":
            return f"《{self.task_title}》"
        if self.status == "locked":
            return f"锁定中《{self.task_title}》"
        return self.status_label


@dataclass(frozen=True)
class Meter:
    """A displayed count with a limit (``flags[].limit``), e.g. 危险 2/3: how close the team is to
    the ending that limit stands for. ``level`` escalates as it nears the limit: ``calm`` at the
    start value, ``warn`` on the way, ``danger`` one step short of the limit, ``over`` at it."""

    flag: str
    label: str
    value: int
    limit: int

    @property
    def level(self) -> MeterLevel:
        if self.value >= self.limit:
            return "over"
        if self.value >= self.limit - 1:
            return "danger"
        return "warn" if self.value > 0 else "calm"

    @property
    def text(self) -> str:
        return f"{self.value}/{self.limit}"


def meters(scenario: Scenario, state: State) -> list[Meter]:
    """Every displayed int flag with a limit, in declaration order."""
    out = []
    for f in scenario.data.flags:
        value = state.flags.get(f.id, f.initial)
        if f.display and f.limit is not None and isinstance(value, int) and not isinstance(value, bool):
            out.append(Meter(f.id, f.display, value, f.limit))
    return out


@dataclass(frozen=True)
class Progress:
    """The team's progress with a total that never moves: the scenario's planned (non-remedial)
    tasks, each counted once it is done or no longer to be done (cut off by a team event).
    Remedial tasks a trap or event added are counted apart (``extra``), so the total players
    see at the start is the total they see at the end."""

    done: int
    total: int
    extra_done: int = 0
    extra_total: int = 0


def progress(scenario: Scenario, state: State) -> Progress:
    planned = [t for t in scenario.tasks.values() if not t.remedial]
    extra = [t.id for t in scenario.tasks.values() if t.remedial and in_play(scenario, state, t.id)]
    return Progress(
        done=sum(1 for t in planned if t.id in state.done or t.id in state.cancelled),
        total=len(planned),
        extra_done=sum(1 for t in extra if t in state.done),
        extra_total=len(extra),
    )


@dataclass(frozen=True)
class TeamView:
    title: str
    team: str
    status: str
    score: int
    elapsed: float  # game seconds since the start
    done: int
    total: int
    roles: list[RoleView]
    ending: str | None
    recent: list[str]
    counters: list[tuple[str, str]] = field(default_factory=list)  # (label, value) of displayed flags
    meters: list[Meter] = field(default_factory=list)  # displayed flags with a limit, as meters
    extra_done: int = 0  # remedial tasks done, of ``extra_total`` added during play
    extra_total: int = 0

    @property
    def paused(self) -> bool:
        return self.status == "paused"

    @property
    def ticking(self) -> bool:
        """Do clocks, waits and lock-outs run on (between two updates)?"""
        return self.status == "active"

    @property
    def clock(self) -> str:
        return labels.format_duration(self.elapsed)

    @property
    def status_label(self) -> str:
        return labels.STATUS_NAMES.get(self.status, self.status)


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
    if state.status == "quiz":  # the team answers the knowledge check first: nobody acts yet
        return RoleView(status="quiz", **base)  # type: ignore[arg-type]
    game_now = state.game_now(now)
    if rs.task is not None and rs.node is not None:
        task = scenario.tasks[rs.task]
        node = scenario.node(rs.task, rs.node)
        choices = [
            ChoiceView(i, n + 1, node.choices[i].text)
            for n, i in enumerate(shown_choices(scenario, state, rs.task, rs.node))
        ]
        locked = max(0.0, rs.locked_until - game_now)
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
            max(0.0, game_now - w.since),
            [scenario.events[e].title for e in pending],
        )
        return RoleView(status="waiting", wait=wait, **base)  # type: ignore[arg-type]
    return RoleView(status="finished", **base)  # type: ignore[arg-type]


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
    made = progress(scenario, state)
    return TeamView(
        title=scenario.title,
        team=state.team,
        status=state.status,
        score=state.score,
        elapsed=state.elapsed(now),
        done=made.done,
        total=made.total,
        roles=[role_view(scenario, state, r, now) for r in scenario.roles],
        ending=state.ending,
        recent=recent,
        counters=[
            (f.display, labels.flag_value(state.flags.get(f.id, f.initial), f.limit))
            for f in scenario.data.flags
            if f.display
        ],
        meters=meters(scenario, state),
        extra_done=made.extra_done,
        extra_total=made.extra_total,
    )


def summary(scenario: Scenario, state: State) -> str:
    """Where a stored session stands, in one line (the title screen's resume list):
    ``得分 120 · 进度 8/19 · 用时 12:30``; time counts to the session's last action."""
    made = progress(scenario, state)
    extra = f"（补救 {made.extra_done}/{made.extra_total}）" if made.extra_total else ""
    clock = labels.format_duration(state.elapsed(state.now))
    return f"得分 {state.score} · 进度 {made.done}/{made.total}{extra} · 用时 {clock}"
