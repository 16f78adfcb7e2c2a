"""The host's people: teams, the seats phones hold in them, and the connections (clients).

Plain data shared by the hub (:mod:`engine.web.hub`), seating (:mod:`engine.web.seating`) and
the organizer's controls (:mod:`engine.web.organizer`); nothing here does I/O.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Protocol

from engine.format.scenario import Scenario
from engine.rules.step import Action
from engine.session.live import Session
from engine.store.hosting import HostTeam

RECENT_ACTIONS = 32  # replies remembered per seat, so a resent action is answered, not redone
MAX_BAD_CODES = 20  # wrong join codes one connection may try before it is dropped
MAX_SEATS = 12  # phones per team


class Listener(Protocol):
    def push(self, key: str, text: str) -> None:
        """Queue ``text`` for this connection; a later push with the same key replaces it."""


class TooManyTries(Exception):
    """The connection guessed too many join codes; the server closes it."""


class HubRefusal(Exception):
    """A request the hub turns down; ``code`` and the Chinese ``text`` go back to the client."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


@dataclass
class Seat:
    """One phone's place in a team (several phones may share it: the same token)."""

    hash: str
    name: str
    pick: str = ""
    recent: OrderedDict[str, dict[str, Any]] = field(default_factory=OrderedDict)


@dataclass
class Team:
    row: HostTeam
    scenario: Scenario | None = None
    session: Session | None = None
    seats: dict[str, Seat] = field(default_factory=dict)
    clients: dict[Client, Seat] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    # one action at a time is being stored for the team (group commits); ``stale``: another host
    # stored steps meanwhile, to read once it is done
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    stale: bool = False

    @property
    def phase(self) -> str:
        if self.session is None:
            return "lobby"
        return "over" if self.session.state.over else "play"

    def roles_of(self, seat: Seat) -> list[str]:
        if self.session is None:
            return []
        return [r for r, p in self.session.state.players.items() if p == seat.name]


@dataclass(eq=False)
class Client:
    """One connection: who it is (a seat, the organizer, or nobody yet)."""

    listener: Listener
    address: str = ""  # the peer's IP address: limits on guessing and joining count per address
    team: Team | None = None
    seat: Seat | None = None
    organizer: bool = False
    known: bool = False  # proved it belongs here: a valid code, token or secret
    bad_codes: int = 0


@dataclass
class Pending:
    """A game action the server stores through the group committer (``Hub.complete``)."""

    team: Team
    action: Action
    aid: str
    seat: Seat | None = None  # the phone's seat, which remembers the reply for a resent ``aid``


def remember(seat: Seat, aid: str, reply: dict[str, Any]) -> None:
    """Keep the reply to ``aid``, so a resent action is answered again, not done twice."""
    seat.recent[aid] = reply
    while len(seat.recent) > RECENT_ACTIONS:
        seat.recent.popitem(last=False)


def error(code: str, text: str, aid: str = "") -> dict[str, Any]:
    """An error for the connection: an ``ack`` (not ok) when it answers an action id."""
    out: dict[str, Any] = {"t": "error", "code": code, "error": text}
    if aid:
        out.update(t="ack", aid=aid, ok=False)
    return out
