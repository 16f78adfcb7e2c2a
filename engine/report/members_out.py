"""The member report (``report --members``): one row per member over a period, in HTML, CSV or JSON.

Attended members first (by 积分), then everyone on the roster who has not attended, so an
organizer sees at once whom to invite next time. Columns are declared once, below, and every
format reads them from the same dictionaries (JSON schema ``qingjing-members`` v1, documented in
docs/report-json.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine.report.csv_out import write_tables
from engine.report.html_parts import cards, esc, head, table, write_page
from engine.report.json_out import iso, share
from engine.review.attendance import MemberReport, MemberRow

FORMAT = "qingjing-members"
VERSION = 1
FORMATS = ("html", "csv", "json")


def member_dict(r: MemberRow) -> dict[str, Any]:
    return {
        "id": r.member.id,
        "name": r.member.name,
        "branch": r.member.branch,
        "number": r.member.number,
        "shown_as": r.shown,
        "sessions": r.sessions,
        "points": r.points,
        "own_points": r.own_points,
        "opportunity": r.opportunity,
        "rate": share(r.rate),
        "traps": r.traps,
        "teams": list(r.teams),
        "last_session": iso(r.last) if r.last is not None else None,
        "pre_answered": r.pre_answered,
        "pre_rate": share(r.pre_rate),
        "post_answered": r.post_answered,
        "post_rate": share(r.post_rate),
        "gain": r.gain,
    }


def report_dict(report: MemberReport) -> dict[str, Any]:
    review = report.review
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": iso(review.generated_at),
        "filters": review.filters.as_dict(),
        "sessions": len(review.sessions),
        "members": [member_dict(r) for r in report.attended],
        "absent": [member_dict(r) for r in report.absent],
        "guests": list(report.guests),
    }


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.0%}"


# Each column once: its Chinese header and its value in a member's dictionary (CSV and HTML).
Column = tuple[str, Callable[[dict[str, Any]], Any]]
COLUMNS: tuple[Column, ...] = (
    ("姓名", lambda r: r["name"]),
    ("支部", lambda r: r["branch"]),
    ("编号", lambda r: r["number"]),
    ("参加场次", lambda r: r["sessions"]),
    ("积分", lambda r: r["points"]),
    ("个人得分", lambda r: r["own_points"]),
    ("角色满分", lambda r: r["opportunity"]),
    ("得分率", lambda r: r["rate"]),
    ("陷阱数", lambda r: r["traps"]),
    ("课前答对率", lambda r: r["pre_rate"]),
    ("课后答对率", lambda r: r["post_rate"]),
    ("提升(题)", lambda r: r["gain"]),
    ("最近参加", lambda r: (r["last_session"] or "")[:10]),
    ("所在队伍", lambda r: "、".join(r["teams"])),
)


def write_members_csv(report: MemberReport, out: Path) -> list[Path]:
    """One table, ``members``: attended members, then those who have not attended (场次 0)."""
    doc = report_dict(report)
    rows = [[get(r) for _, get in COLUMNS] for r in doc["members"] + doc["absent"]]
    return write_tables({"members": ([h for h, _ in COLUMNS], rows)}, out)


def write_members_json(report: MemberReport, out: Path) -> list[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report_dict(report), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [out]


def _plain(value: object) -> object:
    return "" if value is None else value


def page(report: MemberReport) -> list[str]:
    review = report.review
    doc = report_dict(report)
    learned = [r for r in report.attended if r.pre_answered or r.post_answered]
    show = {
        "得分率": _pct,
        "课前答对率": _pct,
        "课后答对率": _pct,
        "提升(题)": lambda v: "—" if v is None else f"{v:+d}",
    }
    shown_columns = [h for h, _ in COLUMNS if h not in ("编号", "个人得分", "角色满分")]
    getters = dict(COLUMNS)

    def cells(r: dict[str, Any]) -> list[object]:
        return [show.get(h, _plain)(getters[h](r)) for h in shown_columns]

    numeric = {
        i
        for i, h in enumerate(shown_columns)
        if h in ("参加场次", "积分", "得分率", "陷阱数", "课前答对率", "课后答对率", "提升(题)")
    }
    parts = [
        *head("成员学习情况", review.filters.describe(), len(review.sessions), review.generated_at),
        cards(
            [
                ("名册人数", str(report.members)),
                ("参加过的成员", str(len(report.attended))),
                ("尚未参加", str(len(report.absent))),
                ("做过知识检测", str(len(learned))),
            ]
        ),
        "<h2>参加情况与积分</h2>",
        '<p class="note">积分 = 本人所扮角色的得分 + 每局结局奖励；得分率 = 本人角色得分 ÷ 这些角色的满分'
        "（角色自己的任务和选择最多能得的分），不因角色任务多少而吃亏。答对率来自课前 / 课后知识检测，"
        "提升 = 课后比课前多答对的题数（只计两次都作答的场次）。</p>",
    ]
    if doc["members"]:
        parts.append(table(shown_columns, [cells(r) for r in doc["members"]], numeric))
    else:
        parts.append(
            '<p class="note">这段时间没有名册成员参加（组队时选名册里的名字，成绩才会记在成员名下）。</p>'
        )
    parts.append(f"<h2>尚未参加（{len(doc['absent'])}）</h2>")
    if doc["absent"]:
        parts.append(
            table(
                ["姓名", "支部", "编号"],
                [[r["shown_as"], r["branch"] or "—", r["number"] or "—"] for r in doc["absent"]],
                cls="narrow",
            )
        )
    else:
        parts.append('<p class="note">名册上的每个人都参加过。</p>')
    if report.guests:
        parts.append(
            f'<p class="note">另有不在名册上的玩家：{esc("、".join(report.guests))}（访客，或名字与名册不一致）。</p>'
        )
    return parts


def render(report: MemberReport) -> str:
    return "\n".join([*page(report), "</body></html>"])


def write_members_html(report: MemberReport, out: Path) -> list[Path]:
    return write_page(page(report), out)


def write_member_report(report: MemberReport, fmt: str, out: Path) -> list[Path]:
    if fmt == "html":
        return write_members_html(report, out)
    if fmt == "csv":
        return write_members_csv(report, out)
    if fmt == "json":
        return write_members_json(report, out)
    raise ValueError(f"成员报告没有 “{fmt}” 格式；可选：{'、'.join(FORMATS)}")
