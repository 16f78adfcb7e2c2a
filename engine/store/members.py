"""The roster: an organization's members, and which member each player of a session was.

- ``members``: one row per person: a stable id (made here, text, so any backend stores it the
  same way), 姓名, 支部 and 编号 (both may be empty), when they were added.
- ``session_members``: per session, a player name and the member it was (written when the session
  starts, from the names the team typed or picked; guests have no row).

A member is known in every front-end by a *display name*: the 姓名, or, when two members share it,
the 姓名 with the 支部 or the 编号 beside it (``张伟（一支部）``), so that picking or typing it names
exactly one person and fits where a player's name goes (``MAX_NAME`` characters). A session links
a player to the member whose display name the player has.

The SQL is plain (no upsert, no autoincrement, no SQLite-only functions) so that another backend
can implement the same methods; rows are written with bound parameters only.
"""

from __future__ import annotations

import secrets
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from engine.store.sql import Sql

MAX_NAME = 16  # a player's name, on every screen and phone


@dataclass(frozen=True)
class Member:
    id: str
    name: str  # 姓名
    branch: str = ""  # 支部
    number: str = ""  # 编号
    added_at: float = 0.0


@dataclass(frozen=True)
class NewMember:
    """A row to import: who, and where in the file it came from (for messages)."""

    name: str
    branch: str = ""
    number: str = ""


def normal(text: str) -> str:
    """How a name is compared: NFC, full-width spaces and surrounding space removed."""
    return unicodedata.normalize("NFC", text).replace("\u3000", " ").strip()


def display_names(members: Iterable[Member]) -> dict[str, str]:
    """Member id -> a name shown and typed for them, unique among ``members`` and at most
    ``MAX_NAME`` characters: the 姓名, else 姓名（支部）, 姓名（编号）, or 姓名 with a number."""
    members = list(members)
    count: dict[str, int] = {}
    for m in members:
        count[m.name] = count.get(m.name, 0) + 1
    taken = {m.name for m in members if count[m.name] == 1}
    out: dict[str, str] = {}
    for m in members:
        if count[m.name] == 1:
            out[m.id] = m.name
            continue
        tries = [f"{m.name}（{m.branch}）" if m.branch else "", f"{m.name}（{m.number}）" if m.number else ""]
        tries += [f"{m.name}{k}" for k in range(2, len(members) + 2)]
        name = next(t for t in tries if t and len(t) <= MAX_NAME and t not in taken and t not in out.values())
        out[m.id] = name
        taken.add(name)
    return out


def match_players(members: Iterable[Member], players: Iterable[str]) -> dict[str, str]:
    """Player name -> member id, for each player whose name is a member's display name."""
    by_name = {normal(name): mid for mid, name in display_names(members).items()}
    return {p: by_name[normal(p)] for p in players if normal(p) in by_name}


class MemberTables:
    """Mixed into :class:`engine.store.db.Store`, which provides reading and writing."""

    def _read(self, sql: str, args: Iterable[Any] = ()) -> list[Any]:
        raise NotImplementedError

    def _write(self, fn: Callable[[Sql], None]) -> None:
        raise NotImplementedError

    def members(self) -> list[Member]:
        """Every member, in the order they were added."""
        rows = self._read(
            "SELECT id, name, branch, number, added_at FROM members ORDER BY added_at, name, id"
        )
        return [Member(*row) for row in rows]

    def import_members(self, rows: list[NewMember], now: float | None = None) -> tuple[int, int]:
        """Add the rows to the roster, all or none: a row whose 编号 (or, without one, 姓名 and 支部)
        is already there updates that member. Returns (added, updated)."""
        now = time.time() if now is None else now
        existing = self.members()
        by_number = {m.number: m for m in existing if m.number}
        by_name = {(m.name, m.branch): m for m in existing}
        inserts: list[tuple[str, str, str, str, float]] = []
        updates: list[tuple[str, str, str, str]] = []
        for k, row in enumerate(rows):
            old = by_number.get(row.number) if row.number else by_name.get((row.name, row.branch))
            if old is None and row.number:
                old = by_name.get((row.name, row.branch))
                old = old if old is not None and not old.number else None
            if old is None:
                inserts.append((new_member_id(), row.name, row.branch, row.number, now + k * 1e-6))
            elif (old.name, old.branch, old.number) != (row.name, row.branch, row.number):
                updates.append((row.name, row.branch, row.number, old.id))

        def write(conn: Sql) -> None:
            conn.executemany(
                "INSERT INTO members (id, name, branch, number, added_at) VALUES (?, ?, ?, ?, ?)", inserts
            )
            conn.executemany("UPDATE members SET name = ?, branch = ?, number = ? WHERE id = ?", updates)

        self._write(write)
        return len(inserts), len(updates)

    def link_members(self, session_id: str, links: dict[str, str]) -> None:
        """Record that each player (name) of the session was the member (id)."""
        if not links:
            return

        def write(conn: Sql) -> None:
            conn.executemany(
                "INSERT INTO session_members (session_id, player, member_id) VALUES (?, ?, ?)",
                [(session_id, player, member) for player, member in links.items()],
            )

        self._write(write)

    def member_links(self) -> dict[str, dict[str, str]]:
        """Session id -> {player: member id}, for every session that had members."""
        out: dict[str, dict[str, str]] = {}
        for sid, player, member in self._read("SELECT session_id, player, member_id FROM session_members"):
            out.setdefault(str(sid), {})[str(player)] = str(member)
        return out


def new_member_id() -> str:
    return "m" + secrets.token_hex(6)
