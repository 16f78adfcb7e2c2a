"""The store's one migration history: each step brings a file from ``version - 1`` to ``version``.

    v1  scenarios, sessions (with a summary updated per action), players, events (one row each)
    v2  steps: one row per action; the session list reads each session's last step
    v3  the web host's teams and seats (moved from its own web_* tables); each session records
        the rules and program version that decided it
    v4  the roster (members) and which member each player of a session was (session_members)

A migration is frozen the day it ships: it reads and writes only the layouts of its two
versions, with its own copies of what it needs, and never imports the live rules or the live
row layout. Otherwise changing the rules (or the step row) would silently change what an old
file migrates to. The store runs them in order, in one transaction (``Store._migrate``), under
the write lock; a failing step leaves the file exactly as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import sqlite_utils

from engine.store.errors import StoreError

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: dict[int, Migration] = {}


def migration(version: int) -> Callable[[Migration], Migration]:
    """Register the step that brings a store from ``version - 1`` to ``version``."""

    def register(fn: Migration) -> Migration:
        MIGRATIONS[version] = fn
        return fn

    return register


@migration(1)
def _create_v1(db: sqlite_utils.Database) -> None:
    db.table("scenarios").create(
        {
            "hash": str,
            "scenario_id": str,
            "title": str,
            "version": str,
            "path": str,
            "text": str,
            "first_seen": float,
        },
        pk="hash",
    )
    db.table("sessions").create(
        {
            "id": str,
            "scenario_hash": str,
            "scenario_id": str,
            "scenario_title": str,
            "scenario_path": str,
            "team": str,
            "status": str,
            "score": int,
            "ending": str,
            "started_at": float,
            "updated_at": float,
            "ended_at": float,
            "events": int,
        },
        pk="id",
        foreign_keys=[("scenario_hash", "scenarios", "hash")],
    )
    db.table("players").create({"session_id": str, "role": str, "player": str}, pk=("session_id", "role"))
    db.table("events").create(
        {"session_id": str, "seq": int, "at": float, "kind": str, "role": str, "data": str},
        pk=("session_id", "seq"),
    )
    db.table("sessions").create_index(["scenario_id"])
    db.table("sessions").create_index(["started_at"])


# --- v2: one row per action -------------------------------------------------------------------
# Frozen copies: the v2 step row, and how a v1 log's events moved a session's summary (status,
# score, ending) when v2 shipped. A v1 file holds only the event kinds of that time.

_V2_SEQ_BITS = 32
_V2_INSERT = "INSERT INTO steps (key, upto, at, status, score, ending, events) VALUES (?, ?, ?, ?, ?, ?, ?)"
_V2_STATUS = {
    "session_started": "active",
    "ending_reached": "ended",
    "session_stuck": "stuck",
    "session_paused": "paused",
    "session_unpaused": "active",
    "session_abandoned": "abandoned",
}
# The data field whose value an event adds to (or, for traps, takes off) the score.
_V2_POINTS = {
    "session_started": ("score", 1),
    "choice_made": ("points", 1),
    "trap_sprung": ("penalty", -1),
    "task_completed": ("points", 1),
    "ending_reached": ("bonus", 1),
}


class _Summary:
    """A session's status, score and ending after each event of a v1 log (as the v2 rules folded)."""

    def __init__(self) -> None:
        self.status, self.score, self.ending = "new", 0, None

    def apply(self, kind: str, data: dict[str, Any]) -> None:
        self.status = _V2_STATUS.get(kind, self.status)
        if kind == "ending_reached":
            self.ending = data["ending"]
        points = _V2_POINTS.get(kind)
        if points is not None and data[points[0]]:
            self.score += points[1] * data[points[0]]


def _v2_encode(pairs: list[tuple[str, Any]]) -> str:
    return json.dumps(pairs, ensure_ascii=False, separators=(",", ":"))


