"""``report``: debriefs and cohort reports from the stored event logs (HTML / CSV / JSON / xAPI)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from engine.cli.commands._common import CommandError, add_db_option, open_store, run
from engine.report import FORMATS, Filters, load_review, parse_date, write_report
from engine.report.members_out import FORMATS as MEMBER_FORMATS
from engine.report.members_out import write_member_report
from engine.report.xapi import DEFAULT_BASE
from engine.review.attendance import member_report
from engine.review.selection import Review
from engine.store.db import Store

NAME = "report"
ORDER = 40
HELP = "生成复盘与学习报告（HTML/CSV/JSON/xAPI）/ session debriefs and cohort reports"

DEFAULT_NAMES = {
    "html": "qingjing-report.html",
    "csv": "qingjing-report",
    "json": "qingjing-report.json",
    "xapi": "qingjing-xapi.json",
}
MEMBER_NAMES = {"html": "qingjing-members.html", "csv": "qingjing-members", "json": "qingjing-members.json"}


def register(parser: argparse.ArgumentParser) -> None:
    add_db_option(parser)
    parser.add_argument("--session", metavar="ID", help="只报告这一场会话（复盘；可只写开头几位）")
    parser.add_argument("--scenario", metavar="ID", help="只统计该场景 id 的会话")
    parser.add_argument("--team", metavar="NAME", help="只统计该队伍的会话")
    parser.add_argument("--since", metavar="DATE", help="从这一天起（含），格式 YYYY-MM-DD")
    parser.add_argument("--until", metavar="DATE", help="到这一天为止（含），格式 YYYY-MM-DD")
    parser.add_argument("--format", choices=FORMATS, default="html", help="输出格式（默认 html）")
    parser.add_argument(
        "--members",
        action="store_true",
        help="成员报告：名册上每个人在这段时间的参加场次、积分、得分率、学习提升，以及谁还没参加（html/csv/json）",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="输出文件；csv 为文件夹（或 NAME.csv：另写 NAME_<表>.csv）。默认 qingjing-report.*",
    )
    parser.add_argument(
        "--xapi-base",
        metavar="IRI",
        default=DEFAULT_BASE,
        help=f"xAPI 活动 id 与账号的根地址（默认 {DEFAULT_BASE}，请改为本单位的网址）",
    )
    parser.set_defaults(func=main)


def _date(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise CommandError(f"{option}：{exc}") from None


@run
def main(args: argparse.Namespace) -> int:
    since, until = _date(args.since, "--since"), _date(args.until, "--until")
    filters = Filters(args.session, args.scenario, since, until, args.team)
    if since and until and since > until:
        raise CommandError("--since 晚于 --until，没有会话可报告；请检查日期")
    store = open_store(args)
    review = load_review(store, filters)
    if args.members:
        return members(args, store, review)
    if not review.sessions:
        raise CommandError(
            f"没有符合条件的会话（{filters.describe()}）；用 python play.py sessions 查看已有会话", code=1
        )
    out = Path(args.output or DEFAULT_NAMES[args.format])
    try:
        written = write_report(review, args.format, out, args.xapi_base)
    except OSError as exc:
        raise CommandError(f"无法写入 {out}：{exc.strerror}；请换一个输出位置（-o）") from None
    c = review.cohort
    print(
        f"已报告 {c.sessions} 场会话（{filters.describe()}）：完成 {c.ended} 场，平均得分 {c.avg_score:.1f}，陷阱 {c.total_traps} 次"
    )
    for path in written:
        print(f"  写入 {path}")
    return 0


def members(args: argparse.Namespace, store: Store, review: Review) -> int:
    """``--members``: the roster over the selected sessions."""
    if args.format not in MEMBER_FORMATS:
        raise CommandError(f"成员报告可用的格式：{'、'.join(MEMBER_FORMATS)}（不含 {args.format}）")
    roster = store.members()
    if not roster:
        raise CommandError(
            "名册是空的；先导入成员：python play.py roster import 成员.csv（表头：姓名,支部,编号）"
        )
    report = member_report(review, roster, store.member_links())
    out = Path(args.output or MEMBER_NAMES[args.format])
    try:
        written = write_member_report(report, args.format, out)
    except OSError as exc:
        raise CommandError(f"无法写入 {out}：{exc.strerror}；请换一个输出位置（-o）") from None
    print(
        f"成员报告（{review.filters.describe()}，{len(review.sessions)} 场）：名册 {report.members} 人，"
        f"参加过 {len(report.attended)} 人，尚未参加 {len(report.absent)} 人"
    )
    for path in written:
        print(f"  写入 {path}")
    return 0
