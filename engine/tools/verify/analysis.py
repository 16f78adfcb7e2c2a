"""Graph analysis of the explored states: strongly connected components, which states can still
reach an ending, the shortest and longest ways to each ending, and the longest waits."""

from __future__ import annotations

from engine.tools.verify.exploration import ENDED, Explorer


def _sccs(succ: list[list[tuple[int, int]]]) -> list[list[int]]:
    """Tarjan's strongly connected components, iteratively; emitted successors-first."""
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    for root in range(n):
        if index[root] >= 0:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, i = work[-1]
            edges = succ[v]
            if i < len(edges):
                work[-1] = (v, i + 1)
                w = edges[i][1]
                if index[w] < 0:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp.append(w)
                    if w == v:
                        break
                out.append(comp)
    return out


class Analysis:
    def __init__(self, ex: Explorer) -> None:
        self.ex = ex
        self.comps = _sccs(ex.succ)
        n = len(ex.succ)
        self.comp_of = [0] * n
        self.cyclic: list[bool] = []
        for ci, comp in enumerate(self.comps):
            for v in comp:
                self.comp_of[v] = ci
            self.cyclic.append(len(comp) > 1 or any(t == comp[0] for _, t in ex.succ[comp[0]]))
        self.can_win = self._can_win()

    def _can_win(self) -> list[bool]:
        ex = self.ex
        can = [False] * len(ex.succ)
        for comp in self.comps:  # successors first
            ok = any(
                ex.status[v] == ENDED or not ex.expanded[v] or any(can[t] for _, t in ex.succ[v])
                for v in comp
            )
            if ok:
                for v in comp:
                    can[v] = True
        return can

    def ending_steps(self) -> dict[str, tuple[int, int | None]]:
        ex = self.ex
        shortest: dict[str, int] = {}
        for v, ending in enumerate(ex.ending):
            if ending is not None and (ending not in shortest or ex.depth[v] < shortest[ending]):
                shortest[ending] = ex.depth[v]
        result: dict[str, tuple[int, int | None]] = {}
        for ending, low in shortest.items():
            result[ending] = (low, self._longest_to(lambda v, e=ending: ex.ending[v] == e))
        return result

    def _longest_to(self, goal: object) -> int | None:
        """Longest path from the start to a goal state; None if a loop lies on some such path."""
        ex = self.ex
        is_goal = goal  # callable
        best: list[int | None] = [None] * len(self.comps)  # longest from comp to a goal; None = none
        unbounded = [False] * len(self.comps)
        for ci, comp in enumerate(self.comps):
            value: int | None = 0 if any(is_goal(v) for v in comp) else None  # type: ignore[operator]
            inf = False
            for v in comp:
                for _, t in ex.succ[v]:
                    tc = self.comp_of[t]
                    if tc == ci:
                        continue
                    if unbounded[tc]:
                        inf = True
                    elif best[tc] is not None:
                        value = max(value or 0, best[tc] + 1)  # type: ignore[operator]
            if (value is not None or inf) and self.cyclic[ci]:
                inf = True
            best[ci] = value
            unbounded[ci] = inf
        root = self.comp_of[0]
        return None if unbounded[root] else best[root]

    def role_wait(self) -> dict[str, int | None]:
        """Per role: the longest run of consecutive moves during which it waits."""
        ex = self.ex
        out: dict[str, int | None] = {}
        for bit, role in enumerate(ex.roles):
            values = _longest_runs(ex.succ, [bool(w & (1 << bit)) for w in ex.waiting])
            out[role] = None if None in values else max([0, *[v for v in values if v is not None]])
        return out


def _longest_runs(succ: list[list[tuple[int, int]]], member: list[bool]) -> list[int | None]:
    """For every member state, the most moves that can be made in a row while staying a member
    (the move leaving counts too); None when members can loop among themselves."""
    n = len(succ)
    run: list[int | None] = [0] * n
    color = [0] * n  # 0 new, 1 on the stack, 2 done
    for root in range(n):
        if not member[root] or color[root]:
            continue
        work = [(root, 0)]
        color[root] = 1
        while work:
            v, i = work[-1]
            edges = succ[v]
            if i < len(edges):
                work[-1] = (v, i + 1)
                t = edges[i][1]
                if member[t] and color[t] == 0:
                    color[t] = 1
                    work.append((t, 0))
                elif member[t] and color[t] == 1:
                    run[v] = None  # a loop of waiting
                continue
            work.pop()
            color[v] = 2
            value = run[v]
            if value is not None:
                for _, t in edges:
                    if not member[t]:
                        value = max(value, 1)
                    else:
                        sub = run[t]
                        if sub is None:
                            value = None
                            break
                        value = max(value, sub + 1)
            run[v] = value
    return [run[v] if member[v] else 0 for v in range(n) if member[v]]
