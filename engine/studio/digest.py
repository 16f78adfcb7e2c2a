"""What the studio shows of verify and simulate: plain JSON in Chinese words, with titles.

verify_digest(scenario, report, dead) -> dict
simulate_digest(scenario, simulation) -> dict
"""

from __future__ import annotations

from typing import Any

from engine.format.scenario import Scenario
from engine.present.labels import format_duration
from engine.tools.deadcode import Dead
from engine.tools.simulate import Simulation
from engine.tools.verify import Finding, VerifyReport, describe_move


def _finding(scenario: Scenario, f: Finding) -> dict[str, Any]:
    return {
        "message": f.message,
        "states": f.states,
        "steps": [describe_move(scenario, m) for m in f.trace] or ["（开局即如此，无需任何操作）"],
        "then": [describe_move(scenario, m) for m in f.continuation],
    }


def verify_digest(scenario: Scenario, report: VerifyReport, dead: list[Dead]) -> dict[str, Any]:
    s = scenario
    passed = report.ok and report.complete and not dead
    if passed:
        verdict = "通过：任何玩法都不会卡住，每个结局、任务、陷阱、选项和团队事件都有玩法能到达"
    elif not report.complete:
        verdict = f"未完成：状态太多，探索在 {report.max_states} 个状态处停下"
    else:
        verdict = "未通过：见下面的问题和重现步骤"
    return {
        "passed": passed,
        "complete": report.complete,
        "verdict": verdict,
        "states": report.states,
        "seconds": round(report.seconds, 2),
        "deadlocks": [_finding(s, f) for f in report.deadlocks],
        "unwinnable": [_finding(s, f) for f in report.unwinnable],
        "dead": [{"line": d.line, "column": d.column, "message": d.sentence()} for d in dead],
        "endings": [
            {
                "title": e.title,
                "shortest": report.ending_steps[e.id][0],
                "longest": report.ending_steps[e.id][1],
            }
            for e in s.data.endings
            if e.id in report.ending_steps
        ],
        "waits": [{"role": s.role_name(r), "steps": w} for r, w in report.role_wait.items()],
    }


def simulate_digest(scenario: Scenario, sim: Simulation) -> dict[str, Any]:
    s = scenario
    n = max(sim.teams, 1)
    names = {e.id: e.title for e in s.data.endings} | {"stuck": "僵局", "unfinished": "未结束"}
    return {
        "teams": sim.teams,
        "policy": sim.policy,
        "endings": [
            {"title": names.get(e, e), "share": round(sim.endings.get(e, 0) / n, 3)}
            for e in [*s.endings, "stuck", "unfinished"]
            if e in s.endings or sim.endings.get(e)
        ],
        "traps": sorted(
            (
                {
                    "title": s.traps[t].trap.title,
                    "role": s.role_name(s.tasks[s.traps[t].task].role),
                    "rate": round(r, 3),
                }
                for t, r in sim.trap_hits.items()
            ),
            key=lambda item: -float(item["rate"]),  # type: ignore[arg-type]
        ),
        "waits": [
            {"role": s.role_name(r), "seconds": round(v), "text": format_duration(v)}
            for r, v in sim.idle.items()
        ],
        "duration": format_duration(sim.duration_stats.median),
        "score": round(sim.score_stats.median),
    }
