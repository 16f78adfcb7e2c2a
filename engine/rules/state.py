"""Events and the team state they fold into.

A session *is* its event log. ``apply_event`` is the only function that changes a ``State``;
``fold`` replays a whole log. The rules (:mod:`engine.rules.step`) decide which events an action
produces; they never touch state any other way, so a replay equals the live game by
construction.

Event kinds (``Event.kind``) and their ``data``:

=================  ==========================================================================
session_started    scenario_id, scenario_hash, team, score, flags, roles; shuffle (the seed of the
                   order options are shown in; absent: as written); quiz (the knowledge check's
                   item ids, when this session asks it)
role_assigned      role, player
task_opened        role, task, node
role_waiting       role, task, blockers (role ids), missing (task ids)
role_finished      role
choice_made        role, task, node, choice (index), text, points
flag_set           flag, value
trap_sprung        role, task, node, trap, penalty, lockout_until
node_entered       role, task, node, reason ("goto" | "step_back")
task_activated     task, by  (a remedial task opened by a trap or event)
task_completed     role, task, outcome, points
task_cancelled     task, by
team_event         event
ending_reached     ending, bonus
session_stuck      (no role can act and no ending holds -- a scenario bug the verifier finds)
hint_given         role, text
task_skipped       role, task   (facilitator; followed by task_completed outcome "skipped")
session_paused / session_unpaused / session_abandoned
session_resumed    down_since (optional: the program was down from then until this event)
quiz_answered      role (the player's first role), phase ("pre" | "post"), player, item,
                   option (index as written), correct
quiz_skipped       phase (the facilitator skipped that knowledge check)
=================  ==========================================================================

The knowledge check. A session that asks it starts in status ``quiz`` (phase ``pre``): the
team's tasks are open but nobody may act until every player has answered every item, or the
facilitator skips it; the ending opens phase ``post`` (the status stays ``ended``). While a
check is open the game clock stands still exactly as in a pause (``paused_at`` is set, and its
span is added to ``paused_total`` when it closes; ``quiz_total`` counts the checks' share), so
waits, lock-outs, the clock and every review figure leave quiz time out.

Game time. A pause freezes the game: while paused nothing runs out, and on ``session_unpaused``
the fold moves every running lock-out's end and every wait's start later by the paused span, so
lock-outs, waits and the rules' own checks (all compared with wall time) resume exactly where
they stopped. :meth:`State.game_now` and :meth:`State.elapsed` give the clock players see.
A ``session_resumed`` with ``down_since`` is the same for the span the program was not running
(closed or crashed after its last stored step): nothing ran out while nobody could play. The
events themselves never change: a log folds to the same state it always did, only the meaning
of a pause is applied here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from engine.format.effects import EventKind
from engine.format.model import FlagValue


class Event(NamedTuple):
    """One fact of a session. A NamedTuple: cheap to build, and the rules build several per action."""

    kind: EventKind
    at: float
    data: dict[str, Any] = {}  # noqa: RUF012 - never mutated: events are facts
    role: str | None = None


class Wait(NamedTuple):
    """What a role is waiting for, and since when (seconds since the epoch). Immutable: a
    changed wait is a new one (a NamedTuple, cheap to build on every wait change)."""

    task: str
    since: float
    blockers: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass
class RoleState:
    task: str | None = None
    node: str | None = None
    locked_until: float = 0.0
    waiting: Wait | None = None
    finished: bool = False
    waited_total: float = 0.0
    traps: int = 0
    tasks_done: int = 0

    def copy(self) -> RoleState:
        return RoleState(
            self.task,
            self.node,
            self.locked_until,
            self.waiting,
            self.finished,
            self.waited_total,
            self.traps,
            self.tasks_done,
        )


@dataclass
class State:
    """Everything the rules need to know about a session at one moment."""

    status: str = "new"  # new | quiz | active | paused | ended | stuck | abandoned
    scenario_id: str = ""
    scenario_hash: str = ""
    team: str = ""
    started_at: float = 0.0
    now: float = 0.0
    seq: int = 0
    score: int = 0
    score_parts: dict[str, int] = field(default_factory=dict)
    flags: dict[str, FlagValue] = field(default_factory=dict)
    roles: dict[str, RoleState] = field(default_factory=dict)
    players: dict[str, str] = field(default_factory=dict)  # role -> player name
    done: dict[str, str] = field(default_factory=dict)  # task -> outcome
    cancelled: set[str] = field(default_factory=set)
    activated: set[str] = field(default_factory=set)  # remedial tasks opened
    fired: list[str] = field(default_factory=list)
    sprung: list[str] = field(default_factory=list)
    ending: str | None = None
    paused_at: float | None = None  # when the current pause (or knowledge check) began
    paused_total: float = 0.0  # seconds the game stood still before that (pauses and checks)
    shuffle: int | None = None  # seed of the shown order of options (None: as written)
    quiz_items: tuple[str, ...] = ()  # the knowledge check's items (empty: none asked)
    quiz: str | None = None  # the check open now: "pre" | "post" | None
    quiz_answers: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (phase, player, item)
    quiz_done: frozenset[str] = frozenset()  # phases answered in full or skipped
    quiz_total: float = 0.0  # seconds spent in closed checks (also counted in paused_total)

    def copy(self) -> State:
        return State(
            self.status,
            self.scenario_id,
            self.scenario_hash,
            self.team,
            self.started_at,
            self.now,
            self.seq,
            self.score,
            dict(self.score_parts),
            dict(self.flags),
            {k: v.copy() for k, v in self.roles.items()},
            dict(self.players),
            dict(self.done),
            set(self.cancelled),
            set(self.activated),
            list(self.fired),
            list(self.sprung),
            self.ending,
            self.paused_at,
            self.paused_total,
            self.shuffle,
            self.quiz_items,
            self.quiz,
            dict(self.quiz_answers) if self.quiz_answers else {},
            self.quiz_done,
            self.quiz_total,
        )

    @property
    def over(self) -> bool:
        return self.status in ("ended", "stuck", "abandoned")

    def game_now(self, now: float) -> float:
        """``now`` as the game sees it: the moment of the pause while paused, otherwise ``now``.
        Compare lock-out ends and wait starts with this, never with the wall clock."""
        return self.paused_at if self.paused_at is not None else now

    def elapsed(self, now: float) -> float:
        """Seconds of play since the start, paused spans excluded (a finished session stops at
        its last event)."""
        end = self.game_now(self.now if self.over else now)  # a post-check leaves the end frozen
        return max(0.0, end - self.started_at - self.paused_total)


def _add_score(state: State, part: str, points: int) -> None:
    state.score += points
    state.score_parts[part] = state.score_parts.get(part, 0) + points


def _stop_waiting(role: RoleState, at: float) -> None:
    if role.waiting is not None:
        role.waited_total += max(0.0, at - role.waiting.since)
        role.waiting = None


def _session_started(state: State, event: Event) -> None:
    d = event.data
    state.status = "active"
    state.scenario_id = d["scenario_id"]
    state.scenario_hash = d["scenario_hash"]
    state.team = d["team"]
    state.started_at = event.at
    state.flags = dict(d["flags"])
    state.roles = {r: RoleState() for r in d["roles"]}
    _add_score(state, "start", d["score"])
    state.shuffle = d.get("shuffle")
    items = d.get("quiz")
    if items:
        state.quiz_items = tuple(items)
        _open_quiz(state, "pre", event.at)
        state.status = "quiz"


def _role_assigned(state: State, event: Event) -> None:
    state.players[event.data["role"]] = event.data["player"]


def _task_opened(state: State, event: Event) -> None:
    role = state.roles[event.data["role"]]
    _stop_waiting(role, event.at)
    role.task, role.node = event.data["task"], event.data["node"]


def _role_waiting(state: State, event: Event) -> None:
    d = event.data
    role = state.roles[d["role"]]
    since = role.waiting.since if role.waiting else event.at
    role.waiting = Wait(d["task"], since, tuple(d["blockers"]), tuple(d["missing"]))


def _role_finished(state: State, event: Event) -> None:
    role = state.roles[event.data["role"]]
    _stop_waiting(role, event.at)
    role.finished = True


def _choice_made(state: State, event: Event) -> None:
    if event.data["points"]:
        _add_score(state, "choices", event.data["points"])


def _flag_set(state: State, event: Event) -> None:
    state.flags[event.data["flag"]] = event.data["value"]


def _trap_sprung(state: State, event: Event) -> None:
    d = event.data
    role = state.roles[d["role"]]
    role.traps += 1
    role.locked_until = max(role.locked_until, d["lockout_until"])
    state.sprung.append(d["trap"])
    if d["penalty"]:
        _add_score(state, "traps", -d["penalty"])


def _node_entered(state: State, event: Event) -> None:
    state.roles[event.data["role"]].node = event.data["node"]


def _task_activated(state: State, event: Event) -> None:
    state.activated.add(event.data["task"])


def _task_completed(state: State, event: Event) -> None:
    d = event.data
    role = state.roles[d["role"]]
    state.done[d["task"]] = d["outcome"]
    role.tasks_done += 1
    if role.task == d["task"]:
        role.task = role.node = None
    if d["points"]:
        _add_score(state, "tasks", d["points"])


def _task_cancelled(state: State, event: Event) -> None:
    state.cancelled.add(event.data["task"])
    for role in state.roles.values():
        if role.task == event.data["task"]:
            role.task = role.node = None


def _team_event(state: State, event: Event) -> None:
    state.fired.append(event.data["event"])


def _ending_reached(state: State, event: Event) -> None:
    state.ending = event.data["ending"]
    state.status = "ended"
    if event.data["bonus"]:
        _add_score(state, "ending", event.data["bonus"])
    for role in state.roles.values():
        _stop_waiting(role, event.at)
    if state.quiz is not None:  # an ending that held at the start: nothing to check before it
        _close_quiz(state, state.quiz, event.at)
    if state.quiz_items and "post" not in state.quiz_done:
        _open_quiz(state, "post", event.at)


def _status(status: str) -> Callable[[State, Event], None]:
    def apply(state: State, event: Event) -> None:
        state.status = status

    return apply


def _session_paused(state: State, event: Event) -> None:
    state.status = "paused"
    state.paused_at = event.at


def _end_pause(state: State, at: float) -> None:
    """Shift what runs in game time by the paused span, so the game continues where it stopped."""
    paused_at = state.paused_at
    if paused_at is None:
        return
    span = max(0.0, at - paused_at)
    state.paused_at = None
    state.paused_total += span
    if not span:
        return
    for role in state.roles.values():
        if role.locked_until > paused_at:  # a lock-out that had run out stays run out
            role.locked_until += span
        if role.waiting is not None:
            role.waiting = role.waiting._replace(since=role.waiting.since + span)


def _session_unpaused(state: State, event: Event) -> None:
    _end_pause(state, event.at)
    state.status = "active"


def _session_resumed(state: State, event: Event) -> None:
    down_since = event.data.get("down_since")
    if down_since is not None and state.paused_at is None:
        state.paused_at = down_since  # as if paused at the last step: the game stood still since
        _end_pause(state, event.at)


def _session_abandoned(state: State, event: Event) -> None:
    if state.quiz is not None:
        _close_quiz(state, state.quiz, event.at)
    _end_pause(state, event.at)  # ended while paused: the pause is not play time either
    state.status = "abandoned"
    for role in state.roles.values():
        _stop_waiting(role, event.at)


def _open_quiz(state: State, phase: str, at: float) -> None:
    state.quiz = phase
    state.paused_at = at  # the game stands still while the team answers


def _close_quiz(state: State, phase: str, at: float) -> None:
    state.quiz_done = state.quiz_done | {phase}
    if state.quiz != phase:
        return
    state.quiz = None
    if state.paused_at is not None:
        state.quiz_total += max(0.0, at - state.paused_at)
    _end_pause(state, at)
    if state.status == "quiz":
        state.status = "active"


def quiz_players(state: State) -> list[str]:
    """The session's players, each once, in the order of their first role: who answers."""
    return list(dict.fromkeys(state.players.values()))


