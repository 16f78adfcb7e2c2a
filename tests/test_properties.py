"""Property: random legal play never breaks the invariants of the rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.format.loader import load_scenario
from engine.rules.state import State, fold
from engine.rules.step import Choose, Hint, Pause, RuleViolation, Skip, Start, Unpause, step, visible_choices

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_legal_play_keeps_invariants(path: Path, data: st.DataObject) -> None:
    s = load_scenario(path)
    now = 1000.0
    events, state = step(s, State(), Start("队", {r: f"p{i}" for i, r in enumerate(s.roles)}), now)
    for _ in range(200):
        if state.over:
            break
        now += data.draw(st.floats(min_value=0, max_value=90), label="think")
        holding = [r for r, rs in state.roles.items() if rs.task is not None]
        idle = [r for r in state.roles if r not in holding]
        if state.status == "paused":
            action = Unpause()
        else:
            kind = data.draw(
                st.sampled_from(["choose"] * 8 + ["skip", "hint", "pause", "idle"]), label="kind"
            )
            if kind == "idle" and idle:
                # a role without a task is always refused, and the refusal changes nothing
                with pytest.raises(RuleViolation):
                    step(s, state, Choose(data.draw(st.sampled_from(idle)), 0), now)
                continue
            if not holding:
                break
            role = data.draw(st.sampled_from(holding), label="role")
            rs = state.roles[role]
            if kind == "skip":
                action = Skip(role)
            elif kind == "hint":
                action = Hint(role)
            elif kind == "pause":
                action = Pause()
            else:
                offered = visible_choices(s, state, rs.task, rs.node)
                assert offered, f"{rs.task}/{rs.node} offers no choice"
                action = Choose(role, data.draw(st.sampled_from(offered), label="choice"), rs.node)
                if now < rs.locked_until:
                    with pytest.raises(RuleViolation, match="锁定"):
                        step(s, state, action, now)
                    now = rs.locked_until
        new, state = step(s, state, action, now)
        events += new
        for rs in state.roles.values():
            assert rs.waited_total >= 0
            if rs.waiting is not None:
                assert rs.waiting.since <= state.now
            assert not (rs.finished and rs.task is not None)
        assert state.seq == len(events)
    assert fold(events) == state
    assert state.status != "stuck"
