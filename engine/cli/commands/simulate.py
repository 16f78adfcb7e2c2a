"""``simulate --scenario PATH --teams N``: bot teams play whole sessions; print how it went."""

from __future__ import annotations

import argparse

from engine.cli.commands._common import (
    SCENARIO_HELP,
    CommandError,
    add_db_option,
    db_label,
    open_scenario,
    open_store,
    run,
)
from engine.present.labels import format_duration
from engine.tools.bots import POLICIES
from engine.tools.simulate import Stats, simulate

NAME = "simulate"
ORDER = 22
HELP = "让机器人队伍完整地玩很多局，统计结局、得分、陷阱命中率和等待 / simulate bot teams"

POLICY_HELP = (
    "random：随便选；careful：七成避开陷阱；expert：从不踩陷阱、选得分最高的；"
    "first：总选显示在第一个的选项（选项每局随机排序，看看“总按 1”能走多远）"
)


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", metavar="SCENARIO", help=f"{SCENARIO_HELP}；默认内置的 1921 场景")
    parser.add_argument("--teams", type=int, default=100, metavar="N", help="队伍数（默认 100）")
    parser.add_argument(
        "--seed", type=int, default=0, metavar="S", help="随机种子：相同种子结果相同（默认 0）"
    )
    parser.add_argument("--policy", choices=POLICIES, default="random", help=POLICY_HELP)
    parser.add_argument(
        "--quiz",
        action="store_true",
        help="机器人也做知识小测（按策略作答；配合 --db 可以演示学习报告）/ bots answer the knowledge check",
    )
    add_db_option(parser)
    parser.set_defaults(func=main)


def _stats(stats: Stats, fmt: str = "{:.0f}") -> str:
    return "最低 {} · 中位 {} · 平均 {} · 最高 {}".format(
        *(fmt.format(v) for v in (stats.low, stats.median, stats.mean, stats.high))
    )


def _durations(stats: Stats) -> str:
    return "最短 {} · 中位 {} · 平均 {} · 最长 {}".format(
        *(format_duration(v) for v in (stats.low, stats.median, stats.mean, stats.high))
    )


@run
def main(args: argparse.Namespace) -> int:
    if args.teams < 1:
        raise CommandError("--teams 至少为 1")
    scenario = open_scenario(args.scenario)
    store = open_store(args) if args.db else None
    try:
        sim = simulate(
            scenario,
            args.teams,
            seed=args.seed,
            policy=args.policy,
            store=store,
            quiz=args.quiz,
            yardstick=True,
        )
    finally:
        if store is not None:
            store.close()
    s = scenario
    print(f"模拟 {s.title}：{sim.teams} 支机器人队伍，策略 {sim.policy}，种子 {sim.seed}")
    print("结局分布：")
    names = {
        **{e: f"{s.endings[e].title}（{e}）" for e in s.endings},
        "stuck": "僵局",
        "unfinished": "未结束",
    }
    for ending, count in sorted(sim.endings.items(), key=lambda kv: -kv[1]):
        print(f"  {names.get(ending, ending)}：{count} 队（{count / sim.teams:.0%}）")
    if sim.expert is not None:
        reached = sim.endings.get(sim.expert, 0)
        print(
            f"达到 expert 策略的结局「{s.endings[sim.expert].title}」：{reached} 队（{sim.expert_share:.0%}）"
        )
    print(f"得分：{_stats(sim.score_stats)}")
    print(f"用时（模拟时间）：{_durations(sim.duration_stats)}")
    print(f"步数：{_stats(Stats.of([float(a) for a in sim.actions]))}")
    if sim.trap_hits:
        print("陷阱命中率（踩中过的队伍比例）：")
        for trap, rate in sorted(sim.trap_hits.items(), key=lambda kv: -kv[1]):
            print(f"  {s.traps[trap].trap.title}（{trap}）：{rate:.0%}")
    print("每个角色平均等待别人的时间：")
    print("  " + "；".join(f"{s.role_name(r)} {format_duration(v)}" for r, v in sim.idle.items()))
    if store is not None:
        print(
            f"已把 {len(sim.session_ids)} 局存入 {db_label(args)}（python play.py sessions --db {args.db}）"
        )
    return 1 if sim.endings.get("stuck") else 0
