"""``scenarios``: every scenario the engine can find -- bundled and the organizer's own -- with
whether it is valid, its id, title and file, and where to put new ones."""

from __future__ import annotations

import argparse

from engine.cli.commands._common import program_name, run
from engine.format.catalog import (
    ENV_SCENARIOS,
    Entry,
    bundled,
    duplicate_ids,
    duplicate_message,
    entries,
    user_scenarios_dir,
)

NAME = "scenarios"
ORDER = 23
HELP = "列出内置场景和“我的场景”：是否有效、id、标题、文件位置 / list bundled and own scenarios"


def register(parser: argparse.ArgumentParser) -> None:
    parser.set_defaults(func=main)


def _line(entry: Entry, duplicated: bool) -> list[str]:
    state = "✓ 有效" if entry.valid else f"✗ 有 {len(entry.problems)} 处错误"
    mark = "　⚠ id 重复" if duplicated else ""
    head = f"  {state}　{entry.id or '（无 id）'}　{entry.title or '（无标题）'}{mark}"
    lines = [head, f"      {entry.path}"]
    if entry.problems:
        lines.append(f"      第一处：{entry.problems[0]}")
    return lines


@run
def main(args: argparse.Namespace) -> int:
    me = program_name()
    found = entries()
    dupes = duplicate_ids(found)
    own_dir = user_scenarios_dir()
    out = [f"内置场景（{bundled('scenarios')}）："]
    for entry in (e for e in found if e.origin == "bundled"):
        out += _line(entry, entry.id in dupes)
    out.append(f"我的场景（{own_dir}；可用环境变量 {ENV_SCENARIOS} 改到别处）：")
    own = [e for e in found if e.origin == "own"]
    if not own:
        out.append(f"  （还没有。{me} new 场景id 会在这里生成一个可以直接修改的新场景）")
    for entry in own:
        out += _line(entry, entry.id in dupes)
    bad = sum(not e.valid for e in found)
    summary = f"共 {len(found)} 个场景" + (f"，{bad} 个有错误（{me} validate 文件 查看全部）" if bad else "")
    out.append(summary + "。")
    for sid, group in dupes.items():
        out.append(duplicate_message(sid, group))
    out.append(f"选用场景时写 id 或文件路径均可，如：{me} text --scenario tutorial --players 甲,乙,丙")
    print("\n".join(out))
    return 0
