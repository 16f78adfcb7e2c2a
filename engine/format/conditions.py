"""Evaluate structured conditions against a team state (pure; no authored text is executed)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import Protocol

from engine.format.model import (
    AllCondition,
    AnyCondition,
    Comparison,
    Condition,
    EventCondition,
    FlagCondition,
    FlagValue,
    NotCondition,
    ScoreCondition,
    TaskDoneCondition,
    TrapCondition,
    TrapsSprungCondition,
)


class Facts(Protocol):
    """What a condition can read of a team's state (the rules' ``State`` is one).

    A protocol, so the scenario format does not depend on the rules that fold a state.
    """

    @property
    def done(self) -> Mapping[str, str]: ...  # task -> outcome

    @property
    def flags(self) -> Mapping[str, FlagValue]: ...

    @property
    def fired(self) -> Collection[str]: ...  # team events shown

    @property
    def sprung(self) -> Collection[str]: ...  # traps sprung

    @property
    def score(self) -> int: ...


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


def holds(cond: Condition, state: Facts) -> bool:
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


def unmet_tasks(
    cond: Condition, state: Facts, check: Callable[[Condition, Facts], bool] | None = None
) -> list[str]:
    """Tasks whose completion would help make ``cond`` true: what a waiting role waits for.

    ``check`` evaluates a condition (default :func:`holds`; the rules pass the scenario's
    compiled one)."""
    check = check or holds
    if check(cond, state):
        return []
    if isinstance(cond, TaskDoneCondition):
        # done with another outcome: finishing it again is impossible, so nobody is to wait for
        return [] if cond.task_done in state.done else [cond.task_done]
    if isinstance(cond, (AllCondition, AnyCondition)):
        subs = cond.all if isinstance(cond, AllCondition) else cond.any
        found: list[str] = []
        for sub in subs:
            for task in unmet_tasks(sub, state, check):
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


# What a condition can see of the state, as keys the rules record when they change it:
# ("task", id) done, ("flag", id), ("event", id) fired, ("trap", id) sprung, ("score",), ("traps",).
Input = tuple[str, ...]


def inputs(cond: Condition) -> frozenset[Input]:
    """Every part of the state ``cond`` reads: if none of them changed, neither did its value."""
    keys: set[Input] = set()
    for leaf, _ in iter_conditions(cond, ()):
        if isinstance(leaf, TaskDoneCondition):
            keys.add(("task", leaf.task_done))
        elif isinstance(leaf, FlagCondition):
            keys.add(("flag", leaf.flag))
        elif isinstance(leaf, EventCondition):
            keys.add(("event", leaf.event))
        elif isinstance(leaf, TrapCondition):
            keys.add(("trap", leaf.trap))
        elif isinstance(leaf, ScoreCondition):
            keys.add(("score",))
        elif isinstance(leaf, TrapsSprungCondition):
            keys.add(("traps",))
    return frozenset(keys)


def unmet_events(cond: Condition, state: Facts) -> list[str]:
    """Team events a condition still waits for (for "waiting for the meeting to open" texts)."""
    return [
        leaf.event
        for leaf, _ in iter_conditions(cond, ())
        if isinstance(leaf, EventCondition) and leaf.event not in state.fired
    ]


Predicate = Callable[[Facts], bool]


def compile_condition(cond: Condition) -> Predicate:
    """A closure equivalent to ``holds(cond, state)``, built once per scenario.

    The rules check conditions after every action; a closure per condition avoids walking the
    pydantic model through an isinstance chain each time (see bench/: rules throughput).
    """
    if isinstance(cond, TaskDoneCondition):
        task, outcome = cond.task_done, cond.outcome
        if outcome is None:
            return lambda st: task in st.done
        return lambda st: st.done.get(task) == outcome
    if isinstance(cond, FlagCondition):
        flag = cond.flag
        if all(getattr(cond, op) is None for op in ("eq", "ne", "gt", "gte", "lt", "lte")):
            return lambda st: bool(st.flags.get(flag, False))
        if cond.eq is not None and all(getattr(cond, op) is None for op in ("ne", "gt", "gte", "lt", "lte")):
            # the common `{flag: x, eq: v}`: bool vs int stays strict, as in holds()
            want, kind = cond.eq, type(cond.eq)
            return lambda st: type(v := st.flags.get(flag, False)) is kind and v == want
        eq_kind = type(cond.eq) if cond.eq is not None else None
        ne_kind = type(cond.ne) if cond.ne is not None else None
        rest = _compile_comparison(cond)

        def flag_compare(st: Facts) -> bool:
            value = st.flags.get(flag, False)
            if eq_kind is not None and type(value) is not eq_kind:
                return False
            if ne_kind is not None and type(value) is not ne_kind:
                return True
            return rest(int(value))

        return flag_compare
    if isinstance(cond, ScoreCondition):
        score = _compile_comparison(cond.score)
        return lambda st: score(st.score)
    if isinstance(cond, TrapsSprungCondition):
        count = _compile_comparison(cond.traps_sprung)
        return lambda st: count(len(st.sprung))
    if isinstance(cond, EventCondition):
        event = cond.event
        return lambda st: event in st.fired
    if isinstance(cond, TrapCondition):
        trap = cond.trap
        return lambda st: trap in st.sprung
    if isinstance(cond, (AllCondition, AnyCondition)):
        every = isinstance(cond, AllCondition)
        subs = cond.all if isinstance(cond, AllCondition) else cond.any
        # Plain "task done" leaves become one set operation on the done table, tested first:
        # the commonest and cheapest part (conditions are pure, so the order cannot matter).
        tasks = frozenset(s.task_done for s in subs if isinstance(s, TaskDoneCondition) and s.outcome is None)
        parts = [
            compile_condition(s) for s in subs if not (isinstance(s, TaskDoneCondition) and s.outcome is None)
        ]
        if tasks:
            parts.insert(0, _all_done(tasks) if every else _any_done(tasks))
        return _chain(parts, every)
    if isinstance(cond, NotCondition):
        inner = compile_condition(cond.not_)
        return lambda st: not inner(st)
    raise TypeError(f"unknown condition {cond!r}")


def _all_done(tasks: frozenset[str]) -> Predicate:
    return lambda st: st.done.keys() >= tasks


def _any_done(tasks: frozenset[str]) -> Predicate:
    return lambda st: not tasks.isdisjoint(st.done)


def _chain(parts: list[Predicate], every: bool) -> Predicate:
    """``all``/``any`` of the parts as nested closures (no generator per check)."""
    head = parts[0]
    if len(parts) == 1:
        return head
    rest = _chain(parts[1:], every)
    if every:
        return lambda st: head(st) and rest(st)
    return lambda st: head(st) or rest(st)


Unmet = Callable[[Facts], tuple[str, ...]]


def compile_unmet(cond: Condition, predicate: Callable[[Condition], Predicate] = compile_condition) -> Unmet:
    """A closure equal to ``tuple(unmet_tasks(cond, state))``, built once per scenario.

    ``predicate`` gives the compiled check of a sub-condition (the scenario passes its table,
    so each condition is compiled once). Recomputed for every waiting role whenever the team's
    progress changes, which makes it the rules' busiest query.
    """
    if isinstance(cond, TaskDoneCondition):
        task, single = cond.task_done, (cond.task_done,)
        # done (with whatever outcome) means nothing left to wait for: see unmet_tasks
        return lambda st: () if task in st.done else single
    if isinstance(cond, (AllCondition, AnyCondition)):
        subs = cond.all if isinstance(cond, AllCondition) else cond.any
        whole = predicate(cond)
        if all(isinstance(sub, TaskDoneCondition) for sub in subs):
            order = tuple(dict.fromkeys(sub.task_done for sub in subs if isinstance(sub, TaskDoneCondition)))
            return lambda st: () if whole(st) else tuple(t for t in order if t not in st.done)
        # parts that name no task can never add one: leave them out
        parts = [
            compile_unmet(sub, predicate) for sub in subs if any(key[0] == "task" for key in inputs(sub))
        ]
        if len(parts) == 1:
            (only,) = parts
            return lambda st: () if whole(st) else only(st)

        def merged(st: Facts) -> tuple[str, ...]:
            if whole(st):
                return ()
            found: dict[str, None] = {}
            for part in parts:
                for task in part(st):
                    found[task] = None
            return tuple(found)

        return merged
    return lambda st: ()


def _compile_comparison(c: Comparison | FlagCondition) -> Callable[[int], bool]:
    bounds = [(op, getattr(c, name)) for name, op in _OPS if getattr(c, name) is not None]
    if not bounds:
        return lambda v: True
    if len(bounds) == 1:
        op, limit = bounds[0]
        return lambda v: op(v, limit)
    return lambda v: all(op(v, limit) for op, limit in bounds)


_OPS: tuple[tuple[str, Callable[[int, int], bool]], ...] = (
    ("eq", operator.eq),
    ("ne", operator.ne),
    ("gt", operator.gt),
    ("gte", operator.ge),
    ("lt", operator.lt),
    ("lte", operator.le),
)
