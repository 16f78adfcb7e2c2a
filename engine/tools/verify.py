"""Prove that a scenario cannot trap a team: explore every reachable team state with the real rules.

    verify(scenario, max_states=1_000_000, reduce=True, skips=False) -> VerifyReport

The explorer starts from the state after ``Start`` (roles are independent of who plays them) and
tries every offered choice of every role holding a task, in every order, through
:func:`engine.rules.step.step` itself, so traps, team events, remedial tasks and endings behave exactly
as in a real session.

Facilitator skips (``skips=True``): every state where a role holds a task also gets the move
``Skip(role)`` (the facilitator finishes the task with outcome "skipped", no points), applied with
the same rules. A skip completes a task and opens the role's next one, so it is never a private
move, and it is enabled wherever its role holds a task: no ample set of private moves can leave
it out. Partial-order reduction is therefore switched off with skips (all counts are exact). A
task's outcome is part of the state key whenever some condition reads an outcome, so "skipped"
is told apart from the task's own outcomes exactly when that can matter. With skips a role
stuck at a node with no offered choice is no dead-lock (the facilitator can skip it): findings
are the states nobody -- not even the facilitator -- can move on from, or that can no longer
reach an ending.

Abstractions, all sound for "can the team get stuck / can it still reach an ending":

- Time: a lock-out delays a role but never blocks it forever, so a locked role is treated as able
  to act (the step is taken at the moment the lock-out ends). Timestamps, waits' ``since`` and
  lock-out deadlines are left out of the state key.
- The score is part of the key only when some condition reads it (``score:``); otherwise it does
  not change what can happen.
- Partial-order reduction (``reduce=True``): a *private* move -- a choice that only moves its role
  to another node of the same task, writes nothing any other role, team event or ending reads,
  and whose offer nobody else can change -- commutes with every other role's moves. When a role
  stands at such a node only that role's moves are explored there (an "ample set"); a state whose
  reduced successors were all seen before is expanded fully, so no cycle is cut short. Dead-locks,
  reachable endings, nodes, tasks and traps are preserved; step counts are those of the reduced
  graph (``VerifyReport.reduced_states`` says how often the reduction applied; 0 means exact).

Findings:

- dead-lock: a reachable state where no role can act, no ending holds, and someone still has
  work (waiting on the others, or at a node none of whose choices is offered);
- unwinnable: a state from which no ending can be reached at all. Reported once at its point of
  no return (the first state on the shortest path that can no longer reach an ending), with one
  way on to where it ends ("all work done but no ending holds", a dead-lock, or an endless loop).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field

from engine.format.conditions import iter_conditions
from engine.format.model import (
    Condition,
    EventCondition,
    FlagCondition,
    ScoreCondition,
    TaskDoneCondition,
    TrapCondition,
    TrapsSprungCondition,
)
from engine.format.scenario import Scenario
from engine.rules.state import State
from engine.rules.step import Choose, Skip, Start, step, visible_choices
from engine.tools.wording import snippet, unmet_text

MAX_FINDINGS = 8  # of each kind, shortest first; the counts say how many states were affected


@dataclass(frozen=True)
class Move:
    """One step of a trace: ``role`` takes choice ``choice`` at ``node`` of ``task``; with
    ``skip`` the facilitator skips the role's task instead (``choice`` is then -1)."""

    role: str
    task: str
    node: str
    choice: int
    skip: bool = False

    def action(self) -> Choose | Skip:
        """The rules action that replays this step."""
        return Skip(self.role) if self.skip else Choose(self.role, self.choice, self.node)


@dataclass
class Finding:
    """A problem and how to reproduce it.

    Attributes:
        kind: ``deadlock`` (someone still has work, nobody can act), ``no_choice`` (a role holds
            a task but none of its choices is offered, and nobody else can act), ``unwinnable``
            (no ending can be reached any more).
        trace: the moves from the start that lead there (shortest found).
        message: what is wrong at the end of the trace, in Chinese.
        continuation: for ``unwinnable``: one way on from there to where the session ends.
        states: how many explored states share this problem (deduplicated into this finding).
    """

    kind: str
    trace: list[Move]
    message: str
    continuation: list[Move] = field(default_factory=list)
    states: int = 1


