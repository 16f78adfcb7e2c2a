"""The rules: ``decide(scenario, state, action, now) -> [Event]``, pure and deterministic.

Given the same scenario, state, action and time, the same events come out; nothing here reads a
clock, a file or a random source. After every action the rules *settle* the team: team events
whose condition now holds fire, idle roles open their next available task (or wait, naming
whom they wait for), and the first ending whose condition holds ends the session.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from engine.format.conditions import Input, Predicate, Unmet
from engine.format.effects import EventKind
from engine.format.model import FlagValue
from engine.format.scenario import Scenario
from engine.rules import knowledge
from engine.rules.actions import (
    Abandon,
    Action,
    Answer,
    Choose,
    Hint,
    Pause,
    Resume,
    RuleViolation,
    Skip,
    SkipQuiz,
    Start,
    Unpause,
)
from engine.rules.changes import CHANGES, PLAN_INPUT
from engine.rules.state import Event, RoleState, State, apply_event

# The actions live in engine.rules.actions; they are named here too, where callers look for them.
__all__ = [
    "Abandon",
    "Action",
    "Answer",
    "Choose",
    "Hint",
    "Pause",
    "Resume",
    "RuleViolation",
    "Skip",
    "SkipQuiz",
    "Start",
    "Unpause",
    "decide",
    "in_play",
    "is_open",
    "offered",
    "step",
    "tasks_total",
    "visible_choices",
]


# --- queries shared by rules, views and bots ---------------------------------------------------


def offered(gate: tuple[Predicate | None, str | None], state: State) -> bool:
    """Is a choice offered now: its ``when`` holds and its trap (if any) has not yet sprung.

    ``gate`` is the choice's (compiled when, trap id) from ``Scenario.choice_gates``."""
    when, trap = gate
    return (when is None or when(state)) and (trap is None or trap not in state.sprung)


def visible_choices(scenario: Scenario, state: State, task: str, node: str) -> list[int]:
    """Indices of the choices offered now."""
    gates = scenario.choice_gates[(task, node)]
    return [i for i, gate in enumerate(gates) if offered(gate, state)]


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


# Event's generated __new__ is a Python function; building the tuple directly skips it (the
# rules build several events per action).
_new_event = tuple.__new__


