"""The rules: ``decide(scenario, state, action, now) -> [Event]``, pure and deterministic.

Given the same scenario, state, action and time, the same events come out; nothing here reads a
clock, a file or a random source. After every action the rules *settle* the team: team events
whose condition now holds fire, idle roles open their next available task (or wait, naming
whom they wait for), and the first ending whose condition holds ends the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .conditions import unmet_tasks
from .model import Choice, FlagValue
from .scenario import Scenario
from .state import Event, State, apply_event


class RuleViolation(Exception):
    """An action the rules refuse (not your turn, locked out, stale choice, ...); message in Chinese."""


# --- actions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    team: str
    assignment: dict[str, str]  # role id -> player name


@dataclass(frozen=True)
class Choose:
    role: str
    choice: int  # index into the node's choices as written in the YAML
    node: str | None = None  # the node the player saw; a mismatch means the action is stale


@dataclass(frozen=True)
class Skip:
    """Facilitator: finish a role's current task as "skipped" (audited, no points)."""

    role: str


@dataclass(frozen=True)
class Hint:
    role: str


@dataclass(frozen=True)
class Pause:
    pass


@dataclass(frozen=True)
class Unpause:
    pass


@dataclass(frozen=True)
class Abandon:
    reason: str = ""


@dataclass(frozen=True)
class Resume:
    """Marks that a session continued in a new process (audit only)."""


Action = Start | Choose | Skip | Hint | Pause | Unpause | Abandon | Resume


# --- queries shared by rules, views and bots ---------------------------------------------------


def offered(scenario: Scenario, state: State, choice: Choice) -> bool:
    """Is this choice offered now: its ``when`` holds and its trap (if any) has not yet sprung."""
    if choice.when is not None and not scenario.holds(choice.when, state):
        return False
    return choice.trap is None or choice.trap.id not in state.sprung


def visible_choices(scenario: Scenario, state: State, task: str, node: str) -> list[int]:
    """Indices of the choices offered now."""
    return [i for i, c in enumerate(scenario.node(task, node).choices) if offered(scenario, state, c)]


def in_play(scenario: Scenario, state: State, task_id: str) -> bool:
    """Counts towards the team's progress: not cancelled, and not a dormant remedial task."""
    return task_id not in state.cancelled and (
        not scenario.tasks[task_id].remedial or task_id in state.activated
    )


def is_open(scenario: Scenario, state: State, task_id: str) -> bool:
    """Still to be done by someone (the rules' hot paths inline this same test)."""
    return task_id not in state.done and in_play(scenario, state, task_id)


def tasks_total(scenario: Scenario, state: State) -> int:
    """Tasks that count towards progress: all but cancelled and dormant remedial ones."""
    return sum(1 for t in scenario.tasks if in_play(scenario, state, t))


# --- the decision ------------------------------------------------------------------------------


# Events that can change what a waiting role waits for (its next task, the missing tasks and
# their roles). A wait is recomputed only in turns that had one of these.
_WAIT_INPUTS = frozenset(
    {
        "task_completed",
        "task_cancelled",
        "task_activated",
        "session_started",
        "flag_set",
        "team_event",
        "trap_sprung",
    }
)