@dataclass
class VerifyReport:
    """Everything ``play.py verify`` prints.

    Attributes:
        ok: no dead-lock and no unwinnable state (meaningful only when ``complete``).
        complete: False when exploration stopped at ``max_states``.
        states / transitions: explored states and moves; ``seconds`` the time taken.
        reduced_states: states where partial-order reduction explored only one role's moves.
        skips: facilitator skips were explored as moves (the reduction is then off).
        deadlocks / unwinnable: findings, shortest trace first.
        deadlock_states / unwinnable_states: how many explored states are affected.
        unreachable_endings / tasks / nodes / traps / choices / events: what no play can reach
            (choices: (task, node, index) never offered at a node that is reached; events: team
            events that never happen). Why, in words: :mod:`engine.tools.deadcode`.
        ending_steps: ending id -> (shortest, longest) moves to it; longest None = unbounded
            (a loop lies on the way).
        role_wait: role id -> the longest run of consecutive team moves during which the role
            holds no task yet still has work to come (None = unbounded).
    """

    ok: bool
    complete: bool
    states: int
    transitions: int
    seconds: float
    max_states: int
    reduced_states: int = 0
    skips: bool = False
    deadlocks: list[Finding] = field(default_factory=list)
    unwinnable: list[Finding] = field(default_factory=list)
    deadlock_states: int = 0
    unwinnable_states: int = 0
    unreachable_endings: list[str] = field(default_factory=list)
    unreachable_tasks: list[str] = field(default_factory=list)
    unreachable_nodes: list[tuple[str, str]] = field(default_factory=list)
    unreachable_traps: list[str] = field(default_factory=list)
    unreachable_choices: list[tuple[str, str, int]] = field(default_factory=list)
    unreachable_events: list[str] = field(default_factory=list)
    ending_steps: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    role_wait: dict[str, int | None] = field(default_factory=dict)

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds > 0 else float(self.states)


# --- static read/write analysis for the reduction ------------------------------------------------


def _reads(cond: Condition | None) -> set[str]:
    out: set[str] = set()
    if cond is None:
        return out
    for leaf, _ in iter_conditions(cond, ()):
        if isinstance(leaf, TaskDoneCondition):
            out.add("d:" + leaf.task_done)
        elif isinstance(leaf, FlagCondition):
            out.add("f:" + leaf.flag)
        elif isinstance(leaf, EventCondition):
            out.add("e:" + leaf.event)
        elif isinstance(leaf, TrapCondition):
            out.add("s:" + leaf.trap)
        elif isinstance(leaf, ScoreCondition):
            out.add("score")
        elif isinstance(leaf, TrapsSprungCondition):
            out.add("n:")
    return out


def _uses_score(scenario: Scenario) -> bool:
    conds: list[Condition | None] = [t.requires for t in scenario.tasks.values()]
    conds += [e.when for e in scenario.data.events] + [e.when for e in scenario.data.endings]
    conds += [c.when for n in scenario.nodes.values() for c in n.choices]
    return any("score" in _reads(c) for c in conds)


