"""Benchmark ``play.py verify``: states per second and time on the shipped scenarios and on a
generated large scenario (6 roles x 40 tasks, cross-lane dependencies, traps, a team event);
the flagship scenario also with facilitator skips (``--skips``).

    python bench/bench_verify.py [--quick]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.format.catalog import bundled_scenarios  # noqa: E402
from engine.format.loader import parse_scenario  # noqa: E402
from engine.tools.verify import verify  # noqa: E402


def generate(roles: int = 6, tasks: int = 40, overlap: int = 3, seed: int = 1) -> str:
    """A valid scenario YAML: ``tasks`` tasks dealt round-robin to ``roles`` roles.

    Task i needs task i-overlap (another lane's) and now and then one more, so about
    ``overlap`` lanes work at once and hand work on like a real team's plan. Every task has a
    first node with a step-back trap and a last node with two outcomes.
    """
    import random

    rng = random.Random(seed)
    lines = [
        "scenario:",
        "  id: generated",
        f"  title: 生成的场景 {roles}×{tasks}",
        "  summary: 基准测试用的生成场景。",
        "roles:",
    ]
    for r in range(roles):
        lines += [f"  - id: r{r}", f"    name: 角色{r}", f"    brief: 第 {r} 个角色。"]
    lines += ["flags:", "  - id: progress", "    type: int", "    initial: 0", "tasks:"]
    for i in range(tasks):
        lines += [f"  - id: t{i}", f"    role: r{i % roles}", f"    title: 任务{i}"]
        # the previous phase's task of the neighbouring lane, sometimes one more further back
        deps = [i - overlap] if i >= overlap else []
        if i > overlap and rng.random() < 0.3:
            deps.append(i - overlap - 1)
        if deps:
            lines.append("    requires:")
            lines.append("      all:")
            lines += [f"        - {{ task_done: t{d} }}" for d in sorted(set(deps))]
        lines += [
            "    nodes:",
            "      - id: a",
            f"        text: 任务{i}的第一步。",
            "        choices:",
            "          - text: 稳妥的做法",
            "            goto: b",
            "          - text: 冒进的做法",
            "            trap:",
            f"              id: trap{i}",
            "              title: 冒进",
            "              explanation: 历史上并非如此。",
            "              source: 基准",
            "              lockout_seconds: 10",
            "              step_back: a",
            "      - id: b",
            f"        text: 任务{i}的第二步。",
            "        choices:",
            "          - text: 完成",
            "            add: { progress: 1 }",
            "            complete: done",
            "          - text: 草草了事",
            "            complete: rushed",
        ]
    last = [f"t{i}" for i in range(max(0, tasks - roles), tasks)]
    lines += [
        "endings:",
        "  - id: done",
        "    title: 完成",
        "    text: 全部完成。",
        "    when:",
        "      all:",
    ]
    lines += [f"        - {{ task_done: {t} }}" for t in last]
    return "\n".join(lines) + "\n"


def _time(name: str, text: str, out: dict[str, float | str]) -> None:
    scenario = parse_scenario(text, name)
    t0 = time.perf_counter()
    report = verify(scenario)
    seconds = time.perf_counter() - t0
    out[f"verify_{name}_seconds"] = round(seconds, 3)
    out[f"verify_{name}_states"] = report.states
    out[f"verify_{name}_states_per_second"] = round(report.states / seconds if seconds else 0.0)
    out[f"verify_{name}_ok"] = "yes" if report.ok and report.complete else "no"


def _time_skips(path: Path, out: dict[str, float | str]) -> None:
    """``verify --skips``: facilitator skips as moves (no partial-order reduction)."""
    scenario = parse_scenario(path.read_text(encoding="utf-8"), path.name)
    t0 = time.perf_counter()
    report = verify(scenario, skips=True)
    out[f"verify_{path.stem}_skips_seconds"] = round(time.perf_counter() - t0, 3)
    out[f"verify_{path.stem}_skips_states"] = report.states


def run(quick: bool) -> dict[str, float | str]:
    out: dict[str, float | str] = {}
    for path in bundled_scenarios():
        _time(path.stem, path.read_text(encoding="utf-8"), out)
        if path.stem == "yida_1921":
            _time_skips(path, out)
    if quick:
        _time("generated_4x16", generate(4, 16), out)
    else:
        _time("generated_6x40", generate(6, 40), out)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    for key, value in run(args.quick).items():
        print(f"{key}: {value}")
