"""Waits that can never end: dependency cycles among tasks, through team events and flags.

A task opens when its ``requires`` holds; a team event fires when its ``when`` holds. Some
conditions can only hold after something else has happened: a *must* dependency.

=====================  ==================================================================
condition              must have happened first
=====================  ==================================================================
``task_done: X``       task X
``event: E``           team event E
``flag: f`` …          the one task or event that changes ``f`` (choices' and traps'
                       ``set``/``add`` inside a task count for that task), when the
                       comparison is false for ``f``'s initial value and exactly one
                       place changes ``f``
``all: [...]``         everything any part needs
``any: [...]``         only what every part needs
``not``, trap, score   nothing (they can hold without anything else happening)
=====================  ==================================================================

A cycle of must dependencies is a dead-lock no order of play escapes: each member waits for the
next. The verifier (``play.py verify``) finds every dead-lock by exploring the game; this check
is linear and runs on every ``validate``, so the commonest ones get a name early.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from engine.format.conditions import holds
from engine.format.model import (
    AllCondition,
    AnyCondition,
    Condition,
    EventCondition,
    FlagCondition,
    FlagValue,
    TaskDoneCondition,
)
from engine.format.scenario import Scenario

Node = tuple[str, str]  # ("task" | "event", id)
Graph = dict[Node, dict[Node, str]]  # node -> what it must wait for -> via which flag ("" direct)


@dataclass
class _Initial:
    """The facts before anything happened: what a flag condition tests at the start."""

    flags: dict[str, FlagValue]
    done: dict[str, str] = field(default_factory=dict)
    fired: list[str] = field(default_factory=list)
    sprung: list[str] = field(default_factory=list)
    score: int = 0


def _changers(scenario: Scenario) -> dict[str, set[Node]]:
    """flag -> the tasks and events whose effects change it."""
    out: dict[str, set[Node]] = {}
    for task in scenario.tasks.values():
        for node in task.nodes:
            for choice in node.choices:
                effects = [choice] + ([choice.trap] if choice.trap is not None else [])
                for effect in effects:
                    for flag in (*effect.set, *effect.add):
                        out.setdefault(flag, set()).add(("task", task.id))
    for event in scenario.events.values():
        for flag in (*event.set, *event.add):
            out.setdefault(flag, set()).add(("event", event.id))
    return out


def _must(cond: Condition, s: Scenario, changers: dict[str, set[Node]], start: _Initial) -> dict[Node, str]:
    if isinstance(cond, TaskDoneCondition):
        return {("task", cond.task_done): ""} if cond.task_done in s.tasks else {}
    if isinstance(cond, EventCondition):
        return {("event", cond.event): ""} if cond.event in s.events else {}
    if isinstance(cond, FlagCondition):
        places = changers.get(cond.flag, set())
        if len(places) == 1 and cond.flag in s.flag_types and not holds(cond, start):
            return {next(iter(places)): cond.flag}
        return {}
    if isinstance(cond, AllCondition):
        out: dict[Node, str] = {}
        for part in cond.all:
            out.update(_must(part, s, changers, start))
        return out
    if isinstance(cond, AnyCondition):
        parts = [_must(part, s, changers, start) for part in cond.any]
        common = set(parts[0]).intersection(*parts[1:])
        return {node: parts[0][node] for node in common}
    return {}


def dependency_graph(scenario: Scenario) -> Graph:
    """Every task's and event's must dependencies (see the module's table)."""
    changers = _changers(scenario)
    start = _Initial(dict(scenario.flag_initial))
    graph: Graph = {}
    for task in scenario.tasks.values():
        graph[("task", task.id)] = _must(task.requires, scenario, changers, start) if task.requires else {}
    for event in scenario.events.values():
        graph[("event", event.id)] = _must(event.when, scenario, changers, start)
    return graph


def find_cycles(graph: Graph) -> Iterator[list[Node]]:
    """Each dependency cycle once (as the nodes along it), depth-first in the graph's order.

    An explicit stack: a chain of thousands of tasks must not hit the recursion limit."""
    state: dict[Node, int] = {}  # 1: on the current trail, 2: done
    reported: set[frozenset[Node]] = set()
    for root in graph:
        if root in state:
            continue
        state[root] = 1
        trail = [root]
        pending = [iter(sorted(graph[root]))]
        while pending:
            dep = next(pending[-1], None)
            if dep is None:
                pending.pop()
                state[trail.pop()] = 2
            elif state.get(dep) == 1:
                cycle = trail[trail.index(dep) :]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    yield cycle
            elif dep not in state:
                state[dep] = 1
                trail.append(dep)
                pending.append(iter(sorted(graph.get(dep, ()))))


def describe(cycle: list[Node], graph: Graph) -> str:
    """``ta → 团队事件 e → tb（通过标记 f）→ ta``: each member, then what it waits for."""

    def name(node: Node) -> str:
        return node[1] if node[0] == "task" else f"团队事件 {node[1]}"

    parts = [name(cycle[0])]
    for here, nxt in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
        flag = graph[here].get(nxt, "")
        parts.append(f"{name(nxt)}（通过标记 {flag}）" if flag else name(nxt))
    return " → ".join(parts)