class _Turn:
    """Accumulates the events of one action, folding each into a scratch state as it goes."""

    def __init__(self, scenario: Scenario, state: State, now: float, in_place: bool = False) -> None:
        self.s = scenario
        self.state = state if in_place else state.copy()
        self.now = max(now, state.now)
        self.events: list[Event] = []
        self.wait_inputs_changed = False

    def emit(self, kind: str, role: str | None = None, **data: Any) -> None:
        if role is not None:
            data["role"] = role
        event = Event(kind, self.now, data, role)
        apply_event(self.state, event)
        self.events.append(event)
        if kind in _WAIT_INPUTS:
            self.wait_inputs_changed = True

    # effects ------------------------------------------------------------------------------

    def flags(self, set_: dict[str, FlagValue], add: dict[str, int]) -> None:
        for flag, value in set_.items():
            if self.state.flags.get(flag) != value or type(self.state.flags.get(flag)) is not type(value):
                self.emit("flag_set", flag=flag, value=value)
        for flag, delta in add.items():
            if delta:
                current = self.state.flags.get(flag, 0)
                self.emit("flag_set", flag=flag, value=int(current) + delta)

    def activate(self, tasks: list[str], by: str) -> None:
        for task in tasks:
            if task not in self.state.activated and task not in self.state.done:
                self.emit("task_activated", task=task, by=by)

    # settling -----------------------------------------------------------------------------

    def settle(self) -> None:
        s, st = self.s, self.state
        # Team events may chain (one sets a flag another waits for); each fires once, so this ends.
        fired_any = True
        while fired_any:
            fired_any = False
            for event, when in s.event_checks:
                if event.id not in st.fired and when(st):
                    self.emit("team_event", event=event.id)
                    self.flags(event.set, event.add)
                    self.activate(event.open_tasks, event.id)
                    for task in event.cancel_tasks:
                        if task not in st.done and task not in st.cancelled:
                            self.emit("task_cancelled", task=task, by=event.id)
                    fired_any = True
        # Opening a task changes nothing an event or ending can test, so one pass suffices.
        self._open_tasks()
        for ending, when in s.ending_checks:
            if when(st):
                self.emit("ending_reached", ending=ending.id, bonus=ending.bonus)
                return
        self._update_waits()
        if all(rs.task is None for rs in st.roles.values()):
            self.emit("session_stuck")

    def _open_tasks(self) -> None:
        s, st = self.s, self.state
        done, cancelled, activated = st.done, st.cancelled, st.activated
        for role_id, rs in st.roles.items():
            if rs.task is not None or rs.finished:
                continue
            for task_id, remedial, start, _, ready in s.role_plan[role_id]:
                if task_id in done or task_id in cancelled or (remedial and task_id not in activated):
                    continue
                if ready is None or ready(st):
                    self.emit("task_opened", role_id, task=task_id, node=start)
                    break

    def _update_waits(self) -> None:
        s, st = self.s, self.state
        for role_id, rs in st.roles.items():
            if rs.task is not None or rs.finished:
                continue
            if rs.waiting is not None and not self.wait_inputs_changed:
                continue
            done, cancelled, activated = st.done, st.cancelled, st.activated
            pending = next(
                (
                    (task_id, requires)
                    for task_id, remedial, _, requires, _ in s.role_plan[role_id]
                    if task_id not in done
                    and task_id not in cancelled
                    and (not remedial or task_id in activated)
                ),
                None,
            )
            if pending is None:
                self.emit("role_finished", role_id)
                continue
            task_id, requires = pending
            missing = tuple(unmet_tasks(requires, st, s.holds)) if requires is not None else ()
            blockers = tuple(dict.fromkeys(s.tasks[m].role for m in missing))
            wait = rs.waiting
            if wait is None or (wait.task, wait.blockers, wait.missing) != (task_id, blockers, missing):
                self.emit(
                    "role_waiting", role_id, task=task_id, blockers=list(blockers), missing=list(missing)
                )

    # actions ------------------------------------------------------------------------------

    def start(self, action: Start) -> None:
        s = self.s
        if self.state.status != "new":
            raise RuleViolation("会话已经开始")
        unknown = [r for r in action.assignment if r not in s.roles]
        if unknown:
            raise RuleViolation(f"场景中没有角色：{'、'.join(unknown)}")
        unassigned = [s.roles[r].name for r in s.roles if not action.assignment.get(r)]
        if unassigned:
            raise RuleViolation(f"这些角色还没有玩家：{'、'.join(unassigned)}")
        self.emit(
            "session_started",
            scenario_id=s.id,
            scenario_hash=s.hash,
            team=action.team,
            score=s.data.scoring.start,
            flags=dict(s.flag_initial),
            roles=list(s.roles),
        )
        for role_id in s.roles:
            self.emit("role_assigned", role_id, player=action.assignment[role_id])
        self.settle()

    def _role(self, role_id: str) -> tuple[str, str]:
        st = self.state
        if st.status == "paused":
            raise RuleViolation("会话已暂停，请主持人继续后再操作")
        if st.status != "active":
            raise RuleViolation("会话已经结束")
        rs = st.roles.get(role_id)
        if rs is None:
            raise RuleViolation(f"没有角色 “{role_id}”")
        if rs.task is None or rs.node is None:
            if rs.waiting:
                raise RuleViolation(f"{self.s.role_name(role_id)} 正在等待，暂时不能行动")
            raise RuleViolation(f"{self.s.role_name(role_id)} 当前没有任务")
        return rs.task, rs.node

    def choose(self, action: Choose) -> None:
        s, st = self.s, self.state
        task_id, node_id = self._role(action.role)
        rs = st.roles[action.role]
        if action.node is not None and action.node != node_id:
            raise RuleViolation("这个选择已经过时（画面已更新），请重新选择")
        if self.now < rs.locked_until:
            left = int(rs.locked_until - self.now + 0.999)
            raise RuleViolation(f"{s.role_name(action.role)} 被锁定中，还需等待 {left} 秒")
        choices = s.node(task_id, node_id).choices
        if not 0 <= action.choice < len(choices) or not offered(s, st, choices[action.choice]):
            raise RuleViolation("没有这个选项")
        choice = choices[action.choice]
        self.emit(
            "choice_made",
            action.role,
            task=task_id,
            node=node_id,
            choice=action.choice,
            text=choice.text,
            points=choice.points,
        )
        self.flags(choice.set, choice.add)
        trap = choice.trap
        moved = False
        if trap is not None:
            self.emit(
                "trap_sprung",
                action.role,
                task=task_id,
                node=node_id,
                trap=trap.id,
                penalty=trap.penalty,
                lockout_until=self.now + trap.lockout_seconds if trap.lockout_seconds else 0.0,
            )
            self.flags(trap.set, trap.add)
            self.activate(trap.open_tasks, trap.id)
            if trap.step_back:
                self.emit("node_entered", action.role, task=task_id, node=trap.step_back, reason="step_back")
                moved = True
        if not moved:
            if choice.goto:
                self.emit("node_entered", action.role, task=task_id, node=choice.goto, reason="goto")
            elif choice.complete:
                self.emit(
                    "task_completed",
                    action.role,
                    task=task_id,
                    outcome=choice.complete,
                    points=s.task_points(task_id),
                )
        self.settle()

    def skip(self, action: Skip) -> None:
        task_id, _ = self._role(action.role)
        self.emit("task_skipped", action.role, task=task_id)
        self.emit("task_completed", action.role, task=task_id, outcome="skipped", points=0)
        self.settle()

    def hint(self, action: Hint) -> None:
        task_id, node_id = self._role(action.role)
        text = self.s.node(task_id, node_id).hint or "这一步没有预设提示：请回顾角色简介和之前的剧情。"
        self.emit("hint_given", action.role, text=text)