def _private_nodes(scenario: Scenario, track_score: bool) -> set[tuple[str, str]]:
    """Nodes all of whose choices are private moves (see the module docstring).

    Writes are named like reads (``f:flag``, ``d:task``, ``s:trap``, ``n:`` for the number of
    sprung traps, ``score``); a leading ``+`` marks an addition, which commutes with other
    additions to the same variable but not with setting or reading it.
    """
    global_reads: set[str] = set()
    event_writes: set[str] = set()
    for event in scenario.data.events:
        global_reads |= _reads(event.when)
        event_writes |= {"f:" + f for f in event.set} | {"+f:" + f for f in event.add}
        event_writes |= {"a:" + t for t in event.open_tasks} | {"c:" + t for t in event.cancel_tasks}
        event_writes.add("e:" + event.id)
    for ending in scenario.data.endings:
        global_reads |= _reads(ending.when)
    reads: dict[str, set[str]] = {r: set() for r in scenario.roles}
    writes: dict[str, set[str]] = {r: set() for r in scenario.roles}
    choice_writes: dict[tuple[str, str, int], set[str]] = {}
    for task in scenario.tasks.values():
        reads[task.role] |= _reads(task.requires)
        for node in task.nodes:
            for index, choice in enumerate(node.choices):
                w = {"f:" + f for f in choice.set} | {"+f:" + f for f in choice.add}
                if choice.complete:
                    w.add("d:" + task.id)
                if track_score and (choice.points or choice.complete):
                    w.add("+score")
                trap = choice.trap
                if trap is not None:
                    w |= (
                        {"s:" + trap.id, "+n:"} | {"f:" + f for f in trap.set} | {"+f:" + f for f in trap.add}
                    )
                    w |= {"a:" + t for t in trap.open_tasks}
                    if track_score and trap.penalty:
                        w.add("+score")
                choice_writes[(task.id, node.id, index)] = w
                writes[task.role] |= w
                reads[task.role] |= _reads(choice.when)
    cancellable = {t for e in scenario.data.events for t in e.cancel_tasks}
    private: set[tuple[str, str]] = set()
    for task in scenario.tasks.values():
        if task.id in cancellable:
            continue
        others_read = set(global_reads)
        others_write = set(event_writes)
        for role in scenario.roles:
            if role != task.role:
                others_read |= reads[role]
                others_write |= writes[role]
        others_set = {w for w in others_write if not w.startswith("+")}
        others_any = others_set | {w[1:] for w in others_write if w.startswith("+")}
        for node in task.nodes:
            ok = True
            for index, choice in enumerate(node.choices):
                w = choice_writes[(task.id, node.id, index)]
                sets = {x for x in w if not x.startswith("+")}
                adds = {x[1:] for x in w if x.startswith("+")}
                if choice.complete and not (choice.trap and choice.trap.step_back):
                    ok = False  # completing opens the role's next task: never private
                elif (
                    (sets | adds) & others_read
                    or sets & others_any
                    or adds & others_set
                    or _reads(choice.when) & others_any
                ):
                    ok = False
                if not ok:
                    break
            if ok:
                private.add((task.id, node.id))
    return private


# --- exploration ------------------------------------------------------------------------------------

_ENDED, _STUCK, _ACTIVE = 0, 1, 2


def _start_state(scenario: Scenario) -> State:
    assignment = {role: role for role in scenario.roles}
    return step(scenario, State(), Start("verify", assignment), 0.0)[1]


