"""CSV for Excel: one file per kind of record, UTF-8 with BOM, one row per record.

Excel opens one CSV as one sheet, so a table per record kind reads better than one long file
with a record-type column. ``-o DIR`` writes ``DIR/<table>.csv``; ``-o NAME.csv`` writes
``NAME.csv`` (the sessions table) and ``NAME_<table>.csv`` beside it. Headers are Chinese; the
values come from the same dictionaries as the JSON report (docs/report-json.md lists columns).

Each table is declared once, below: where its rows come from and, column by column, the Chinese
header beside the value under it. Every cell that a spreadsheet would run as a formula (it
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return and is not a number) is written
with a leading ``'``: a phone may join as ``=cmd|'/C calc'!A``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from engine.present.labels import PART_NAMES, STATUS_NAMES
from engine.report.json_out import cohort_dict, session_dict
from engine.review.records import SessionMetrics
from engine.review.selection import Review

Table = tuple[list[str], list[list[Any]]]
Record = dict[str, Any]


class _Session(NamedTuple):
    """One session as the tables read it: its metrics, its JSON dictionary, role id -> name."""

    m: SessionMetrics
    d: Record
    names: dict[str, str]

    def role(self, role_id: str | None) -> str:
        """A role's name (its id when the scenario has no such role)."""
        return self.names.get(role_id or "", role_id or "")

    def named(self, role_id: str | None) -> str:
        """A role's name, or nothing when no role is named."""
        return self.names.get(role_id or "", "")


class _Source(NamedTuple):
    sessions: list[_Session]
    cohort: Record


# A column: its header and the value in a row, read from the row's session (None in the cohort
# tables) and its record.
Column = tuple[str, Callable[[Any, Record], Any]]


@dataclass(frozen=True)
class _Table:
    name: str
    rows: Callable[[_Source], Iterable[tuple[_Session | None, Record]]]
    columns: tuple[Column, ...]


def _each(key: str) -> Callable[[_Source], Iterable[tuple[_Session | None, Record]]]:
    """Every record under ``key`` of every session's dictionary, with its session."""
    return lambda src: ((s, r) for s in src.sessions for r in s.d[key])


def _cohort(key: str) -> Callable[[_Source], Iterable[tuple[_Session | None, Record]]]:
    return lambda src: ((None, r) for r in src.cohort[key])


def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M:%S")


def _kinds(s: _Session, kind: str) -> int:
    return sum(1 for i in s.d["interventions"] if i["kind"] == kind)


# A session's knowledge check as the sessions table says it (never a row of zeros).
CHECK_NAMES = {"answered": "已作答", "skipped": "已跳过", "not_asked": "未进行", "no_quiz": "无检测题"}

SESSION: Column = ("会话", lambda s, r: s.d["id"])
TEAM: Column = ("队伍", lambda s, r: s.d["team"])

