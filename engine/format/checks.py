"""Semantic checks of a scenario that the schema alone cannot express.

Errors make a scenario unplayable or wrong (unknown ids, cycles, dead ends); warnings are
likely mistakes (an unused flag, a remedial task nothing opens). Every finding carries the
YAML position of the offending value. Whole-team reachability across all interleavings is the
verifier's job (``play.py verify``); these checks are local and fast.

Bounded on hostile input: each kind of problem (its code) is listed at most
:data:`SHOWN_PER_KIND` times, then one line says how many more there are; a "did you mean"
(which compares the name with every id) is only worked out for a problem that is shown.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel

from engine.format.conditions import iter_conditions
from engine.format.cycles import dependency_graph, describe, find_cycles
from engine.format.effects import ACTIVATED, Owner, effects_of, named
from engine.format.guess import NameIndex, suggest
from engine.format.model import (
    Condition,
    EventCondition,
    FlagCondition,
    FlagValue,
    TaskDoneCondition,
    TrapCondition,
)
from engine.format.problems import SHOWN_PER_KIND, Problem, Severity, more_line
from engine.format.quizcheck import check_quiz
from engine.format.scenario import Scenario
from engine.format.yamlnodes import Path, SourceMap

Guess = tuple[str, Iterable[str]]  # an unknown name and the ids it may have meant

# From the effect table, once: per owner, the effects that name flags or tasks (what
# check_effects looks up) and those that open remedial tasks; a trap's effect fields.
_OWNERS: tuple[Owner, ...] = ("choice", "trap", "event")
_NAMING = {o: tuple(e for e in effects_of(o) if e.field and e.refers in ("flag", "task")) for o in _OWNERS}
_OPENING = {o: tuple(e for e in effects_of(o) if e.writes_to(ACTIVATED)) for o in _OWNERS}
_TRAP_EFFECTS = tuple(e.field for e in effects_of("trap") if e.field)


class _Checker:
    def __init__(self, scenario: Scenario, smap: SourceMap) -> None:
        self.s = scenario
        self.data = scenario.data
        self.smap = smap
        self.problems: list[Problem] = []
        self.outcomes: dict[str, set[str]] = {
            t.id: {c.complete for n in t.nodes for c in n.choices if c.complete} for t in self.data.tasks
        }
        self.used_flags: set[str] = set()
        # id() of a big collection of ids -> (that collection, kept so its id is not reused; its index)
        self.indexes: dict[int, tuple[object, NameIndex]] = {}
        self.shown: dict[str, int] = {}  # code -> problems listed
        self.hidden: dict[str, tuple[Severity, Path, int]] = {}  # code -> (severity, first path, count)

    def add(
        self,
        severity: Severity,
        path: Path,
        code: str,
        message: str,
        guess: Guess | None = None,
        after: str = "",
    ) -> None:
        """A problem: ``message``, "did you mean" for ``guess`` (worked out only if shown), ``after``."""
        if self.shown.get(code, 0) >= SHOWN_PER_KIND:
            _, first, count = self.hidden.get(code, (severity, path, 0))
            self.hidden[code] = (severity, first, count + 1)
            return
        self.shown[code] = self.shown.get(code, 0) + 1
        line, column = self.smap.position(path)
        text = message + (self.suggest(*guess) if guess else "") + after
        self.problems.append(Problem(self.smap.file, line, column, severity, code, text))

    def suggest(self, name: str, options: Iterable[str]) -> str:
        if not isinstance(options, (dict, list)) or len(options) < NameIndex.BIG:
            return suggest(name, options)
        cached = self.indexes.get(id(options))
        if cached is None:
            cached = self.indexes[id(options)] = (options, NameIndex(options))
        return suggest(name, options, cached[1])

    def error(self, path: Path, code: str, message: str, guess: Guess | None = None, after: str = "") -> None:
        self.add("error", path, code, message, guess, after)

    def warn(self, path: Path, code: str, message: str) -> None:
        self.add("warning", path, code, message)

    def summarise_hidden(self) -> None:
        """One line per kind of problem beyond the cap, where the first one not listed is."""
        for code, (severity, path, count) in self.hidden.items():
            line, column = self.smap.position(path)
            first = Problem(self.smap.file, line, column, severity, code, "")
            self.problems.append(more_line(first, count))

    # --- ids -------------------------------------------------------------------------------

    def duplicates(self, items: Iterable[tuple[str, Path]], what: str) -> None:
        seen: dict[str, Path] = {}
        for item_id, path in items:
            if item_id in seen:
                line = self.smap.position(seen[item_id])[0]
                self.error(
                    (*path, "id"),
                    "duplicate-id",
                    f"重复的{what} id “{item_id}”（第 {line} 行已使用）；请改用不同的 id",
                )
            else:
                seen[item_id] = path

    def check_ids(self) -> None:
        d = self.data
        self.duplicates(((r.id, ("roles", i)) for i, r in enumerate(d.roles)), "角色")
        self.duplicates(((t.id, ("tasks", i)) for i, t in enumerate(d.tasks)), "任务")
        self.duplicates(((f.id, ("flags", i)) for i, f in enumerate(d.flags)), "标记")
        self.duplicates(((e.id, ("events", i)) for i, e in enumerate(d.events)), "团队事件")
        self.duplicates(((e.id, ("endings", i)) for i, e in enumerate(d.endings)), "结局")
        traps = [
            (c.trap.id, ("tasks", ti, "nodes", ni, "choices", ci, "trap"))
            for ti, t in enumerate(d.tasks)
            for ni, n in enumerate(t.nodes)
            for ci, c in enumerate(n.choices)
            if c.trap is not None
        ]
        self.duplicates(traps, "陷阱")
        for ti, task in enumerate(d.tasks):
            self.duplicates(((n.id, ("tasks", ti, "nodes", ni)) for ni, n in enumerate(task.nodes)), "节点")

    # --- references ----------------------------------------------------------------------

    def check_flag_value(self, flag: str, value: FlagValue, path: Path, op: str) -> None:
        self.used_flags.add(flag)
        if flag not in self.s.flag_types:
            self.error(
                path,
                "unknown-flag",
                f"未声明的标记 “{flag}”",
                (flag, self.s.flag_types),
                "（标记须先在 flags: 中声明）",
            )
            return
        kind = self.s.flag_types[flag]
        if op == "add" and kind != "int":
            self.error(path, "flag-type", f"标记 “{flag}” 是 bool 类型，不能用 add 累加；请改用 set")
        elif kind == "bool" and not isinstance(value, bool):
            self.error(path, "flag-type", f"标记 “{flag}” 是 bool 类型，值应为 true 或 false")
        elif kind == "int" and isinstance(value, bool):
            self.error(path, "flag-type", f"标记 “{flag}” 是整数类型，值应为整数")

    def check_effects(self, owner: Owner, obj: BaseModel, path: Path) -> None:
        """Every flag and task an effect of ``obj`` names (see the effect table)."""
        for effect in _NAMING[owner]:
            value = getattr(obj, effect.field or "")
            if not value:
                continue
            where: Path = (*path, effect.field or "")
            if effect.refers == "flag":
                for flag, v in value.items():
                    self.check_flag_value(flag, v, (*where, flag), "add" if effect.additive else "set")
            else:
                for i, task_id in enumerate(value):
                    if not self.check_task_ref(task_id, (*where, i)):
                        continue
                    if effect.writes_to(ACTIVATED) and not self.s.tasks[task_id].remedial:
                        self.warn(
                            (*where, i),
                            "open-not-remedial",
                            f"任务 “{task_id}” 不是补救任务（remedial: true），打开它不会改变什么；"
                            "请给该任务加上 remedial: true",
                        )

    def check_task_ref(self, task_id: str, path: Path) -> bool:
        if task_id not in self.s.tasks:
            self.error(path, "unknown-task", f"未知的任务 “{task_id}”", (task_id, self.s.tasks))
            return False
        return True

    def check_condition(self, cond: Condition, path: Path) -> None:
        for leaf, leaf_path in iter_conditions(cond, path):
            if isinstance(leaf, TaskDoneCondition):
                if self.check_task_ref(leaf.task_done, (*leaf_path, "task_done")) and leaf.outcome:
                    outcomes = self.outcomes[leaf.task_done]
                    if leaf.outcome not in outcomes | {"skipped"}:
                        self.error(
                            (*leaf_path, "outcome"),
                            "unknown-outcome",
                            f"任务 “{leaf.task_done}” 没有结果 “{leaf.outcome}”",
                            (leaf.outcome, sorted(outcomes)),
                        )
            elif isinstance(leaf, FlagCondition):
                self.used_flags.add(leaf.flag)
                if leaf.flag not in self.s.flag_types:
                    self.error(
                        (*leaf_path, "flag"),
                        "unknown-flag",
                        f"未声明的标记 “{leaf.flag}”",
                        (leaf.flag, self.s.flag_types),
                        "（标记须先在 flags: 中声明）",
                    )
                else:
                    for op in ("eq", "ne"):
                        value = getattr(leaf, op)
                        if value is not None:
                            self.check_flag_value(leaf.flag, value, (*leaf_path, op), "set")
                    numeric = [getattr(leaf, op) for op in ("gt", "gte", "lt", "lte")]
                    if any(v is not None for v in numeric) and self.s.flag_types[leaf.flag] != "int":
                        self.error(
                            (*leaf_path, "flag"),
                            "flag-type",
                            f"标记 “{leaf.flag}” 是 bool 类型，不能比较大小；请用 eq: true/false",
                        )
            elif isinstance(leaf, EventCondition):
                if leaf.event not in self.s.events:
                    self.error(
                        (*leaf_path, "event"),
                        "unknown-event",
                        f"未知的团队事件 “{leaf.event}”",
                        (leaf.event, self.s.events),
                    )
            elif isinstance(leaf, TrapCondition) and leaf.trap not in self.s.traps:
                self.error(
                    (*leaf_path, "trap"),
                    "unknown-trap",
                    f"未知的陷阱 “{leaf.trap}”",
                    (leaf.trap, self.s.traps),
                )

    def check_roles(self) -> None:
        for i, flag in enumerate(self.data.flags):
            if (flag.type == "bool") != isinstance(flag.initial, bool):
                self.error(
                    ("flags", i, "initial"),
                    "flag-type",
                    f"标记 “{flag.id}” 的初始值与类型 {flag.type} 不符",
                )
            if flag.limit is not None and flag.type != "int":
                self.error(
                    ("flags", i, "limit"),
                    "flag-limit",
                    f"标记 “{flag.id}” 是 bool 类型，不能有 limit；limit 只用于整数标记（如危险程度）",
                )
            elif flag.limit is not None and isinstance(flag.initial, int) and flag.initial >= flag.limit:
                self.error(
                    ("flags", i, "limit"),
                    "flag-limit",
                    f"标记 “{flag.id}” 的 limit（{flag.limit}）应大于初始值 {flag.initial}",
                )
        roles_with_tasks = {t.role for t in self.data.tasks}
        for i, role in enumerate(self.data.roles):
            if role.id not in roles_with_tasks:
                self.error(
                    ("roles", i, "id"),
                    "role-without-tasks",
                    f"角色 “{role.name}” 没有任何任务；请为它添加任务",
                )

    def check_tasks(self) -> None:
        for ti, task in enumerate(self.data.tasks):
            tpath: Path = ("tasks", ti)
            if task.role not in self.s.roles:
                self.error(
                    (*tpath, "role"),
                    "unknown-role",
                    f"未知的角色 “{task.role}”",
                    (task.role, self.s.roles),
                )
            if task.requires is not None:
                self.check_condition(task.requires, (*tpath, "requires"))
            node_ids = [n.id for n in task.nodes]  # in order, for suggestions
            known = set(node_ids)  # for membership: a task may have thousands of nodes
            if task.start and task.start not in known:
                self.error(
                    (*tpath, "start"),
                    "unknown-node",
                    f"任务 “{task.id}” 中没有节点 “{task.start}”",
                    (task.start, node_ids),
                )
            for ni, node in enumerate(task.nodes):
                for ci, choice in enumerate(node.choices):
                    cpath: Path = (*tpath, "nodes", ni, "choices", ci)
                    self.check_choice(task.id, node_ids, known, choice, cpath)
            self.check_task_graph(task.id, ti)

    def check_choice(self, task_id: str, node_ids: list[str], known: set[str], choice, cpath: Path) -> None:  # type: ignore[no-untyped-def]
        if choice.goto and choice.goto not in known:
            self.error(
                (*cpath, "goto"),
                "unknown-node",
                f"任务 “{task_id}” 中没有节点 “{choice.goto}”",
                (choice.goto, node_ids),
                "（goto 只能跳到同一任务内的节点）",
            )
        if choice.goto and choice.complete:
            self.error(
                (*cpath, "complete"),
                "goto-and-complete",
                "一个选项不能同时有 goto 和 complete；请只保留一个",
            )
        if not choice.goto and not choice.complete and choice.trap is None:
            self.error(
                (*cpath, "text"),
                "choice-goes-nowhere",
                "选项没有去处：请加上 goto: 节点id 或 complete: 结果id",
            )
        if choice.when is not None:
            self.check_condition(choice.when, (*cpath, "when"))
        self.check_effects("choice", choice, cpath)
        trap = choice.trap
        if trap is None:
            return
        tpath: Path = (*cpath, "trap")
        if not trap.explanation.strip():
            self.error(
                (*tpath, "id"),
                "trap-without-explanation",
                f"陷阱 “{trap.id}” 缺少 explanation：每个陷阱都要用两三句话讲清真实的历史",
            )
        if not trap.source:
            self.warn((*tpath, "id"), "trap-without-source", f"陷阱 “{trap.id}” 没有注明 source（史料出处）")
        if trap.step_back and trap.step_back not in known:
            self.error(
                (*tpath, "step_back"),
                "unknown-node",
                f"任务 “{task_id}” 中没有节点 “{trap.step_back}”",
                (trap.step_back, node_ids),
            )
        if not any(getattr(trap, field) for field in _TRAP_EFFECTS):
            self.warn((*tpath, "id"), "trap-without-effect", f"陷阱 “{trap.id}” 没有任何后果（penalty 等）")
        self.check_effects("trap", trap, tpath)

    def check_task_graph(self, task_id: str, ti: int) -> None:
        """Every node reachable from the start, and every node able to reach a completion."""
        task = self.s.tasks.get(task_id)
        if task is None or self.data.tasks[ti] is not task:
            return  # a duplicate id; already reported
        ids = {n.id for n in task.nodes}
        edges: dict[str, set[str]] = {n.id: set() for n in task.nodes}
        completes: set[str] = set()
        for node in task.nodes:
            for choice in node.choices:
                if choice.goto in ids:
                    edges[node.id].add(choice.goto)  # type: ignore[arg-type]
                if choice.trap and choice.trap.step_back in ids:
                    edges[node.id].add(choice.trap.step_back)  # type: ignore[arg-type]
                broken = (choice.goto is not None and choice.goto not in ids) or (
                    not choice.goto and not choice.complete and choice.trap is None
                )
                if choice.complete or broken:
                    # a broken choice is reported on its own; assume the fix leads on
                    completes.add(node.id)
        start = task.start if task.start in ids else task.nodes[0].id
        seen = {start}
        stack = [start]
        while stack:
            for nxt in edges[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        # backwards from the completing nodes: linear (a fixpoint over all edges was quadratic)
        into: dict[str, list[str]] = {node_id: [] for node_id in edges}
        for node_id, targets in edges.items():
            for target in targets:
                into[target].append(node_id)
        can_finish = set(completes)
        stack = list(completes)
        while stack:
            for prev in into[stack.pop()]:
                if prev not in can_finish:
                    can_finish.add(prev)
                    stack.append(prev)
        for ni, node in enumerate(task.nodes):
            if node.id not in seen:
                self.error(
                    ("tasks", ti, "nodes", ni, "id"),
                    "unreachable-node",
                    f"节点 “{node.id}” 无法到达：没有任何选项 goto 到它；请添加 goto 或删除该节点",
                )
            elif node.id not in can_finish:
                self.error(
                    ("tasks", ti, "nodes", ni, "id"),
                    "no-way-out",
                    f"从节点 “{node.id}” 出发无法完成任务 “{task.id}”：请至少有一条路通向 complete",
                )
            elif all(c.when is not None for c in node.choices):
                self.warn(
                    ("tasks", ti, "nodes", ni, "id"),
                    "all-choices-conditional",
                    f"节点 “{node.id}” 的每个选项都有 when 条件，可能出现无选项可选的情况",
                )

    def check_dependency_cycles(self) -> None:
        """Tasks and team events that wait for each other for ever (see :mod:`engine.format.cycles`)."""
        order: dict[tuple[str, str], tuple[int, int]] = {}  # first of duplicate ids; tasks first
        for ti, task in enumerate(self.data.tasks):
            order.setdefault(("task", task.id), (0, ti))
        for ei, event in enumerate(self.data.events):
            order.setdefault(("event", event.id), (1, ei))
        graph = dependency_graph(self.s)
        for cycle in find_cycles(graph):
            # named from the member written first: that is where it is reported
            at = min(range(len(cycle)), key=lambda i: order[cycle[i]])
            cycle = cycle[at:] + cycle[:at]
            kind, index = order[cycle[0]]
            where: Path = ("tasks", index, "requires") if kind == 0 else ("events", index, "when")
            self.error(
                where,
                "dependency-cycle",
                f"任务依赖成环：{describe(cycle, graph)}（互相等待，谁也无法开始）；请去掉其中一个 requires",
            )

    def check_events_and_endings(self) -> None:
        for i, event in enumerate(self.data.events):
            path: Path = ("events", i)
            self.check_condition(event.when, (*path, "when"))
            self.check_effects("event", event, path)
        owners: list[tuple[Owner, BaseModel]] = [("event", e) for e in self.data.events]
        owners += [("trap", site.trap) for site in self.s.traps.values()]
        opened = {task_id for owner, obj in owners for e in _OPENING[owner] for task_id in named(e, obj)}
        for i, ending in enumerate(self.data.endings):
            self.check_condition(ending.when, ("endings", i, "when"))
        for ti, task in enumerate(self.data.tasks):
            if task.remedial and task.id not in opened:
                self.warn(
                    ("tasks", ti, "remedial"),
                    "remedial-never-opened",
                    f"补救任务 “{task.id}” 没有被任何陷阱或事件的 open_tasks 打开，永远不会出现",
                )
        for i, flag in enumerate(self.data.flags):
            if flag.id not in self.used_flags:
                self.warn(("flags", i, "id"), "unused-flag", f"标记 “{flag.id}” 声明了但从未使用")


def check_scenario(scenario: Scenario, smap: SourceMap) -> list[Problem]:
    checker = _Checker(scenario, smap)
    checker.check_ids()
    checker.check_roles()
    checker.check_tasks()
    checker.check_dependency_cycles()
    checker.check_events_and_endings()
    check_quiz(scenario, checker)
    checker.summarise_hidden()
    return checker.problems
