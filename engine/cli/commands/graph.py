"""``graph PATH -o FILE``: draw the scenario map as SVG, PNG, Graphviz DOT or Mermaid."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from engine.cli.commands._common import SCENARIO_HELP, CommandError, open_scenario, run
from engine.tools.graph import to_dot, to_mermaid, to_svg

NAME = "graph"
ORDER = 23
HELP = "画出场景地图（角色泳道、任务、依赖、陷阱、结局）/ draw the scenario map"

FORMATS = (".svg", ".png", ".dot", ".mmd")


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="SCENARIO", help=SCENARIO_HELP)
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="输出文件：扩展名 .svg、.png、.dot 或 .mmd 决定格式",
    )
    parser.set_defaults(func=main)


@run
def main(args: argparse.Namespace) -> int:
    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise CommandError(
            f"不支持的输出格式 “{out.suffix or out.name}”：请用 {'、'.join(FORMATS)} 之一作扩展名"
        )
    scenario = open_scenario(args.path)
    try:
        if suffix == ".png":
            os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
            from engine.ui.fonts import FontError
            from engine.ui.graph_png import write_png

            try:
                write_png(scenario, out)
            except FontError as exc:
                raise CommandError(f"错误：{exc}") from None
        else:
            text = {".svg": to_svg, ".dot": to_dot, ".mmd": to_mermaid}[suffix](scenario)
            out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"无法写入 {out}：{exc.strerror}；请检查路径和权限") from None
    print(f"已画出 {scenario.title} 的场景地图：{out}")
    return 0