TABLES: tuple[_Table, ...] = (
    _Table(
        "sessions",
        lambda src: ((s, s.d) for s in src.sessions),
        (
            SESSION,
            ("场景id", lambda s, r: s.m.scenario_id),
            ("场景", lambda s, r: s.m.scenario_title),
            TEAM,
            ("状态", lambda s, r: STATUS_NAMES.get(s.m.status, s.m.status)),
            ("结局", lambda s, r: s.m.ending_title),
            ("得分", lambda s, r: r["score"]),
            *(
                (f"得分-{name}", lambda s, r, p=part: r["score_parts"].get(p, 0))
                for part, name in PART_NAMES.items()
            ),
            ("开始时间", lambda s, r: _when(s.m.started_at)),
            ("结束时间", lambda s, r: _when(s.m.ended_at)),
            ("用时(秒)", lambda s, r: r["duration"]),
            ("陷阱数", lambda s, r: len(r["traps"])),
            ("提示数", lambda s, r: _kinds(s, "hint")),
            ("跳过数", lambda s, r: _kinds(s, "skip")),
            ("角色与玩家", lambda s, r: "；".join(f"{x['name']}={x['player']}" for x in r["roles"])),
            ("知识检测", lambda s, r: CHECK_NAMES.get(r["learning"]["status"], "") if r["learning"] else ""),
        ),
    ),
    _Table(
        "roles",
        _each("roles"),
        (
            SESSION,
            TEAM,
            ("角色id", lambda s, r: r["role"]),
            ("角色", lambda s, r: r["name"]),
            ("玩家", lambda s, r: r["player"]),
            ("行动(秒)", lambda s, r: r["working"]),
            ("锁定(秒)", lambda s, r: r["locked"]),
            ("等待(秒)", lambda s, r: r["waiting"]),
            ("暂停(秒)", lambda s, r: r["paused"]),
            ("完成任务", lambda s, r: r["tasks_done"]),
            ("陷阱数", lambda s, r: r["traps"]),
            ("个人得分", lambda s, r: sum(r["points"].values())),
        ),
    ),
    _Table(
        "tasks",
        _each("tasks"),
        (
            SESSION,
            TEAM,
            ("任务id", lambda s, r: r["task"]),
            ("任务", lambda s, r: r["title"]),
            ("角色", lambda s, r: s.role(r["role"])),
            ("玩家", lambda s, r: r["player"]),
            ("开始(秒)", lambda s, r: r["opened"]),
            ("完成(秒)", lambda s, r: r["completed"]),
            ("用时(秒)", lambda s, r: r["duration"]),
            ("结果", lambda s, r: r["outcome"]),
            ("得分", lambda s, r: r["points"]),
        ),
    ),
    _Table(
        "waits",
        _each("waits"),
        (
            SESSION,
            TEAM,
            ("等待的角色", lambda s, r: s.role(r["role"])),
            ("等待的任务", lambda s, r: r["task"]),
            ("开始(秒)", lambda s, r: r["start"]),
            ("结束(秒)", lambda s, r: r["end"]),
            ("时长(秒)", lambda s, r: r["duration"]),
            ("被谁阻塞", lambda s, r: "、".join(s.role(b) for b in r["blockers"])),
            ("缺少的任务", lambda s, r: "、".join(r["missing"])),
            ("解除者", lambda s, r: s.named(r["released_by"])),
        ),
    ),
    _Table(
        "traps",
        _each("traps"),
        (
            SESSION,
            TEAM,
            ("陷阱id", lambda s, r: r["trap"]),
            ("陷阱", lambda s, r: r["title"]),
            ("角色", lambda s, r: s.role(r["role"])),
            ("玩家", lambda s, r: r["player"]),
            ("任务id", lambda s, r: r["task"]),
            ("时间(秒)", lambda s, r: r["at"]),
            ("扣分", lambda s, r: r["penalty"]),
            ("锁定(秒)", lambda s, r: r["lockout_seconds"]),
            ("历史讲解", lambda s, r: r["explanation"]),
            ("出处", lambda s, r: r["source"] or ""),
        ),
    ),
    _Table(
        "interventions",
        _each("interventions"),
        (
            SESSION,
            TEAM,
            ("类型", lambda s, r: r["kind"]),
            ("时间(秒)", lambda s, r: r["at"]),
            ("角色", lambda s, r: s.named(r["role"])),
            ("内容", lambda s, r: r["detail"]),
            ("时长(秒)", lambda s, r: r["duration"]),
        ),
    ),
    _Table(
        "critical_path",
        lambda src: ((s, {**r, "n": n}) for s in src.sessions for n, r in enumerate(s.d["critical_path"], 1)),
        (
            SESSION,
            TEAM,
            ("序号", lambda s, r: r["n"]),
            ("任务id", lambda s, r: r["task"]),
            ("任务", lambda s, r: r["title"]),
            ("角色", lambda s, r: s.role(r["role"])),
            ("开始(秒)", lambda s, r: r["start"]),
            ("结束(秒)", lambda s, r: r["end"]),
        ),
    ),
    _Table(
        "learning_players",
        lambda src: ((s, r) for s in src.sessions if s.d["learning"] for r in s.d["learning"]["players"]),
        (
            SESSION,
            TEAM,
            ("玩家", lambda s, r: r["player"]),
            ("题数", lambda s, r: r["items"]),
            ("课前作答", lambda s, r: r["pre_answered"]),
            ("课前答对", lambda s, r: r["pre_correct"]),
            ("课后作答", lambda s, r: r["post_answered"]),
            ("课后答对", lambda s, r: r["post_correct"]),
            ("提升(题)", lambda s, r: r["gain"]),
        ),
    ),
    _Table(
        "learning_items",
        lambda src: ((None, r) for r in src.cohort["learning"]["items"]),
        (
            ("场景id", lambda s, r: r["scenario"]),
            ("题目id", lambda s, r: r["item"]),
            ("题目", lambda s, r: r["question"]),
            ("对应陷阱", lambda s, r: r["trap_title"] or r["trap"] or ""),
            ("课前作答", lambda s, r: r["pre_answered"]),
            ("课前正确率", lambda s, r: r["pre_rate"]),
            ("课后作答", lambda s, r: r["post_answered"]),
            ("课后正确率", lambda s, r: r["post_rate"]),
            ("归一化提升", lambda s, r: r["gain"]),
            ("游戏中落入率", lambda s, r: r["trap_rate"]),
            ("下次重点讲", lambda s, r: "是" if r["focus"] else ""),
        ),
    ),
    _Table(
        "leaderboard",
        _cohort("leaderboard"),
        (
            ("名次", lambda s, r: r["rank"]),
            ("队伍", lambda s, r: r["team"]),
            ("场次", lambda s, r: r["sessions"]),
            ("完成场次", lambda s, r: r["ended"]),
            ("最高分", lambda s, r: r["best_score"]),
            ("平均分", lambda s, r: r["avg_score"]),
            ("最快用时(秒)", lambda s, r: r["best_time"]),
            ("平均用时(秒)", lambda s, r: r["avg_time"]),
            ("陷阱数", lambda s, r: r["traps"]),
        ),
    ),
    _Table(
        "players",
        _cohort("players"),
        (
            ("名次", lambda s, r: r["rank"]),
            ("玩家", lambda s, r: r["player"]),
            ("积分", lambda s, r: r["points"]),
            ("场次", lambda s, r: r["sessions"]),
            ("所在队伍", lambda s, r: "、".join(r["teams"])),
            ("陷阱数", lambda s, r: r["traps"]),
            ("完成任务", lambda s, r: r["tasks_done"]),
            ("无失误场次", lambda s, r: r["perfect"]),
            ("荣誉", lambda s, r: "、".join(r["badges"])),
            ("个人得分", lambda s, r: r["own_points"]),
            ("角色满分", lambda s, r: r["opportunity"]),
            ("得分率", lambda s, r: r["rate"]),
        ),
    ),
    _Table(
        "trap_rates",
        _cohort("trap_rates"),
        (
            ("场景id", lambda s, r: r["scenario"]),
            ("陷阱id", lambda s, r: r["trap"]),
            ("陷阱", lambda s, r: r["title"]),
            ("遇到场次", lambda s, r: r["exposed"]),
            ("落入场次", lambda s, r: r["sprung"]),
            ("落入率", lambda s, r: r["rate"]),
            ("历史讲解", lambda s, r: r["explanation"]),
        ),
    ),
    _Table(
        "task_times",
        _cohort("task_times"),
        (
            ("任务", lambda s, r: r["task"]),
            ("任务名", lambda s, r: r["title"]),
            ("完成次数", lambda s, r: r["count"]),
            ("平均用时(秒)", lambda s, r: r["mean"]),
        ),
    ),
    _Table(
        "role_times",
        _cohort("role_times"),
        (
            ("场景id", lambda s, r: r["scenario"]),
            ("角色id", lambda s, r: r["role"]),
            ("角色", lambda s, r: r["name"]),
            ("场次", lambda s, r: r["sessions"]),
            ("平均行动(秒)", lambda s, r: r["working"]),
            ("平均锁定(秒)", lambda s, r: r["locked"]),
            ("平均等待(秒)", lambda s, r: r["waiting"]),
        ),
    ),
    _Table(
        "endings",
        _cohort("endings"),
        (
            ("场景id", lambda s, r: r["scenario"]),
            ("结局id", lambda s, r: r["ending"]),
            ("结局", lambda s, r: r["title"]),
            ("次数", lambda s, r: r["count"]),
        ),
    ),
    _Table(
        "trend",
        _cohort("trend"),
        (
            ("日期", lambda s, r: r["date"]),
            ("场次", lambda s, r: r["sessions"]),
            ("平均分", lambda s, r: r["avg_score"]),
            ("平均陷阱数", lambda s, r: r["avg_traps"]),
            ("平均用时(秒)", lambda s, r: r["avg_duration"]),
        ),
    ),
)


