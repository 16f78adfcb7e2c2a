"""Scripted input for text mode, written in the scenario's own terms.

Options are shown in a per-session order (the ``--seed`` of ``play.py text``), so a script that
means "李达 takes the first choice as written" must press whatever number that choice has in
that session. :func:`lines` plays the intended moves through the rules and the presentation
layer's numbering (the same code the terminal uses) and returns the lines to type.

A move is a line typed as is (``str``: bad input, facilitator commands), or
``(role number, index as written)`` for ``ROLE NUMBER``, or ``(None, index)`` for the bare
``NUMBER`` text mode accepts when only one role can act.
"""

from __future__ import annotations

from engine.format.scenario import Scenario
from engine.present.quizview import quiz_view
from engine.rules.shuffle import shown_choices
from engine.rules.state import State
from engine.rules.step import Choose, Start, step

Move = str | tuple[int | None, int]


def _role_of(state: State, number: int | None) -> str:
    if number is not None:
        return list(state.roles)[number - 1]
    ready = [r for r, rs in state.roles.items() if rs.task is not None]
    assert len(ready) == 1, f"more than one role can act: {ready}"
    return ready[0]


def lines(scenario: Scenario, seed: int, assignment: dict[str, str], moves: list[Move]) -> list[str]:
    """The lines to type for ``moves`` in a session with this seed (the check skipped)."""
    state = step(scenario, State(), Start("脚本", assignment, seed), 0.0)[1]
    now = 0.0
    out: list[str] = []
    for move in moves:
        if isinstance(move, str):
            out.append(move)
            continue
        number, index = move
        role = _role_of(state, number)
        rs = state.roles[role]
        assert rs.task is not None and rs.node is not None, f"{role} cannot act"
        shown = shown_choices(scenario, state, rs.task, rs.node).index(index) + 1
        out.append(f"{number} {shown}" if number is not None else str(shown))
        now += 1000.0  # past any lock-out: text mode's simulated clock waits them out too
        state = step(scenario, state, Choose(role, index, rs.node), now)[1]
    return out


def quiz_lines(
    scenario: Scenario, seed: int, assignment: dict[str, str], phase: str, right: dict[str, bool]
) -> list[str]:
    """The lines that answer the check of ``phase`` for every player in turn, rightly or wrongly.

    ``right`` says per player whether they answer right (the correct option) or wrong (the
    first option as written that is not correct)."""
    state = step(scenario, State(), Start("脚本", assignment, seed, "ask"), 0.0)[1]
    if phase == "post":  # the order of the post check does not depend on what happened before
        state.quiz = "post"
    out: list[str] = []
    for player in dict.fromkeys(assignment.values()):
        while (view := quiz_view(scenario, state, player)) is not None and view.question is not None:
            item = scenario.quiz[view.question.item]
            want = next(i for i, o in enumerate(item.options) if o.correct == right[player])
            out.append(str(next(o.number for o in view.question.options if o.index == want)))
            state.quiz_answers[(state.quiz or "", player, item.id)] = want
        assert view is not None
    return out
