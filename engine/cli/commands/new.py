"""``new NAME``: write a commented, valid starting scenario to edit (never overwrites).

By default the file goes to the organizer's own scenarios folder (see engine.format.catalog), where
the game's chooser, ``scenarios`` and ``--scenario NAME`` find it; ``-o`` writes anywhere else.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from engine.cli.commands._common import CommandError, program_name, run
from engine.format.catalog import entries, is_user_folder, schema_reference, user_scenarios_dir
from engine.tools.scaffold import scaffold_text

NAME = "new"
ORDER = 25
HELP = "生成一个带注释、可直接修改的新场景 / scaffold a new scenario"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name", metavar="NAME", help="场景 id：英文字母开头，只用字母、数字、_ 或 -，如 nanhu_boat"
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="输出文件（默认：“我的场景”文件夹里的 NAME.yaml；python play.py scenarios 显示该文件夹）",
    )
    parser.add_argument("--title", help="场景标题（默认：新场景 NAME）")
    parser.set_defaults(func=main)


def _shell(path: Path) -> str:
    text = str(path)
    return f'"{text}"' if any(ch in text for ch in " '&()") else text


@run
def main(args: argparse.Namespace) -> int:
    name = args.name
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]{0,63}", name):
        raise CommandError(
            f"“{name}” 不能作场景 id：只能用英文字母、数字、_ 或 -，且以字母开头（中文标题请用 --title）"
        )
    out = Path(args.output) if args.output else user_scenarios_dir() / f"{name}.yaml"
    if out.exists():
        raise CommandError(f"{out} 已经存在，不会覆盖；请换个名字或用 -o 指定别的路径", code=1)
    taken = [e for e in entries(load=False) if e.id == name]
    if taken:
        raise CommandError(
            f"已经有 id 为 “{name}” 的场景（{taken[0].path}）；场景 id 要唯一，请换个名字", code=1
        )
    title = args.title or f"新场景 {name}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        text = scaffold_text(name, title, schema_reference(out.parent))
        with out.open("x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        raise CommandError(f"{out} 已经存在，不会覆盖", code=1) from None
    except OSError as exc:
        raise CommandError(f"无法写入 {out}：{exc.strerror}；请检查路径和权限") from None
    # In the own folder the id finds the file from anywhere; elsewhere the path does.
    own = is_user_folder(out.parent)
    ref = name if own else _shell(out)
    print(f"已生成 {out}" + ("（“我的场景”文件夹：游戏的场景列表里会出现）" if own else "") + "。下一步：")
    me = program_name()
    print(f"  {me} validate {ref}")
    print(f"  {me} verify {ref}")
    print(f"  {me} text --scenario {ref} --players 甲,乙,丙")
    return 0
