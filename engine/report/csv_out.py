"""CSV for Excel: one file per kind of record, UTF-8 with BOM, one row per record.

Excel opens one CSV as one sheet, so a table per record kind reads better than one long file
with a record-type column. ``-o DIR`` writes ``DIR/<table>.csv``; ``-o NAME.csv`` writes
``NAME.csv`` (the sessions table) and ``NAME_<table>.csv`` beside it. Headers are Chinese; the
values come from the same dictionaries as the JSON report (docs/report-json.md lists columns).
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

from engine.present.labels import PART_NAMES, STATUS_NAMES
from engine.report.json_out import cohort_dict, session_dict
from engine.review.selection import Review

Table = tuple[list[str], list[list[Any]]]


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


def tables(review: Review) -> dict[str, Table]:
    """Table name -> (Chinese header, rows). Names are the file names without ``.csv``."""
    sessions: list[list[Any]] = []
    roles: list[list[Any]] = []
    tasks: list[list[Any]] = []
    waits: list[list[Any]] = []
    traps: list[list[Any]] = []
    interventions: list[list[Any]] = []
    path: list[list[Any]] = []
    for m in review.sessions:
        d = session_dict(m)
        sid, team = d["id"], d["team"]
        names = {r["role"]: r["name"] for r in d["roles"]}
        kinds = [i["kind"] for i in d["interventions"]]
        sessions.append(
            [
                sid,
                m.scenario_id,
                m.scenario_title,
                team,
                STATUS_NAMES.get(m.status, m.status),
                m.ending_title,
                d["score"],
                *(d["score_parts"].get(p, 0) for p in PART_NAMES),
                _when(m.started_at),
                _when(m.ended_at),
                d["duration"],
                len(d["traps"]),
                kinds.count("hint"),
                kinds.count("skip"),
                "；".join(f"{r['name']}={r['player']}" for r in d["roles"]),
            ]
        )
        for r in d["roles"]:
            roles.append(
                [
                    sid,
                    team,
                    r["role"],
                    r["name"],
                    r["player"],
                    r["working"],
                    r["locked"],
                    r["waiting"],
                    r["paused"],
                    r["tasks_done"],
                    r["traps"],
                    sum(r["points"].values()),
                ]
            )
        for t in d["tasks"]:
            tasks.append(
                [
                    sid,
                    team,
                    t["task"],
                    t["title"],
                    names.get(t["role"], t["role"]),
                    t["player"],
                    t["opened"],
                    t["completed"],
                    t["duration"],
                    t["outcome"],
                    t["points"],
                ]
            )
        for w in d["waits"]:
            waits.append(
                [
                    sid,
                    team,
                    names.get(w["role"], w["role"]),
                    w["task"],
                    w["start"],
                    w["end"],
                    w["duration"],
                    "、".join(names.get(b, b) for b in w["blockers"]),
                    "、".join(w["missing"]),
                    names.get(w["released_by"] or "", ""),
                ]
            )
        for t in d["traps"]:
            traps.append(
                [
                    sid,
                    team,
                    t["trap"],
                    t["title"],
                    names.get(t["role"], t["role"]),
                    t["player"],
                    t["task"],
                    t["at"],
                    t["penalty"],
                    t["lockout_seconds"],
                    t["explanation"],
                    t["source"] or "",
                ]
            )
        for i in d["interventions"]:
            interventions.append(
                [sid, team, i["kind"], i["at"], names.get(i["role"] or "", ""), i["detail"], i["duration"]]
            )
        for n, c in enumerate(d["critical_path"], start=1):
            path.append(
                [sid, team, n, c["task"], c["title"], names.get(c["role"], c["role"]), c["start"], c["end"]]
            )
    c = cohort_dict(review.cohort)
    return {
        "sessions": (
            [
                "会话",
                "场景id",
                "场景",
                "队伍",
                "状态",
                "结局",
                "得分",
                *(f"得分-{name}" for name in PART_NAMES.values()),
                "开始时间",
                "结束时间",
                "用时(秒)",
                "陷阱数",
                "提示数",
                "跳过数",
                "角色与玩家",
            ],
            sessions,
        ),
        "roles": (
            [
                "会话",
                "队伍",
                "角色id",
                "角色",
                "玩家",
                "行动(秒)",
                "锁定(秒)",
                "等待(秒)",
                "暂停(秒)",
                "完成任务",
                "陷阱数",
                "个人得分",
            ],
            roles,
        ),
        "tasks": (
            [
                "会话",
                "队伍",
                "任务id",
                "任务",
                "角色",
                "玩家",
                "开始(秒)",
                "完成(秒)",
                "用时(秒)",
                "结果",
                "得分",
            ],
            tasks,
        ),
        "waits": (
            [
                "会话",
                "队伍",
                "等待的角色",
                "等待的任务",
                "开始(秒)",
                "结束(秒)",
                "时长(秒)",
                "被谁阻塞",
                "缺少的任务",
                "解除者",
            ],
            waits,
        ),
        "traps": (
            [
                "会话",
                "队伍",
                "陷阱id",
                "陷阱",
                "角色",
                "玩家",
                "任务id",
                "时间(秒)",
                "扣分",
                "锁定(秒)",
                "历史讲解",
                "出处",
            ],
            traps,
        ),
        "interventions": (["会话", "队伍", "类型", "时间(秒)", "角色", "内容", "时长(秒)"], interventions),
        "critical_path": (
            ["会话", "队伍", "序号", "任务id", "任务", "角色", "开始(秒)", "结束(秒)"],
            path,
        ),
        "leaderboard": (
            [
                "名次",
                "队伍",
                "场次",
                "完成场次",
                "最高分",
                "平均分",
                "最快用时(秒)",
                "平均用时(秒)",
                "陷阱数",
            ],
            [
                [
                    r["rank"],
                    r["team"],
                    r["sessions"],
                    r["ended"],
                    r["best_score"],
                    r["avg_score"],
                    r["best_time"],
                    r["avg_time"],
                    r["traps"],
                ]
                for r in c["leaderboard"]
            ],
        ),
        "players": (
            ["名次", "玩家", "积分", "场次", "所在队伍", "陷阱数", "完成任务", "无失误场次", "荣誉"],
            [
                [
                    p["rank"],
                    p["player"],
                    p["points"],
                    p["sessions"],
                    "、".join(p["teams"]),
                    p["traps"],
                    p["tasks_done"],
                    p["perfect"],
                    "、".join(p["badges"]),
                ]
                for p in c["players"]
            ],
        ),
        "trap_rates": (
            ["场景id", "陷阱id", "陷阱", "遇到场次", "落入场次", "落入率", "历史讲解"],
            [
                [t["scenario"], t["trap"], t["title"], t["exposed"], t["sprung"], t["rate"], t["explanation"]]
                for t in c["trap_rates"]
            ],
        ),
        "task_times": (
            ["任务", "任务名", "完成次数", "平均用时(秒)"],
            [[t["task"], t["title"], t["count"], t["mean"]] for t in c["task_times"]],
        ),
        "role_times": (
            ["场景id", "角色id", "角色", "场次", "平均行动(秒)", "平均锁定(秒)", "平均等待(秒)"],
            [
                [r["scenario"], r["role"], r["name"], r["sessions"], r["working"], r["locked"], r["waiting"]]
                for r in c["role_times"]
            ],
        ),
        "endings": (
            ["场景id", "结局id", "结局", "次数"],
            [[e["scenario"], e["ending"], e["title"], e["count"]] for e in c["endings"]],
        ),
        "trend": (
            ["日期", "场次", "平均分", "平均陷阱数", "平均用时(秒)"],
            [
                [p["date"], p["sessions"], p["avg_score"], p["avg_traps"], p["avg_duration"]]
                for p in c["trend"]
            ],
        ),
    }


def csv_paths(out: Path, names: list[str]) -> dict[str, Path]:
    """Where each table goes: ``out`` a directory, or ``out`` = X.csv -> X.csv + X_<table>.csv."""
    if out.suffix.lower() == ".csv":
        return {
            name: out if i == 0 else out.with_name(f"{out.stem}_{name}.csv") for i, name in enumerate(names)
        }
    return {name: out / f"{name}.csv" for name in names}


def write_csv(review: Review, out: Path) -> list[Path]:
    data = tables(review)
    paths = csv_paths(out, list(data))
    written = []
    for name, (header, rows) in data.items():
        path = paths[name]
        path.parent.mkdir(parents=True, exist_ok=True)
        # utf-8-sig writes the BOM Excel needs to read Chinese; \r\n line ends are csv's default.
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(["" if v is None else v for v in row] for row in rows)
        written.append(path)
    return written
