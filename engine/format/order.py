"""Task order: warn where a role's later task can start before an earlier one.

The rule (engine.rules.step): whenever a role has nothing to do, it starts the first of its
tasks, in the order they are listed, whose ``requires`` holds now. So an earlier task whose
``requires`` does not hold yet is passed over, and a later task that is ready starts first:

    - id: cross_river        # 乌江: requires the boats (another role's task)
      requires: { task_done: build_rafts }
    - id: take_zunyi         # 遵义: no requires -> starts at once while the rafts are built
      ...

    task_order_problems(scenario, smap) -> list[Problem]   (warnings, code ``task-order``)

A later task is reported when it does not (directly or through the tasks it needs) require the
earlier one, and it can be ready while the earlier one still waits: the earlier one needs more
than "these tasks are done", or needs a task the later one does not. The fix the
message gives: add ``{ task_done: earlier }`` to the later task's ``requires``.
"""

from __future__ import annotations

from engine.format.model import AllCondition, AnyCondition, Condition, TaskDoneCondition
from engine.format.problems import Problem
from engine.format.scenario import Scenario
from engine.format.yamlnodes import SourceMap


def _needed(cond: Condition | None) -> frozenset[str]:
    """Tasks that must be done whenever ``cond`` holds (an ``any`` needs what all its parts need)."""
    if cond is None:
        return frozenset()
    if isinstance(cond, TaskDoneCondition):
        return frozenset((cond.task_done,))
    if isinstance(cond, AllCondition):
        return frozenset().union(*(_needed(c) for c in cond.all))
    if isinstance(cond, AnyCondition):
        parts = [_needed(c) for c in cond.any]
        return frozenset.intersection(*parts) if parts else frozenset()
    return frozenset()


def _only_tasks(cond: Condition | None) -> bool:
    """True when ``cond`` is nothing but "these tasks are done" (so knowing them decides it)."""
    if cond is None or isinstance(cond, TaskDoneCondition):
        return cond is None or cond.outcome is None
    if isinstance(cond, AllCondition):
        return all(_only_tasks(c) for c in cond.all)
    return False


def _closure(scenario: Scenario) -> dict[str, frozenset[str]]:
    """Per task: every task that is surely done once it has started (its needs, transitively)."""
    direct = {t: _needed(task.requires) for t, task in scenario.tasks.items()}
    memo: dict[str, frozenset[str]] = {}

    def visit(task: str, path: frozenset[str]) -> frozenset[str]:
        if task in memo:
            return memo[task]
        found = set(direct.get(task, ()))
        for need in direct.get(task, ()):
            if need not in path:
                found |= visit(need, path | {need})
        memo[task] = frozenset(found)
        return memo[task]

    return {t: visit(t, frozenset((t,))) for t in scenario.tasks}


def task_order_problems(scenario: Scenario, smap: SourceMap) -> list[Problem]:
    s = scenario
    needs = _closure(s)
    index = {task.id: i for i, task in enumerate(s.data.tasks)}
    problems: list[Problem] = []
    for role, task_ids in s.role_tasks.items():
        plan = [t for t in task_ids if not s.tasks[t].remedial]
        known: set[str] = set()  # surely done when the role gets to each task in turn
        for i, earlier in enumerate(plan):
            task = s.tasks[earlier]
            may_wait = task.requires is not None and not (
                _only_tasks(task.requires) and needs[earlier] <= known
            )
            if may_wait:
                for later in plan[i + 1 :]:
                    if earlier in needs[later]:
                        continue
                    if _only_tasks(task.requires) and needs[earlier] <= needs[later] | known:
                        continue  # whenever the later one is ready, so is the earlier one: it goes first
                    line, column = smap.position(("tasks", index[later]))
                    problems.append(
                        Problem(
                            smap.file,
                            line,
                            column,
                            "warning",
                            "task-order",
                            f"《{s.tasks[later].title}》可能先于同一角色（{s.role_name(role)}）排在前面的"
                            f"《{task.title}》开始：角色空闲时，会开始列出顺序中第一个条件已满足的任务，"
                            f"《{task.title}》还在等条件时，这个任务就先开始了。要按顺序做，请给它加上 "
                            f"requires: {{ task_done: {earlier} }}（已有 requires 时放进 all: 里）",
                        )
                    )
                    break  # one warning per earlier task is enough to see the point
            known |= {earlier} | needs[earlier]
    return problems
