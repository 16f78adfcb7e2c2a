"""``validate FILE...``: check scenario files; every problem as FILE:LINE:COLUMN: severity: message."""

from __future__ import annotations

import argparse
import glob
from pathlib import Path

from engine.cli.commands._common import run
from engine.format.catalog import CatalogError, resolve
from engine.format.loader import load_scenario
from engine.format.problems import Problem, ScenarioInvalid, capped
from engine.tools.balance import balance_problems

NAME = "validate"
ORDER = 20
HELP = "检查场景文件，列出所有错误和警告 / check scenario files"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="场景文件（可用通配符）或场景 id")
    parser.add_argument("--strict", action="store_true", help="有警告也返回失败 / treat warnings as errors")
    parser.set_defaults(func=main)


def expand(patterns: list[str]) -> list[str]:
    # Windows shells do not expand globs; do it here so the README command works everywhere.
    files: list[str] = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if any(ch in pattern for ch in "*?[") else []
        files.extend(matches or [_by_id(pattern)])
    return files


def _by_id(ref: str) -> str:
    """A scenario id names its file (``validate nanhu_boat``); anything else is checked as typed."""
    if Path(ref).exists():
        return ref
    try:
        return str(resolve(ref))
    except CatalogError:
        return ref  # reported below as a file that cannot be read, with its name


def file_problems(file: str) -> list[Problem]:
    """Every problem of a file; for a valid scenario, the balance lint's warnings too."""
    try:
        scenario = load_scenario(file)
    except ScenarioInvalid as exc:
        problems = exc.problems
    else:
        problems = [*scenario.warnings, *capped(balance_problems(scenario))]
    return sorted(problems, key=lambda p: (p.line, p.column))


@run
def main(args: argparse.Namespace) -> int:
    files = expand(args.files)
    errors = warnings = 0
    for file in files:
        problems = file_problems(file)
        for problem in problems:
            print(problem)
        # a "…还有 N 处" line counts for the problems it stands for
        file_errors = sum(1 + p.more for p in problems if p.severity == "error")
        errors += file_errors
        warnings += sum(1 + p.more for p in problems) - file_errors
    status = "全部有效" if not errors else "有错误"
    print(f"检查了 {len(files)} 个文件：{errors} 个错误，{warnings} 个警告（{status}）")
    if errors or (args.strict and warnings):
        return 1
    return 0
