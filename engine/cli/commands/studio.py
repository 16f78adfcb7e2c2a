"""``studio FILE``: the organizer's workbench in the browser. Problems with line numbers, the
map, verify's verdict, a simulation summary and a one-page team play-test, refreshed whenever
the file is saved. A file with errors opens too (that is when it helps most)."""

from __future__ import annotations

import argparse
import webbrowser

from engine.cli.commands._common import CommandError, find_scenario, run

NAME = "studio"
ORDER = 19
HELP = "写场景的工作台：浏览器里看问题、地图、验证、模拟并全队试玩，保存即刷新 / organizer's workbench"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="FILE", help="场景 YAML 文件或场景 id（文件有错误也能打开）")
    parser.add_argument(
        "--port", type=int, default=8780, metavar="N", help="端口（默认 8780；0 表示任选一个空闲端口）"
    )
    parser.add_argument("--no-browser", action="store_true", help="不自动打开浏览器，只印出地址")
    parser.add_argument(
        "--bind",
        default="127.0.0.1",
        metavar="ADDR",
        help="监听地址（默认 127.0.0.1：只有本机能打开；在局域网里给别人看才改成 0.0.0.0）",
    )
    parser.set_defaults(func=main)


@run
def main(args: argparse.Namespace) -> int:
    from engine.studio.webapp import serve_studio

    if not 0 <= args.port <= 65535:
        raise CommandError("--port 应在 0 到 65535 之间")
    path = find_scenario(args.path)

    def ready(url: str) -> None:
        print(f"情景工作台已启动：{url}")
        print(f"正在看着 {path}：用任何编辑器保存，页面会自动刷新。按 Ctrl+C 停止。")
        if not args.no_browser:
            webbrowser.open(url)

    try:
        serve_studio(path, args.port, args.bind, ready)
    except OSError as exc:
        raise CommandError(f"错误：{exc}") from None
    print("工作台已停止。")
    return 0