@migration(2)
def _steps_v2(db: sqlite_utils.Database) -> None:
    """One row per action instead of one per event, and no per-action summary update.

    A v1 log has no action boundaries; consecutive events with the same time came from one
    action (the rules stamp an action's events with one time), so they become one step. The
    status and score after each step come from folding the log, as the reports always did.
    """
    db.table("steps").create(
        {"key": int, "upto": int, "at": float, "status": str, "score": int, "ending": str, "events": str},
        pk="key",
        not_null={"upto", "at", "status", "score", "events"},
    )
    conn = db.conn
    conn.execute("ALTER TABLE sessions ADD COLUMN number INTEGER")
    ids = [sid for (sid,) in conn.execute("SELECT id FROM sessions ORDER BY started_at, id")]
    conn.executemany(
        "UPDATE sessions SET number = ? WHERE id = ?", [(n, sid) for n, sid in enumerate(ids, 1)]
    )
    conn.execute("CREATE UNIQUE INDEX idx_sessions_number ON sessions (number)")
    for number, session_id in enumerate(ids, 1):
        rows = conn.execute(
            "SELECT seq, at, kind, role, data FROM events WHERE session_id = ? ORDER BY seq", (session_id,)
        ).fetchall()
        summary = _Summary()
        batch: list[tuple[str, Any]] = []
        steps = []
        for i, (seq, at, kind, _role, data) in enumerate(rows):
            try:
                decoded = json.loads(data)
                summary.apply(kind, decoded)
            except (ValueError, KeyError, TypeError):
                raise StoreError(
                    f"会话 {session_id} 的第 {seq} 条事件无法读取，数据格式无法升级；文件没有改动。"
                    "请备份该文件后联系维护者，或用 --db 指定新文件"
                ) from None
            batch.append((kind, decoded))
            if i + 1 == len(rows) or rows[i + 1][1] != at:
                first = seq - len(batch) + 1
                key = number << _V2_SEQ_BITS | first
                steps.append((key, seq, at, summary.status, summary.score, summary.ending, _v2_encode(batch)))
                batch = []
        conn.executemany(_V2_INSERT, steps)
    conn.execute("DROP TABLE events")
    for column in ("status", "score", "ending", "updated_at", "ended_at", "events"):
        conn.execute(f"ALTER TABLE sessions DROP COLUMN {column}")


@migration(3)
def _host_and_versions_v3(db: sqlite_utils.Database) -> None:
    """The web host's tables join this history, and sessions record what decided them.

    Before v3 the host kept its own tables in the same file (``web_meta``, ``web_teams``,
    ``web_seats``, with their own version number); their rows move here unchanged, so every team
    code, every phone's token and the organizer's secret keep working after the upgrade.
    ``rules_version`` stays empty for older sessions: unknown, so resuming one replays it first.
    """
    conn = db.conn
    conn.execute("ALTER TABLE sessions ADD COLUMN rules_version INTEGER")
    conn.execute("ALTER TABLE sessions ADD COLUMN app_version TEXT")
    conn.execute(
        "CREATE TABLE host_teams (id TEXT PRIMARY KEY, name TEXT NOT NULL, code TEXT NOT NULL UNIQUE,"
        " scenario_path TEXT NOT NULL, session_id TEXT NOT NULL DEFAULT '', created_at REAL NOT NULL,"
        " closed INTEGER NOT NULL DEFAULT 0)"
    )
    conn.execute(
        "CREATE TABLE host_seats (token_hash TEXT PRIMARY KEY, team_id TEXT NOT NULL, name TEXT NOT NULL,"
        " pick TEXT NOT NULL DEFAULT '', joined_at REAL NOT NULL)"
    )
    conn.execute("CREATE INDEX idx_host_seats_team ON host_seats (team_id)")
    tables = set(db.table_names())
    if "web_teams" in tables:
        conn.execute(
            "INSERT INTO host_teams (id, name, code, scenario_path, session_id, created_at, closed)"
            " SELECT id, name, code, scenario_path, coalesce(session_id, ''), created_at, coalesce(closed, 0)"
            " FROM web_teams"
        )
        conn.execute("DROP TABLE web_teams")
    if "web_seats" in tables:
        conn.execute(
            "INSERT INTO host_seats (token_hash, team_id, name, pick, joined_at)"
            " SELECT token_hash, team_id, name, coalesce(pick, ''), joined_at FROM web_seats"
        )
        conn.execute("DROP TABLE web_seats")
    if "web_meta" in tables:
        conn.execute(
            "INSERT INTO meta (key, value) SELECT 'host_secret', value FROM web_meta"
            " WHERE key = 'organizer_secret'"
        )
        conn.execute("DROP TABLE web_meta")


@migration(4)
def _members_v4(db: sqlite_utils.Database) -> None:
    """The roster and each session's members. Nothing to carry over: older sessions had no roster,
    so their players stay guests (reports list them by name, as before)."""
    conn = db.conn
    conn.execute(
        "CREATE TABLE members (id TEXT PRIMARY KEY, name TEXT NOT NULL, branch TEXT NOT NULL DEFAULT '',"
        " number TEXT NOT NULL DEFAULT '', added_at REAL NOT NULL)"
    )
    conn.execute(
        "CREATE TABLE session_members (session_id TEXT NOT NULL, player TEXT NOT NULL,"
        " member_id TEXT NOT NULL, PRIMARY KEY (session_id, player))"
    )
    conn.execute("CREATE INDEX idx_session_members_member ON session_members (member_id)")
