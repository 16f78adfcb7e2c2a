"""The effect table (engine/format/effects.py) is complete and true.

Complete: every model field of a choice, trap or team event either has a row or is declared
descriptive, so a new effect cannot be added to the model alone. True: in real games, every event
changes only what the table says its choice, trap or team event writes; the rules' change
tracking and the verifier's reduction both read the table, so a row that under-declares would
make the rules skip a check or the verifier call a move private that is not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from engine.format.catalog import bundled_scenarios
from engine.format.conditions import Input
from engine.format.effects import (
    DESCRIPTIVE,
    EFFECTS,
    EVENT_KINDS,
    EVENT_WRITES,
    PLAN,
    Effect,
    Owner,
    Write,
    effects_of,
    present,
    static_writes,
)
from engine.format.loader import load_scenario
from engine.format.model import Choice, TeamEvent, Trap
from engine.format.scenario import Scenario
from engine.rules import state as state_mod
from engine.rules.changes import CHANGES, PLAN_INPUT, _compile
from engine.rules.state import Event, State, apply_event
from engine.tools.bots import POLICIES, play_bot_session

ROOT = Path(__file__).resolve().parent.parent
EVERY_EFFECT = ROOT / "tests" / "fixtures" / "every_effect.yaml"
MODELS: dict[Owner, type[BaseModel]] = {"choice": Choice, "trap": Trap, "event": TeamEvent}
# What settling emits after an action's own effects: no effect of the table records these.
SETTLING = {"task_opened", "role_waiting", "role_finished", "ending_reached", "session_stuck"}


def undeclared(effects: tuple[Effect, ...]) -> dict[str, set[str]]:
    """Model fields that are neither an effect row nor descriptive, per owner."""
    out = {}
    for owner, model in MODELS.items():
        rows = {e.field for e in effects if e.owner == owner and e.field}
        missing = set(model.model_fields) - rows - DESCRIPTIVE[owner]
        if missing:
            out[owner] = missing
    return out


def test_every_model_field_is_an_effect_or_descriptive() -> None:
    assert undeclared(EFFECTS) == {}
    for owner, fields in DESCRIPTIVE.items():
        assert not fields & {e.field for e in effects_of(owner)}, "a field is both"
        assert fields <= set(MODELS[owner].model_fields), "a descriptive field the model lacks"


@pytest.mark.parametrize("row", [e for e in EFFECTS if e.field], ids=lambda e: f"{e.owner}.{e.field}")
def test_a_row_left_out_of_the_table_is_caught(row: Effect) -> None:
    assert undeclared(tuple(e for e in EFFECTS if e is not row)) == {row.owner: {row.field}}


def test_every_event_kind_is_folded_or_audit_only() -> None:
    folded = set(state_mod._APPLY)
    assert folded | state_mod.AUDIT_ONLY == set(EVENT_KINDS)
    assert not folded & state_mod.AUDIT_ONLY
    assert {e.event for e in EFFECTS} <= set(EVENT_KINDS)


def test_the_rules_track_what_the_table_declares() -> None:
    data = {"flag": "f", "trap": "t1", "task": "t2", "event": "e", "points": 3, "penalty": 0}
    assert CHANGES["flag_set"](data) == (("flag", "f"),)
    assert CHANGES["trap_sprung"](data) == (("trap", "t1"), ("traps",))
    assert CHANGES["trap_sprung"]({**data, "penalty": 2}) == (("trap", "t1"), ("traps",), ("score",))
    assert CHANGES["task_completed"](data) == (("task", "t2"), ("score",))
    assert CHANGES["task_completed"]({**data, "points": 0}) == (("task", "t2"),)
    assert CHANGES["choice_made"]({**data, "points": 0}) == ()
    assert CHANGES["task_activated"](data) == CHANGES["task_cancelled"](data) == (PLAN_INPUT,)
    assert CHANGES["team_event"](data) == (("event", "e"),)
    assert set(CHANGES) == {kind for kind, writes in EVENT_WRITES.items() if writes}


def test_the_general_shape_of_change_tracking() -> None:
    """A future row whose event writes several keyed parts goes through the general closure."""
    track = _compile((Write("flag", "a"), Write("task", "b"), Write("score", when="n"), Write("traps")))
    assert track({"a": "x", "b": "y", "n": 1}) == (("flag", "x"), ("task", "y"), ("traps",), ("score",))
    assert track({"a": "x", "b": "y", "n": 0}) == (("flag", "x"), ("task", "y"), ("traps",))


def _runtime(key: Input) -> Input:
    return PLAN_INPUT if key[0] in PLAN else key


def _declared(owners: list[tuple[Owner, BaseModel]], task: str) -> tuple[set[Input], set[str]]:
    """What these owners may write (in the rules' terms) and which events record it."""
    keys: set[Input] = set()
    kinds = {"choice_made"}  # every choice is recorded, with or without points
    for owner, obj in owners:
        for effect in effects_of(owner):
            if present(effect, obj):
                kinds.add(effect.event)
                keys |= {_runtime(key) for key, _ in static_writes(effect, obj, task)}
    return keys, kinds


def _check_action(s: Scenario, events: list[Event]) -> set[str]:
    """Each event of one choice changes only what its cause declares; returns the kinds seen."""
    choice_made = events[0]
    d = choice_made.data
    choice = s.choice(d["task"], d["node"], d["choice"])
    owners: list[tuple[Owner, BaseModel]] = [("choice", choice)]
    if choice.trap is not None:
        owners.append(("trap", choice.trap))
    allowed, kinds = _declared(owners, d["task"])
    for e in events:
        if e.kind == "team_event":
            allowed, kinds = _declared([("event", s.events[e.data["event"]])], "")
        if e.kind in SETTLING:
            continue
        assert e.kind in kinds, f"{e.kind} recorded for an effect the table does not list"
        changes = CHANGES.get(e.kind)
        changed = set(changes(e.data)) if changes else set()
        assert changed <= allowed, f"{e.kind} {e.data} changes {changed - allowed}, undeclared"
    return {e.kind for e in events}


def _actions(events: list[Event]) -> list[list[Event]]:
    out: list[list[Event]] = []
    for e in events:
        if e.kind == "choice_made":
            out.append([])
        if out:
            out[-1].append(e)
    return out


@pytest.mark.parametrize("path", [EVERY_EFFECT, *bundled_scenarios()], ids=lambda p: p.stem)
def test_games_change_only_what_the_table_declares(path: Path) -> None:
    s = load_scenario(path)
    seen: set[str] = set()
    for seed in range(60):
        game = play_bot_session(s, POLICIES[seed % len(POLICIES)], seed=seed)
        for action in _actions(game.events):
            seen |= _check_action(s, action)
    if path == EVERY_EFFECT:
        assert {e.event for e in EFFECTS} <= seen, "the fixture should exercise every row"


def test_the_fixture_uses_every_row() -> None:
    s = load_scenario(EVERY_EFFECT)
    owners: list[tuple[Owner, Any]] = [("choice", c) for n in s.nodes.values() for c in n.choices]
    owners += [("trap", site.trap) for site in s.traps.values()]
    owners += [("event", e) for e in s.events.values()]
    unused = [e for e in EFFECTS if not any(o == e.owner and present(e, obj) for o, obj in owners)]
    assert unused == []


def _readable(st: State) -> dict[Input, object]:
    """The parts of a state a condition or a role's plan reads, keyed as the rules track them."""
    view: dict[Input, object] = {("task", t): outcome for t, outcome in st.done.items()}
    view |= {("flag", f): (type(v), v) for f, v in st.flags.items()}
    view |= {("event", e): True for e in st.fired} | {("trap", t): True for t in st.sprung}
    view |= {("traps",): len(st.sprung), ("score",): st.score}
    view[PLAN_INPUT] = (frozenset(st.activated), frozenset(st.cancelled))
    return view


@pytest.mark.parametrize("path", [EVERY_EFFECT, *bundled_scenarios()], ids=lambda p: p.stem)
def test_the_fold_changes_only_what_the_rules_track(path: Path) -> None:
    """The fold is the truth: whatever part of the state an event changes, the change tracking
    compiled from the table must name, or the rules would skip a check that can now hold."""
    s = load_scenario(path)
    for seed in range(60):
        game = play_bot_session(s, POLICIES[seed % len(POLICIES)], seed=seed)
        st = State()
        for e in game.events:
            before = _readable(st)
            apply_event(st, e)
            if e.kind == "session_started" or st.over:
                continue  # a new team is settled in full; an ended one is never settled again
            after = _readable(st)
            changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
            changes = CHANGES.get(e.kind)
            tracked = set(changes(e.data)) if changes else set()
            assert changed <= tracked, f"{e.kind} {e.data} changed {changed - tracked} untracked"
