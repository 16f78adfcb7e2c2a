"""Balance lint: warnings about how a scenario plays for each role (``validate`` and ``verify``).

    balance_problems(scenario, smap=None, waits=None) -> list[Problem]   (warnings only)

- ``few-decisions``: a role has fewer than ``REAL_DECISIONS_MIN`` real decisions in a full-length
  scenario (``expected_minutes`` of ``FULL_SESSION_MINUTES`` or more, or any role with that many),
  or far fewer than the busiest role -- that player will sit and watch.
- ``no-real-choice``: a role has no real decision at all.

A *real decision* is a node of a task that always exists (not remedial) where two choices that
can be offered together lead to different consequences. A choice's consequence is where the
role goes next (``goto`` node or ``complete`` outcome), the team flags it sets or adds to, and
the trap it springs (by id); points and feedback alone do not make a decision. Two choices that
both carry a ``when`` may never be offered together, so such a pair does not count (the lint
cannot prove the conditions overlap); a pair with at least one unconditional choice does.
- ``long-wait``: (with ``waits`` from the verifier) a role's longest wait is far longer than the
  other roles' typical longest wait.
- ``trap-knowledge``: the trap's node has no hint, and nothing a team can read (briefs, summary,
  node texts, hints, event texts, other traps' explanations) mentions what tells the right
  choice from the trap, so the trap tests luck rather than learning. A heuristic over Chinese
  character pairs: words of the right choice that are neither in the trap choice nor in the
  question itself must appear somewhere.

- ``pinned-answer-position``: nodes that pin their order (``shuffle: false``) put the right
  answer in the same place (at least two such nodes, three in four of them in one place), so
  players learn the position instead of the history. The *right answer* of a node is its one
  choice that is not a trap and gives the most points, in a node that asks something (it has
  a trap, or its choices are worth different points); its place is its position as written.

Thresholds are conservative: a warning means a real imbalance a playtest would also show.
"""

from __future__ import annotations

import re
from statistics import median

from engine.format.model import Choice, FlagValue, Node
from engine.format.problems import Problem
from engine.format.scenario import Scenario
from engine.format.yamlnodes import Path, SourceMap
from engine.format.yamlsource import load_yaml, paused_gc

REAL_DECISIONS_MIN = 4  # every role of a full-length scenario gets at least this many ...
FULL_SESSION_MINUTES = 15  # ... (a scenario expected to last this long; short drills are exempt)
FEW_DECISIONS_RATIO = 1 / 3  # and never below a third of the busiest role's decisions ...
FEW_DECISIONS_MIN = 3  # ... when the busiest role has at least this many
LONG_WAIT_RATIO = 3.0  # warn when a role waits over 3x the others' median longest wait ...
LONG_WAIT_MIN = 8  # ... and at least this many moves
KNOWLEDGE_MIN_PAIRS = 1  # distinguishing character pairs the team must be able to read
PINNED_MIN = 2  # pinned nodes with a right answer before their positions say anything ...
PINNED_SAME_SHARE = 0.75  # ... and the share of them with the answer in one place that warns

_WORD = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+|\d+")


def source_map(scenario: Scenario) -> SourceMap:
    """Positions for a loaded scenario (re-reads its stored text; the scenario is already valid)."""
    with paused_gc():  # the data is dropped before the collector runs again
        return load_yaml(scenario.text, scenario.file)[1]


def _pairs(text: str) -> set[str]:
    """Character pairs of Chinese runs, plus whole Latin words and numbers."""
    out: set[str] = set()
    for run in _WORD.findall(text):
        if run[0].isascii():
            out.add(run.lower())
        else:
            out.update(run[i : i + 2] for i in range(len(run) - 1))
    return out


Consequence = tuple[
    str | None, str | None, tuple[tuple[str, FlagValue], ...], tuple[tuple[str, int], ...], str | None
]