class _Explorer:
    def __init__(
        self,
        scenario: Scenario,
        max_states: int,
        reduce: bool,
        skips: bool = False,
        observe: Callable[[State], None] | None = None,
    ) -> None:
        self.s = scenario
        self.observe = observe
        self.max_states = max_states
        self.skips = skips
        self.track_score = _uses_score(scenario)
        # a skip is enabled wherever its role holds a task and is never private (module docstring)
        self.private = _private_nodes(scenario, self.track_score) if reduce and not skips else set()
        self.roles = list(scenario.roles)
        self._relevance()
        self.index: dict[Hashable, int] = {}
        self.parent: list[int] = []
        self.via: list[int] = []  # move id of the edge from parent
        self.depth: list[int] = []
        self.succ: list[list[tuple[int, int]]] = []  # (move id, target)
        self.status: list[int] = []
        self.ending: list[str | None] = []
        self.waiting: list[int] = []  # bitmask: roles holding no task but with work to come
        self.expanded: list[bool] = []
        self.moves: list[Move] = []
        self.move_ids: dict[Move, int] = {}
        self.kept: dict[int, State] = {}  # states needed to describe findings
        self.nodes_seen: set[tuple[str, str]] = set()
        self.tasks_seen: set[str] = set()
        self.traps_seen: set[str] = set()
        self.choices_seen: set[tuple[str, str, int]] = set()
        self.events_seen: set[str] = set()
        self.transitions = 0
        self.reduced_states = 0
        self.complete = True

    def key(self, st: State) -> Hashable:
        """What decides the future: everything some condition or rule can still read."""
        roles = tuple((rs.task, rs.node, rs.finished) for rs in st.roles.values())
        done = st.done
        live_traps = self.live_traps
        sprung = frozenset(
            t for t in st.sprung if t in self.read_traps or (live_traps.get(t, "") not in done)
        )
        return (
            st.status,
            st.ending,
            tuple(st.flags[f] for f in self.read_flags if f in st.flags),
            frozenset(done.items()) if self.read_outcomes else frozenset(done),
            frozenset(st.cancelled),
            frozenset(st.activated),
            frozenset(st.fired),
            sprung,
            min(len(st.sprung), self.sprung_cap),
            roles,
            st.score if self.track_score else 0,
        )

    def _relevance(self) -> None:
        """Which parts of a state any condition reads (the rest is left out of the key).

        Unread flags and task outcomes cannot change what happens; a sprung trap matters while
        its task is live (its choice is no longer offered) or when a condition names it; the
        number of sprung traps only grows, so above the largest ``traps_sprung`` bound every
        count compares alike.
        """
        s = self.s
        conds: list[Condition] = [t.requires for t in s.tasks.values() if t.requires is not None]
        conds += [e.when for e in s.data.events] + [e.when for e in s.data.endings]
        conds += [c.when for n in s.nodes.values() for c in n.choices if c.when is not None]
        flags: set[str] = set()
        self.read_traps: set[str] = set()
        self.read_outcomes = False
        cap = 0
        for cond in conds:
            for leaf, _ in iter_conditions(cond, ()):
                if isinstance(leaf, FlagCondition):
                    flags.add(leaf.flag)
                elif isinstance(leaf, TrapCondition):
                    self.read_traps.add(leaf.trap)
                elif isinstance(leaf, TaskDoneCondition) and leaf.outcome is not None:
                    self.read_outcomes = True
                elif isinstance(leaf, TrapsSprungCondition):
                    bounds = [getattr(leaf.traps_sprung, op) for op in ("eq", "ne", "gt", "gte", "lt", "lte")]
                    cap = max(cap, *[b + 1 for b in bounds if b is not None])
        self.read_flags = [f for f in s.flag_initial if f in flags]
        self.sprung_cap = cap
        self.live_traps = {trap: site.task for trap, site in s.traps.items()}

    def move_id(self, move: Move) -> int:
        mid = self.move_ids.get(move)
        if mid is None:
            mid = self.move_ids[move] = len(self.moves)
            self.moves.append(move)
        return mid

    def add(self, st: State, parent: int, via: int) -> tuple[int, bool]:
        k = self.key(st)
        found = self.index.get(k)
        if found is not None:
            return found, False
        idx = len(self.parent)
        self.index[k] = idx
        self.parent.append(parent)
        self.via.append(via)
        self.depth.append(self.depth[parent] + 1 if parent >= 0 else 0)
        self.succ.append([])
        self.status.append(_ENDED if st.status == "ended" else _STUCK if st.status == "stuck" else _ACTIVE)
        self.ending.append(st.ending)
        self.expanded.append(False)
        mask = 0
        for bit, rs in enumerate(st.roles.values()):
            if rs.task is not None:
                self.nodes_seen.add((rs.task, rs.node or ""))
                self.tasks_seen.add(rs.task)
            elif not rs.finished and st.status == "active":
                mask |= 1 << bit
        self.waiting.append(mask)
        self.tasks_seen.update(st.done)
        self.traps_seen.update(st.sprung)
        self.events_seen.update(st.fired)
        if self.observe is not None:
            self.observe(st)
        return idx, True

    def role_moves(self, st: State, role: str) -> Iterator[tuple[Move, Choose | Skip, float]]:
        rs = st.roles[role]
        if rs.task is None or rs.node is None:
            return
        now = max(st.now, rs.locked_until)  # a lock-out delays, never blocks
        for index in visible_choices(self.s, st, rs.task, rs.node):
            self.choices_seen.add((rs.task, rs.node, index))
            yield Move(role, rs.task, rs.node, index), Choose(role, index, rs.node), now
        if self.skips:  # the facilitator may skip even a locked-out role's task
            yield Move(role, rs.task, rs.node, -1, skip=True), Skip(role), st.now

    def expand(self, idx: int, st: State, queue: deque[tuple[int, State]]) -> None:
        self.expanded[idx] = True
        if st.status != "active":
            return
        holders = [r for r in self.roles if st.roles[r].task is not None]
        ample: str | None = None
        for role in holders:
            rs = st.roles[role]
            if (
                rs.task is not None
                and (rs.task, rs.node) in self.private
                and visible_choices(self.s, st, rs.task, rs.node or "")
            ):
                ample = role
                break
        if ample is not None:
            results = [self._try(st, m) for m in self.role_moves(st, ample)]
            if all(self.key(nxt) not in self.index for _, nxt in results):
                self.reduced_states += 1
                self._record(idx, results, queue)
                return
            results += [self._try(st, m) for r in holders if r != ample for m in self.role_moves(st, r)]
        else:
            results = [self._try(st, m) for r in holders for m in self.role_moves(st, r)]
        self._record(idx, results, queue)

    def _try(self, st: State, m: tuple[Move, Choose | Skip, float]) -> tuple[Move, State]:
        move, action, now = m
        return move, step(self.s, st, action, now)[1]

    def _record(self, idx: int, results: list[tuple[Move, State]], queue: deque[tuple[int, State]]) -> None:
        edges = self.succ[idx]
        for move, nxt in results:
            mid = self.move_id(move)
            self.traps_seen.update(nxt.sprung)
            if len(self.parent) >= self.max_states and self.key(nxt) not in self.index:
                self.complete = False
                continue
            target, new = self.add(nxt, idx, mid)
            edges.append((mid, target))
            self.transitions += 1
            if new:
                queue.append((target, nxt))
                if nxt.status == "stuck":
                    self.kept[target] = nxt

    def run(self) -> None:
        start = _start_state(self.s)
        idx, _ = self.add(start, -1, -1)
        queue: deque[tuple[int, State]] = deque([(idx, start)])
        self.kept[idx] = start
        while queue:
            idx, st = queue.popleft()
            self.expand(idx, st, queue)
            if not self.complete:
                self.expanded[idx] = False
            if not self.expanded[idx] or (st.status == "active" and not self.succ[idx]):
                self.kept[idx] = st
            if not self.complete:
                # keep the unexpanded frontier out of every conclusion
                for rest, _ in queue:
                    self.expanded[rest] = False
                break

    def trace(self, idx: int) -> list[Move]:
        out: list[Move] = []
        while self.parent[idx] >= 0:
            out.append(self.moves[self.via[idx]])
            idx = self.parent[idx]
        out.reverse()
        return out


