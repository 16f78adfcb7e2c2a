"""A team play-test on one page: every role at once, through the real rules, in memory.

Nothing is stored (an organizer trying a draft should not fill the session list). What each
role sees comes from the presentation layer (engine.present), like every other front-end; the
pop-ups are the moments a player would get one: a trap with its history, a team event, the end.

    test = PlayTest(scenario)
    test.choose(role, index, node)      # raises RuleViolation when the move is not allowed
    test.skip_wait()                    # lock-outs end now (an organizer need not sit them out)
    test.view() -> dict                 # team bar, every role, the feed, pop-ups
"""

from __future__ import annotations

import itertools
import time
from dataclasses import asdict
from typing import Any

from engine.format.scenario import Scenario
from engine.present.feed import describe
from engine.present.notes import notes
from engine.present.view import team_view
from engine.rules.state import Event, State
from engine.rules.step import Choose, Start, step

POPUPS = 5  # kept, newest last
_TESTS = itertools.count(1)  # each play-test numbers its pop-ups apart from the one before


class PlayTest:
    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.t0 = time.monotonic()
        self.skew = 0.0  # seconds added by "skip the wait"
        self.events: list[Event] = []
        self.popups: list[dict[str, Any]] = []
        self.serial = 0  # pop-up numbers, so the page shows each one once
        self.token = next(_TESTS)
        assignment = {r.id: r.name for r in scenario.data.roles}
        self.state = State()
        self._apply(step(scenario, self.state, Start("试玩", assignment), self.now()))

    def now(self) -> float:
        return time.monotonic() - self.t0 + self.skew

    def _apply(self, result: tuple[list[Event], State]) -> None:
        events, self.state = result
        first = len(self.events) + 1
        self.events += events
        popups = [
            {
                "kind": note.kind,
                "title": f"{note.kicker}：{note.title}" if note.title else note.kicker,
                "text": note.body,
                "source": note.source,
                "lines": list(note.facts),
            }
            for note in notes(self.s, events, first)
        ]
        ending = next((e for e in events if e.kind == "ending_reached"), None)
        if ending is not None:
            chosen = self.s.endings[ending.data["ending"]]
            popups.append(
                {
                    "kind": "ending",
                    "title": f"结局：{chosen.title}",
                    "text": chosen.text,
                    "source": "",
                    "lines": [f"团队得分 {self.state.score}"],
                }
            )
        for popup in popups:
            self.serial += 1
            self.popups = [*self.popups, {"id": f"{self.token}.{self.serial}", **popup}][-POPUPS:]

    def choose(self, role: str, index: int, node: str | None) -> None:
        self._apply(step(self.s, self.state, Choose(role, index, node), max(self.now(), self.state.now)))

    def skip_wait(self) -> None:
        """Every lock-out ends now."""
        latest = max((rs.locked_until for rs in self.state.roles.values()), default=0.0)
        self.skew += max(0.0, latest - self.now())

    def view(self) -> dict[str, Any]:
        team = team_view(self.s, self.state, self.now(), self.events)
        data = asdict(team)
        data["ending_title"] = self.s.endings[team.ending].title if team.ending else ""
        data["feed"] = [line for e in self.events[-60:] if (line := describe(self.s, e))][-12:]
        for role, shown in zip(team.roles, data["roles"], strict=True):
            shown["wait_text"] = role.wait.sentence() if role.wait else ""
            shown["headline"] = role.headline()
        data["popups"] = self.popups
        data["locked"] = any(r.status == "locked" for r in team.roles)
        return data
