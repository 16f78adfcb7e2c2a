"""``verify PATH``: prove a scenario cannot trap a team (every choice, every order of the roles).

Exit status: 0 no dead-lock, no unwinnable state and no dead content; 1 a problem was found
(including an ending, task, trap, choice or team event no play can reach) or the search was cut
short by ``--max-states``; 2 the file is not a valid scenario.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import Any

from engine.cli.commands._common import SCENARIO_HELP, open_scenario, run
from engine.format.scenario import Scenario
from engine.tools.balance import balance_problems
from engine.tools.deadcode import Dead, find_dead
from engine.tools.verify import Finding, Move, VerifyReport, describe_move, format_trace, verify

NAME = "verify"
ORDER = 21
HELP = "穷举所有玩法，证明场景不会让团队卡住 / prove a scenario cannot trap a team"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="SCENARIO", help=SCENARIO_HELP)
    parser.add_argument(
        "--max-states", type=int, default=1_000_000, metavar="N", help="最多探索的状态数（默认 1000000）"
    )
    parser.add_argument("--json", action="store_true", help="输出 JSON（供脚本使用）")
    parser.add_argument(
        "--exact",
        action="store_true",
        help="不做偏序约简：步数统计精确，但状态更多 / no partial-order reduction",
    )
    parser.add_argument(
        "--skips",
        action="store_true",
        help="同时探索主持人跳过任一角色当前任务的情况 / "
        "also explore the facilitator skipping any role's current task",
    )
    parser.set_defaults(func=main)


def _move_json(scenario: Scenario, move: Move) -> dict[str, Any]:
    data = {**asdict(move), "role_name": scenario.role_name(move.role), "text": describe_move(scenario, move)}
    if move.skip:
        data["choice"] = None
    return data


def _finding_json(scenario: Scenario, f: Finding) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "message": f.message,
        "states": f.states,
        "trace": [_move_json(scenario, m) for m in f.trace],
        "continuation": [_move_json(scenario, m) for m in f.continuation],
    }


def passed(report: VerifyReport, dead: list[Dead]) -> bool:
    """The verdict: explored completely, nothing can get stuck, nothing is dead."""
    return report.ok and report.complete and not dead


def report_json(
    scenario: Scenario, report: VerifyReport, warnings: list[str], dead: list[Dead] | None = None
) -> dict[str, Any]:
    dead = dead or []
    return {
        "scenario": scenario.id,
        "file": scenario.file,
        "ok": passed(report, dead),
        "complete": report.complete,
        "states": report.states,
        "transitions": report.transitions,
        "seconds": round(report.seconds, 3),
        "states_per_second": round(report.states_per_second),
        "reduced_states": report.reduced_states,
        "skips": report.skips,
        "deadlock_states": report.deadlock_states,
        "unwinnable_states": report.unwinnable_states,
        "deadlocks": [_finding_json(scenario, f) for f in report.deadlocks],
        "unwinnable": [_finding_json(scenario, f) for f in report.unwinnable],
        "unreachable": {
            "endings": report.unreachable_endings,
            "tasks": report.unreachable_tasks,
            "nodes": [f"{t}/{n}" for t, n in report.unreachable_nodes],
            "traps": report.unreachable_traps,
            "choices": [f"{t}/{n}/{i + 1}" for t, n, i in report.unreachable_choices],
            "events": report.unreachable_events,
        },
        "dead": [asdict(d) | {"message": d.sentence()} for d in dead],
        "ending_steps": {e: {"shortest": lo, "longest": hi} for e, (lo, hi) in report.ending_steps.items()},
        "role_wait": report.role_wait,
        "warnings": warnings,
    }


def _steps(value: int | None) -> str:
    return "无上限（有循环）" if value is None else str(value)


def print_report(
    scenario: Scenario, report: VerifyReport, warnings: list[str], dead: list[Dead] | None = None
) -> None:
    s = scenario
    print(f"验证 {s.file}（{s.title}）" + ("，包含主持人跳过" if report.skips else ""))
    print(
        f"探索了 {report.states} 个团队状态、{report.transitions} 步，用时 {report.seconds:.2f} 秒"
        f"（每秒 {report.states_per_second:.0f} 个状态）"
    )
    if not report.complete:
        print(
            f"⚠ 已达到上限 --max-states {report.max_states}，探索未完成：以下结论只覆盖已探索的部分。"
            f"请调大上限再试，如 --max-states {report.max_states * 10}"
        )
    if report.skips:
        print(
            "（包含主持人跳过：每个局面下都可能跳过任一角色手上的任务；为此不做偏序约简，步数统计是精确的）"
        )
    if report.deadlocks:
        print(f"✗ 发现僵局（{report.deadlock_states} 个状态）：")
        for i, f in enumerate(report.deadlocks, 1):
            print(f"  [{i}] {format_trace(s, f.trace)} → {f.message}")
    else:
        print("✓ 没有僵局：无论怎么选、按什么顺序行动，总有人能继续")
    if report.unwinnable:
        print(f"✗ 有无法到达任何结局的局面（{report.unwinnable_states} 个状态），从“不归点”看：")
        for i, f in enumerate(report.unwinnable, 1):
            print(f"  [{i}] {format_trace(s, f.trace)} → {f.message}")
            if f.continuation:
                print(f"      接下来例如：{format_trace(s, f.continuation, len(f.trace) + 1)}")
    elif report.complete and report.deadlocks:
        print("✓ 除上述僵局外，没有别的无法到达结局的局面")
    elif report.complete:
        print("✓ 从任何可到达的局面，都还能到达某个结局")
    print("结局（最少步数 / 最多步数）：")
    for ending in s.endings.values():
        if ending.id in report.ending_steps:
            lo, hi = report.ending_steps[ending.id]
            print(f"  {ending.title}（{ending.id}）：{lo} / {_steps(hi)}")
    if report.complete and dead:
        print(f"✗ 有任何玩法都到不了的内容（{len(dead)} 处）：")
        for d in dead:
            print(f"  {s.file}:{d.line}:{d.column}: {d.sentence()}")
    elif report.complete:
        print("✓ 每个结局、任务、陷阱、选项和团队事件都有玩法能到达")
    print("每个角色最长连续等待（手上没有任务、却还有任务要做时，团队走了几步）：")
    print("  " + "；".join(f"{s.role_name(r)} {_steps(w)}" for r, w in report.role_wait.items()))
    if report.reduced_states:
        print(
            f"（{report.reduced_states} 个状态用了偏序约简：互不影响的私有步骤按固定顺序探索，"
            "步数统计以约简后的图为准；加 --exact 可得精确步数）"
        )
    for line in warnings:
        print(line)
    verdict = "通过" if passed(report, dead or []) else "未通过" if report.complete else "未完成"
    print(f"结论：{verdict}")


@run
def main(args: argparse.Namespace) -> int:
    scenario = open_scenario(args.path)
    report = verify(scenario, max_states=args.max_states, reduce=not args.exact, skips=args.skips)
    warnings = [
        str(p) for p in balance_problems(scenario, waits=report.role_wait if report.complete else None)
    ]
    dead = find_dead(scenario, report, skips=args.skips)
    if args.json:
        print(json.dumps(report_json(scenario, report, warnings, dead), ensure_ascii=False, indent=2))
    else:
        print_report(scenario, report, warnings, dead)
    return 0 if passed(report, dead) else 1