# --- graph analysis ----------------------------------------------------------------------------------


def _sccs(succ: list[list[tuple[int, int]]]) -> list[list[int]]:
    """Tarjan's strongly connected components, iteratively; emitted successors-first."""
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, i = work[-1]
            edges = succ[v]
            if i < len(edges):
                work[-1] = (v, i + 1)
                w = edges[i][1]
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp.append(w)
                    if w == v:
                        break
                out.append(comp)
    return out


class _Analysis:
    def __init__(self, ex: _Explorer) -> None:
        self.ex = ex
        self.comps = _sccs(ex.succ)
        n = len(ex.succ)
        self.comp_of = [0] * n
        self.cyclic: list[bool] = []
        for ci, comp in enumerate(self.comps):
            for v in comp:
                self.comp_of[v] = ci
            self.cyclic.append(len(comp) > 1 or any(t == comp[0] for _, t in ex.succ[comp[0]]))
        self.can_win = self._can_win()

    def _can_win(self) -> list[bool]:
        ex = self.ex
        can = [False] * len(ex.succ)
        for comp in self.comps:  # successors first
            ok = any(
                ex.status[v] == _ENDED or not ex.expanded[v] or any(can[t] for _, t in ex.succ[v])
                for v in comp
            )
            if ok:
                for v in comp:
                    can[v] = True
        return can

    def ending_steps(self) -> dict[str, tuple[int, int | None]]:
        ex = self.ex
        shortest: dict[str, int] = {}
        for v, ending in enumerate(ex.ending):
            if ending is not None and (ending not in shortest or ex.depth[v] < shortest[ending]):
                shortest[ending] = ex.depth[v]
        result: dict[str, tuple[int, int | None]] = {}
        for ending, low in shortest.items():
            result[ending] = (low, self._longest_to(lambda v, e=ending: ex.ending[v] == e))
        return result

    def _longest_to(self, goal: object) -> int | None:
        """Longest path from the start to a goal state; None if a loop lies on some such path."""
        ex = self.ex
        is_goal = goal  # callable
        best: list[int | None] = [None] * len(self.comps)  # longest from comp to a goal; None = none
        unbounded = [False] * len(self.comps)
        for ci, comp in enumerate(self.comps):
            value: int | None = 0 if any(is_goal(v) for v in comp) else None  # type: ignore[operator]
            inf = False
            for v in comp:
                for _, t in ex.succ[v]:
                    tc = self.comp_of[t]
                    if tc == ci:
                        continue
                    if unbounded[tc]:
                        inf = True
                    elif best[tc] is not None:
                        value = max(value or 0, best[tc] + 1)  # type: ignore[operator]
            if (value is not None or inf) and self.cyclic[ci]:
                inf = True
            best[ci] = value
            unbounded[ci] = inf
        root = self.comp_of[0]
        return None if unbounded[root] else best[root]

    def role_wait(self) -> dict[str, int | None]:
        """Per role: the longest run of consecutive moves during which it waits."""
        ex = self.ex
        out: dict[str, int | None] = {}
        for bit, role in enumerate(ex.roles):
            values = _longest_runs(ex.succ, [bool(w & (1 << bit)) for w in ex.waiting])
            out[role] = None if None in values else max([0, *[v for v in values if v is not None]])
        return out


