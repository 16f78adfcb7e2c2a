"""The front door: explore, analyse, and turn what was found into a :class:`VerifyReport`.

Findings:

- dead-lock: a reachable state where no role can act, no ending holds, and someone still has
  work (waiting on the others, or at a node none of whose choices is offered);
- unwinnable: a state from which no ending can be reached at all. Reported once at its point of
  no return (the first state on the shortest path that can no longer reach an ending), with one
  way on to where it ends ("all work done but no ending holds", a dead-lock, or an endless loop).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from engine.format.scenario import Scenario
from engine.rules.state import State
from engine.tools.verify.analysis import Analysis
from engine.tools.verify.descriptions import describe_stuck, kind_of_stuck
from engine.tools.verify.exploration import ENDED, Explorer
from engine.tools.verify.findings import MAX_FINDINGS, Finding, Move, VerifyReport


def verify(
    scenario: Scenario,
    max_states: int = 1_000_000,
    reduce: bool = True,
    skips: bool = False,
    observe: Callable[[State], None] | None = None,
) -> VerifyReport:
    """Explore every reachable team state (up to ``max_states``) and report what can go wrong.

    ``skips=True`` also explores the facilitator skipping any role's current task (and turns the
    partial-order reduction off, see the package docstring). ``observe`` is called once with each
    distinct state reached (engine.tools.deadcode uses it to find out why something is dead).
    """
    t0 = time.perf_counter()
    ex = Explorer(scenario, max(1, max_states), reduce, skips, observe)
    ex.run()
    an = Analysis(ex)
    report = VerifyReport(
        ok=False,
        complete=ex.complete,
        states=len(ex.parent),
        transitions=ex.transitions,
        seconds=0.0,
        max_states=max_states,
        reduced_states=ex.reduced_states,
        skips=skips,
    )
    _collect_findings(scenario, ex, an, report)
    if ex.complete:
        endings = set(e for e in ex.ending if e is not None)
        report.unreachable_endings = [e for e in scenario.endings if e not in endings]
        report.unreachable_tasks = [t for t in scenario.tasks if t not in ex.tasks_seen]
        report.unreachable_nodes = [
            key for key in scenario.nodes if key not in ex.nodes_seen and key[0] in ex.tasks_seen
        ]
        report.unreachable_traps = [t for t in scenario.traps if t not in ex.traps_seen]
        report.unreachable_choices = [
            (task, node, index)
            for (task, node), n in scenario.nodes.items()
            if (task, node) in ex.nodes_seen
            for index in range(len(n.choices))
            if (task, node, index) not in ex.choices_seen
        ]
        report.unreachable_events = [e for e in scenario.events if e not in ex.events_seen]
    report.ending_steps = an.ending_steps()
    report.role_wait = an.role_wait()
    report.ok = not report.deadlocks and not report.unwinnable
    report.seconds = time.perf_counter() - t0
    return report


def _collect_findings(scenario: Scenario, ex: Explorer, an: Analysis, report: VerifyReport) -> None:
    groups: dict[tuple[str, str], Finding] = {}
    for v in range(len(ex.parent)):  # BFS order: shortest traces first
        if not ex.expanded[v] or ex.status[v] == ENDED or ex.succ[v]:
            continue
        state = ex.kept[v]
        kind = kind_of_stuck(state)
        if kind == "no_ending":
            continue  # reported below as the end of an unwinnable branch
        report.deadlock_states += 1
        message = describe_stuck(scenario, state)
        found = groups.get((kind, message))
        if found is not None:
            found.states += 1
        elif len(groups) < MAX_FINDINGS:
            groups[(kind, message)] = Finding(
                kind, ex.trace(v), ("僵局：" if kind == "deadlock" else "卡住：") + message
            )
    report.deadlocks = list(groups.values())
    if not ex.complete:
        return
    lost: dict[tuple[int, str], Finding] = {}
    for v in range(len(ex.parent)):
        if an.can_win[v]:
            continue
        report.unwinnable_states += 1
        p = ex.parent[v]
        if p >= 0 and not an.can_win[p]:
            continue  # not the point of no return
        if not ex.succ[v] and kind_of_stuck(ex.kept[v]) != "no_ending":
            continue  # the dead-lock itself is the finding
        continuation, end_message = _way_on(scenario, ex, v)
        fatal = ex.via[v]
        found = lost.get((fatal, end_message))
        if found is not None:
            found.states += 1
        elif len(lost) < MAX_FINDINGS:
            lost[(fatal, end_message)] = Finding(
                "unwinnable", ex.trace(v), "从这里起已不可能到达任何结局：" + end_message, continuation
            )
    report.unwinnable = list(lost.values())


def _way_on(scenario: Scenario, ex: Explorer, start: int) -> tuple[list[Move], str]:
    """A shortest way from ``start`` to where the session ends (or loops), and how it ends."""
    prev: dict[int, tuple[int, int]] = {start: (-1, -1)}
    queue = deque([start])
    end = start
    while queue:
        v = queue.popleft()
        if not ex.succ[v]:
            end = v
            break
        for mid, t in ex.succ[v]:
            if t not in prev:
                prev[t] = (v, mid)
                queue.append(t)
    else:
        return [], "无论怎么选，都只会在几个局面之间循环，永远到不了结局"
    moves: list[Move] = []
    v = end
    while prev[v][0] >= 0:
        moves.append(ex.moves[prev[v][1]])
        v = prev[v][0]
    moves.reverse()
    state = ex.kept.get(end)
    if state is None:
        return moves, "会话无法结束"
    if kind_of_stuck(state) == "no_ending":
        return moves, "所有任务都完成了，但没有任何结局的条件成立"
    return moves, "最终陷入僵局（" + describe_stuck(scenario, state) + "）"
