"""Compiled conditions (the rules' fast path) agree with the reference evaluator everywhere."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from engine.format.conditions import compile_condition, compile_unmet, holds, unmet_tasks
from engine.format.model import Condition
from engine.rules.state import State

TASKS = ["t1", "t2", "t3"]
COND = TypeAdapter(Condition)

comparison = st.fixed_dictionaries(
    {}, optional={op: st.integers(-3, 3) for op in ("eq", "ne", "gt", "gte", "lt", "lte")}
)
leaf = st.one_of(
    st.builds(lambda t: {"task_done": t}, st.sampled_from(TASKS)),
    st.builds(
        lambda t, o: {"task_done": t, "outcome": o}, st.sampled_from(TASKS), st.sampled_from(["a", "b"])
    ),
    st.just({"flag": "b"}),
    st.builds(lambda v: {"flag": "b", "eq": v}, st.booleans()),
    st.builds(lambda v: {"flag": "n", "eq": v}, st.integers(-2, 2)),
    st.builds(lambda c: {"flag": "n", **c}, comparison),
    st.builds(lambda e: {"event": e}, st.sampled_from(["e1", "e2"])),
    st.builds(lambda p: {"trap": p}, st.sampled_from(["p1", "p2"])),
    st.builds(lambda c: {"score": c}, comparison),
    st.builds(lambda c: {"traps_sprung": c}, comparison),
)
conditions = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"all": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"any": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"not": x}, inner),
    ),
    max_leaves=8,
)
states = st.builds(
    lambda done, b, n, fired, sprung, score: State(
        done=done, flags={"b": b, "n": n}, fired=fired, sprung=sprung, score=score
    ),
    st.dictionaries(st.sampled_from(TASKS), st.sampled_from(["a", "b"])),
    st.booleans(),
    st.integers(-3, 3),
    st.lists(st.sampled_from(["e1", "e2"]), unique=True),
    st.lists(st.sampled_from(["p1", "p2"]), unique=True),
    st.integers(-3, 3),
)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(raw=conditions, state=states)
def test_compiled_condition_equals_reference(raw: dict, state: State) -> None:  # type: ignore[type-arg]
    cond = COND.validate_python(raw)
    assert compile_condition(cond)(state) == holds(cond, state)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(raw=conditions, state=states)
def test_unmet_tasks_is_empty_exactly_when_the_condition_holds_or_names_no_task(
    raw: dict,  # type: ignore[type-arg]
    state: State,
) -> None:
    cond = COND.validate_python(raw)
    missing = unmet_tasks(cond, state)
    if holds(cond, state):
        assert missing == []
    assert all(t in TASKS and t not in state.done for t in missing)
    assert unmet_tasks(cond, state, lambda c, s: compile_condition(c)(s)) == missing
    assert compile_unmet(cond)(state) == tuple(missing)