def tables(review: Review) -> dict[str, Table]:
    """Table name -> (Chinese header, rows). Names are the file names without ``.csv``."""
    sessions = []
    for m in review.sessions:
        d = session_dict(m)
        sessions.append(_Session(m, d, {r["role"]: r["name"] for r in d["roles"]}))
    src = _Source(sessions, cohort_dict(review.cohort))
    out: dict[str, Table] = {}
    for t in TABLES:
        getters = [get for _, get in t.columns]
        out[t.name] = ([h for h, _ in t.columns], [[get(s, r) for get in getters] for s, r in t.rows(src)])
    return out


# A spreadsheet runs a cell starting with one of these as a formula (tab and CR too: some
# programs strip them first); a number such as -5 or +1.5 is left as it is.
_FORMULA_START = frozenset("=+-@\t\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell(value: Any) -> Any:
    """What the CSV holds for ``value``: "" for None, a leading ``'`` before a would-be formula."""
    if value is None:
        return ""
    if type(value) is str and value and value[0] in _FORMULA_START and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_paths(out: Path, names: list[str]) -> dict[str, Path]:
    """Where each table goes: ``out`` a directory, or ``out`` = X.csv -> X.csv + X_<table>.csv."""
    if out.suffix.lower() == ".csv":
        return {
            name: out if i == 0 else out.with_name(f"{out.stem}_{name}.csv") for i, name in enumerate(names)
        }
    return {name: out / f"{name}.csv" for name in names}


def write_csv(review: Review, out: Path) -> list[Path]:
    return write_tables(tables(review), out)


def write_tables(data: dict[str, Table], out: Path) -> list[Path]:
    """Each table as its own CSV (see :func:`csv_paths`), every cell through :func:`cell`."""
    paths = csv_paths(out, list(data))
    written = []
    for name, (header, rows) in data.items():
        path = paths[name]
        path.parent.mkdir(parents=True, exist_ok=True)
        # utf-8-sig writes the BOM Excel needs to read Chinese; \r\n line ends are csv's default.
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([cell(h) for h in header])
            writer.writerows([cell(v) for v in row] for row in rows)
        written.append(path)
    return written
