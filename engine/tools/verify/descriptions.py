"""Findings in words (Chinese): a move, a trace, an unmet condition, why nobody can act."""

from __future__ import annotations

from engine.format.conditions import holds
from engine.format.model import (
    AllCondition,
    AnyCondition,
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
from engine.rules.state import State
from engine.rules.step import is_open
from engine.tools.verify.findings import Move


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
    """The parts of ``cond`` that do not hold, in words."""
    if isinstance(cond, TaskDoneCondition):
        task = scenario.tasks[cond.task_done]
        who = scenario.role_name(task.role)
        if cond.outcome and cond.task_done in state.done:
            return (
                f"{who} 以结果 {cond.outcome} 完成《{task.title}》（实际结果：{state.done[cond.task_done]}）"
            )
        if cond.task_done in state.cancelled:
            return f"{who} 完成《{task.title}》（该任务已被取消）"
        return f"{who} 完成《{task.title}》" + (f"（结果 {cond.outcome}）" if cond.outcome else "")
    if isinstance(cond, FlagCondition):
        value = state.flags.get(cond.flag, False)
        tests = [
            f"{op} {getattr(cond, op)}"
            for op in ("eq", "ne", "gt", "gte", "lt", "lte")
            if getattr(cond, op) is not None
        ]
        want = "、".join(tests) if tests else "为真"
        return f"标记 {cond.flag} {want}（现在是 {str(value).lower()}）"
    if isinstance(cond, EventCondition):
        event = scenario.events.get(cond.event)
        return f"团队事件「{event.title if event else cond.event}」发生"
    if isinstance(cond, TrapCondition):
        site = scenario.traps.get(cond.trap)
        return f"陷阱「{site.trap.title if site else cond.trap}」被触发"
    if isinstance(cond, ScoreCondition):
        return f"得分满足条件（现在 {state.score} 分）"
    if isinstance(cond, TrapsSprungCondition):
        return f"触发陷阱数满足条件（现在 {len(state.sprung)} 个）"
    if isinstance(cond, AllCondition):
        return "且".join(describe_unmet(scenario, c, state) for c in cond.all if not holds(c, state))
    if isinstance(cond, AnyCondition):
        return "或".join(describe_unmet(scenario, c, state) for c in cond.any)
    if isinstance(cond, NotCondition):
        return "以下情况不成立：" + _describe_holding(scenario, cond.not_)
    return "条件成立"


def _describe_holding(scenario: Scenario, cond: Condition) -> str:
    if isinstance(cond, TaskDoneCondition):
        return f"《{scenario.tasks[cond.task_done].title}》已完成"
    if isinstance(cond, FlagCondition):
        return f"标记 {cond.flag} 的条件"
    if isinstance(cond, EventCondition):
        return f"事件 {cond.event} 已发生"
    if isinstance(cond, TrapCondition):
        return f"陷阱 {cond.trap} 已触发"
    return "内层条件"


def describe_stuck(scenario: Scenario, state: State) -> str:
    """Why nobody can act: each role that still has work and what it waits for."""
    parts: list[str] = []
    for role_id, rs in state.roles.items():
        name = scenario.role_name(role_id)
        if rs.task is not None and rs.node is not None:
            task = scenario.tasks[rs.task]
            parts.append(
                f"{name} 在《{task.title}》的节点 {rs.node} 没有可选的选项（所有选项的 when 条件都不成立）"
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


def kind_of_stuck(state: State) -> str:
    if any(rs.task is not None for rs in state.roles.values()):
        return "no_choice"
    if all(rs.finished for rs in state.roles.values()):
        return "no_ending"
    return "deadlock"