def _quiz_answered(state: State, event: Event) -> None:
    d = event.data
    phase = d["phase"]
    state.quiz_answers[(phase, d["player"], d["item"])] = d["option"]
    given = sum(1 for key in state.quiz_answers if key[0] == phase)
    if given >= len(quiz_players(state)) * len(state.quiz_items):
        _close_quiz(state, phase, event.at)


def _quiz_skipped(state: State, event: Event) -> None:
    _close_quiz(state, event.data["phase"], event.at)


def _audit_only(state: State, event: Event) -> None:
    """Kinds kept for the audit trail (AUDIT_ONLY): no state change."""


AUDIT_ONLY: frozenset[EventKind] = frozenset({"hint_given", "task_skipped"})


_APPLY: dict[EventKind, Callable[[State, Event], None]] = {
    "session_started": _session_started,
    "role_assigned": _role_assigned,
    "task_opened": _task_opened,
    "role_waiting": _role_waiting,
    "role_finished": _role_finished,
    "choice_made": _choice_made,
    "flag_set": _flag_set,
    "trap_sprung": _trap_sprung,
    "node_entered": _node_entered,
    "task_activated": _task_activated,
    "task_completed": _task_completed,
    "task_cancelled": _task_cancelled,
    "team_event": _team_event,
    "ending_reached": _ending_reached,
    "session_stuck": _status("stuck"),
    "session_paused": _session_paused,
    "session_unpaused": _session_unpaused,
    "session_abandoned": _session_abandoned,
    "session_resumed": _session_resumed,
    "quiz_answered": _quiz_answered,
    "quiz_skipped": _quiz_skipped,
}


def apply_event(state: State, event: Event) -> None:
    """Fold one event into the state, in place (unknown kinds only advance seq and time)."""
    state.seq += 1
    if event.at > state.now:
        state.now = event.at
    _APPLY.get(event.kind, _audit_only)(state, event)


def fold(events: list[Event], state: State | None = None) -> State:
    state = state or State()
    for event in events:
        apply_event(state, event)
    return state
