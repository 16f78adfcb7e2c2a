"""Benchmark ``play.py validate`` on hostile-but-valid-YAML files: many unknown references.

The case from the issue: 3,000 tasks that require 15,000 tasks which do not exist (1.1 MB of
YAML). Each problem kind is listed at most 100 times, and "did you mean" is worked out only for
those, against a letter-pair index; before, every one of the 15,000 compared its name with all
3,000 task ids (75 s) and printed 15,001 lines. Also a 60,000-reference file (the size limit
allows it), the flagship scenario for scale, and the whole command as an organizer runs it.

    python bench/bench_validate.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from engine.format.loader import check_file  # noqa: E402


def unknown_references(tasks: int, references: int, events: int = 0) -> str:
    """A scenario of ``tasks`` tasks with ``references`` names of tasks that do not exist: in
    each task's ``requires`` or, with ``events``, in that many team events' ``open_tasks``
    (one value per name: 60,000 of them fit the value and size limits)."""
    out = [
        "scenario:\n  id: big\n  title: 大场景\n  summary: 压力测试\n",
        "roles:\n  - id: a\n    name: 甲\n    brief: 甲\n",
        "tasks:\n",
    ]
    per = 0 if events else references // tasks
    for t in range(tasks):
        refs = ", ".join(f"{{task_done: m{t}_{k}}}" for k in range(per))
        requires = f"    requires: {{all: [{refs}]}}\n" if per else ""
        out.append(
            f"  - id: task_{t}\n    role: a\n    title: 任务{t}\n{requires}"
            "    nodes:\n      - id: n\n        text: 文\n        choices:\n"
            "          - text: 完成\n            complete: done\n"
        )
    if events:
        out.append("events:\n")
        per = references // events
        for e in range(events):
            names = ", ".join(f"m{e}_{k}" for k in range(per))
            out.append(
                f"  - id: e{e}\n    title: 事件\n    text: 文\n    when: {{task_done: task_0}}\n"
                f"    open_tasks: [{names}]\n"
            )
    out.append("endings:\n  - id: e\n    title: 完\n    text: 完\n    when: { task_done: task_0 }\n")
    return "".join(out)


def _best(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return min(times) if repeat < 3 else statistics.median(times)


def _cli(path: Path) -> tuple[float, int]:
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, str(ROOT / "play.py"), "validate", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return time.perf_counter() - t0, len(out.stdout.splitlines())


def run(quick: bool) -> dict[str, float | str]:
    repeat = 1 if quick else 3
    figures: dict[str, float | str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        cases = {"3000x15000": (3000, 15_000, 0), "3000x60000_in_events": (3000, 60_000, 30)}
        for name, (tasks, refs, events) in cases.items():
            path = Path(tmp) / f"{name}.yaml"
            path.write_text(unknown_references(tasks, refs, events), encoding="utf-8")
            problems = check_file(path)
            figures[f"validate_{name}_kib"] = round(path.stat().st_size / 1024)
            figures[f"validate_{name}_problem_lines"] = float(len(problems))
            figures[f"validate_{name}_s"] = round(_best(lambda p=path: check_file(p), repeat), 3)
            seconds, lines = _cli(path)
            figures[f"validate_{name}_cli_s"] = round(seconds, 2)
            figures[f"validate_{name}_cli_lines"] = float(lines)
    flagship = ROOT / "scenarios" / "yida_1921.yaml"
    figures["validate_yida_1921_s"] = round(_best(lambda: check_file(flagship), repeat), 4)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick", action="store_true", help="one timing per case instead of the median of three"
    )
    args = parser.parse_args()
    for name, value in run(args.quick).items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
