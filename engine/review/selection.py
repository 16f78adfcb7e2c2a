"""From the store to review figures: select sessions, read their events at once, replay them.

    load_review(store, filters)      -> Review (sessions' metrics + cohort), what every format renders
    session_list / debrief / leaderboard / honor_wall   -> plain data for the game's review screens

The game's review screens and the report formats (:mod:`engine.report`) both start here.

The store gives the matching sessions' whole logs (``Store.session_logs``) and the scenario texts
they were played with; every figure is recomputed from the events by :mod:`engine.review.metrics`,
and each distinct scenario text is parsed once. No SQL here: the store owns it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from engine.format.loader import parse_scenario
from engine.format.problems import ScenarioInvalid
from engine.format.scenario import Scenario
from engine.review.cohort import CohortMetrics, PlayerRow, TeamStanding, cohort_metrics
from engine.review.metrics import session_metrics
from engine.review.records import SessionMetrics
from engine.store.db import Store, StoreError
from engine.store.queries import SessionQuery


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


def _query(store: Store, filters: Filters) -> SessionQuery:
    return SessionQuery(
        session_id=store.session(filters.session).id if filters.session else None,
        scenario_id=filters.scenario,
        team=filters.team,
        started_from=_midnight(filters.since) if filters.since else None,
        started_before=_midnight(filters.until + timedelta(days=1)) if filters.until else None,
    )


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
    filters = filters or Filters()
    logs = store.session_logs(_query(store, filters))
    scenarios = _scenarios(store, {log.scenario_hash for log in logs})
    sessions = []
    notes = []
    for sid, scenario_hash, events in logs:
        if not events:
            notes.append(f"会话 {sid} 没有事件记录，已跳过")
            continue
        sessions.append(session_metrics(scenarios[scenario_hash], events, sid))
    sessions.sort(key=lambda m: (m.started_at, m.session_id))
    return Review(
        filters,
        time.time() if now is None else now,
        sessions,
        scenarios,
        cohort_metrics(sessions, scenarios),
        store.label,
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
