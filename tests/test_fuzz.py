"""Fuzzing: generated scenarios (valid by construction) and random action sequences.

The strategy builds a small scenario as data -- 2-3 roles, 2-5 tasks whose ``requires`` name
earlier tasks (sometimes with a specific outcome, which can dead-lock), nodes that lead forward,
extra choices with flags, points, ``when`` conditions and traps (penalty, lock-out, step back,
flags) -- renders it to YAML text and loads it with ``parse_scenario``, so the loader is fuzzed
too. Random legal actions (any role holding a task, any offered choice, sometimes a hint, a skip
or a pause; a manual clock waits out lock-outs) then must keep the invariants:

- the live state equals ``fold`` of all events, and a replay of the actions gives the same log;
- waits are never negative, and ``since`` is never in the future;
- an action for a locked role, a role without a task, or a paused session is refused
  (RuleViolation) and changes nothing;
- ``verify`` agrees with simulation: if it proves a scenario ok, no random play gets stuck; if
  it reports a dead-lock, replaying its trace does get stuck.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from engine.format.catalog import bundled_scenarios
from engine.format.cycles import dependency_graph, find_cycles
from engine.format.loader import _build, load_scenario, parse_scenario
from engine.format.problems import ScenarioInvalid
from engine.format.scenario import Scenario
from engine.rules.state import Event, State, fold
from engine.rules.step import Choose, Hint, Pause, RuleViolation, Skip, Start, Unpause, step, visible_choices
from engine.tools.bots import POLICIES, play_bot_session
from engine.tools.verify import verify

OUTCOMES = ("done", "careful")


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    n_roles = draw(st.integers(2, 3), label="roles")
    n_tasks = draw(st.integers(n_roles, 5), label="tasks")
    roles = [{"id": f"r{i}", "name": f"角色{i}", "brief": f"第{i}个角色。"} for i in range(n_roles)]
    flags = [
        {"id": "alarm", "type": "bool", "initial": False},
        {"id": "progress", "type": "int", "initial": 0},
    ]
    tasks: list[dict[str, Any]] = []
    outcomes_of: dict[str, list[str]] = {}
    trap_no = 0
    for t in range(n_tasks):
        task_id = f"t{t}"
        role = f"r{t}" if t < n_roles else f"r{draw(st.integers(0, n_roles - 1))}"
        task: dict[str, Any] = {"id": task_id, "role": role, "title": f"任务{t}"}
        if t:
            deps = draw(st.lists(st.integers(0, t - 1), max_size=2, unique=True), label="requires")
            conds: list[dict[str, Any]] = []
            for d in deps:
                cond: dict[str, Any] = {"task_done": f"t{d}"}
                if draw(st.integers(0, 5)) == 0:  # sometimes a specific outcome: may dead-lock
                    cond["outcome"] = draw(st.sampled_from(outcomes_of[f"t{d}"]))
                conds.append(cond)
            if len(conds) == 1:
                task["requires"] = conds[0]
            elif conds:
                task["requires"] = {"all": conds}
        n_nodes = draw(st.integers(1, 3), label="nodes")
        nodes = []
        used_outcomes = {"done"}
        for n in range(n_nodes):
            last = n == n_nodes - 1
            first: dict[str, Any] = {"text": f"推进{n}"}
            if last:
                first["complete"] = "done"
            else:
                first["goto"] = f"n{n + 1}"
            choices = [first]
            for c in range(draw(st.integers(0, 2), label="extra choices")):
                choice: dict[str, Any] = {"text": f"其他{n}-{c}"}
                kind = draw(st.sampled_from(["goto", "complete", "trap", "stay_trap"]))
                if kind == "goto" and not last:
                    choice["goto"] = f"n{draw(st.integers(n + 1, n_nodes - 1))}"
                elif kind in ("complete", "goto"):
                    outcome = draw(st.sampled_from(OUTCOMES))
                    used_outcomes.add(outcome)
                    choice["complete"] = outcome
                else:
                    trap_no += 1
                    trap: dict[str, Any] = {
                        "id": f"trap{trap_no}",
                        "title": "陷阱",
                        "explanation": "史实如此。",
                    }
                    trap["penalty"] = draw(st.integers(0, 5))
                    trap["lockout_seconds"] = draw(st.sampled_from([0, 0, 30, 120]))
                    if n and draw(st.booleans()):
                        trap["step_back"] = "n0"
                    if draw(st.booleans()):
                        trap["set"] = {"alarm": True}
                    choice["trap"] = trap
                    if kind == "trap":
                        choice["goto" if not last else "complete"] = f"n{n + 1}" if not last else "done"
                if draw(st.booleans()):
                    choice["add"] = {"progress": draw(st.integers(1, 2))}
                if draw(st.integers(0, 3)) == 0:
                    choice["when"] = {"flag": "alarm", "eq": draw(st.booleans())}
                choice["points"] = draw(st.integers(-3, 5))
                choices.append(choice)
            nodes.append({"id": f"n{n}", "text": f"节点{n}", "choices": choices})
        task["nodes"] = nodes
        outcomes_of[task_id] = sorted(used_outcomes)
        tasks.append(task)
    # team events reading each kind of input, some cancelling a task (which may strand a role)
    inputs = [
        *({"task_done": t["id"]} for t in tasks),
        {"flag": "progress", "gte": 2},
        {"flag": "alarm"},
        {"score": {"gte": 3}},
        {"traps_sprung": {"gte": 1}},
        *({"trap": f"trap{n}"} for n in range(1, trap_no + 1)),
    ]
    events: list[dict[str, Any]] = []
    for e in range(draw(st.integers(0, 2), label="team events")):
        when = draw(st.lists(st.sampled_from(inputs), min_size=1, max_size=2), label="event when")
        event: dict[str, Any] = {
            "id": f"e{e}",
            "title": f"事件{e}",
            "text": "发生了一件事。",
            "when": when[0] if len(when) == 1 else {draw(st.sampled_from(["all", "any"])): when},
        }
        if draw(st.booleans()):
            event["add"] = {"progress": 1}
        if draw(st.booleans()):
            event["set"] = {"alarm": True}
        if draw(st.integers(0, 3)) == 0:
            event["cancel_tasks"] = [draw(st.sampled_from(tasks))["id"]]
        events.append(event)
        inputs.append({"event": f"e{e}"})
    for task in tasks[1:]:
        if draw(st.integers(0, 4)) == 0:  # a task that also waits for a flag, a score or an event
            extra = draw(st.sampled_from(inputs[len(tasks) :]))
            task["requires"] = {"all": [task["requires"], extra]} if "requires" in task else extra
    all_done = {"all": [{"task_done": t["id"]} for t in tasks]}
    endings: list[dict[str, Any]] = []
    if draw(st.booleans()):
        endings.append(
            {"id": "early", "title": "提前", "text": "提前结束。", "when": {"flag": "progress", "gte": 3}}
        )
    final_when: dict[str, Any] = all_done
    if draw(st.integers(0, 4)) == 0:  # an ending that needs one outcome: maybe unwinnable
        t = draw(st.sampled_from(tasks))
        final_when = {"all": [*all_done["all"], {"task_done": t["id"], "outcome": outcomes_of[t["id"]][-1]}]}
    endings.append({"id": "final", "title": "结局", "text": "完成。", "when": final_when, "bonus": 5})
    return {
        "scenario": {"id": "fuzz", "title": "生成的场景", "summary": "模糊测试。"},
        "roles": roles,
        "flags": flags,
        "tasks": tasks,
        "events": events,
        "endings": endings,
    }


def load(data: dict[str, Any]) -> Scenario:
    """The generated scenario; one that validate rejects for a dependency cycle (through a team
    event or a flag: a real dead-lock, see the test below) is not played."""
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    try:
        return parse_scenario(text, "fuzz.yaml")
    except ScenarioInvalid as exc:
        if {p.code for p in exc.problems if p.severity == "error"} == {"dependency-cycle"}:
            reject()
        raise


def check_state(state: State, events: list[Event]) -> None:
    assert state.seq == len(events)
    for rs in state.roles.values():
        assert rs.waited_total >= 0
        assert rs.waiting is None or rs.waiting.since <= state.now
        assert not (rs.finished and rs.task is not None)


def refused(s: Scenario, state: State, action: Any, now: float) -> None:
    before = state.copy()
    with pytest.raises(RuleViolation):
        step(s, state, action, now)
    assert state == before


def simulate(
    s: Scenario, data: st.DataObject, max_steps: int = 80, skips: bool = True
) -> tuple[State, list[Event]]:
    """Random legal play; ``skips=False`` leaves out the facilitator's Skip (verify explores the
    players' choices only: a skipped task's "skipped" outcome may well strand the team)."""
    now = 1000.0
    start = Start("队", {r: f"p{i}" for i, r in enumerate(s.roles)})
    events, state = step(s, State(), start, now)
    actions: list[tuple[Any, float]] = [(start, now)]
    for _ in range(max_steps):
        if state.over:
            break
        now += data.draw(st.sampled_from([0.0, 1.0, 15.0, 200.0]), label="think")
        if state.status == "paused":
            action: Any = Unpause()
        else:
            holding = [r for r, rs in state.roles.items() if rs.task is not None]
            idle = [r for r in state.roles if r not in holding]
            if not holding:
                break
            kinds = ["choose"] * 10 + ["hint", "pause", "idle"] + (["skip"] if skips else [])
            kind = data.draw(st.sampled_from(kinds), label="kind")
            if kind == "idle" and idle:
                refused(s, state, Choose(data.draw(st.sampled_from(idle)), 0), now)
                continue
            role = data.draw(st.sampled_from(holding), label="role")
            rs = state.roles[role]
            assert rs.task is not None and rs.node is not None
            if kind == "hint":
                action = Hint(role)
            elif kind == "skip":
                action = Skip(role)
            elif kind == "pause":
                action = Pause()
                paused = step(s, state, action, now)[1]
                refused(s, paused, Choose(role, 0, rs.node), now)
            else:
                offered = visible_choices(s, state, rs.task, rs.node)
                assert offered, "a node offers no choice"
                action = Choose(role, data.draw(st.sampled_from(offered), label="choice"), rs.node)
                if now < rs.locked_until:
                    refused(s, state, action, now)
                    now = rs.locked_until
        reference = step(s, state, action, now, exhaustive=True)
        new, state = step(s, state, action, now)
        assert (new, state) == reference, "re-testing only what changed gave other events"
        events += new
        actions.append((action, now))
        check_state(state, events)
    assert fold(events) == state
    # a replay of the same actions at the same times gives the same log
    replayed: list[Event] = []
    again = State()
    for action, at in actions:
        new, again = step(s, again, action, at)
        replayed += new
    assert replayed == events and again == state
    return state, events


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.slow
@SETTINGS
@given(spec=scenarios(), data=st.data())
def test_generated_scenarios_keep_the_invariants(spec: dict[str, Any], data: st.DataObject) -> None:
    s = load(spec)
    simulate(s, data)


@pytest.mark.slow
@SETTINGS
@given(spec=scenarios(), data=st.data())
def test_a_dependency_cycle_validate_names_never_happens_in_play(
    spec: dict[str, Any], data: st.DataObject
) -> None:
    """validate's cycles are sound: no task or team event in one is ever done or fired."""
    scenario, problems = _build(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "fuzz.yaml")
    cycles = list(find_cycles(dependency_graph(scenario)))
    assert bool(cycles) == any(p.code == "dependency-cycle" for p in problems)
    if not cycles:
        return
    state, _ = simulate(scenario, data, skips=False)
    for kind, name in {node for cycle in cycles for node in cycle}:
        assert name not in (state.done if kind == "task" else state.fired), f"{kind} {name} happened"


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=scenarios(), data=st.data())
def test_verify_agrees_with_simulation(spec: dict[str, Any], data: st.DataObject) -> None:
    s = load(spec)
    report = verify(s, max_states=5000)
    if not report.complete:
        return
    if report.ok:
        for _ in range(3):
            state, _ = simulate(s, data, skips=False)
            assert state.status != "stuck", "verify said ok, yet a random play got stuck"
    for finding in report.deadlocks:
        now = 1000.0
        _, state = step(s, State(), Start("队", {r: "p" for r in s.roles}), now)
        for move in finding.trace:
            rs = state.roles[move.role]
            assert (rs.task, rs.node) == (move.task, move.node), "the trace does not replay"
            now = max(now + 1, rs.locked_until)
            _, state = step(s, state, Choose(move.role, move.choice, move.node), now)
        assert state.status == "stuck", f"verify's dead-lock trace ends in {state.status}"