def _longest_runs(succ: list[list[tuple[int, int]]], member: list[bool]) -> list[int | None]:
    """For every member state, the most moves that can be made in a row while staying a member
    (the move leaving counts too); None when members can loop among themselves."""
    n = len(succ)
    run: list[int | None] = [0] * n
    color = [0] * n  # 0 new, 1 on the stack, 2 done
    for root in range(n):
        if not member[root] or color[root]:
            continue
        work = [(root, 0)]
        color[root] = 1
        while work:
            v, i = work[-1]
            edges = succ[v]
            if i < len(edges):
                work[-1] = (v, i + 1)
                t = edges[i][1]
                if member[t] and color[t] == 0:
                    color[t] = 1
                    work.append((t, 0))
                elif member[t] and color[t] == 1:
                    run[v] = None  # a loop of waiting
                continue
            work.pop()
            color[v] = 2
            value = run[v]
            if value is not None:
                for _, t in edges:
                    if not member[t]:
                        value = max(value, 1)
                    else:
                        sub = run[t]
                        if sub is None:
                            value = None
                            break
                        value = max(value, sub + 1)
            run[v] = value
    return [run[v] if member[v] else 0 for v in range(n) if member[v]]


# --- describing findings in Chinese ---------------------------------------------------------------


def describe_move(scenario: Scenario, move: Move) -> str:
    """e.g. 李达 选择「每地派两名代表」（陷阱：只通知两地）, or 主持人跳过 李达 的《发出通知》."""
    if move.skip:
        return f"主持人跳过 {scenario.role_name(move.role)} 的《{scenario.tasks[move.task].title}》"
    choice = scenario.choice(move.task, move.node, move.choice)
    text = f"{scenario.role_name(move.role)} 选择「{choice.text.strip()}」"
    if choice.trap is not None:
        text += f"（陷阱：{choice.trap.title}）"
    return text


