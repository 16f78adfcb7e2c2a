"""``backup -o COPY.db``: a consistent copy of the store, also while a game is being played."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.cli.commands._common import CommandError, add_db_option, db_label, db_path, run
from engine.store.backup import backup, dump
from engine.store.db import StoreError, is_server_url

NAME = "backup"
ORDER = 32
HELP = "备份数据库（游戏进行中也可以；含尚未合并的最新记录；PostgreSQL 用 pg_dump）/ back up the store, even while a game runs"


def register(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("-o", "--output", metavar="COPY.db", required=True, help="备份写到这个文件")
    parser.add_argument("--force", action="store_true", help="备份文件已存在时覆盖它")
    parser.set_defaults(func=main)


@run
def main(args: argparse.Namespace) -> int:
    source = db_path(args)
    target = Path(args.output)
    if is_server_url(source):
        try:
            result = dump(str(source), target, overwrite=args.force)
        except StoreError as exc:
            raise CommandError(f"错误：{exc}") from None
        print(
            f"已用 pg_dump 备份 {db_label(args)} → {target}：{result.sessions} 场会话，{result.steps} 步操作，"
            f"{result.size / 1024:.0f} KiB。恢复到一个空数据库：pg_restore -d postgresql://… {target}"
        )
        return 0
    source = Path(source)
    if not source.exists():
        raise CommandError(f"错误：数据库 {source} 不存在；请用 --db 指定要备份的文件")
    try:
        result = backup(source, target, overwrite=args.force)
    except StoreError as exc:
        raise CommandError(f"错误：{exc}") from None
    print(
        f"已备份 {source} → {target}：{result.sessions} 场会话，{result.steps} 步操作，"
        f"{result.size / 1024:.0f} KiB（包括还在 -wal 日志里的最新记录）"
    )
    return 0
