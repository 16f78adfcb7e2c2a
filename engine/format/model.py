"""The scenario format: typed pydantic models of one scenario YAML file.

These models only describe *shape*; cross-references (does this ``goto`` name a node?) are
checked in :mod:`engine.format.checks`, and :class:`engine.format.scenario.Scenario` wraps a validated
file with lookup tables for the rules.

Attributes are documented on each field so the JSON Schema (``play.py schema``) carries the
same help text an editor shows while authoring.

Every integer is bounded to 64 bits (``Int64``) and the ones a score adds up tighter still, so no
number in a file can overflow later: SQLite stores a score as a 64-bit integer, and a starting
score of 10^26 used to pass validation and then crash the first stored game.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StrictBool, StrictInt, Tag

Id = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$",
        max_length=64,
        description="Identifier: ASCII letters, digits, _ or -, starting with a letter.",
    ),
]
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
Int64 = Annotated[StrictInt, Field(ge=INT64_MIN, le=INT64_MAX)]
# Points a score adds up: each far inside 64 bits, so a whole game's sum stays inside them too.
Points = Annotated[StrictInt, Field(ge=-10000, le=10000)]
START_MAX = 10**12
FlagValue = StrictBool | Int64
Text = Annotated[str, Field(min_length=1, max_length=4000)]


class Strict(BaseModel):
    """Base: unknown keys are errors (a typo must not be silently ignored), models are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Comparison(Strict):
    """Compare a number: give one or more of eq/ne/gt/gte/lt/lte."""

    eq: Int64 | None = None
    ne: Int64 | None = None
    gt: Int64 | None = None
    gte: Int64 | None = None
    lt: Int64 | None = None
    lte: Int64 | None = None


# --- conditions -------------------------------------------------------------------------------
# Structured data, never evaluated text, so the verifier can reason about them.


class TaskDoneCondition(Strict):
    """True once the task is completed (optionally: with this outcome)."""

    task_done: Id
    outcome: Id | None = None


class FlagCondition(Strict):
    """Compare a team flag. With no comparison it tests that the flag is true / non-zero."""

    flag: Id
    eq: FlagValue | None = None
    ne: FlagValue | None = None
    gt: Int64 | None = None
    gte: Int64 | None = None
    lt: Int64 | None = None
    lte: Int64 | None = None


class EventCondition(Strict):
    """True once the team-wide event has happened."""

    event: Id


class TrapCondition(Strict):
    """True once the trap has been sprung by anyone in the team."""

    trap: Id


class ScoreCondition(Strict):
    """Compare the team score."""

    score: Comparison


class TrapsSprungCondition(Strict):
    """Compare how many traps the team has sprung."""

    traps_sprung: Comparison


class AllCondition(Strict):
    """True when every listed condition is true."""

    all: list[Condition] = Field(min_length=1)


class AnyCondition(Strict):
    """True when at least one listed condition is true."""

    any: list[Condition] = Field(min_length=1)


class NotCondition(Strict):
    """True when the inner condition is false."""

    not_: Condition = Field(alias="not")


CONDITION_KEYS = (
    "task_done",
    "flag",
    "event",
    "trap",
    "score",
    "traps_sprung",
    "all",
    "any",
    "not",
)


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in CONDITION_KEYS:
            if key in value:
                return key
        return None
    return _KIND_BY_TYPE.get(type(value).__name__)


_KIND_BY_TYPE = {
    "TaskDoneCondition": "task_done",
    "FlagCondition": "flag",
    "EventCondition": "event",
    "TrapCondition": "trap",
    "ScoreCondition": "score",
    "TrapsSprungCondition": "traps_sprung",
    "AllCondition": "all",
    "AnyCondition": "any",
    "NotCondition": "not",
}


