"""Each role's opportunity: the most points its own tasks can give, so roles can be compared fairly.

    role_opportunity(scenario) -> {role id: points}

Roles differ in how many tasks they hold and what those tasks are worth (in 七月流火 one role has
twice the tasks of another), so raw 积分 ranks players by the role they happened to draw. The
honor wall instead ranks by *得分率*, a player's own points over their roles' opportunity.

A task's best is the richest way through its nodes without a trap: the points of the choices
along the way plus the task's points for completing it. Conditions on choices are ignored (an
upper bound), and a choice that loops back to a node already on the way is not followed (a loop
is counted once). A role's opportunity counts its regular tasks; a remedial task counts for the
role it opened for, in the session where it opened (the review adds it: not every team gets
one). Pure and cached per scenario.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from engine.format.scenario import Scenario


def task_best(scenario: Scenario, task_id: str) -> int:
    """The most points one play of the task can give without springing a trap (never below 0)."""
    best: dict[str, int] = {}
    on_path: set[str] = set()

    def walk(node_id: str) -> int | None:
        """Best points from ``node_id`` to a completion; None if no trap-free way completes."""
        if node_id in best:
            return best[node_id]
        on_path.add(node_id)
        top: int | None = None
        for choice in scenario.node(task_id, node_id).choices:
            if choice.trap is not None:
                continue
            if choice.complete:
                value: int | None = choice.points + scenario.task_points(task_id)
            elif choice.goto and choice.goto not in on_path and (task_id, choice.goto) in scenario.nodes:
                rest = walk(choice.goto)
                value = None if rest is None else choice.points + rest
            else:
                continue
            if value is not None and (top is None or value > top):
                top = value
        on_path.discard(node_id)
        if top is not None:
            best[node_id] = top
        return top

    return max(0, walk(scenario.start_node(task_id)) or 0)


@lru_cache(maxsize=32)
def role_opportunity(scenario: Scenario) -> Mapping[str, int]:
    """Role id -> the sum of its non-remedial tasks' best points (shared: never changed)."""
    out = {role: 0 for role in scenario.roles}
    for task in scenario.tasks.values():
        if not task.remedial:
            out[task.role] = out.get(task.role, 0) + task_best(scenario, task.id)
    return out
