"""Teams for the projector's screenshots (``play.py screenshot --scene host-board`` and friends):
bot games stopped at different moments, shown on the real host screen without a server.

Each team is a bot session cut at some point of its log and folded, exactly as a live host would
report it (:func:`engine.present.board.team_board`); nothing here draws.
"""

from __future__ import annotations

import time

from engine.format.scenario import Scenario
from engine.present.board import team_board
from engine.rules.state import fold
from engine.rules.step import Pause, step
from engine.session.clock import Clock
from engine.tools.bots import Policy, play_bot_session
from engine.ui.lanhost import Hosting
from engine.web.runner import HostHandle, TeamLink, qr_matrix

BASE = "http://192.168.1.20:8765"
# (team, policy, seed, how far into its log (0..1; 1 = finished), paused)
TEAMS: tuple[tuple[str, Policy, int, float, bool], ...] = (
    ("红星小组", "expert", 1, 0.72, False),
    ("星火队", "careful", 2, 0.55, False),
    ("曙光队", "random", 5, 0.6, False),
    ("燎原队", "random", 3, 0.35, True),
    ("先锋队", "expert", 4, 1.0, False),
    ("求是队", "random", 0, 1.0, False),
    ("延安队", "careful", 6, 0.2, False),
)
CODES = ("K7QX3", "M2PLD", "T9WRE", "A4HNF", "Q8ZJC", "R3VYB", "W6KSE", "H5TGU", "N2DXA")


def links(scenario: Scenario, count: int = 6, joining: int = 1) -> list[TeamLink]:
    """``count`` teams from :data:`TEAMS` (repeated with other seeds past its end), then
    ``joining`` teams still waiting for phones."""
    out = []
    for n in range(count):
        team, policy, seed, share, paused = TEAMS[n % len(TEAMS)]
        if n >= len(TEAMS):
            team, seed = f"第{n + 1}队", seed + 10 * n
        players = [f"队员{k + 1}" for k in range(len(scenario.roles))]
        game = play_bot_session(scenario, policy, seed, team=team, players=players)
        events = game.events if share >= 1 else game.events[: max(2, int(len(game.events) * share))]
        state = fold(events)
        if paused and not state.over:
            more, state = step(scenario, state, Pause(), state.now + 1)
            events = events + more
        now = state.now + 20
        url = f"{BASE}/j/{CODES[n % len(CODES)]}"
        board = team_board(scenario, state, events, now)
        phase = "over" if state.over else "play"
        out.append(TeamLink(f"t{n}", team, CODES[n % len(CODES)], url, phase, qr_matrix(url), (), board))
    for k in range(joining):
        code = CODES[(count + k) % len(CODES)]
        url = f"{BASE}/j/{code}"
        out.append(
            TeamLink(f"j{k}", f"第{count + k + 1}队", code, url, "lobby", qr_matrix(url), ("张三", "李四"))
        )
    return out


class FrozenHosting(Hosting):
    """A host that is already running with these teams, and never changes (no server, no thread)."""

    def __init__(self, teams: list[TeamLink], clock: Clock) -> None:  # no super(): nothing starts
        self.scenario, self.db, self.bind, self.port = "", "", "127.0.0.1", 0
        self.public_host, self.team_name, self.clock = None, "", clock
        handle = HostHandle()
        handle.base_url, handle.secret = BASE, "QJ7KD2M9XA"
        self.handle = handle
        self.links = teams
        self.state = "running"
        self.error = ""
        self.fetched_at = time.monotonic()
        self._jobs = []

    def refresh(self) -> None:
        pass

    def new_team(self) -> None:
        pass

    def stop(self) -> None:
        self.state = "stopped"

    def stop_now(self) -> None:
        self.state = "stopped"

    def poll(self) -> None:
        pass
