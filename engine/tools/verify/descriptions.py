"""Findings in words (Chinese): a move, a trace, an unmet condition, why nobody can act."""

from __future__ import annotations

from engine.format.model import (
    Condition,
    TaskDoneCondition,
)
from engine.format.scenario import Scenario
from engine.rules.state import State
from engine.rules.step import is_open
from engine.tools.verify.findings import Move
from engine.tools.wording import snippet, unmet_text


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


def kind_of_stuck(state: State) -> str:
    if any(rs.task is not None for rs in state.roles.values()):
        return "no_choice"
    if all(rs.finished for rs in state.roles.values()):
        return "no_ending"
    return "deadlock"
