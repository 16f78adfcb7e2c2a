"""Checks of the knowledge check (the top-level ``quiz:`` list), like those of traps.

Every item is a claim of fact that players are graded on, so it must hold together: a unique
id, exactly one correct option, options players can tell apart, the trap (misconception) it
measures existing in the file, an explanation and a source. All of these are errors: a quiz
item that breaks one would mark a right answer wrong or teach without saying where from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from engine.format.scenario import Scenario
from engine.format.yamlnodes import Path


class Reporter(Protocol):
    """What the checks need of :class:`engine.format.checks._Checker`."""

    def error(
        self,
        path: Path,
        code: str,
        message: str,
        guess: tuple[str, Iterable[str]] | None = None,
        after: str = "",
    ) -> None: ...

    def duplicates(self, items: Iterable[tuple[str, Path]], what: str) -> None: ...


def check_quiz(scenario: Scenario, report: Reporter) -> None:
    items = scenario.data.quiz
    report.duplicates([(item.id, ("quiz", i)) for i, item in enumerate(items)], "小测题")
    for i, item in enumerate(items):
        path: Path = ("quiz", i)
        correct = [k for k, option in enumerate(item.options) if option.correct]
        if len(correct) != 1:
            where: Path = (*path, "options", correct[1], "correct") if correct else (*path, "options")
            found = "没有" if not correct else f"有 {len(correct)} 个"
            report.error(
                where,
                "quiz-correct-count",
                f"小测题 “{item.id}” {found}正确选项：每道题必须恰好有一个选项写 correct: true",
            )
        seen: dict[str, int] = {}
        for k, option in enumerate(item.options):
            text = option.text.strip()
            if text in seen:
                report.error(
                    (*path, "options", k, "text"),
                    "quiz-same-option",
                    f"小测题 “{item.id}” 的第 {k + 1} 个选项与第 {seen[text] + 1} 个完全相同；请改写其中一个",
                )
            seen.setdefault(text, k)
        if item.trap not in scenario.traps:
            report.error(
                (*path, "trap"),
                "unknown-trap",
                f"小测题 “{item.id}” 测的陷阱 “{item.trap}” 在场景里不存在",
                (item.trap, scenario.traps),
                "（trap 写这道题所对应的误区，即某个选项里陷阱的 id）",
            )
        if not item.explanation.strip():
            report.error(
                (*path, "id"),
                "quiz-without-explanation",
                f"小测题 “{item.id}” 缺少 explanation：用一两句话讲清为什么正确答案是对的",
            )
        if not item.source.strip():
            report.error(
                (*path, "id"),
                "quiz-without-source",
                f"小测题 “{item.id}” 缺少 source：请注明答案所依据的史料出处",
            )
