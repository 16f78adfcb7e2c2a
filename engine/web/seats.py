"""The host's own tables, beside the session store in the same SQLite file.

The store (:mod:`engine.store.db`) keeps what the game is: sessions and their events. The host
adds what multi-device play needs and nothing else:

- ``web_meta``: key/value; the organizer's secret and this module's schema version.
- ``web_teams``: one row per team shown on the dashboard: name, join code, scenario file and,
  once the organizer started it, the session id.
- ``web_seats``: one row per phone that joined: the SHA-256 of its token (the token itself
  lives only on the phone), the player's name and the role picked in the lobby.

Tokens are random secrets, not derived from a key, so one leaked database row cannot mint new
ones, and a host restart keeps every phone's token valid because the rows persist. All writes
use sqlite-utils or bound parameters: no text from a phone is ever spliced into SQL.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

import sqlite_utils

from engine.store.db import Store

WEB_SCHEMA_VERSION = 1
# Join codes and the organizer secret avoid look-alike characters (0/O, 1/I/L) so they can be
# typed from a projector at the back of a room.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 5


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class TeamRow:
    id: str
    name: str
    code: str
    scenario_path: str
    session_id: str
    created_at: float


@dataclass
class SeatRow:
    token_hash: str
    team_id: str
    name: str
    pick: str
    joined_at: float


class WebTables:
    """Reads and writes the host tables through the store's one connection."""

    def __init__(self, store: Store) -> None:
        self.db: sqlite_utils.Database = store.db
        self._migrate()

    def _migrate(self) -> None:
        tables = set(self.db.table_names())
        if "web_meta" not in tables:
            self.db.table("web_meta").create({"key": str, "value": str}, pk="key")
        if "web_teams" not in tables:
            self.db.table("web_teams").create(
                {
                    "id": str,
                    "name": str,
                    "code": str,
                    "scenario_path": str,
                    "session_id": str,
                    "created_at": float,
                    "closed": int,
                },
                pk="id",
            )
            self.db.table("web_teams").create_index(["code"], unique=True)
        if "web_seats" not in tables:
            self.db.table("web_seats").create(
                {"token_hash": str, "team_id": str, "name": str, "pick": str, "joined_at": float},
                pk="token_hash",
            )
            self.db.table("web_seats").create_index(["team_id"])
        self.db.table("web_meta").upsert(
            {"key": "schema_version", "value": str(WEB_SCHEMA_VERSION)}, pk="key"
        )

    def secret(self) -> str:
        """The organizer's secret: made once per database, kept so a restart keeps it valid."""
        rows = list(self.db.table("web_meta").rows_where("key = ?", ["organizer_secret"]))
        if rows:
            return str(rows[0]["value"])
        value = new_code(10)
        self.db.table("web_meta").insert({"key": "organizer_secret", "value": value})
        return value

    def teams(self) -> list[TeamRow]:
        rows = self.db.table("web_teams").rows_where("closed = 0", order_by="created_at")
        return [
            TeamRow(r["id"], r["name"], r["code"], r["scenario_path"], r["session_id"] or "", r["created_at"])
            for r in rows
        ]

    def seats(self, team_id: str) -> list[SeatRow]:
        rows = self.db.table("web_seats").rows_where("team_id = ?", [team_id], order_by="joined_at")
        return [
            SeatRow(r["token_hash"], r["team_id"], r["name"], r["pick"] or "", r["joined_at"]) for r in rows
        ]

    def add_team(self, name: str, scenario_path: str) -> TeamRow:
        taken = {r["code"] for r in self.db.table("web_teams").rows}
        code = new_code()
        while code in taken:
            code = new_code()
        row = TeamRow(secrets.token_hex(4), name, code, scenario_path, "", time.time())
        self.db.table("web_teams").insert({**row.__dict__, "closed": 0})
        return row

    def set_session(self, team_id: str, session_id: str) -> None:
        self.db.table("web_teams").update(team_id, {"session_id": session_id})

    def close_team(self, team_id: str) -> None:
        self.db.table("web_teams").update(team_id, {"closed": 1})

    def add_seat(self, team_id: str, token: str, name: str, pick: str) -> SeatRow:
        row = SeatRow(token_hash(token), team_id, name, pick, time.time())
        self.db.table("web_seats").insert(row.__dict__)
        return row

    def set_pick(self, seat_hash: str, pick: str) -> None:
        self.db.table("web_seats").update(seat_hash, {"pick": pick})