EVERY_EFFECT = Path(__file__).resolve().parent / "fixtures" / "every_effect.yaml"


@pytest.mark.parametrize("path", [*bundled_scenarios(), EVERY_EFFECT], ids=lambda p: p.stem)
def test_bot_games_on_shipped_scenarios_equal_exhaustive_settling(path: Path) -> None:
    """Replays 150 bot games of each shipped scenario (and of one using every effect) with
    ``exhaustive=True``: the fast path (re-test only what an action's changes can affect) gives
    exactly the same log."""
    s = load_scenario(path)
    for seed in range(150):
        game = play_bot_session(s, POLICIES[seed % len(POLICIES)], seed=seed)
        start = game.events[0]
        players = {e.data["role"]: e.data["player"] for e in game.events if e.kind == "role_assigned"}
        shuffle = start.data.get("shuffle")  # the first-option bot plays a shuffled session
        replayed, state = step(
            s, State(), Start(start.data["team"], players, shuffle), start.at, exhaustive=True
        )
        for e in game.events:
            if e.kind == "choice_made":
                new, state = step(
                    s, state, Choose(e.role or "", e.data["choice"], e.data["node"]), e.at, exhaustive=True
                )
                replayed += new
        assert replayed == game.events, f"{path.stem} seed {seed}"
