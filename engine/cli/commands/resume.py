"""``resume SESSION_ID``: continue an interrupted session in the terminal, exactly where it stopped."""

from __future__ import annotations

import argparse

from engine.cli.commands._common import CommandError, add_db_option, open_store, run
from engine.cli.commands.text import add_clock_option, make_clock
from engine.session.live import Session
from engine.terminal.console import play

NAME = "resume"
ORDER = 31
HELP = "继续一个中断的会话（文字模式）/ resume an interrupted session"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("session_id", metavar="SESSION_ID", help="会话编号（可只写开头几位）")
    add_db_option(parser)
    add_clock_option(parser)
    parser.set_defaults(func=main)


@run
def main(args: argparse.Namespace) -> int:
    store = open_store(args)
    session = Session.resume(store, args.session_id, make_clock(args))
    if session.state.over and session.state.quiz is None:  # an open check after the ending goes on
        raise CommandError(f"会话 {session.id} 已经结束（{session.state.status}），无需继续", code=1)
    print(f"继续会话 {session.id}（已保存 {len(session.events)} 条记录）")
    session.mark_resumed()
    return play(session, db_hint=args.db or "")