Condition = Annotated[
    Annotated[TaskDoneCondition, Tag("task_done")]
    | Annotated[FlagCondition, Tag("flag")]
    | Annotated[EventCondition, Tag("event")]
    | Annotated[TrapCondition, Tag("trap")]
    | Annotated[ScoreCondition, Tag("score")]
    | Annotated[TrapsSprungCondition, Tag("traps_sprung")]
    | Annotated[AllCondition, Tag("all")]
    | Annotated[AnyCondition, Tag("any")]
    | Annotated[NotCondition, Tag("not")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition_kind",
        custom_error_message=(
            "condition needs one of the keys: task_done, flag, event, trap, score, "
            "traps_sprung, all, any, not"
        ),
    ),
]

AllCondition.model_rebuild()
AnyCondition.model_rebuild()
NotCondition.model_rebuild()


# --- the story graph --------------------------------------------------------------------------


class Trap(Strict):
    """A historically tempting mistake. Springs when its choice is taken; bites, then teaches.

    Effects (any combination): ``penalty`` points off the team score, ``lockout_seconds`` during
    which the role cannot act, ``step_back`` to an earlier node of the same task, and team-wide
    consequences: ``set``/``add`` flags and ``open_tasks`` (remedial tasks others may depend on).
    A trap springs at most once per session: once explained, its choice is no longer offered.
    """

    id: Id
    title: Text
    explanation: str = Field(default="", max_length=4000, description="The real history, 2-3 sentences.")
    source: str | None = Field(default=None, description="Where the explanation's facts come from.")
    penalty: StrictInt = Field(default=0, ge=0, le=10000)
    lockout_seconds: StrictInt = Field(default=0, ge=0, le=3600)
    step_back: Id | None = Field(default=None, description="Node of the same task to return to.")
    set: dict[Id, FlagValue] = Field(default_factory=dict)
    add: dict[Id, Int64] = Field(default_factory=dict)
    open_tasks: list[Id] = Field(default_factory=list)


class Choice(Strict):
    """One option at a node. Leads on with ``goto`` (a node of the same task) or ``complete``
    (finishes the task with that outcome); a trap choice without either stays where it is."""

    text: Text
    when: Condition | None = Field(default=None, description="Only offered while this holds.")
    set: dict[Id, FlagValue] = Field(default_factory=dict)
    add: dict[Id, Int64] = Field(default_factory=dict)
    points: Points = 0
    feedback: str | None = Field(default=None, max_length=4000)
    goto: Id | None = None
    complete: Id | None = Field(default=None, description="Outcome id, e.g. done / careful.")
    trap: Trap | None = None


class Node(Strict):
    """A moment of a task: narrative text and the choices the role has there."""

    id: Id
    text: Text
    hint: str | None = Field(default=None, max_length=2000, description="Facilitator's hint.")
    choices: list[Choice] = Field(min_length=1, max_length=9)
    shuffle: StrictBool = Field(
        default=True,
        description="Show the choices in a random order, fixed for the session (so the right answer is "
        "never always the first). false: always as written, e.g. options in chronological order.",
    )


# Outcomes every task can have: its plain finish, and the facilitator's skip.
OUTCOME_DEFAULTS = {"done": "完成", "skipped": "跳过（主持人）"}
OUTCOME_TITLE_CHARS = 16


class Task(Strict):
    """A piece of one role's work. Opens when ``requires`` holds (and, if ``remedial``, only
    after a trap or event opened it); the role then plays its nodes from ``start``."""

    id: Id
    role: Id
    title: Text
    goal: str | None = Field(default=None, max_length=1000)
    requires: Condition | None = None
    remedial: bool = False
    points: Points | None = None
    start: Id | None = Field(default=None, description="First node; defaults to the first listed.")
    nodes: list[Node] = Field(min_length=1)
    outcomes: dict[Id, Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=dict,
        description="What each outcome is called where people read it (reports, verify), e.g. "
        "{stormed: 强攻拿下}. Default: done is 完成; another outcome takes the text of the choice "
        "that gives it.",
    )

    def outcome_title(self, outcome: str) -> str:
        """The outcome as people read it (see ``outcomes``)."""
        if outcome in self.outcomes:
            return self.outcomes[outcome]
        if outcome in OUTCOME_DEFAULTS:
            return OUTCOME_DEFAULTS[outcome]
        texts = [c.text.strip() for n in self.nodes for c in n.choices if c.complete == outcome]
        if len(set(texts)) == 1:
            text = texts[0]
            return text if len(text) <= OUTCOME_TITLE_CHARS else text[: OUTCOME_TITLE_CHARS - 1] + "…"
        return outcome


