"""Dead content: endings, tasks, traps, choices and team events that no play can reach, and why.

    find_dead(scenario, report, skips=False) -> list[Dead]

``report`` is a complete :class:`engine.tools.verify.VerifyReport`; it says *what* was never
reached. To say *why*, the exploration runs once more with an observer that watches only the
conditions of the dead items (so a scenario without dead content costs nothing extra):

- an ending whose condition holds only where an earlier ending already holds: "它前面的结局
  「Y」条件相同或更宽，总是先成立";
- a condition (of an ending, team event, task or choice) that never holds: which of its parts
  never holds, or that its parts never hold together;
- a remedial task nothing opens, or whose openers never happen; a trap or choice whose step is
  never reached; something whose condition holds only after the session has already ended.

The reasons are in Chinese, with titles (engine.tools.wording), and each item carries its YAML
position so tools can point at the line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from engine.format.conditions import holds, iter_conditions
from engine.format.model import AllCondition, AnyCondition, Condition
from engine.format.problems import ScenarioInvalid
from engine.format.scenario import Scenario
from engine.format.yamlsource import load_yaml
from engine.rules.state import State
from engine.tools.verify import VerifyReport, verify
from engine.tools.wording import holding_text, item_name, snippet

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Dead:
    """One thing no play can reach.

    Attributes:
        kind: ``ending``, ``task``, ``event``, ``trap`` or ``choice``.
        item: its id (a choice: ``task/node/number``, 1-based as players see it).
        name: what people call it, e.g. 结局「红船启航」.
        reason: why it cannot be reached, in Chinese.
        line / column: where it is written in the scenario file (1-based).
    """

    kind: str
    item: str
    name: str
    reason: str
    line: int = 1
    column: int = 1

    def sentence(self) -> str:
        return f"{self.name}到不了：{self.reason}"


@dataclass
class _Watch:
    """What the observer learns about one condition over every reachable state."""

    cond: Condition
    held: bool = False
    held_active: bool = False
    leaves: dict[int, bool] = field(default_factory=dict)  # id(leaf) -> ever true
    winners: Counter[str] = field(default_factory=Counter)  # endings that won where it held
    earlier: list[tuple[str, Condition]] = field(default_factory=list)  # endings listed before it
    uncovered: set[str] = field(default_factory=set)  # earlier endings false somewhere it held


def _leaves(cond: Condition) -> Iterator[Condition]:
    for leaf, _ in iter_conditions(cond, ()):
        if not isinstance(leaf, (AllCondition, AnyCondition)):
            yield leaf


class _Observer:
    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.watches: dict[str, _Watch] = {}  # key -> watch
        self.at_node: dict[str, tuple[str, str]] = {}  # key -> the node where it is evaluated

    def watch(
        self,
        key: str,
        cond: Condition,
        node: tuple[str, str] | None = None,
        earlier: list[tuple[str, Condition]] | None = None,
    ) -> None:
        leaves = {id(leaf): False for leaf in _leaves(cond)}
        self.watches[key] = _Watch(cond, leaves=leaves, earlier=earlier or [])
        if node is not None:
            self.at_node[key] = node

    def __call__(self, st: State) -> None:
        nodes = {(rs.task, rs.node) for rs in st.roles.values() if rs.task is not None}
        for key, w in self.watches.items():
            node = self.at_node.get(key)
            if node is not None and node not in nodes:
                continue  # a choice's gate only matters while someone stands at its node
            for leaf in _leaves(w.cond):
                if not w.leaves[id(leaf)] and holds(leaf, st):
                    w.leaves[id(leaf)] = True
            if holds(w.cond, st):
                w.held = True
                w.uncovered.update(e for e, cond in w.earlier if not holds(cond, st))
                if st.status == "ended" and st.ending is not None:
                    w.winners[st.ending] += 1
                else:
                    w.held_active = True


def _never(scenario: Scenario, w: _Watch, what: str, when: str = "在任何玩法下") -> str:
    """Why a condition never holds: the parts that never do, or that they never meet."""
    never = [leaf for leaf in _leaves(w.cond) if not w.leaves[id(leaf)]]
    if never:
        parts = "、".join(f"“{holding_text(scenario, leaf)}”" for leaf in never)
        return f"{what}中的{parts}{when}都不成立"
    return f"{what}的各部分分别都能成立，但{when}都不会同时成立：{holding_text(scenario, w.cond)}"


def _positions(scenario: Scenario) -> dict[Path, tuple[int, int]]:
    try:
        smap = load_yaml(scenario.text, scenario.file)[1]
    except ScenarioInvalid:
        return {}
    return {**smap.values, **smap.keys}


def find_dead(scenario: Scenario, report: VerifyReport, skips: bool = False) -> list[Dead]:
    """Everything no play reaches, each with its reason (empty when exploration was cut short)."""
    if not report.complete:
        return []
    s = scenario
    dead_tasks = set(report.unreachable_tasks)
    items: list[tuple[str, str, Path]] = []  # (kind, key, yaml path)
    task_index = {t.id: i for i, t in enumerate(s.data.tasks)}
    for i, ending in enumerate(s.data.endings):
        if ending.id in report.unreachable_endings:
            items.append(("ending", ending.id, ("endings", i)))
    for i, event in enumerate(s.data.events):
        if event.id in report.unreachable_events:
            items.append(("event", event.id, ("events", i)))
    for task in s.data.tasks:
        if task.id in dead_tasks:
            items.append(("task", task.id, ("tasks", task_index[task.id])))
    for trap in report.unreachable_traps:
        site = s.traps[trap]
        if site.task not in dead_tasks:
            node_index = next(i for i, n in enumerate(s.tasks[site.task].nodes) if n.id == site.node)
            trap_path: Path = (
                "tasks",
                task_index[site.task],
                "nodes",
                node_index,
                "choices",
                site.choice,
                "trap",
            )
            items.append(("trap", trap, trap_path))
    seen_nodes = {key for key in s.nodes if key not in report.unreachable_nodes}
    for task_id, node_id, index in report.unreachable_choices:
        choice = s.choice(task_id, node_id, index)
        if choice.trap is None and task_id not in dead_tasks:
            node_index = next(i for i, n in enumerate(s.tasks[task_id].nodes) if n.id == node_id)
            choice_path: Path = ("tasks", task_index[task_id], "nodes", node_index, "choices", index)
            items.append(("choice", f"{task_id}/{node_id}/{index}", choice_path))
    if not items:
        return []
    observer = _Observer(s)
    for kind, key, _ in items:
        if kind == "ending":
            order = list(s.endings)
            earlier = [(e, s.endings[e].when) for e in order[: order.index(key)]]
            observer.watch(key, s.endings[key].when, earlier=earlier)
        elif kind == "event":
            observer.watch(key, s.events[key].when)
        elif kind == "task" and (req := s.tasks[key].requires) is not None:
            observer.watch(key, req)
        elif kind == "choice":
            c_task, c_node, c_index = key.split("/")
            when = s.choice(c_task, c_node, int(c_index)).when
            if when is not None:
                observer.watch(key, when, (c_task, c_node))
    for trap_id in report.unreachable_traps:
        site = s.traps[trap_id]
        when = s.choice(site.task, site.node, site.choice).when
        if when is not None and site.task not in dead_tasks:
            observer.watch(trap_id, when, (site.task, site.node))
    verify(s, max_states=max(report.states * 2, 1000), reduce=not skips, skips=skips, observe=observer)
    positions = _positions(s)
    out = []
    for kind, key, path in items:
        reason = _reason(s, report, observer, kind, key, seen_nodes)
        line, column = positions.get(path, (1, 1))
        if kind == "choice":
            c_task, c_node, c_index = key.split("/")
            choice = s.choice(c_task, c_node, int(c_index))
            name = f"《{s.tasks[c_task].title}》的选项「{snippet(choice.text)}」"
            out.append(Dead(kind, f"{c_task}/{c_node}/{int(c_index) + 1}", name, reason, line, column))
        else:
            out.append(Dead(kind, key, item_name(s, kind, key), reason, line, column))
    return out


def _reason(
    s: Scenario, report: VerifyReport, ob: _Observer, kind: str, key: str, seen_nodes: set[tuple[str, str]]
) -> str:
    w = ob.watches.get(key)
    if kind == "ending":
        assert w is not None
        if w.held:
            covering = [e for e, _ in w.earlier if e not in w.uncovered]
            if covering:  # the nearest earlier ending that holds wherever this one does
                return f"它前面的{item_name(s, 'ending', covering[-1])}条件相同或更宽，总是先成立"
            earlier = "、".join(item_name(s, "ending", e) for e, _ in w.winners.most_common())
            return f"它的条件成立时，前面的{earlier}总是先成立"
        return _never(s, w, "它的条件")
    if kind == "event":
        assert w is not None
        if w.held:
            return "它的条件只在游戏已经结束时才成立（总有结局先成立）"
        return _never(s, w, "它的条件")
    if kind == "task":
        task = s.tasks[key]
        if task.remedial:
            openers = [("trap", t) for t, site in s.traps.items() if key in site.trap.open_tasks]
            openers += [("event", e.id) for e in s.data.events if key in e.open_tasks]
            if not openers:
                return "它是补救任务（remedial），但没有任何陷阱或团队事件打开它"
            dead = set(report.unreachable_traps) | set(report.unreachable_events)
            if all(o[1] in dead for o in openers):
                names = "、".join(item_name(s, k, o) for k, o in openers)
                return f"它是补救任务，打开它的{names}从来不会发生"
        if w is not None and not w.held:
            return _never(s, w, "它的开始条件（requires）")
        who = s.role_name(task.role)
        return f"它的开始条件成立时，游戏总是已经结束，或 {who} 一直在做别的任务"
    if kind in ("trap", "choice"):
        if kind == "trap":
            site = s.traps[key]
            task_id, node_id = site.task, site.node
        else:
            task_id, node_id, _ = key.split("/")
        if (task_id, node_id) not in seen_nodes:
            node = s.node(task_id, node_id)
            return f"它所在的那一步「{snippet(node.text)}」从来走不到"
        if w is not None and not w.held:
            return _never(s, w, "它的出现条件（when）", "每次走到这一步时")
        return "走到这一步时它从来不会出现"
    return "任何玩法都到不了"
