"""Knowledge-check logs for the review and report tests: a quiz for the tutorial and its events.

The events are those the live session logs (``quiz_answered`` per answer, ``quiz_skipped`` when
the facilitator skips a check); the tests splice them into real bot or scripted games. The quiz
is attached to a loaded tutorial the way the reports read it (``scenario.data.quiz``), so these
tests hold whether or not the scenario file itself carries one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.format.scenario import Scenario
from engine.rules.state import Event, State, fold
from engine.store.db import Store


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool = False


@dataclass(frozen=True)
class Item:
    id: str
    question: str
    options: tuple[Option, ...]
    trap: str | None
    explanation: str = "讲解"
    source: str = "出处"


QUIZ = (
    Item("q_date", "中共一大在哪一天开幕？", (Option("7月1日"), Option("7月23日", True)), "july_first"),
    Item("q_lodging", "代表们住在哪里？", (Option("博文女校", True), Option("会场里")), "lodge_at_venue"),
    Item("q_cities", "代表来自几个地方？", (Option("两个城市"), Option("多个地方", True)), "only_two_cities"),
    Item("q_chair", "谁主持了一大？", (Option("张国焘", True), Option("陈独秀")), "chen_presides"),
)


class _Quizzed:
    """A scenario file's data with a ``quiz`` (what the reports read), everything else its own."""

    def __init__(self, data: Any, quiz: tuple[Item, ...]) -> None:
        self._data = data
        self.quiz = list(quiz)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._data, name)


def with_quiz(scenario: Scenario, quiz: tuple[Item, ...] = QUIZ) -> Scenario:
    """The same scenario (same text and hash) whose data carries ``quiz``."""
    out = Scenario(scenario.data, scenario.text, scenario.file)
    out.data = _Quizzed(scenario.data, quiz)  # type: ignore[assignment]
    return out


def answer(at: float, phase: str, player: str, item: str, right: bool, role: str | None = None) -> Event:
    """One logged answer: option 1 is right for q_date and q_cities, option 0 for the others."""
    correct_option = 1 if item in ("q_date", "q_cities") else 0
    option = correct_option if right else 1 - correct_option
    data = {"phase": phase, "player": player, "item": item, "option": option, "correct": right, "role": role}
    return Event("quiz_answered", at, data, role)  # type: ignore[arg-type]


def skipped(at: float, phase: str) -> Event:
    return Event("quiz_skipped", at, {"phase": phase, "role": None})  # type: ignore[arg-type]


def check(
    at: float, phase: str, right: dict[str, set[str]], roles: dict[str, str] | None = None
) -> list[Event]:
    """Every player answers every item in ``phase``; ``right[player]`` are the items they get right."""
    roles = roles or {}
    return [
        answer(at + k, phase, player, item.id, item.id in items, roles.get(player))
        for player, items in right.items()
        for k, item in enumerate(QUIZ)
    ]


def first_roles(players: dict[str, str]) -> dict[str, str]:
    """Player -> their first role, from role -> player."""
    out: dict[str, str] = {}
    for role, player in players.items():
        out.setdefault(player, role)
    return out


def splice(events: list[Event], pre: list[Event], post: list[Event]) -> list[Event]:
    """A game's log with the before-check after its start (the events stamped with the start
    time) and the after-check at the end; any check already in the log is replaced."""
    game = [e for e in events if e.kind not in ("quiz_answered", "quiz_skipped")]
    start = next(i for i, e in enumerate(game) if e.at != game[0].at) if len(game) > 1 else len(game)
    return [*game[:start], *pre, *game[start:], *post]


def store_log(store: Store, scenario: Scenario, session_id: str, events: list[Event]) -> State:
    """Store a whole log as one session, one step per action (the events sharing a time), as the
    live session would have stored it."""
    steps: list[list[Event]] = []
    for e in events:
        if steps and steps[-1][-1].at == e.at:
            steps[-1].append(e)
        else:
            steps.append([e])
    state = fold(steps[0])
    store.begin_session(
        session_id,
        scenario.hash,
        scenario.id,
        scenario.title,
        str(scenario.data.scenario.version),
        scenario.file,
        scenario.text,
        state.team,
        dict(fold(events).players),
        steps[0],
        state,
    )
    seq = len(steps[0]) + 1
    for batch in steps[1:]:
        fold(batch, state)
        store.append(session_id, seq, batch, state)
        seq += len(batch)
    return state
