"""``import FILE.db… --db URL``: sessions from branch laptops' files merge into one store."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine.cli.commands._common import CommandError, add_db_option, db_label, open_store, run
from engine.store.db import StoreError
from engine.store.merge import import_store

NAME = "import"
ORDER = 33
HELP = "把各支部电脑上的数据库文件汇总到一个数据库（可重复导入，不会重复）/ merge branch store files into one store"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE.db", help="支部电脑上的 qingjing.db（或它的备份）")
    add_db_option(parser)
    parser.set_defaults(func=main)


@run
def main(args: argparse.Namespace) -> int:
    store = open_store(args)
    refused = 0
    try:
        for name in args.files:
            try:
                result = import_store(Path(name), store)
            except StoreError as exc:
                raise CommandError(f"错误：{name}：{exc}（这个文件的会话都没有导入）") from None
            print(
                f"{name}：新增 {result.added} 场会话，续上 {result.extended} 场，"
                f"已有 {result.same} 场（共写入 {result.steps} 步操作）"
            )
            for reason in result.refused:
                print(f"  未导入：{reason}")
            refused += len(result.refused)
    finally:
        store.close()
    print(f"已汇总到 {db_label(args)}（python play.py sessions --db … 查看，report 生成报告）")
    if refused:
        print(f"有 {refused} 场会话与已有的同编号会话冲突，没有导入（见上）；其余都已导入")
        return 1
    return 0
