"""Exploration: every reachable team state, breadth first, through the real rules.

The explorer starts from the state after ``Start`` (roles are independent of who plays them) and
tries every offered choice of every role holding a task, in every order, through
:func:`engine.rules.step.step` itself, so traps, team events, remedial tasks and endings behave
exactly as in a real session. With facilitator skips, every state where a role holds a task also
gets the move ``Skip(role)``.

Abstractions, all sound for "can the team get stuck / can it still reach an ending":

- Time: a lock-out delays a role but never blocks it forever, so a locked role is treated as able
  to act (the step is taken at the moment the lock-out ends). Timestamps, waits' ``since`` and
  lock-out deadlines are left out of the state key.
- The score is part of the key only when some condition reads it (``score:``); otherwise it does
  not change what can happen.
- Partial-order reduction: see :mod:`engine.tools.verify.reduction`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterator

from engine.format.conditions import iter_conditions
from engine.format.model import (
    Condition,
    FlagCondition,
    TaskDoneCondition,
    TrapCondition,
    TrapsSprungCondition,
)
from engine.format.scenario import Scenario
from engine.rules.state import State
from engine.rules.step import Choose, Skip, Start, step, visible_choices
from engine.tools.verify.findings import Move
from engine.tools.verify.reduction import private_nodes, uses_score

ENDED, STUCK, ACTIVE = 0, 1, 2


def _start_state(scenario: Scenario) -> State:
    assignment = {role: role for role in scenario.roles}
    return step(scenario, State(), Start("verify", assignment), 0.0)[1]


class Explorer:
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
        self.track_score = uses_score(scenario)
        # a skip is enabled wherever its role holds a task and is never private (module docstring)
        self.private = private_nodes(scenario, self.track_score) if reduce and not skips else set()
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
        self.status.append(ENDED if st.status == "ended" else STUCK if st.status == "stuck" else ACTIVE)
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