def consequence(choice: Choice) -> Consequence:
    """What taking the choice changes: next node or outcome, team flags, the trap it springs."""
    return (
        choice.goto,
        choice.complete,
        tuple(sorted(choice.set.items())),
        tuple(sorted(choice.add.items())),
        None if choice.trap is None else choice.trap.id,
    )


def is_real_decision(node: Node) -> bool:
    """Two choices that can be offered together (not both gated by ``when``) differ in consequence."""
    choices = node.choices
    return any(
        consequence(a) != consequence(b)
        for i, a in enumerate(choices)
        for b in choices[i + 1 :]
        if a.when is None or b.when is None
    )


def right_answer(node: Node) -> int | None:
    """The node's right answer (index as written): its one choice that is not a trap and gives the
    most points, if the node asks something (it has a trap, or choices worth different points)."""
    choices = node.choices
    safe = [i for i, c in enumerate(choices) if c.trap is None]
    if len(choices) < 2 or not safe:
        return None
    asks = len(safe) < len(choices) or len({c.points for c in choices}) > 1
    best = max(choices[i].points for i in safe)
    top = [i for i in safe if choices[i].points == best]
    return top[0] if asks and len(top) == 1 else None


def role_decisions(scenario: Scenario) -> dict[str, int]:
    """Per role: real decisions in the tasks that always exist (remedial tasks may never open)."""
    counts = dict.fromkeys(scenario.roles, 0)
    for task in scenario.tasks.values():
        if task.remedial or task.role not in counts:
            continue
        counts[task.role] += sum(1 for node in task.nodes if is_real_decision(node))
    return counts


class _Lint:
    def __init__(self, scenario: Scenario, smap: SourceMap) -> None:
        self.s = scenario
        self.smap = smap
        self.problems: list[Problem] = []

    def warn(self, path: Path, code: str, message: str) -> None:
        line, column = self.smap.position(path)
        self.problems.append(Problem(self.smap.file, line, column, "warning", code, message))

    def role_path(self, role_id: str) -> Path:
        index = next(i for i, r in enumerate(self.s.data.roles) if r.id == role_id)
        return ("roles", index, "id")

    def decisions(self) -> None:
        counts = role_decisions(self.s)
        busiest = max(counts.values(), default=0)
        minutes = self.s.data.scenario.expected_minutes or 0
        full_length = minutes >= FULL_SESSION_MINUTES or busiest >= REAL_DECISIONS_MIN
        for role_id, count in counts.items():
            name = self.s.role_name(role_id)
            if count == 0:
                self.warn(
                    self.role_path(role_id),
                    "no-real-choice",
                    f"角色 “{name}” 没有真正的抉择：每个节点要么只有一个选项，要么各选项的后果都相同；"
                    "请至少给一个节点加上后果不同的第二个选项",
                )
            elif full_length and count < REAL_DECISIONS_MIN:
                self.warn(
                    self.role_path(role_id),
                    "few-decisions",
                    f"角色 “{name}” 只有 {count} 个真正的抉择（至少两个选项、且选项的后果不同的节点），"
                    f"完整的一局里每个角色至少要有 {REAL_DECISIONS_MIN} 个；请给这个角色加任务或加有后果的选项",
                )
            elif busiest >= FEW_DECISIONS_MIN and count < busiest * FEW_DECISIONS_RATIO:
                self.warn(
                    self.role_path(role_id),
                    "few-decisions",
                    f"角色 “{name}” 只有 {count} 个需要抉择的节点，最忙的角色有 {busiest} 个；"
                    "请给这个角色加任务或选项，免得玩家长时间旁观",
                )

    def waits(self, waits: dict[str, int | None]) -> None:
        for role_id, wait in waits.items():
            others = [w for r, w in waits.items() if r != role_id and w is not None]
            if wait is None or not others:
                continue
            typical = median(others)
            if wait >= LONG_WAIT_MIN and wait > LONG_WAIT_RATIO * max(typical, 1):
                self.warn(
                    self.role_path(role_id),
                    "long-wait",
                    f"角色 “{self.s.role_name(role_id)}” 最长要连续等待 {wait} 步，其他角色通常不超过 "
                    f"{typical:g} 步；请让它更早有事可做，或减少它对别人的依赖",
                )

    def trap_knowledge(self) -> None:
        d = self.s.data
        common = [d.scenario.summary, *(r.brief for r in d.roles), *(e.text for e in d.events)]
        common += [n.text for n in self.s.nodes.values()] + [n.hint for n in self.s.nodes.values() if n.hint]
        # Pairs are counted once: the corpus of a trap is the common texts plus every other
        # trap's explanation (re-joining it per trap was quadratic in the size of the file).
        common_pairs = _pairs("\n".join(common))
        explained: dict[str, int] = {}  # pair -> how many traps' explanations have it
        own: dict[int, set[str]] = {}  # id(trap) -> its explanation's pairs
        for site in self.s.traps.values():
            own[id(site.trap)] = _pairs(site.trap.explanation)
            for pair in own[id(site.trap)]:
                explained[pair] = explained.get(pair, 0) + 1
        for ti, task in enumerate(d.tasks):
            for ni, node in enumerate(task.nodes):
                right = [c for c in node.choices if c.trap is None]
                for ci, choice in enumerate(node.choices):
                    trap = choice.trap
                    if trap is None or not right or node.hint:
                        continue  # a hint at the node is written to give exactly this clue
                    # what tells the right choice apart: not in the trap's words, nor the question's
                    telling = (
                        set().union(*(_pairs(c.text) for c in right))
                        - _pairs(choice.text)
                        - _pairs(node.text)
                    )
                    mine = own.get(id(trap), set())
                    readable = sum(
                        1
                        for pair in telling
                        if pair in common_pairs or explained.get(pair, 0) > (pair in mine)
                    )
                    if telling and readable < KNOWLEDGE_MIN_PAIRS:
                        self.warn(
                            ("tasks", ti, "nodes", ni, "choices", ci, "trap", "id"),
                            "trap-knowledge",
                            f"陷阱 “{trap.id}”：角色简介和剧情文字里都找不到能分辨正确选项的线索"
                            f"（如「{right[0].text.strip()[:20]}」中的关键词）；"
                            "请在某个角色的 brief、前面的剧情或本节点的 hint 里交代这条史实",
                        )


