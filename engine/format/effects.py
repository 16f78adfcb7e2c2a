"""Every effect a choice, trap or team event can have, and what it writes: declared once.

Three parts of the engine must agree on what an effect changes, and all three read this table:

- the rules (:mod:`engine.rules.changes`) re-test, after an action, only the checks and roles
  that read a part of the state one of the action's events wrote;
- the verifier's partial-order reduction (:mod:`engine.tools.verify.reduction`) calls a move
  private only when it writes nothing another role, team event or ending reads or writes;
- the checks (:mod:`engine.format.checks`) validate every id an effect names.

So a new effect is a model field, one row here, and the rules that emit its event (plus that
event's fold in :mod:`engine.rules.state`, if the event is new). ``tests/test_effects.py`` fails
when a model field that changes the state has no row, and when a game changes something its
row does not declare. The table lives in the format layer, beside the model, because the
checks (this layer) cannot import the rules.

The parts of the state, as :data:`engine.format.conditions.Input` keys (conditions read the
first six; the role plans read which tasks are activated or cancelled):

==============  ============================  =======================================
key             what                          written by
==============  ============================  =======================================
("task", t)     task ``t`` done (outcome)     ``complete``; a facilitator's skip
("flag", f)     flag ``f``                    ``set``, ``add``
("event", e)    team event ``e`` fired        the event itself, when its ``when`` holds
("trap", t)     trap ``t`` sprung             the trap itself
("traps",)      how many traps sprang         the trap itself (a count: only added to)
("score",)      the team score                ``points``, ``penalty``, ``complete``
("activated",t) remedial task ``t`` opened    ``open_tasks``
("cancelled",t) task ``t`` cancelled          ``cancel_tasks``
==============  ============================  =======================================

An *additive* write (``add``, and every change of a count or the score) reads the value it
changes, so it commutes with other additions to the same part but not with setting or reading it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, NamedTuple, get_args

from pydantic import BaseModel

from engine.format.conditions import Input

# The kinds of event a session log holds. Stored as these strings; typed so a misspelt kind is
# a type error, not a silently unfolded event. engine.rules.state folds each (or names it
# audit-only); tests/test_effects.py holds the two lists equal.
EventKind = Literal[
    "session_started",
    "role_assigned",
    "task_opened",
    "role_waiting",
    "role_finished",
    "choice_made",
    "flag_set",
    "trap_sprung",
    "node_entered",
    "task_activated",
    "task_completed",
    "task_cancelled",
    "team_event",
    "ending_reached",
    "session_stuck",
    "hint_given",
    "task_skipped",
    "session_paused",
    "session_unpaused",
    "session_abandoned",
    "session_resumed",
    "quiz_answered",
    "quiz_skipped",
]
EVENT_KINDS: tuple[EventKind, ...] = get_args(EventKind)

Owner = Literal["choice", "trap", "event"]
# How the effect's value names the parts it writes: the keys of its mapping, the items of its
# list, the trap it holds (``.id``), the team event that has it, or the task whose choice it is.
Names = Literal["keys", "items", "value_id", "owner", "task"]

TASK, FLAG, EVENT, TRAP, TRAPS, SCORE = "task", "flag", "event", "trap", "traps", "score"
ACTIVATED, CANCELLED = "activated", "cancelled"
COUNTS = frozenset({TRAPS, SCORE})  # only ever added to
PLAN = frozenset({ACTIVATED, CANCELLED})  # read by every role's plan, by no condition


class Write(NamedTuple):
    """One part of the state an event writes.

    ``key``: the event's data field naming which one (``None``: the part has no id).
    ``when``: written only when this data field is non-zero (a score change of 0 changes nothing).
    """

    part: str
    key: str | None = None
    when: str | None = None


@dataclass(frozen=True)
class Effect:
    """One row of the table.

    Attributes:
        owner: the model that carries it (a choice, the trap on a choice, a team event).
        field: the model attribute (``None``: the owner's own firing, e.g. a team event).
        event: the event the rules record it with.
        writes: what that event writes on this effect's behalf.
        names: how the value names the written parts (for writes with a ``key``).
        additive: it adds to what it writes (flag ``add``); counts are additive anyway.
        refers: what the value's ids must name, for the checks: flags, tasks, nodes of the
            same task, or outcome ids (new names, nothing to look up).
    """

    owner: Owner
    field: str | None
    event: EventKind
    writes: tuple[Write, ...] = ()
    names: Names | None = None
    additive: bool = False
    refers: Literal["flag", "task", "node", "outcome"] | None = None

    def writes_to(self, part: str) -> bool:
        return any(w.part == part for w in self.writes)


_SET = (Write(FLAG, "flag"),)

EFFECTS: tuple[Effect, ...] = (
    # a choice
    Effect("choice", "points", "choice_made", (Write(SCORE, when="points"),)),
    Effect("choice", "set", "flag_set", _SET, "keys", refers="flag"),
    Effect("choice", "add", "flag_set", _SET, "keys", additive=True, refers="flag"),
    Effect("choice", "trap", "trap_sprung", (Write(TRAP, "trap"), Write(TRAPS)), "value_id"),
    Effect("choice", "goto", "node_entered", refers="node"),  # moves its own role only
    Effect(
        "choice",
        "complete",
        "task_completed",
        (Write(TASK, "task"), Write(SCORE, when="points")),
        "task",
        refers="outcome",
    ),
    # the trap on a choice, when it springs
    Effect("trap", "penalty", "trap_sprung", (Write(SCORE, when="penalty"),)),
    Effect("trap", "lockout_seconds", "trap_sprung"),  # locks its own role only
    Effect("trap", "step_back", "node_entered", refers="node"),
    Effect("trap", "set", "flag_set", _SET, "keys", refers="flag"),
    Effect("trap", "add", "flag_set", _SET, "keys", additive=True, refers="flag"),
    Effect("trap", "open_tasks", "task_activated", (Write(ACTIVATED, "task"),), "items", refers="task"),
    # a team event, when its condition first holds
    Effect("event", None, "team_event", (Write(EVENT, "event"),), "owner"),
    Effect("event", "set", "flag_set", _SET, "keys", refers="flag"),
    Effect("event", "add", "flag_set", _SET, "keys", additive=True, refers="flag"),
    Effect("event", "open_tasks", "task_activated", (Write(ACTIVATED, "task"),), "items", refers="task"),
    Effect("event", "cancel_tasks", "task_cancelled", (Write(CANCELLED, "task"),), "items", refers="task"),
)

# Model fields that describe or gate an owner and change nothing themselves (read by the
# checks and the views; a ``when`` is read through conditions.inputs).
DESCRIPTIVE: dict[Owner, frozenset[str]] = {
    "choice": frozenset({"text", "when", "feedback"}),
    "trap": frozenset({"id", "title", "explanation", "source"}),
    "event": frozenset({"id", "title", "text", "when"}),
}


_BY_OWNER: dict[Owner, tuple[Effect, ...]] = {
    owner: tuple(e for e in EFFECTS if e.owner == owner) for owner in get_args(Owner)
}


def effects_of(owner: Owner) -> tuple[Effect, ...]:
    """The rows of one owner, in table order."""
    return _BY_OWNER[owner]


def _event_writes() -> dict[EventKind, tuple[Write, ...]]:
    out: dict[EventKind, tuple[Write, ...]] = {}
    for effect in EFFECTS:
        known = out.get(effect.event, ())
        out[effect.event] = known + tuple(w for w in effect.writes if w not in known)
    return out


# What each kind of event writes, merged over the effects recorded with it (the rules' view).
EVENT_WRITES: dict[EventKind, tuple[Write, ...]] = _event_writes()


def present(effect: Effect, owner: BaseModel) -> bool:
    """Does ``owner`` have this effect (a non-empty, non-zero value; a firing always)?"""
    return effect.field is None or bool(getattr(owner, effect.field))


def named(effect: Effect, owner: BaseModel, task: str = "") -> list[str]:
    """The ids the effect's value names: flags, tasks, the trap or event, or ``task`` itself."""
    if effect.names is None:
        return []
    if effect.names == "owner":
        return [str(getattr(owner, "id"))]  # noqa: B009 - every owner with a firing has an id
    if effect.names == "task":
        return [task]
    value = getattr(owner, effect.field or "")
    if effect.names == "keys":
        return list(value)
    if effect.names == "items":
        return [str(v) for v in value]
    return [str(value.id)]  # value_id


def static_writes(effect: Effect, owner: BaseModel, task: str = "") -> Iterator[tuple[Input, bool]]:
    """What the effect can write, read off the scenario: ``(part key, additive)`` pairs.

    A score write is assumed whenever the effect is present (a completion's points come from
    the scoring section, so the value alone cannot rule it out)."""
    if not present(effect, owner):
        return
    for write in effect.writes:
        additive = effect.additive or write.part in COUNTS
        if write.key is None:
            yield (write.part,), additive
        else:
            for name in named(effect, owner, task):
                yield (write.part, name), additive