class _Turn:
    """Accumulates the events of one action, folding each into a scratch state as it goes.

    ``exhaustive`` re-tests every event, ending and idle role after the action instead of only
    those reading a changed input: the reference the tests compare the fast path against.
    """

    __slots__ = ("changed", "events", "exhaustive", "now", "s", "state")

    def __init__(
        self, scenario: Scenario, state: State, now: float, in_place: bool = False, exhaustive: bool = False
    ) -> None:
        self.s = scenario
        self.state = state if in_place else state.copy()
        self.now = max(now, state.now)
        self.events: list[Event] = []
        self.changed: list[Input] = []
        self.exhaustive = exhaustive

    def emit(self, kind: EventKind, role: str | None = None, **data: Any) -> None:
        if role is not None:
            data["role"] = role
        event = _new_event(Event, (kind, self.now, data, role))
        apply_event(self.state, event)
        self.events.append(event)
        changes = CHANGES.get(kind)
        if changes is not None:
            self.changed.extend(changes(data))

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
        """Fire team events, open tasks, end the session or record who waits for whom.

        After every settle no unfired event and no ending holds, and every idle role has
        either a task, a wait or is finished. So only checks that read an input this turn
        changed can have become true, and only idle roles whose tasks' requirements read one
        can open a task or wait differently (or all of them, when tasks were cancelled or
        activated); the rest is skipped.
        """
        if not self.changed and not self.exhaustive:
            return
        s, st, changed = self.s, self.state, self.changed
        everything = self.exhaustive
        # Team events may chain (one sets a flag another waits for); each fires once, so this
        # ends. Passes go in file order, as if every event were tested every pass.
        checks, watch = s.event_checks, s.event_watch
        dirty = set(range(len(checks))) if everything else {i for key in changed for i in watch.get(key, ())}
        while dirty:
            for i in range(len(checks)):
                if i not in dirty:
                    continue
                dirty.discard(i)
                event_id, event, when = checks[i]
                if event_id in st.fired or not when(st):
                    continue
                mark = len(changed)
                self.emit("team_event", event=event_id)
                self.flags(event.set, event.add)
                self.activate(event.open_tasks, event_id)
                for task in event.cancel_tasks:
                    if task not in st.done and task not in st.cancelled:
                        self.emit("task_cancelled", task=task, by=event_id)
                for key in changed[mark:]:
                    dirty.update(watch.get(key, ()))
        inputs = set(changed)
        replan = everything or PLAN_INPUT in inputs
        role_inputs = s.role_inputs
        idle = [
            (role_id, rs)
            for role_id, rs in st.roles.items()
            if rs.task is None
            and not rs.finished
            and (replan or rs.waiting is None or not role_inputs[role_id].isdisjoint(inputs))
        ]
        # Opening a task changes nothing an event or ending can test, so one pass suffices.
        pending = self._open_tasks(idle) if idle else ()
        endings = s.ending_checks
        if everything:
            candidates: Iterable[int] = range(len(endings))
        else:
            candidates = sorted({i for key in inputs for i in s.ending_watch.get(key, ())})
        for i in candidates:
            ending, when = endings[i]
            if when(st):
                self.emit("ending_reached", ending=ending.id, bonus=ending.bonus)
                return
        if pending:
            self._update_waits(pending)
            # Stuck needs every role idle, so also the one that just acted (it had a task):
            # that role is among the re-tested ones, so this test is only needed here.
            if all(rs.task is None for rs in st.roles.values()):
                self.emit("session_stuck")

    def _open_tasks(
        self, idle: list[tuple[str, RoleState]]
    ) -> list[tuple[str, RoleState, str | None, Unmet | None]]:
        """Open each idle role's next ready task. Returns the roles still idle, each with its
        first task still to do (None: nothing left) and that task's missing-tasks query."""
        s, st = self.s, self.state
        done, cancelled, activated = st.done, st.cancelled, st.activated
        still = []
        for role_id, rs in idle:
            first: str | None = None
            first_unmet: Unmet | None = None
            for task_id, remedial, start, unmet, ready in s.role_plan[role_id]:
                if task_id in done or task_id in cancelled or (remedial and task_id not in activated):
                    continue
                if ready is None or ready(st):
                    self.emit("task_opened", role_id, task=task_id, node=start)
                    break
                if first is None:
                    first, first_unmet = task_id, unmet
            else:
                still.append((role_id, rs, first, first_unmet))
        return still

    def _update_waits(self, pending: list[tuple[str, RoleState, str | None, Unmet | None]]) -> None:
        st, task_role = self.state, self.s.task_role
        for role_id, rs, task_id, unmet in pending:
            if task_id is None:
                self.emit("role_finished", role_id)
                continue
            missing = unmet(st) if unmet is not None else ()
            if len(missing) == 1:
                blockers: tuple[str, ...] = (task_role[missing[0]],)
            else:
                blockers = tuple(dict.fromkeys(task_role[m] for m in missing))
            wait = rs.waiting
            if wait is None or wait.task != task_id or wait.missing != missing or wait.blockers != blockers:
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
        data: dict[str, Any] = dict(
            scenario_id=s.id,
            scenario_hash=s.hash,
            team=action.team,
            score=s.data.scoring.start,
            flags=dict(s.flag_initial),
            roles=list(s.roles),
        )
        if action.shuffle is not None:  # absent: shown as written, as every session before it
            data["shuffle"] = action.shuffle
        asks = action.quiz != "off" and bool(s.quiz)
        if asks:
            data["quiz"] = list(s.quiz)
        self.emit("session_started", **data)
        for role_id in s.roles:
            self.emit("role_assigned", role_id, player=action.assignment[role_id])
        if asks and action.quiz == "skip":  # the facilitator skipped both checks, said in the log
            self.emit("quiz_skipped", phase="pre")
            self.emit("quiz_skipped", phase="post")
        self.exhaustive = True  # a new team: nothing is settled yet
        self.settle()

    def _role(self, role_id: str) -> tuple[str, str]:
        st = self.state
        if st.status == "paused":
            raise RuleViolation("会话已暂停，请主持人继续后再操作")
        if st.status == "quiz":
            raise RuleViolation("请先完成赛前知识小测（或由主持人跳过），再开始行动")
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
            left = math.ceil(rs.locked_until - self.now)  # a countdown, rounded as every screen shows it
            raise RuleViolation(f"{s.role_name(action.role)} 被锁定中，还需等待 {left} 秒")
        choices = s.node(task_id, node_id).choices
        gates = s.choice_gates[(task_id, node_id)]
        if not 0 <= action.choice < len(choices) or not offered(gates[action.choice], st):
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
    scenario: Scenario,
    state: State,
    action: Action,
    now: float,
    in_place: bool = False,
    exhaustive: bool = False,
) -> tuple[list[Event], State]:
    """Like :func:`decide`, also returning the state after the events (saves a re-fold).

    ``in_place=True`` lets a caller that owns ``state`` skip the copy (bots, simulations): the
    state is then advanced in place. Refused actions never change it either way, because every
    check happens before the first event is emitted.

    ``exhaustive=True`` settles by re-testing every event, ending and idle role instead of
    only those that read what the action changed; the same events come out (the tests hold
    the fast path to it).
    """
    turn = _Turn(scenario, state, now, in_place, exhaustive)
    if isinstance(action, Choose):  # by far the commonest: tested first
        turn.choose(action)
    elif isinstance(action, Start):
        turn.start(action)
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
        down = action.down_since
        if down is not None and state.status == "active" and state.paused_at is None:
            turn.emit("session_resumed", down_since=min(down, now))  # paused or in the check: stood still
        else:
            turn.emit("session_resumed")
    elif isinstance(action, Answer):
        role, data = knowledge.answer(scenario, state, action)
        turn.emit("quiz_answered", role, **data)  # the role rides in the data, as the store keeps it
    elif isinstance(action, SkipQuiz):
        turn.emit("quiz_skipped", **knowledge.skip(state, action))
    else:  # pragma: no cover - exhaustive
        raise TypeError(action)
    return turn.events, turn.state
