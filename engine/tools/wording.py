"""Conditions and scenario items in words people read: titles and choice texts, never raw ids.

    item_name(scenario, kind, id) -> str           结局「红船启航」, 陷阱「只通知两地」, ...
    holding_text(scenario, cond) -> str            what it takes for ``cond`` to hold
    unmet_text(scenario, cond, facts) -> str       the parts of ``cond`` that do not hold now

Used by verify's traces, its dead-content reasons and the studio, so every organizer tool words
a condition the same way.
"""

from __future__ import annotations

from engine.format.conditions import Facts, holds
from engine.format.model import (
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
from engine.format.scenario import Scenario

_OPS = (("eq", "="), ("ne", "≠"), ("gt", ">"), ("gte", "≥"), ("lt", "<"), ("lte", "≤"))
SNIPPET = 14  # characters of a choice or node text quoted in a sentence


def snippet(text: str, limit: int = SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "真" if value else "假"
    return str(value)


def _comparison(c: Comparison | FlagCondition) -> str:
    parts = [f"{sign} {_value(getattr(c, op))}" for op, sign in _OPS if getattr(c, op) is not None]
    return "、".join(parts)


def flag_name(scenario: Scenario, flag: str) -> str:
    """「危险」 for a flag with a label, else its description, else its id."""
    for f in scenario.data.flags:
        if f.id == flag:
            return f"「{f.display or f.description or f.id}」"
    return f"「{flag}」"


def trap_name(scenario: Scenario, trap: str) -> str:
    """陷阱「只通知两地」（李达 选「每地派两名代表」）."""
    site = scenario.traps.get(trap)
    if site is None:
        return f"陷阱「{trap}」"
    choice = scenario.choice(site.task, site.node, site.choice)
    who = scenario.role_name(scenario.tasks[site.task].role)
    return f"陷阱「{site.trap.title}」（{who} 选「{snippet(choice.text)}」）"


def task_name(scenario: Scenario, task: str) -> str:
    found = scenario.tasks.get(task)
    return f"《{found.title}》" if found else f"《{task}》"


def item_name(scenario: Scenario, kind: str, item: str) -> str:
    """An ending, task, trap or team event by its title, with what kind of thing it is."""
    if kind == "ending":
        ending = scenario.endings.get(item)
        return f"结局「{ending.title if ending else item}」"
    if kind == "event":
        event = scenario.events.get(item)
        return f"团队事件「{event.title if event else item}」"
    if kind == "trap":
        return trap_name(scenario, item)
    if kind == "task":
        return f"任务{task_name(scenario, item)}"
    return item


def holding_text(scenario: Scenario, cond: Condition) -> str:
    """What it takes for ``cond`` to hold, in words."""
    if isinstance(cond, TaskDoneCondition):
        task = scenario.tasks.get(cond.task_done)
        if cond.outcome and task is not None:
            return (
                f"{task_name(scenario, cond.task_done)}已完成，结果为「{task.outcome_title(cond.outcome)}」"
            )
        return f"{task_name(scenario, cond.task_done)}已完成"
    if isinstance(cond, FlagCondition):
        test = _comparison(cond)
        return f"标记{flag_name(scenario, cond.flag)}" + (f" {test}" if test else "为真")
    if isinstance(cond, EventCondition):
        return f"{item_name(scenario, 'event', cond.event)}已发生"
    if isinstance(cond, TrapCondition):
        return f"{trap_name(scenario, cond.trap)}已触发"
    if isinstance(cond, ScoreCondition):
        return f"得分 {_comparison(cond.score)}"
    if isinstance(cond, TrapsSprungCondition):
        return f"触发的陷阱数 {_comparison(cond.traps_sprung)}"
    if isinstance(cond, AllCondition):
        return "且".join(_grouped(scenario, c) for c in cond.all)
    if isinstance(cond, AnyCondition):
        return "或".join(_grouped(scenario, c) for c in cond.any)
    if isinstance(cond, NotCondition):
        return f"并非「{holding_text(scenario, cond.not_)}」"
    return "条件成立"


def _grouped(scenario: Scenario, cond: Condition) -> str:
    text = holding_text(scenario, cond)
    return f"（{text}）" if isinstance(cond, (AllCondition, AnyCondition)) else text


def unmet_text(scenario: Scenario, cond: Condition, facts: Facts) -> str:
    """The parts of ``cond`` that do not hold in ``facts``, in words (with current values)."""
    if isinstance(cond, TaskDoneCondition):
        task = scenario.tasks.get(cond.task_done)
        who = scenario.role_name(task.role) if task else ""
        title = task_name(scenario, cond.task_done)
        if cond.outcome and task is not None and cond.task_done in facts.done:
            actual = task.outcome_title(facts.done[cond.task_done])
            return f"{who} 完成{title}，结果为「{task.outcome_title(cond.outcome)}」（实际结果：{actual}）"
        if cond.outcome and task is not None:
            return f"{who} 完成{title}，结果为「{task.outcome_title(cond.outcome)}」"
        return f"{who} 完成{title}"
    if isinstance(cond, FlagCondition):
        value = facts.flags.get(cond.flag, False)
        return f"{holding_text(scenario, cond)}（现在是 {_value(value)}）"
    if isinstance(cond, EventCondition):
        return f"{item_name(scenario, 'event', cond.event)}发生"
    if isinstance(cond, TrapCondition):
        return f"{trap_name(scenario, cond.trap)}被触发"
    if isinstance(cond, ScoreCondition):
        return f"{holding_text(scenario, cond)}（现在 {facts.score} 分）"
    if isinstance(cond, TrapsSprungCondition):
        return f"{holding_text(scenario, cond)}（现在 {len(facts.sprung)} 个）"
    if isinstance(cond, AllCondition):
        return "且".join(unmet_text(scenario, c, facts) for c in cond.all if not holds(c, facts))
    if isinstance(cond, AnyCondition):
        return "或".join(unmet_text(scenario, c, facts) for c in cond.any)
    if isinstance(cond, NotCondition):
        return f"以下情况不成立：{holding_text(scenario, cond.not_)}"
    return "条件成立"