def format_trace(scenario: Scenario, trace: list[Move], start: int = 1) -> str:
    if not trace:
        return "（开局即如此，无需任何操作）"
    return " ".join(f"{i}. {describe_move(scenario, m)}" for i, m in enumerate(trace, start))


def describe_unmet(scenario: Scenario, cond: Condition, state: State) -> str:
    """The parts of ``cond`` that do not hold, in words (titles, see engine.tools.wording)."""
    if isinstance(cond, TaskDoneCondition) and cond.task_done in state.cancelled:
        task = scenario.tasks[cond.task_done]
        return f"{scenario.role_name(task.role)} 完成《{task.title}》（该任务已被取消）"
    return unmet_text(scenario, cond, state)


def describe_stuck(scenario: Scenario, state: State) -> str:
    """Why nobody can act: each role that still has work and what it waits for."""
    from engine.rules.step import is_open

    parts: list[str] = []
    for role_id, rs in state.roles.items():
        name = scenario.role_name(role_id)
        if rs.task is not None and rs.node is not None:
            task = scenario.tasks[rs.task]
            node = scenario.node(rs.task, rs.node)
            parts.append(
                f"{name} 在《{task.title}》的「{snippet(node.text)}」这一步没有可选的选项"
                "（所有选项的 when 条件都不成立）"
            )
            continue
        if rs.finished:
            continue
        pending = [t for t in scenario.role_tasks[role_id] if is_open(scenario, state, t)]
        if not pending:
            continue
        task = scenario.tasks[pending[0]]
        need = describe_unmet(scenario, task.requires, state) if task.requires is not None else "时机"
        parts.append(f"{name} 等待开始《{task.title}》，需要：{need}")
    return "；".join(parts) or "没有角色能行动"


def _kind_of_stuck(state: State) -> str:
    if any(rs.task is not None for rs in state.roles.values()):
        return "no_choice"
    if all(rs.finished for rs in state.roles.values()):
        return "no_ending"
    return "deadlock"


# --- the front door -------------------------------------------------------------------------------


def verify(
    scenario: Scenario,
    max_states: int = 1_000_000,
    reduce: bool = True,
    skips: bool = False,
    observe: Callable[[State], None] | None = None,
) -> VerifyReport:
    """Explore every reachable team state (up to ``max_states``) and report what can go wrong.

    ``skips=True`` also explores the facilitator skipping any role's current task (and turns the
    partial-order reduction off, see the module docstring). ``observe`` is called once with each
    distinct state reached (engine.tools.deadcode uses it to find out why something is dead).
    """
    t0 = time.perf_counter()
    ex = _Explorer(scenario, max(1, max_states), reduce, skips, observe)
    ex.run()
    an = _Analysis(ex)
    report = VerifyReport(
        ok=False,
        complete=ex.complete,
        states=len(ex.parent),
        transitions=ex.transitions,
        seconds=0.0,
        max_states=max_states,
        reduced_states=ex.reduced_states,
        skips=skips,
    )
    _collect_findings(scenario, ex, an, report)
    if ex.complete:
        endings = set(e for e in ex.ending if e is not None)
        report.unreachable_endings = [e for e in scenario.endings if e not in endings]
        report.unreachable_tasks = [t for t in scenario.tasks if t not in ex.tasks_seen]
        report.unreachable_nodes = [
            key for key in scenario.nodes if key not in ex.nodes_seen and key[0] in ex.tasks_seen
        ]
        report.unreachable_traps = [t for t in scenario.traps if t not in ex.traps_seen]
        report.unreachable_choices = [
            (task, node, index)
            for (task, node), n in scenario.nodes.items()
            if (task, node) in ex.nodes_seen
            for index in range(len(n.choices))
            if (task, node, index) not in ex.choices_seen
        ]
        report.unreachable_events = [e for e in scenario.events if e not in ex.events_seen]
    report.ending_steps = an.ending_steps()
    report.role_wait = an.role_wait()
    report.ok = not report.deadlocks and not report.unwinnable
    report.seconds = time.perf_counter() - t0
    return report


