"""``new NAME``: write a commented, valid starting scenario to edit (never overwrites)."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from engine.cli.commands._common import CommandError, run
from engine.format.catalog import ROOT
from engine.tools.scaffold import scaffold_text

NAME = "new"
ORDER = 25
HELP = "生成一个带注释、可直接修改的新场景 / scaffold a new scenario"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name", metavar="NAME", help="场景 id：英文字母开头，只用字母、数字、_ 或 -，如 nanhu_boat"
    )
    parser.add_argument("-o", "--output", metavar="PATH", help="输出文件（默认 scenarios/NAME.yaml）")
    parser.add_argument("--title", help="场景标题（默认：新场景 NAME）")
    parser.set_defaults(func=main)


@run
def main(args: argparse.Namespace) -> int:
    name = args.name
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]{0,63}", name):
        raise CommandError(
            f"“{name}” 不能作场景 id：只能用英文字母、数字、_ 或 -，且以字母开头（中文标题请用 --title）"
        )
    if args.output:
        out = Path(args.output)
    else:
        folder = Path("scenarios")
        out = (folder if folder.is_dir() else Path()) / f"{name}.yaml"
    if out.exists():
        raise CommandError(f"{out} 已经存在，不会覆盖；请换个名字或用 -o 指定别的路径", code=1)
    try:
        schema = Path(os.path.relpath(ROOT / "scenario.schema.json", out.resolve().parent)).as_posix()
    except ValueError:  # another drive on Windows
        schema = (ROOT / "scenario.schema.json").as_uri()
    title = args.title or f"新场景 {name}"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("x", encoding="utf-8") as fh:
            fh.write(scaffold_text(name, title, schema))
    except FileExistsError:
        raise CommandError(f"{out} 已经存在，不会覆盖", code=1) from None
    except OSError as exc:
        raise CommandError(f"无法写入 {out}：{exc.strerror}；请检查路径和权限") from None
    print(f"已生成 {out}。下一步：")
    print(f"  python play.py validate {out}")
    print(f"  python play.py verify {out}")
    print(f"  python play.py text --scenario {out} --players 甲,乙,丙")
    return 0
