"""A validated scenario with lookup tables the rules, views and tools share.

Building the tables once keeps the rules O(1) per lookup; nothing here changes after load.
The source text and its hash travel with the scenario so sessions can store exactly what was
played.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from engine.format.conditions import (
    Facts,
    Input,
    Predicate,
    Unmet,
    compile_condition,
    compile_unmet,
    holds,
    inputs,
    iter_conditions,
)
from engine.format.model import (
    Choice,
    Condition,
    Ending,
    FlagValue,
    Node,
    QuizItem,
    Role,
    ScenarioFile,
    Task,
    TeamEvent,
    Trap,
)
from engine.format.problems import Problem


@dataclass(frozen=True)
class TrapSite:
    """Where a trap lives: the task, node and choice index whose choice springs it."""

    trap: Trap
    task: str
    node: str
    choice: int


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Scenario:
    """A checked scenario file plus indexes; see :mod:`engine.format.model` for the fields."""

    def __init__(self, data: ScenarioFile, text: str, file: str) -> None:
        self.data = data
        self.text = text
        self.file = file
        self.hash = content_hash(text)
        self.warnings: list[Problem] = []
        self.roles: dict[str, Role] = {}
        for role in data.roles:
            self.roles.setdefault(role.id, role)
        self.tasks: dict[str, Task] = {}
        for task in data.tasks:
            self.tasks.setdefault(task.id, task)
        self.role_tasks: dict[str, list[str]] = {role_id: [] for role_id in self.roles}
        for task in self.tasks.values():
            self.role_tasks.setdefault(task.role, []).append(task.id)
        self.nodes: dict[tuple[str, str], Node] = {}
        for task in self.tasks.values():
            for node in task.nodes:
                self.nodes.setdefault((task.id, node.id), node)
        self.traps: dict[str, TrapSite] = {}
        for task in self.tasks.values():
            for node in task.nodes:
                for index, choice in enumerate(node.choices):
                    if choice.trap is not None:
                        self.traps.setdefault(choice.trap.id, TrapSite(choice.trap, task.id, node.id, index))
        self.flag_initial: dict[str, FlagValue] = {f.id: f.initial for f in data.flags}
        self.flag_types: dict[str, str] = {f.id: f.type for f in data.flags}
        self.events: dict[str, TeamEvent] = {}
        for event in data.events:
            self.events.setdefault(event.id, event)
        self.endings: dict[str, Ending] = {}
        for ending in data.endings:
            self.endings.setdefault(ending.id, ending)
        self.quiz: dict[str, QuizItem] = {}  # the knowledge check, in file order
        for item in data.quiz:
            self.quiz.setdefault(item.id, item)
        # Every condition of the file compiled once; keyed by identity because the scenario owns
        # these objects for its whole life.
        owned: list[Condition] = [t.requires for t in data.tasks if t.requires is not None]
        owned += [c.when for t in data.tasks for n in t.nodes for c in n.choices if c.when is not None]
        owned += [e.when for e in data.events] + [e.when for e in data.endings]
        self._predicates: dict[int, Predicate] = {
            id(sub): compile_condition(sub) for c in owned for sub, _ in iter_conditions(c, ())
        }
        # Per node, per choice: (compiled `when` or None, trap id or None): whether it is offered.
        self.choice_gates: dict[tuple[str, str], tuple[tuple[Predicate | None, str | None], ...]] = {
            key: tuple(
                (
                    None if c.when is None else self._predicates[id(c.when)],
                    None if c.trap is None else c.trap.id,
                )
                for c in node.choices
            )
            for key, node in self.nodes.items()
        }
        # What the rules check after every action, with the compiled closures at hand: per role,
        # in order, (task, remedial, start node, missing tasks or None, ready predicate or None).
        compiled = self._predicates.__getitem__

        def plan(t: str) -> tuple[str, bool, str, Unmet | None, Predicate | None]:
            req = self.tasks[t].requires
            if req is None:
                return t, self.tasks[t].remedial, self.start_node(t), None, None
            unmet = compile_unmet(req, lambda c: compiled(id(c)))
            return t, self.tasks[t].remedial, self.start_node(t), unmet, compiled(id(req))

        self.role_plan: dict[str, list[tuple[str, bool, str, Unmet | None, Predicate | None]]] = {
            role_id: [plan(t) for t in task_ids] for role_id, task_ids in self.role_tasks.items()
        }
        self.task_role: dict[str, str] = {t.id: t.role for t in self.tasks.values()}
        self.event_checks = [(e.id, e, self._predicates[id(e.when)]) for e in data.events]
        self.ending_checks = [(e, self._predicates[id(e.when)]) for e in data.endings]
        # Which checks can change when an input changes (see conditions.inputs): after an action
        # the rules re-test only those, and the roles whose tasks' requirements read a changed input.
        self.event_watch = _watch([e.when for e in data.events])
        self.ending_watch = _watch([e.when for e in data.endings])
        self.role_inputs: dict[str, frozenset[Input]] = {
            role_id: frozenset().union(
                *(inputs(r) for t in task_ids if (r := self.tasks[t].requires) is not None)
            )
            for role_id, task_ids in self.role_tasks.items()
        }

    @property
    def id(self) -> str:
        return self.data.scenario.id

    @property
    def title(self) -> str:
        return self.data.scenario.title

    def holds(self, cond: Condition, state: Facts) -> bool:
        """``conditions.holds`` via the compiled closure when ``cond`` belongs to this scenario."""
        fn = self._predicates.get(id(cond))
        return fn(state) if fn is not None else holds(cond, state)

    def start_node(self, task_id: str) -> str:
        task = self.tasks[task_id]
        return task.start or task.nodes[0].id

    def node(self, task_id: str, node_id: str) -> Node:
        return self.nodes[(task_id, node_id)]

    def choice(self, task_id: str, node_id: str, index: int) -> Choice:
        return self.nodes[(task_id, node_id)].choices[index]

    def task_points(self, task_id: str) -> int:
        task = self.tasks[task_id]
        return self.data.scoring.task_points if task.points is None else task.points

    def role_name(self, role_id: str) -> str:
        role = self.roles.get(role_id)
        return role.name if role else role_id


def _watch(conditions: list[Condition]) -> dict[Input, tuple[int, ...]]:
    """Input -> indices (in file order) of the conditions that read it."""
    watch: dict[Input, list[int]] = {}
    for index, cond in enumerate(conditions):
        for key in inputs(cond):
            watch.setdefault(key, []).append(index)
    return {key: tuple(indices) for key, indices in watch.items()}