def _collect_findings(scenario: Scenario, ex: _Explorer, an: _Analysis, report: VerifyReport) -> None:
    groups: dict[tuple[str, str], Finding] = {}
    for v in range(len(ex.parent)):  # BFS order: shortest traces first
        if not ex.expanded[v] or ex.status[v] == _ENDED or ex.succ[v]:
            continue
        state = ex.kept[v]
        kind = _kind_of_stuck(state)
        if kind == "no_ending":
            continue  # reported below as the end of an unwinnable branch
        report.deadlock_states += 1
        message = describe_stuck(scenario, state)
        found = groups.get((kind, message))
        if found is not None:
            found.states += 1
        elif len(groups) < MAX_FINDINGS:
            groups[(kind, message)] = Finding(
                kind, ex.trace(v), ("僵局：" if kind == "deadlock" else "卡住：") + message
            )
    report.deadlocks = list(groups.values())
    if not ex.complete:
        return
    lost: dict[tuple[int, str], Finding] = {}
    for v in range(len(ex.parent)):
        if an.can_win[v]:
            continue
        report.unwinnable_states += 1
        p = ex.parent[v]
        if p >= 0 and not an.can_win[p]:
            continue  # not the point of no return
        if not ex.succ[v] and _kind_of_stuck(ex.kept[v]) != "no_ending":
            continue  # the dead-lock itself is the finding
        continuation, end_message = _way_on(scenario, ex, v)
        fatal = ex.via[v]
        found = lost.get((fatal, end_message))
        if found is not None:
            found.states += 1
        elif len(lost) < MAX_FINDINGS:
            lost[(fatal, end_message)] = Finding(
                "unwinnable", ex.trace(v), "从这里起已不可能到达任何结局：" + end_message, continuation
            )
    report.unwinnable = list(lost.values())


def _way_on(scenario: Scenario, ex: _Explorer, start: int) -> tuple[list[Move], str]:
    """A shortest way from ``start`` to where the session ends (or loops), and how it ends."""
    prev: dict[int, tuple[int, int]] = {start: (-1, -1)}
    queue = deque([start])
    end = start
    while queue:
        v = queue.popleft()
        if not ex.succ[v]:
            end = v
            break
        for mid, t in ex.succ[v]:
            if t not in prev:
                prev[t] = (v, mid)
                queue.append(t)
    else:
        return [], "无论怎么选，都只会在几个局面之间循环，永远到不了结局"
    moves: list[Move] = []
    v = end
    while prev[v][0] >= 0:
        moves.append(ex.moves[prev[v][1]])
        v = prev[v][0]
    moves.reverse()
    state = ex.kept.get(end)
    if state is None:
        return moves, "会话无法结束"
    if _kind_of_stuck(state) == "no_ending":
        return moves, "所有任务都完成了，但没有任何结局的条件成立"
    return moves, "最终陷入僵局（" + describe_stuck(scenario, state) + "）"