class Role(Strict):
    """A playable person; the brief says who they are, what they know and want."""

    id: Id
    name: Text
    title: str | None = Field(default=None, max_length=200, description="e.g. 上海代表")
    brief: Text
    portrait: str | None = None


class FlagDef(Strict):
    """A declared team variable."""

    id: Id
    type: Literal["bool", "int"] = "bool"
    initial: FlagValue = False
    description: str | None = None
    display: str | None = Field(
        default=None,
        max_length=12,
        description="Short label; when set, players see this flag's value in the team bar (e.g. 危险).",
    )
    limit: StrictInt | None = Field(
        default=None,
        ge=1,
        le=1000,
        description=(
            "For an int flag that counts towards trouble: the value at which it goes wrong (e.g. 3 "
            "when an ending says 满3暴露). A displayed flag with a limit is shown as a meter that "
            "turns amber and then pulses red as the value nears it."
        ),
    )


class TeamEvent(Strict):
    """A beat shown to the whole team once ``when`` first holds. It may change everyone's
    situation: set flags, open remedial tasks, or cut off tasks in progress (``cancel_tasks``)."""

    id: Id
    title: Text
    text: Text
    when: Condition
    set: dict[Id, FlagValue] = Field(default_factory=dict)
    add: dict[Id, Int64] = Field(default_factory=dict)
    open_tasks: list[Id] = Field(default_factory=list)
    cancel_tasks: list[Id] = Field(default_factory=list)


class Ending(Strict):
    """Checked in order after every action: the first whose ``when`` holds ends the session."""

    id: Id
    title: Text
    text: Text
    when: Condition
    bonus: Points = 0


class QuizOption(Strict):
    """One answer to a quiz item; exactly one option of an item is ``correct``."""

    text: Annotated[str, Field(min_length=1, max_length=400)]
    correct: StrictBool = False


class QuizItem(Strict):
    """A knowledge-check question, asked before play and again after the ending (items and
    options in a random order per session). It measures one misconception: ``trap`` names the
    trap whose mistake the wrong options stand for, so reports can set the answers beside what
    happened in play."""

    id: Id
    question: Text
    options: list[QuizOption] = Field(min_length=2, max_length=9)
    trap: Id = Field(description="The trap (misconception) this item measures.")
    explanation: str = Field(
        default="", max_length=2000, description="Why the right answer is right, 1-2 sentences."
    )
    source: str = Field(default="", max_length=1000, description="Where the answer's facts come from.")


class Scoring(Strict):
    start: StrictInt = Field(
        default=0, ge=-START_MAX, le=START_MAX, description="The team's score at the start."
    )
    task_points: Points = Field(default=10, description="Points per completed task.")


class Meta(Strict):
    id: Id
    title: Text
    version: Int64 | str = 1
    language: Literal["zh-Hans", "zh-Hant"] = "zh-Hans"
    summary: Text
    expected_minutes: StrictInt | None = Field(default=None, ge=1, le=600)
    credits: str | None = None
    sources: list[str] = Field(default_factory=list)


class ScenarioFile(Strict):
    """A whole scenario file."""

    scenario: Meta
    roles: list[Role] = Field(min_length=1, max_length=6)
    flags: list[FlagDef] = Field(default_factory=list)
    tasks: list[Task] = Field(min_length=1)
    events: list[TeamEvent] = Field(default_factory=list)
    endings: list[Ending] = Field(min_length=1)
    scoring: Scoring = Field(default_factory=Scoring)
    quiz: list[QuizItem] = Field(
        default_factory=list,
        max_length=40,
        description="The knowledge check asked before play and after the ending (empty: none).",
    )
