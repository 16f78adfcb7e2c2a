"""``host``: each player on their own phone. Serves the join pages and the projector dashboard
on the local network; a restart with the same database resumes every team where it was."""

from __future__ import annotations

import argparse

from engine.cli.commands._common import (
    SCENARIO_HELP,
    CommandError,
    add_db_option,
    db_label,
    find_scenario,
    open_scenario,
    open_store,
    run,
)
from engine.store.db import StoreError

NAME = "host"
ORDER = 15
HELP = "多台手机联机：局域网主持，扫码加入，大屏看板 / host a multi-phone session on the LAN"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", metavar="SCENARIO", help=f"{SCENARIO_HELP}；默认内置的 1921 场景")
    parser.add_argument("--port", type=int, default=8765, metavar="N", help="端口（默认 8765）")
    parser.add_argument(
        "--teams", type=int, default=1, metavar="N", help="开局时建几支队伍（默认 1；大屏上可再加）"
    )
    parser.add_argument(
        "--bind",
        default="0.0.0.0",
        metavar="ADDR",
        help="监听地址（默认 0.0.0.0：本机所有网卡；只在本机试用可写 127.0.0.1）",
    )
    parser.add_argument("--public-host", metavar="HOST", help="二维码里用的地址（默认自动找本机局域网 IP）")
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="放在反向代理（nginx、Caddy）后面时，手机访问的完整地址，如 https://qingjing.example.cn（见 docs/web.md）",
    )
    parser.add_argument(
        "--proxy",
        metavar="ADDR",
        default="",
        help="反向代理的 IP 地址（逗号分隔，如 127.0.0.1）：按它转发的 X-Forwarded-For 识别每台手机",
    )
    parser.add_argument(
        "--roster-names",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="加入页是否把名册中的名字列出来供选择（默认：局域网上列出；用了 --public-url、在互联网上时"
        "不列出，免得拿到队伍码的人看到名单；不列出时成员填写名册上的姓名，照样记在名下）",
    )
    add_db_option(parser)
    parser.set_defaults(func=main)


@run
def main(args: argparse.Namespace) -> int:
    from engine.web.hub import MAX_TEAMS, MAX_TEAMS_SERVER, Hub
    from engine.web.runner import base_url, bind_socket, serve

    if not 0 <= args.port <= 65535:
        raise CommandError("--port 应在 0 到 65535 之间")
    if not 0 <= args.teams <= MAX_TEAMS_SERVER:
        raise CommandError(f"--teams 应在 0 到 {MAX_TEAMS} 之间（PostgreSQL 数据库：到 {MAX_TEAMS_SERVER}）")
    scenario_path = str(find_scenario(args.scenario))
    open_scenario(scenario_path)  # report scenario errors before anything listens
    try:
        sock = bind_socket(args.bind, args.port)
    except OSError as exc:
        raise CommandError(f"错误：{exc}") from None
    if args.public_url and not args.public_url.startswith(("http://", "https://")):
        raise CommandError("--public-url 应以 https:// 或 http:// 开头，如 https://qingjing.example.cn")
    url = base_url(args.bind, sock.getsockname()[1], args.public_host, args.public_url)
    proxies = frozenset(a.strip() for a in args.proxy.split(",") if a.strip())
    store = open_store(args)
    if args.teams > MAX_TEAMS and not store.server:
        store.close()
        raise CommandError(f"--teams 应在 0 到 {MAX_TEAMS} 之间（PostgreSQL 数据库：到 {MAX_TEAMS_SERVER}）")
    try:
        hub = Hub(store, url, scenario_path)
    except StoreError as exc:
        raise CommandError(f"错误：{exc}") from None
    if not hub.teams:
        for _ in range(args.teams):
            hub.new_team()
    hub.offer_members = not args.public_url if args.roster_names is None else args.roster_names

    def ready() -> None:
        print(f"情景 · 多人联机已启动（数据库：{db_label(args)}）")
        if args.public_url:
            print(
                f"本机监听 {args.bind}:{sock.getsockname()[1]}；反向代理把 {url} 转发到这里（见 docs/web.md）"
            )
        print(f"主持人大屏（在这台电脑的浏览器打开，投到大屏）：{url}/host#k={hub.secret}")
        print(f"主持人口令：{hub.secret}")
        for team in hub.teams.values():
            print(f"  {team.row.name}：{hub.join_url(team)}  （队伍码 {team.row.code}）")
        if not hub.offer_members:
            print("加入页不列出名册中的名字：名册成员填写名册上登记的姓名，积分照样记在名下。")
        if hub.store.server:
            print("数据库在服务器上：可以在别的电脑或进程上用同一个 --db 再运行 host，手机连哪一台都行。")
        print(
            "手机需连接同一个 Wi-Fi，扫描大屏上的二维码加入。按 Ctrl+C 停止（进度已保存，再次运行即可继续）。",
            flush=True,  # the addresses must show now even when the output goes to a file or a pipe
        )

    serve(hub, sock, ready, proxies)
    store.close()
    print("主持已停止。进度已保存；用同一个数据库再次运行 host 即可继续。")
    return 0
