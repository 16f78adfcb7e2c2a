"""``game`` (the default): open the pygame window -- title, set-up, play, results."""

from __future__ import annotations

import argparse
import os

from engine.cli.commands._common import CommandError, add_db_option, find_scenario, open_store, run
from engine.cli.commands.screenshot import parse_size

NAME = "game"
ORDER = 0
HELP = "打开游戏窗口（默认命令）/ open the game window (the default)"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scenario",
        metavar="SCENARIO",
        action="append",
        default=[],
        help="额外列出的场景：文件路径或场景 id（可多次；内置场景和“我的场景”总会列出）",
    )
    add_db_option(parser)
    parser.add_argument("--fullscreen", action="store_true", help="全屏（游戏中按 F11 切换）")
    parser.add_argument("--traditional", action="store_true", help="繁体显示（由 OpenCC 从简体转换）")
    parser.add_argument("--size", default="1280x720", metavar="WxH", help="窗口大小，默认 1280x720")
    parser.add_argument(
        "--font", metavar="FILE", help="改用这个中文字体文件（默认：随游戏安装的 Noto Sans CJK）"
    )
    parser.add_argument("--system-font", action="store_true", help="优先使用系统里的中文字体")
    parser.add_argument("--mute", action="store_true", help="静音开始（游戏中按 M 切换）")
    parser.add_argument("--no-motion", action="store_true", help="不用动画（弹窗、得分变化直接出现）")
    parser.set_defaults(func=main)


@run
def main(args: argparse.Namespace) -> int:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    from engine.present.i18n import I18nError
    from engine.ui.app import App, Settings
    from engine.ui.fonts import FontError

    settings = Settings(
        traditional=args.traditional,
        fullscreen=args.fullscreen,
        size=parse_size(args.size),
        font=args.font,
        system_font=args.system_font,
        scenarios=[find_scenario(ref) for ref in args.scenario],
        muted=args.mute,
        motion=not args.no_motion,
    )
    store = open_store(args)
    try:
        app = App(store, settings)
    except (FontError, I18nError) as exc:
        raise CommandError(f"错误：{exc}") from None
    try:
        return app.run()
    finally:
        app.close()
        store.close()