def _pinned_positions(lint: _Lint) -> None:
    pinned: list[tuple[int, int, int]] = []  # (task index, node index, right answer's position)
    for ti, task in enumerate(lint.s.data.tasks):
        for ni, node in enumerate(task.nodes):
            right = right_answer(node) if not node.shuffle else None
            if right is not None:
                pinned.append((ti, ni, right))
    if len(pinned) < PINNED_MIN:
        return
    counts: dict[int, int] = {}
    for _, _, position in pinned:
        counts[position] = counts.get(position, 0) + 1
    position, same = max(counts.items(), key=lambda kv: kv[1])
    if same >= PINNED_SAME_SHARE * len(pinned):
        ti, ni, _ = next(p for p in pinned if p[2] == position)
        lint.warn(
            ("tasks", ti, "nodes", ni, "shuffle"),
            "pinned-answer-position",
            f"固定顺序（shuffle: false）的 {len(pinned)} 个节点里，有 {same} 个的正确选项都排在第 {position + 1} 项："
            f"玩家会学会“总选第 {position + 1} 项”，而不是记住史实；请调换其中一些节点的选项顺序，或去掉 shuffle: false",
        )


def balance_problems(
    scenario: Scenario, smap: SourceMap | None = None, waits: dict[str, int | None] | None = None
) -> list[Problem]:
    """Balance warnings for a valid scenario; ``waits`` is ``VerifyReport.role_wait`` if known."""
    lint = _Lint(scenario, smap or source_map(scenario))
    lint.decisions()
    if waits:
        lint.waits(waits)
    lint.trap_knowledge()
    _pinned_positions(lint)
    return sorted(lint.problems, key=lambda p: (p.line, p.column))
