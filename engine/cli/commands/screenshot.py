"""``screenshot``: save a PNG of one game screen, headless (for the README and reviews)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from engine.cli.commands._common import SCENARIO_HELP, CommandError, find_scenario, run
from engine.ui.screens import SCREENS

NAME = "screenshot"
ORDER = 90
HELP = "无窗口保存游戏画面截图 / save a PNG of a game screen (headless)"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scene", choices=[*SCREENS, "all"], default="play", help="哪个画面（all = 全部）")
    parser.add_argument("--out", default="shot.png", metavar="PNG", help="输出文件；--scene all 时为文件夹")
    parser.add_argument("--scenario", metavar="SCENARIO", help=f"{SCENARIO_HELP}；默认内置的 1921 场景")
    parser.add_argument("--traditional", action="store_true", help="繁体显示")
    parser.add_argument("--size", default="1280x720", metavar="WxH", help="画面大小，默认 1280x720")
    parser.set_defaults(func=main)


def parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().replace("×", "x").split("x"))
    except ValueError:
        raise CommandError(f"--size 写法应为 宽x高，如 1280x720（收到 “{text}”）") from None
    if w < 640 or h < 400:
        raise CommandError("--size 至少 640x400")
    return w, h


@run
def main(args: argparse.Namespace) -> int:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from engine.ui.fonts import FontError
    from engine.ui.shots import NotInScenario, take

    size = parse_size(args.size)
    scenario = find_scenario(args.scenario)
    scenes = SCREENS if args.scene == "all" else (args.scene,)
    out = Path(args.out)
    try:
        for scene in scenes:
            target = out / f"{scene}.png" if args.scene == "all" else out
            try:
                take(scene, target, scenario, args.traditional, size)
            except NotInScenario as exc:
                if args.scene != "all":
                    raise CommandError(f"错误：{exc}") from None
                print(f"跳过 {scene}：{exc}")
                continue
            print(f"已保存 {target}")
    except FontError as exc:
        raise CommandError(f"错误：{exc}") from None
    return 0
