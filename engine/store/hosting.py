"""The web host's tables: teams shown on the organizer's dashboard and the phones seated in them.

- ``host_teams``: one row per team: name, join code (unique), scenario file and, once the
  organizer started it, the session id; ``closed`` once removed from the dashboard.
- ``host_seats``: one row per phone that joined: the SHA-256 of its token (the token itself
  lives only on the phone), the player's name and the role picked in the lobby.
- the organizer's secret: ``meta`` key ``host_secret``, made once per file.

The host (:mod:`engine.web.hub`) decides codes, tokens and who may do what; this module only
stores them, with bound parameters: no text from a phone is ever spliced into SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from engine.store.base import Store
from engine.store.sql import Sql

SECRET_KEY = "host_secret"


@dataclass
class HostTeam:
    id: str
    name: str
    code: str
    scenario_path: str
    session_id: str
    created_at: float


@dataclass
class HostSeat:
    token_hash: str
    team_id: str
    name: str
    pick: str
    joined_at: float


class HostTables:
    """Reads and writes the host's tables through the store's one connection."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def secret(self, make: Callable[[], str]) -> str:
        """The organizer's secret, made by ``make`` the first time and kept, so a restart keeps it."""
        rows = self.store._read("SELECT value FROM meta WHERE key = ?", (SECRET_KEY,))
        if rows:
            return str(rows[0][0])
        value = make()

        def write(sql: Sql) -> None:
            sql.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                (SECRET_KEY, value),
            )

        self.store._write(write)
        return str(self.store._read("SELECT value FROM meta WHERE key = ?", (SECRET_KEY,))[0][0])

    def teams(self) -> list[HostTeam]:
        rows = self.store._read(
            "SELECT id, name, code, scenario_path, session_id, created_at FROM host_teams"
            " WHERE closed = 0 ORDER BY created_at, rowid"
        )
        return [HostTeam(*row) for row in rows]

    def seats(self, team_id: str) -> list[HostSeat]:
        rows = self.store._read(
            "SELECT token_hash, team_id, name, pick, joined_at FROM host_seats WHERE team_id = ?"
            " ORDER BY joined_at, rowid",
            (team_id,),
        )
        return [HostSeat(*row) for row in rows]

    def code_taken(self, code: str) -> bool:
        """Is the join code used by any team, open or closed (an old link must not reach a new team)."""
        return bool(self.store._read("SELECT 1 FROM host_teams WHERE code = ?", (code,)))

    def add_team(self, team: HostTeam) -> None:
        self._run(
            "INSERT INTO host_teams (id, name, code, scenario_path, session_id, created_at, closed)"
            " VALUES (?, ?, ?, ?, ?, ?, 0)",
            (team.id, team.name, team.code, team.scenario_path, team.session_id, team.created_at),
        )

    def claim_session(self, team_id: str, before: str, session_id: str) -> bool:
        """Point the team at a new session, unless another host already changed it from
        ``before`` (what this host saw): two hosts sharing a server must not start one team twice."""
        changed: list[int] = []

        def write(sql: Sql) -> None:
            cursor = sql.execute(
                "UPDATE host_teams SET session_id = ? WHERE id = ? AND session_id = ?",
                (session_id, team_id, before),
            )
            changed.append(cursor.rowcount)

        self.store._write(write)
        return changed == [1]

    def team(self, team_id: str) -> tuple[HostTeam, bool] | None:
        """One team as stored now, and whether it was closed (another host may have changed it)."""
        rows = self.store._read(
            "SELECT id, name, code, scenario_path, session_id, created_at, closed FROM host_teams WHERE id = ?",
            (team_id,),
        )
        return (HostTeam(*rows[0][:6]), bool(rows[0][6])) if rows else None

    def team_by_code(self, code: str) -> HostTeam | None:
        """An open team by its join code (made by another host, perhaps a moment ago)."""
        rows = self.store._read(
            "SELECT id, name, code, scenario_path, session_id, created_at FROM host_teams"
            " WHERE code = ? AND closed = 0",
            (code,),
        )
        return HostTeam(*rows[0]) if rows else None

    def seat(self, token_hash: str) -> HostSeat | None:
        rows = self.store._read(
            "SELECT token_hash, team_id, name, pick, joined_at FROM host_seats WHERE token_hash = ?",
            (token_hash,),
        )
        return HostSeat(*rows[0]) if rows else None

    def close_team(self, team_id: str) -> None:
        self._run("UPDATE host_teams SET closed = 1 WHERE id = ?", (team_id,))

    def add_seat(self, seat: HostSeat) -> None:
        self._run(
            "INSERT INTO host_seats (token_hash, team_id, name, pick, joined_at) VALUES (?, ?, ?, ?, ?)",
            (seat.token_hash, seat.team_id, seat.name, seat.pick, seat.joined_at),
        )

    def set_pick(self, token_hash: str, pick: str) -> None:
        self._run("UPDATE host_seats SET pick = ? WHERE token_hash = ?", (pick, token_hash))

    def free_seat(self, token_hash: str) -> None:
        """Forget a seat: its token stops working; the player may join again under the same name."""
        self._run("DELETE FROM host_seats WHERE token_hash = ?", (token_hash,))

    def _run(self, statement: str, args: tuple[object, ...]) -> None:
        def write(sql: Sql) -> None:
            sql.execute(statement, args)

        self.store._write(write)
