"""What a player, a facilitator or a front-end may ask the rules to do: the actions.

Each is a small frozen record; :func:`engine.rules.step.step` turns one into events (or refuses
it). Indices are always the scenario's own: ``Choose.choice`` and ``Answer.option`` index the
choices and options *as written in the YAML*, whatever order a screen showed them in, so a
stored log means the same under any shuffle (:mod:`engine.rules.shuffle`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# How a session treats the scenario's knowledge check (its ``quiz:`` items):
#   ask   asked before play and after the ending;
#   skip  the facilitator skipped both checks at the start (the log says so);
#   off   no check in this session at all (bots, the verifier, play-tests; nothing is logged).
QuizMode = Literal["ask", "skip", "off"]
QuizPhase = Literal["pre", "post"]


@dataclass(frozen=True)
class Start:
    team: str
    assignment: dict[str, str]  # role id -> player name
    shuffle: int | None = None  # seed of the order options are shown in (None: as written)
    quiz: QuizMode = "off"


@dataclass(frozen=True)
class Choose:
    role: str
    choice: int  # index into the node's choices as written in the YAML
    node: str | None = None  # the node the player saw; a mismatch means the action is stale


@dataclass(frozen=True)
class Skip:
    """Facilitator: finish a role's current task as "skipped" (audited, no points)."""

    role: str


@dataclass(frozen=True)
class Hint:
    role: str


@dataclass(frozen=True)
class Pause:
    pass


@dataclass(frozen=True)
class Unpause:
    pass


@dataclass(frozen=True)
class Abandon:
    reason: str = ""


@dataclass(frozen=True)
class Resume:
    """A session continues in a new process. ``down_since``: the time of its last stored step;
    from then until now the program was not running (closed, crashed), so that span is not play
    time: it counts as a pause (None: nothing is known, e.g. another host may have served it)."""

    down_since: float | None = None


@dataclass(frozen=True)
class Answer:
    """A player answers one knowledge-check item (``option``: its index as written)."""

    player: str
    item: str
    option: int
    phase: QuizPhase  # the check the player saw; another one open means the answer is stale


@dataclass(frozen=True)
class SkipQuiz:
    """Facilitator: end the open knowledge check now; answers not yet given are not asked."""

    phase: QuizPhase


Action = Start | Choose | Skip | Hint | Pause | Unpause | Abandon | Resume | Answer | SkipQuiz


class RuleViolation(Exception):
    """An action the rules refuse (not your turn, locked out, stale choice, ...); message in Chinese."""
