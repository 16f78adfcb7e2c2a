"""Evaluate structured conditions against a team state (pure; no authored text is executed)."""

from __future__ import annotations

from collections.abc import Iterator

from .model import (
    AllCondition,
    AnyCondition,
    Comparison,
    Condition,
    EventCondition,
    FlagCondition,
    NotCondition,
    ScoreCondition,
    TaskDoneCondition,
    TrapCondition,
    TrapsSprungCondition,
)
from .state import State

Path = tuple[str | int, ...]


def compare(value: int, c: Comparison | FlagCondition) -> bool:
    if c.eq is not None and value != c.eq:
        return False
    if c.ne is not None and value == c.ne:
        return False
    if c.gt is not None and not value > c.gt:
        return False
    if c.gte is not None and not value >= c.gte:
        return False
    if c.lt is not None and not value < c.lt:
        return False
    return not (c.lte is not None and not value <= c.lte)


def holds(cond: Condition, state: State) -> bool:
    if isinstance(cond, TaskDoneCondition):
        outcome = state.done.get(cond.task_done)
        return outcome is not None and (cond.outcome is None or cond.outcome == outcome)
    if isinstance(cond, FlagCondition):
        value = state.flags.get(cond.flag, False)
        if all(getattr(cond, op) is None for op in ("eq", "ne", "gt", "gte", "lt", "lte")):
            return bool(value)
        # bool vs int equality is strict: `eq: 1` does not match `true`
        if cond.eq is not None and type(cond.eq) is not type(value):
            return False
        if cond.ne is not None and type(cond.ne) is not type(value):
            return True
        return compare(int(value), cond)
    if isinstance(cond, EventCondition):
        return cond.event in state.fired
    if isinstance(cond, TrapCondition):
        return cond.trap in state.sprung
    if isinstance(cond, ScoreCondition):
        return compare(state.score, cond.score)
    if isinstance(cond, TrapsSprungCondition):
        return compare(len(state.sprung), cond.traps_sprung)
    if isinstance(cond, AllCondition):
        return all(holds(sub, state) for sub in cond.all)
    if isinstance(cond, AnyCondition):
        return any(holds(sub, state) for sub in cond.any)
    if isinstance(cond, NotCondition):
        return not holds(cond.not_, state)
    raise TypeError(f"unknown condition {cond!r}")


def unmet_tasks(cond: Condition, state: State) -> list[str]:
    """Tasks whose completion would help make ``cond`` true: what a waiting role waits for."""
    if holds(cond, state):
        return []
    if isinstance(cond, TaskDoneCondition):
        return [cond.task_done]
    if isinstance(cond, (AllCondition, AnyCondition)):
        subs = cond.all if isinstance(cond, AllCondition) else cond.any
        found: list[str] = []
        for sub in subs:
            for task in unmet_tasks(sub, state):
                if task not in found:
                    found.append(task)
        return found
    return []


def iter_conditions(cond: Condition, path: Path) -> Iterator[tuple[Condition, Path]]:
    """Every leaf and compound condition with its YAML path."""
    yield cond, path
    if isinstance(cond, AllCondition):
        for i, sub in enumerate(cond.all):
            yield from iter_conditions(sub, (*path, "all", i))
    elif isinstance(cond, AnyCondition):
        for i, sub in enumerate(cond.any):
            yield from iter_conditions(sub, (*path, "any", i))
    elif isinstance(cond, NotCondition):
        yield from iter_conditions(cond.not_, (*path, "not"))


def unmet_events(cond: Condition, state: State) -> list[str]:
    """Team events a condition still waits for (for "waiting for the meeting to open" texts)."""
    return [
        leaf.event
        for leaf, _ in iter_conditions(cond, ())
        if isinstance(leaf, EventCondition) and leaf.event not in state.fired
    ]
