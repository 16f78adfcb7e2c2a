"""From the store to review figures: select sessions, read their events at once, replay them.

    load_review(store, filters)      -> Review (sessions' metrics + cohort), what every format renders
    session_list / debrief / leaderboard / honor_wall   -> plain data for the game's review screens

The ``sessions`` table is used only as an index (which sessions match the filters); every figure
is recomputed from the ``events`` rows by :mod:`engine.review.metrics`. One query reads the events of
all selected sessions, and each distinct scenario text is parsed once.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from engine.format.loader import parse_scenario
from engine.format.problems import ScenarioInvalid
from engine.format.scenario import Scenario
from engine.review.cohort import CohortMetrics, PlayerRow, TeamStanding, cohort_metrics
from engine.review.metrics import session_metrics
from engine.review.records import SessionMetrics
from engine.store.db import OF_SESSION, SEQ_BITS, Store, StoreError, events_of_steps


@dataclass(frozen=True)
class Filters:
    """Which sessions a review covers; ``None`` means no restriction. Dates are local, inclusive."""

    session: str | None = None
    scenario: str | None = None
    since: date | None = None
    until: date | None = None
    team: str | None = None

    def describe(self) -> str:
        parts = []
        if self.session:
            parts.append(f"会话 {self.session}")
        if self.scenario:
            parts.append(f"场景 {self.scenario}")
        if self.team:
            parts.append(f"队伍 {self.team}")
        if self.since or self.until:
            parts.append(f"日期 {self.since or '…'} 至 {self.until or '…'}")
        return "，".join(parts) or "全部会话"

    def as_dict(self) -> dict[str, str | None]:
        return {
            "session": self.session,
            "scenario": self.scenario,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "team": self.team,
        }


@dataclass
class Review:
    filters: Filters
    generated_at: float
    sessions: list[SessionMetrics]  # oldest first
    scenarios: dict[str, Scenario]  # scenario hash -> scenario as played
    cohort: CohortMetrics
    db: str = ""
    notes: list[str] = field(default_factory=list)

    def scenario_of(self, m: SessionMetrics) -> Scenario:
        return self.scenarios[m.scenario_hash]


def parse_date(text: str) -> date:
    """``YYYY-MM-DD`` -> date; a ValueError message in Chinese says the expected form."""
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"日期 “{text}” 的写法应为 YYYY-MM-DD，如 2024-07-01") from None


def _midnight(day: date) -> float:
    return datetime(day.year, day.month, day.day).timestamp()


def _where(store: Store, filters: Filters) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    if filters.session:
        clauses.append("s.id = ?")
        args.append(store.session(filters.session).id)
    if filters.scenario:
        clauses.append("s.scenario_id = ?")
        args.append(filters.scenario)
    if filters.team:
        clauses.append("s.team = ?")
        args.append(filters.team)
    if filters.since:
        clauses.append("s.started_at >= ?")
        args.append(_midnight(filters.since))
    if filters.until:
        clauses.append("s.started_at < ?")
        args.append(_midnight(filters.until + timedelta(days=1)))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", args


def _scenarios(store: Store, hashes: set[str]) -> dict[str, Scenario]:
    out: dict[str, Scenario] = {}
    for h in sorted(hashes):
        text, path = store.scenario_text(h)
        try:
            out[h] = parse_scenario(text, path or "<stored>")
        except ScenarioInvalid as exc:
            raise StoreError(f"数据库中保存的场景 {h[:12]}… 无法读取：{exc}") from None
    return out


def load_review(store: Store, filters: Filters | None = None, now: float | None = None) -> Review:
    """Select sessions, replay each from its events, and aggregate the cohort."""
    try:
        return _load_review(store, filters or Filters(), now)
    except sqlite3.Error as exc:
        raise StoreError(f"读取数据库 {store.path} 失败（{exc}）；请稍后重试，或检查文件是否完好") from None


def _load_review(store: Store, filters: Filters, now: float | None) -> Review:
    where, args = _where(store, filters)
    conn = store.conn
    rows = conn.execute(f"SELECT s.id, s.scenario_hash FROM sessions s{where}", args).fetchall()
    scenarios = _scenarios(store, {h for _, h in rows})
    hash_of = dict(rows)
    steps: dict[str, list[tuple[int, int, float, str]]] = {sid: [] for sid in hash_of}
    cursor = conn.execute(
        f"SELECT s.id, st.key - (s.number << {SEQ_BITS}), st.upto, st.at, st.events"
        f" FROM sessions s JOIN steps st ON {OF_SESSION}{where} ORDER BY st.key",
        args,
    )
    for sid, seq, upto, at, payload in cursor:
        steps[sid].append((seq, upto, at, payload))
    logs = {sid: events_of_steps(sid, rows) for sid, rows in steps.items()}
    sessions = []
    notes = []
    for sid, log in logs.items():
        if not log:
            notes.append(f"会话 {sid} 没有事件记录，已跳过")
            continue
        sessions.append(session_metrics(scenarios[hash_of[sid]], log, sid))
    sessions.sort(key=lambda m: (m.started_at, m.session_id))
    return Review(
        filters,
        time.time() if now is None else now,
        sessions,
        scenarios,
        cohort_metrics(sessions, scenarios),
        str(store.path),
        notes,
    )


# --- for the game's review screens -------------------------------------------------------------


def session_list(store: Store, filters: Filters | None = None) -> list[SessionMetrics]:
    """Sessions with their replayed metrics, newest first (title-screen "review" list)."""
    return list(reversed(load_review(store, filters).sessions))


def debrief(store: Store, session_id: str) -> tuple[SessionMetrics, Scenario]:
    """One session's debrief (results screen) and the scenario it was played with."""
    review = load_review(store, Filters(session=session_id))
    m = review.sessions[0]
    return m, review.scenario_of(m)


def leaderboard(store: Store, filters: Filters | None = None) -> list[TeamStanding]:
    return load_review(store, filters).cohort.leaderboard


def honor_wall(store: Store, filters: Filters | None = None) -> list[PlayerRow]:
    return load_review(store, filters).cohort.honor_wall
