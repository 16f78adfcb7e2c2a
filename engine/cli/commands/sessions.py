"""``sessions``: list stored sessions (team, scenario, status, score, started, duration)."""

from __future__ import annotations

import argparse
from datetime import datetime

from engine.cli.commands._common import add_db_option, db_label, open_store, run
from engine.present.labels import STATUS_NAMES, format_duration
from engine.session.live import resumable

NAME = "sessions"
ORDER = 30
HELP = "列出保存的会话 / list stored sessions"


def register(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--scenario", metavar="ID", help="只列出该场景 id 的会话")
    parser.set_defaults(func=main)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


@run
def main(args: argparse.Namespace) -> int:
    store = open_store(args)
    rows = store.sessions(args.scenario)
    print(f"数据库：{db_label(args)}")
    if not rows:
        print("还没有会话。开始游戏：python play.py")
        return 0
    header = ["会话", "队伍", "场景", "状态", "得分", "开始时间", "用时", "程序版本"]
    table = [
        [
            r.id,
            r.team,
            r.scenario_title,
            STATUS_NAMES.get(r.status, r.status),
            str(r.score),
            datetime.fromtimestamp(r.started_at).strftime("%Y-%m-%d %H:%M"),
            format_duration(r.duration),
            r.app_version or "—",  # "—": started before versions were recorded
        ]
        for r in rows
    ]
    widths = [max(_width(row[i]) for row in [header, *table]) for i in range(len(header))]
    for row in [header, *table]:
        print("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=False)).rstrip())
    unfinished = resumable(store, rows)
    if unfinished:
        print(f"\n继续未完成的会话：python play.py resume {unfinished[0].id}")
    return 0
