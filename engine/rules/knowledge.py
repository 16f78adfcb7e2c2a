"""The rules of the knowledge check: which answers and skips are allowed, and what they record.

The check itself is folded in :mod:`engine.rules.state` (it opens with the session and again at
the ending, and closes when every player has answered every item or the facilitator skips it);
here an :class:`~engine.rules.actions.Answer` or :class:`~engine.rules.actions.SkipQuiz` is
checked against the state and turned into the data of its one event. Pure, like the rest of
the rules.
"""

from __future__ import annotations

from typing import Any

from engine.format.scenario import Scenario
from engine.rules.actions import Answer, QuizPhase, RuleViolation, SkipQuiz
from engine.rules.state import State, quiz_players

PHASE_NAMES = {"pre": "赛前知识小测", "post": "赛后知识小测"}


def open_phase(state: State) -> QuizPhase | None:
    """The check open now, if any."""
    return "pre" if state.quiz == "pre" else "post" if state.quiz == "post" else None


def first_role(state: State, player: str) -> str | None:
    """The player's first role (in the scenario's order): the role their answers are filed under."""
    return next((role for role, name in state.players.items() if name == player), None)


def _open(state: State, phase: str) -> None:
    if state.quiz is None:
        raise RuleViolation("现在没有进行中的知识小测")
    if phase != state.quiz:
        raise RuleViolation(f"{PHASE_NAMES.get(phase, phase)}已经结束，请看最新的画面")


def answer(scenario: Scenario, state: State, action: Answer) -> tuple[str | None, dict[str, Any]]:
    """The role and data of the ``quiz_answered`` event the answer records (the event's data
    also carries the role, as every event with a role does: the store keeps it there)."""
    _open(state, action.phase)
    if action.player not in quiz_players(state):
        raise RuleViolation(f"“{action.player}” 不是这个会话的玩家")
    item = scenario.quiz.get(action.item) if action.item in state.quiz_items else None
    if item is None:
        raise RuleViolation("没有这道题")
    if not 0 <= action.option < len(item.options):
        raise RuleViolation("没有这个选项")
    if (action.phase, action.player, action.item) in state.quiz_answers:
        raise RuleViolation(f"{action.player} 已经答过这道题了")
    data = {
        "phase": action.phase,
        "player": action.player,
        "item": action.item,
        "option": action.option,
        "correct": item.options[action.option].correct,
    }
    return first_role(state, action.player), data


def skip(state: State, action: SkipQuiz) -> dict[str, Any]:
    """The data of the ``quiz_skipped`` event the facilitator's skip records."""
    _open(state, action.phase)
    return {"phase": action.phase}
