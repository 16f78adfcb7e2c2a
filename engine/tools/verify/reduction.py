"""Static read/write analysis for the partial-order reduction (``verify(..., reduce=True)``).

A *private* move -- a choice that only moves its role to another node of the same task, writes
nothing any other role, team event or ending reads, and whose offer nobody else can change --
commutes with every other role's moves. When a role stands at such a node only that role's moves
are explored there (an "ample set"); a state whose reduced successors were all seen before is
expanded fully, so no cycle is cut short. Dead-locks, reachable endings, nodes, tasks and traps
are preserved; step counts are those of the reduced graph (``VerifyReport.reduced_states`` says
how often the reduction applied; 0 means exact).

What a choice, trap or team event writes comes from the effect table
(:mod:`engine.format.effects`), the same declaration the rules' change tracking is compiled from:
an effect the table did not know would make the reduction unsound, and tests/test_effects.py
fails on one. What a condition reads is :func:`engine.format.conditions.inputs`.

Facilitator skips switch the reduction off: a skip completes a task and opens the role's next
one, so it is never a private move, and it is enabled wherever its role holds a task: no ample set
of private moves can leave it out.
"""

from __future__ import annotations

from pydantic import BaseModel

from engine.format.conditions import Input, inputs
from engine.format.effects import SCORE, Owner, effects_of, static_writes
from engine.format.model import Condition
from engine.format.scenario import Scenario

# A part of the state written, and whether by an addition (which commutes with other additions
# to the same part but not with setting or reading it).
Written = tuple[Input, bool]


def _reads(cond: Condition | None) -> frozenset[Input]:
    return frozenset() if cond is None else inputs(cond)


def uses_score(scenario: Scenario) -> bool:
    conds: list[Condition | None] = [t.requires for t in scenario.tasks.values()]
    conds += [e.when for e in scenario.data.events] + [e.when for e in scenario.data.endings]
    conds += [c.when for n in scenario.nodes.values() for c in n.choices]
    return any((SCORE,) in _reads(c) for c in conds)


def _writes(owner: Owner, obj: BaseModel, task: str, track_score: bool) -> set[Written]:
    return {
        (key, additive)
        for effect in effects_of(owner)
        for key, additive in static_writes(effect, obj, task)
        if track_score or key != (SCORE,)
    }


def private_nodes(scenario: Scenario, track_score: bool) -> set[tuple[str, str]]:
    """Nodes all of whose choices are private moves (see the module docstring)."""
    global_reads: set[Input] = set()
    event_writes: set[Written] = set()
    for event in scenario.data.events:
        global_reads |= _reads(event.when)
        event_writes |= _writes("event", event, "", track_score)
    for ending in scenario.data.endings:
        global_reads |= _reads(ending.when)
    reads: dict[str, set[Input]] = {r: set() for r in scenario.roles}
    writes: dict[str, set[Written]] = {r: set() for r in scenario.roles}
    choice_writes: dict[tuple[str, str, int], set[Written]] = {}
    for task in scenario.tasks.values():
        reads[task.role] |= _reads(task.requires)
        for node in task.nodes:
            for index, choice in enumerate(node.choices):
                w = _writes("choice", choice, task.id, track_score)
                if choice.trap is not None:
                    w |= _writes("trap", choice.trap, task.id, track_score)
                choice_writes[(task.id, node.id, index)] = w
                writes[task.role] |= w
                reads[task.role] |= _reads(choice.when)
    cancellable = {t for e in scenario.data.events for t in e.cancel_tasks}
    private: set[tuple[str, str]] = set()
    for task in scenario.tasks.values():
        if task.id in cancellable:
            continue
        others_read = set(global_reads)
        others_write = set(event_writes)
        for role in scenario.roles:
            if role != task.role:
                others_read |= reads[role]
                others_write |= writes[role]
        others_set = {key for key, additive in others_write if not additive}
        others_any = others_set | {key for key, additive in others_write if additive}
        for node in task.nodes:
            ok = True
            for index, choice in enumerate(node.choices):
                w = choice_writes[(task.id, node.id, index)]
                sets = {key for key, additive in w if not additive}
                adds = {key for key, additive in w if additive}
                if choice.complete and not (choice.trap and choice.trap.step_back):
                    ok = False  # completing opens the role's next task: never private
                elif (
                    (sets | adds) & others_read
                    or sets & others_any
                    or adds & others_set
                    or _reads(choice.when) & others_any
                ):
                    ok = False
                if not ok:
                    break
            if ok:
                private.add((task.id, node.id))
    return private
