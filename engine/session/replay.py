"""Replay a stored log through today's rules: does it still say the same thing?

A session records the rules version that started it (``engine.rules.version``). A log written by
other rules is replayed before it may be continued: each stored step is turned back into the
action that made it, the action goes through today's :func:`~engine.rules.step.step` at the
step's own time, and both the events and the summary stored after the step (status, score,
ending, from the fold of that time) must come out the same. The first difference is described
in Chinese; none means the old log is exactly what today's rules would have written.
"""

from __future__ import annotations

from engine.format.scenario import Scenario
from engine.rules.actions import QuizMode
from engine.rules.state import Event, State
from engine.rules.step import (
    Abandon,
    Action,
    Answer,
    Choose,
    Hint,
    Pause,
    Resume,
    RuleViolation,
    Skip,
    SkipQuiz,
    Start,
    Unpause,
    step,
)
from engine.store.steps import StoredStep

_SIMPLE: dict[str, Action] = {
    "session_paused": Pause(),
    "session_unpaused": Unpause(),
}


def action_of(events: list[Event], at: int = 0) -> Action | None:
    """The action whose events begin at ``events[at]`` (None: no action begins that way)."""
    first = events[at]
    d = first.data
    if first.kind == "choice_made":
        return Choose(d["role"], d["choice"], d["node"])
    if first.kind == "session_started":
        players: dict[str, str] = {}
        after = at + 1
        for event in events[at + 1 :]:
            if event.kind != "role_assigned":
                break
            players[event.data["role"]] = event.data["player"]
            after += 1
        quiz: QuizMode = "off"
        if "quiz" in d:  # skipped at the start: the skips follow the assignments
            skipped = after < len(events) and events[after].kind == "quiz_skipped"
            quiz = "skip" if skipped else "ask"
        return Start(d["team"], players, d.get("shuffle"), quiz)
    if first.kind == "quiz_answered":
        return Answer(d["player"], d["item"], d["option"], d["phase"])
    if first.kind == "quiz_skipped":
        return SkipQuiz(d["phase"])
    if first.kind == "task_skipped":
        return Skip(d["role"])
    if first.kind == "hint_given":
        return Hint(d["role"])
    if first.kind == "session_abandoned":
        return Abandon(d.get("reason", ""))
    if first.kind == "session_resumed":
        return Resume(d.get("down_since"))
    return _SIMPLE.get(first.kind)


def replay_difference(scenario: Scenario, steps: list[StoredStep]) -> str:
    """The first action whose replay differs from what is stored, in Chinese ("" if none does).

    A step is usually one action; a step migrated from a v1 file may hold several (v1 kept no
    action boundaries, so the migration grouped events by time), so the log is replayed action
    by action and the stored summary is compared wherever a step ends."""
    events = [event for stored in steps for event in stored.events]
    summaries: dict[int, StoredStep] = {}
    end = 0
    for stored in steps:
        end += len(stored.events)
        summaries[end] = stored
    state = State()
    done = 0
    n = 0
    while done < len(events):
        n += 1
        kind = events[done].kind
        try:
            action = action_of(events, done)
            if action is None:
                return f"第 {n} 个操作（{kind}）不是本版规则认识的操作"
            produced, state = step(scenario, state, action, events[done].at, in_place=True)
        except (RuleViolation, KeyError, ValueError, TypeError, AttributeError) as exc:
            return f"第 {n} 个操作（{kind}）本版规则不再允许：{exc}"
        stored_events = events[done : done + len(produced)]
        if produced != stored_events:
            return f"第 {n} 个操作（{kind}）产生的事件不同：{_first_difference(stored_events, produced)}"
        done += len(produced)
        summary = summaries.get(done)
        if summary is not None and (state.status, state.score, state.ending) != summary[1:]:
            return (
                f"第 {n} 个操作之后的状态不同：保存的是 {summary.status}/{summary.score} 分，"
                f"重放得到 {state.status}/{state.score} 分"
            )
    return ""


def _first_difference(stored: list[Event], replayed: list[Event]) -> str:
    for i, (old, new) in enumerate(zip(stored, replayed, strict=False)):
        if old.kind != new.kind:
            return f"第 {i + 1} 个事件，保存的是 {old.kind}，重放得到 {new.kind}"
        if old != new:
            return f"第 {i + 1} 个事件（{old.kind}）的内容不同"
    return f"保存的是 {len(stored)} 个事件，重放得到 {len(replayed)} 个"