def decide(scenario: Scenario, state: State, action: Action, now: float) -> list[Event]:
    """Events that ``action`` produces at time ``now``; raises RuleViolation if not allowed."""
    return step(scenario, state, action, now)[0]


def step(
    scenario: Scenario, state: State, action: Action, now: float, in_place: bool = False
) -> tuple[list[Event], State]:
    """Like :func:`decide`, also returning the state after the events (saves a re-fold).

    ``in_place=True`` lets a caller that owns ``state`` skip the copy (bots, simulations): the
    state is then advanced in place. Refused actions never change it either way, because every
    check happens before the first event is emitted.
    """
    turn = _Turn(scenario, state, now, in_place)
    if isinstance(action, Start):
        turn.start(action)
    elif isinstance(action, Choose):
        turn.choose(action)
    elif isinstance(action, Skip):
        turn.skip(action)
    elif isinstance(action, Hint):
        turn.hint(action)
    elif isinstance(action, Pause):
        if state.status != "active":
            raise RuleViolation("只有进行中的会话可以暂停")
        turn.emit("session_paused")
    elif isinstance(action, Unpause):
        if state.status != "paused":
            raise RuleViolation("会话没有暂停")
        turn.emit("session_unpaused")
    elif isinstance(action, Abandon):
        if state.over:
            raise RuleViolation("会话已经结束")
        turn.emit("session_abandoned", reason=action.reason)
    elif isinstance(action, Resume):
        turn.emit("session_resumed")
    else:  # pragma: no cover - exhaustive
        raise TypeError(action)
    return turn.events, turn.state
