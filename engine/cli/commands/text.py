"""``text``: play a whole scenario in the terminal (or pipe a playthrough through stdin)."""

from __future__ import annotations

import argparse

from engine.cli.commands._common import (
    SCENARIO_HELP,
    CommandError,
    add_db_option,
    db_path,
    open_scenario,
    open_store,
    run,
)
from engine.rules.actions import QuizMode
from engine.session.clock import Clock, ManualClock, SystemClock
from engine.session.live import Session, assign_roles, new_shuffle_seed
from engine.terminal.console import play

NAME = "text"
ORDER = 10
HELP = "在终端里文字游玩 / play in the terminal (scriptable via stdin)"


def add_clock_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--simulated-clock",
        action="store_true",
        help="用模拟时钟（锁定时间瞬间过去；用于脚本和测试）/ instant lock-outs for scripted runs",
    )


def make_clock(args: argparse.Namespace) -> Clock:
    return ManualClock() if args.simulated_clock else SystemClock()


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", metavar="SCENARIO", help=f"{SCENARIO_HELP}；默认内置的 1921 场景")
    parser.add_argument(
        "--players", required=True, metavar="名单", help="玩家名，用逗号分隔，如 张三,李四,王五,赵六"
    )
    parser.add_argument("--team", default="", metavar="NAME", help="队名（默认：第一位玩家的队）")
    parser.add_argument(
        "--roles",
        metavar="角色=玩家,...",
        help="指定角色分配，如 lida=张三,lihanjun=李四；其余随机分配",
    )
    parser.add_argument(
        "--seed",
        type=int,
        help="随机的种子：角色分配和选项顺序（相同种子结果相同，便于脚本和演示；默认每局随机）",
    )
    parser.add_argument(
        "--no-quiz",
        action="store_true",
        help="主持人跳过知识小测（开局前和结局后都不问，记入日志）/ skip the knowledge check",
    )
    add_db_option(parser)
    add_clock_option(parser)
    parser.set_defaults(func=main)


def parse_players(text: str) -> list[str]:
    players = [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]
    if not players:
        raise CommandError("--players 至少要有一个名字，如 --players 张三,李四")
    if len(set(players)) != len(players):
        raise CommandError("玩家名不能重复；同名请加以区分，如 张三A,张三B")
    return players


def parse_roles(text: str | None) -> dict[str, str]:
    if not text:
        return {}
    picks: dict[str, str] = {}
    for item in text.replace("，", ",").split(","):
        if "=" not in item:
            raise CommandError(f"--roles 写法应为 角色id=玩家，如 lida=张三（问题在 “{item}”）")
        role, player = (s.strip() for s in item.split("=", 1))
        picks[role] = player
    return picks


@run
def main(args: argparse.Namespace) -> int:
    scenario = open_scenario(args.scenario)
    players = parse_players(args.players)
    try:
        assignment = assign_roles(scenario, players, parse_roles(args.roles), args.seed)
    except ValueError as exc:
        raise CommandError(f"错误：{exc}") from None
    store = open_store(args)
    team = args.team or f"{players[0]}队"
    shuffle = args.seed if args.seed is not None else new_shuffle_seed()
    quiz: QuizMode = "skip" if args.no_quiz else "ask"
    session = Session.start(scenario, store, team, assignment, make_clock(args), shuffle=shuffle, quiz=quiz)
    return play(session, db_hint=args.db or "", fresh=True)


__all__ = ["add_clock_option", "db_path", "make_clock"]
